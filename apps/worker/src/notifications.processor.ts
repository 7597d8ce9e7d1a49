import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { NotificationsService, OutboxRelayService } from '@duban/domain';
import { JOBS, QUEUES, WORKER_OPTIONS, type JobPayloads, type JobsOf } from '@duban/queue';

function assertNever(name: never): never {
  throw new UnrecoverableError(`unknown job ${String(name)}`);
}

/** The `notifications` queue: relay the outbox, fan events out into inboxes. */
@Processor(QUEUES.notifications, WORKER_OPTIONS)
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly relay: OutboxRelayService,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: Job): Promise<number> {
    const name = job.name as JobsOf<'notifications'>;
    switch (name) {
      case JOBS.OutboxRelay:
        return this.relay.relayBatch();
      case JOBS.NotificationFanout: {
        const data = job.data as Partial<JobPayloads['NotificationFanout']>;
        if (typeof data.outboxId !== 'string') throw new UnrecoverableError('NotificationFanout needs outboxId');
        return this.notifications.fanout(data.outboxId);
      }
      default:
        return assertNever(name);
    }
  }
}
