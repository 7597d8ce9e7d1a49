import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { TrackingRefreshService, WorkerHeartbeatService } from '@duban/domain';
import { JOBS, QUEUES, WORKER_OPTIONS, type JobsOf } from '@duban/queue';

function assertNever(name: never): never {
  throw new UnrecoverableError(`unknown job ${String(name)}`);
}

/** The `maintenance` queue: worker heartbeats and the tracking read model's refresh. */
@Processor(QUEUES.maintenance, WORKER_OPTIONS)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly tracking: TrackingRefreshService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: Job): Promise<void> {
    const name = job.name as JobsOf<'maintenance'>;
    switch (name) {
      case JOBS.WorkerHeartbeat:
        await this.heartbeat.beat();
        await this.heartbeat.prune();
        return;
      case JOBS.TrackingRefresh:
        // At most 20 batches a run, so a rebuild or a big publish never holds the job for long.
        await this.tracking.refresh({ maxBatches: 20 });
        return;
      default:
        return assertNever(name);
    }
  }
}
