import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { WorkerHeartbeatService } from '@duban/domain';
import { JOBS, JOB_OPTIONS, QUEUES, QueueProducer } from '@duban/queue';

/**
 * Installs the job schedulers at every start. Schedulers live in Redis only, so a flushed Redis
 * gets them back at the next start (upsert is idempotent).
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchedulesService.name);

  constructor(
    private readonly producer: QueueProducer,
    private readonly heartbeat: WorkerHeartbeatService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.heartbeat.beat();
    await this.producer
      .queue(QUEUES.maintenance)
      .upsertJobScheduler('worker-heartbeat', { every: 30_000 }, { name: JOBS.WorkerHeartbeat, data: {}, opts: JOB_OPTIONS.WorkerHeartbeat });
    this.logger.log('job schedulers installed');
  }
}
