/**
 * Persisted contract: queue and job names are stored in Redis and in PostgreSQL rows (outbox,
 * delivery keys). Do not rename without a migration plan.
 */
export const QUEUES = {
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  WorkerHeartbeat: 'WorkerHeartbeat',
} as const;
export type JobName = keyof typeof JOBS;

/** Payload of each job: ids and ISO strings only, never entities or Dates. */
export interface JobPayloads {
  WorkerHeartbeat: { requestedAt?: string };
}

/** Which queue carries each job. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  WorkerHeartbeat: QUEUES.maintenance,
};
