import type { JobsOptions } from 'bullmq';
import type { JobName } from './queue.constants';

/** Job options per job name, in one table. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  WorkerHeartbeat: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  OutboxRelay: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  ReminderSweep: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  // Deterministic job ids (outbox-<id>) dedupe re-relays; kept an hour so a re-relay finds them.
  NotificationFanout: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 86400 } },
};

/**
 * Options of every BullMQ worker. A killed worker's active jobs lose their lock after 15 s and are
 * found by another worker's stall check (every 5 s), so they run again within about 20 s
 * (BullMQ's defaults take up to a minute). Handlers are idempotent, so a second run writes nothing.
 */
export const WORKER_OPTIONS = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 2 } as const;
