/**
 * Persisted contract: queue and job names are stored in Redis and in PostgreSQL rows (outbox,
 * delivery keys). Do not rename without a migration plan.
 */
export const QUEUES = {
  maintenance: 'maintenance',
  notifications: 'notifications',
  reminders: 'reminders',
  deliveries: 'deliveries',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  WorkerHeartbeat: 'WorkerHeartbeat',
  OutboxRelay: 'OutboxRelay',
  NotificationFanout: 'NotificationFanout',
  ReminderSweep: 'ReminderSweep',
  ReportPeriodsOpen: 'ReportPeriodsOpen',
  ProvisionalDatesRecompute: 'ProvisionalDatesRecompute',
  DeliveryDispatch: 'DeliveryDispatch',
  DeliveryReconcile: 'DeliveryReconcile',
  NotificationDeliver: 'NotificationDeliver',
  DigestSend: 'DigestSend',
  TrackingRefresh: 'TrackingRefresh',
} as const;
export type JobName = keyof typeof JOBS;

/** Payload of each job: ids and ISO strings only, never entities or Dates. */
export interface JobPayloads {
  WorkerHeartbeat: { requestedAt?: string };
  OutboxRelay: Record<string, never>;
  /** One outbox row (bigint id as a string) to turn into inbox notifications. */
  NotificationFanout: { outboxId: string };
  ReminderSweep: Record<string, never>;
  /** Opens every report period that has started (daily at 00:01 Asia/Shanghai, and at worker start). */
  ReportPeriodsOpen: Record<string, never>;
  /** Recomputes provisional dates a newly imported calendar year now covers. */
  ProvisionalDatesRecompute: Record<string, never>;
  /** Turn undispatched inbox rows into delivery rows (mail, webhook, digest) per preferences. */
  DeliveryDispatch: Record<string, never>;
  /** Enqueue again every pending delivery (after a Redis loss). */
  DeliveryReconcile: Record<string, never>;
  /** Send one delivery row (uuid): a mail, a webhook call or a digest mail. */
  NotificationDeliver: { deliveryId: string };
  /** The daily digest mails of today, if today is a working day. */
  DigestSend: Record<string, never>;
  /** Folds changed tasks into the tracking read model (decision 51); moves its day at midnight. */
  TrackingRefresh: Record<string, never>;
}

/** Which queue carries each job. */
export const JOB_QUEUE = {
  WorkerHeartbeat: QUEUES.maintenance,
  OutboxRelay: QUEUES.notifications,
  NotificationFanout: QUEUES.notifications,
  ReminderSweep: QUEUES.reminders,
  ReportPeriodsOpen: QUEUES.reminders,
  ProvisionalDatesRecompute: QUEUES.reminders,
  DeliveryDispatch: QUEUES.deliveries,
  DeliveryReconcile: QUEUES.deliveries,
  NotificationDeliver: QUEUES.deliveries,
  DigestSend: QUEUES.deliveries,
  TrackingRefresh: QUEUES.maintenance,
} as const satisfies Record<JobName, QueueName>;

/** The job names a queue carries: what its processor's exhaustive switch must cover. */
export type JobsOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];
