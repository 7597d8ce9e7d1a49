import type { JobsOptions } from 'bullmq';
import type { JobName } from './queue.constants';

/** Job options per job name, in one table. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  WorkerHeartbeat: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
};
