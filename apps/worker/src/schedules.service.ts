import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OutboxRelayService, WorkerHeartbeatService } from '@duban/domain';
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
    private readonly relay: OutboxRelayService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.heartbeat.beat();
    await this.producer
      .queue(QUEUES.maintenance)
      .upsertJobScheduler('worker-heartbeat', { every: 30_000 }, { name: JOBS.WorkerHeartbeat, data: {}, opts: JOB_OPTIONS.WorkerHeartbeat });
    await this.producer
      .queue(QUEUES.notifications)
      .upsertJobScheduler('outbox-relay', { every: 1_000 }, { name: JOBS.OutboxRelay, data: {}, opts: JOB_OPTIONS.OutboxRelay });
    // Reminders are recomputed from PostgreSQL each minute; nothing about them lives in Redis.
    await this.producer
      .queue(QUEUES.reminders)
      .upsertJobScheduler('reminder-sweep', { every: 60_000 }, { name: JOBS.ReminderSweep, data: {}, opts: JOB_OPTIONS.ReminderSweep });
    // Redis keeps nothing on disk: events relayed before a restart may have lost their jobs.
    const again = await this.relay.reconcile();
    this.logger.log(`job schedulers installed; ${again} unprocessed outbox events will be relayed again`);
  }
}
