import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JOB_OPTIONS } from './job-options';
import { JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type QueueName } from './queue.constants';

/** The one producer: a typed `enqueue` over every queue of the contract. */
@Injectable()
export class QueueProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.reminders) reminders: Queue,
    @InjectQueue(QUEUES.deliveries) deliveries: Queue,
  ) {
    this.queues = { maintenance, notifications, reminders, deliveries };
  }

  /** Adds many jobs of one name at once (one round trip); `options` override the table's for these jobs. */
  enqueueMany<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; jobId?: string }[], options: JobsOptions = {}): Promise<Job[]> {
    return this.queues[JOB_QUEUE[name]].addBulk(jobs.map((j) => ({ name, data: j.data, opts: { ...JOB_OPTIONS[name], ...options, ...(j.jobId ? { jobId: j.jobId } : {}) } })));
  }

  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions = {}): Promise<Job> {
    return this.queues[JOB_QUEUE[name]].add(name, data, { ...JOB_OPTIONS[name], ...options });
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /** Every queue of the contract (the queue dashboard shows them all). */
  all(): Queue[] {
    return Object.values(this.queues);
  }
}
