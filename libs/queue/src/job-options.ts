import type { JobsOptions } from 'bullmq';
import type { JobName } from './queue.constants';

/** Job options per job name, in one table. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  WorkerHeartbeat: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  // Everything it needs is in PostgreSQL (the dirty list); the next run picks up what a failed one left.
  TrackingRefresh: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  OutboxRelay: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  ReminderSweep: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  // Idempotent in PostgreSQL: a retry opens or recomputes nothing twice.
  ReportPeriodsOpen: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 10, removeOnFail: 100 },
  ProvisionalDatesRecompute: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 10, removeOnFail: 100 },
  // Deterministic job ids (outbox-<id>) dedupe re-relays; kept an hour so a re-relay finds them.
  NotificationFanout: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 86400 } },
  DeliveryDispatch: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  DeliveryReconcile: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  DigestSend: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 10, removeOnFail: 100 },
  // Job id delivery-<id>-r<redrives>. attempts/backoff are overridden from DELIVERY_ATTEMPTS and
  // DELIVERY_BACKOFF_MS; PostgreSQL counts the attempts and parks. A job that ends failed is removed
  // so the reconciler can enqueue the delivery again if it is still pending (e.g. PostgreSQL was down).
  NotificationDeliver: { attempts: 8, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { age: 3600 }, removeOnFail: true },
};

/**
 * Options of every BullMQ worker. A killed worker's active jobs lose their lock after 15 s and are
 * found by another worker's stall check (every 5 s), so they run again within about 20 s
 * (BullMQ's defaults take up to a minute). Handlers are idempotent, so a second run writes nothing.
 */
export const WORKER_OPTIONS = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 2 } as const;
