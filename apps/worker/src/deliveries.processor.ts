import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { DeliveriesService, DeliverySenderService } from '@duban/domain';
import { JOBS, QUEUES, WORKER_OPTIONS, type JobPayloads, type JobsOf } from '@duban/queue';

function assertNever(name: never): never {
  throw new UnrecoverableError(`unknown job ${String(name)}`);
}

/** The `deliveries` queue: dispatch inbox rows to channels, send mails and webhooks, digests, reconcile. */
@Processor(QUEUES.deliveries, WORKER_OPTIONS)
export class DeliveriesProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly sender: DeliverySenderService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobsOf<'deliveries'>;
    switch (name) {
      case JOBS.DeliveryDispatch:
        return this.deliveries.dispatch();
      case JOBS.DeliveryReconcile:
        return this.deliveries.reconcile();
      case JOBS.DigestSend:
        return this.deliveries.digest();
      case JOBS.NotificationDeliver: {
        const data = job.data as Partial<JobPayloads['NotificationDeliver']>;
        if (typeof data.deliveryId !== 'string') throw new UnrecoverableError('NotificationDeliver needs deliveryId');
        return this.sender.deliver(data.deliveryId);
      }
      default:
        return assertNever(name);
    }
  }
}
