import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OutboxRelayService, WorkerHeartbeatService } from '@duban/domain';
import { JOBS, JOB_OPTIONS, QUEUES, QueueProducer } from '@duban/queue';

/** The scheduler that opens report periods (tests read it back from Redis). */
export const REPORT_PERIODS_SCHEDULER = 'report-periods-open';

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
    // Report periods start at midnight China time; the opener is idempotent, so it also runs once at
    // start to catch up on a day the worker (or Redis) was down.
    await this.producer
      .queue(QUEUES.reminders)
      .upsertJobScheduler(REPORT_PERIODS_SCHEDULER, { pattern: '1 0 * * *', tz: 'Asia/Shanghai' }, { name: JOBS.ReportPeriodsOpen, data: {}, opts: JOB_OPTIONS.ReportPeriodsOpen });
    await this.producer.queue(QUEUES.reminders).add(JOBS.ReportPeriodsOpen, {}, JOB_OPTIONS.ReportPeriodsOpen);
    // A calendar imported by the CLI recomputes at once; this catches any other calendar update.
    await this.producer
      .queue(QUEUES.reminders)
      .upsertJobScheduler('provisional-dates', { every: 600_000 }, { name: JOBS.ProvisionalDatesRecompute, data: {}, opts: JOB_OPTIONS.ProvisionalDatesRecompute });
    // Redis keeps nothing on disk: events relayed before a restart may have lost their jobs.
    const again = await this.relay.reconcile();
    this.logger.log(`job schedulers installed; ${again} unprocessed outbox events will be relayed again`);
  }
}
