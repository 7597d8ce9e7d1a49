import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JOB_OPTIONS } from './job-options';
import { JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type QueueName } from './queue.constants';

/** The one producer: a typed `enqueue` over every queue of the contract. */
@Injectable()
export class QueueProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QUEUES.maintenance) maintenance: Queue) {
    this.queues = { maintenance };
  }

  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions = {}): Promise<Job> {
    return this.queues[JOB_QUEUE[name]].add(name, data, { ...JOB_OPTIONS[name], ...options });
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
