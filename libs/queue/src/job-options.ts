import type { JobsOptions } from 'bullmq';
import type { JobName } from './queue.constants';

/** Job options per job name, in one table. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  WorkerHeartbeat: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  OutboxRelay: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  ReminderSweep: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  // Idempotent in PostgreSQL: a retry opens or recomputes nothing twice.
  ReportPeriodsOpen: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 10, removeOnFail: 100 },
  ProvisionalDatesRecompute: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 10, removeOnFail: 100 },
  // Deterministic job ids (outbox-<id>) dedupe re-relays; kept an hour so a re-relay finds them.
  NotificationFanout: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 86400 } },
};
