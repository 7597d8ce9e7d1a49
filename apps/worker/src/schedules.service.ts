import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { OutboxRelayService, WorkerHeartbeatService } from '@duban/domain';
import { JOBS, JOB_OPTIONS, QUEUES, QueueProducer, REDIS } from '@duban/queue';
import { DeliverySchedulesService } from './delivery-schedules.service';

/** The scheduler that opens report periods (tests read it back from Redis). */
export const REPORT_PERIODS_SCHEDULER = 'report-periods-open';

/** How often the worker checks that Redis still holds what it installed. */
export const REDIS_CHECK_MS = 5_000;

/**
 * Installs the job schedulers at every start, and again whenever Redis has lost them. Schedulers
 * and queued jobs live in Redis only, and Redis keeps nothing on disk: a marker key written before
 * the schedulers tells, every few seconds, whether Redis was flushed or restarted since. When it
 * is gone, the schedulers are upserted again (idempotent) and every outbox event relayed but not
 * yet processed is relayed again (its job may have died with Redis; the inbox's unique key makes a
 * second delivery write nothing). Reminders and escalations need nothing back: the next sweep
 * recomputes them from PostgreSQL.
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulesService.name);
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  /** Whether an install has succeeded since the worker started. */
  private installed = false;
  private readonly marker: string;

  constructor(
    private readonly producer: QueueProducer,
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly relay: OutboxRelayService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly delivery: DeliverySchedulesService,
  ) {
    this.marker = `${config.redis.queuePrefix}:duban:schedules-installed`;
  }

  /**
   * Installs the schedulers. A failure here (PostgreSQL or Redis restarting while the worker
   * starts) does not stop the worker: `install` leaves no marker behind, so the next check, every
   * REDIS_CHECK_MS, tries again until it succeeds.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.check(), REDIS_CHECK_MS);
    try {
      await this.heartbeat.beat();
      const again = await this.install();
      this.logger.log(`job schedulers installed; ${again} unprocessed outbox events will be relayed again`);
    } catch (error) {
      this.logger.warn(`could not install the job schedulers at start, retrying in ${REDIS_CHECK_MS} ms: ${(error as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reinstalls when the marker is gone. A failed check (Redis or PostgreSQL down) is retried at the next tick. */
  async check(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      if ((await this.redis.exists(this.marker)) === 1) return false;
      const first = !this.installed;
      const again = await this.install();
      if (first) this.logger.warn(`job schedulers installed after a failed start; ${again} unprocessed outbox events will be relayed again`);
      else this.logger.warn(`Redis lost the job schedulers (flushed or restarted): installed again; ${again} unprocessed outbox events will be relayed again`);
      return true;
    } catch (error) {
      this.logger.warn(`could not check Redis for lost job schedulers, retrying in ${REDIS_CHECK_MS} ms: ${(error as Error).message}`);
      return false;
    } finally {
      this.checking = false;
    }
  }

  /**
   * Marker first: a flush during the upserts removes it, so the next check installs again; so does
   * a failure (the marker is deleted), so that the outbox is reconciled once the stores are back.
   */
  private async install(): Promise<number> {
    await this.redis.set(this.marker, new Date().toISOString());
    try {
      const again = await this.installSchedulers();
      this.installed = true;
      return again;
    } catch (error) {
      await this.redis.del(this.marker).catch(() => undefined);
      throw error;
    }
  }

  private async installSchedulers(): Promise<number> {
    await this.producer
      .queue(QUEUES.maintenance)
      .upsertJobScheduler('worker-heartbeat', { every: 30_000 }, { name: JOBS.WorkerHeartbeat, data: {}, opts: JOB_OPTIONS.WorkerHeartbeat });
    // The read model's dirty list is in PostgreSQL: a lost schedule only delays folding, reads stay exact.
    await this.producer
      .queue(QUEUES.maintenance)
      .upsertJobScheduler('tracking-refresh', { every: this.config.tracking.refreshSeconds * 1000 }, { name: JOBS.TrackingRefresh, data: {}, opts: JOB_OPTIONS.TrackingRefresh });
    await this.producer
      .queue(QUEUES.notifications)
      .upsertJobScheduler('outbox-relay', { every: 1_000 }, { name: JOBS.OutboxRelay, data: {}, opts: JOB_OPTIONS.OutboxRelay });
    // Reminders are recomputed from PostgreSQL at each sweep; nothing about them lives in Redis.
    await this.producer
      .queue(QUEUES.reminders)
      .upsertJobScheduler(
        'reminder-sweep',
        { every: this.config.worker.reminderSweepSeconds * 1000 },
        { name: JOBS.ReminderSweep, data: {}, opts: JOB_OPTIONS.ReminderSweep },
      );
    // Report periods start at midnight China time; the opener is idempotent, so it also runs at
    // every install to catch up on a day the worker (or Redis) was down.
    const reminders = this.producer.queue(QUEUES.reminders);
    await reminders.upsertJobScheduler(REPORT_PERIODS_SCHEDULER, { pattern: '1 0 * * *', tz: this.config.timeZone }, { name: JOBS.ReportPeriodsOpen, data: {}, opts: JOB_OPTIONS.ReportPeriodsOpen });
    await reminders.add(JOBS.ReportPeriodsOpen, {}, JOB_OPTIONS.ReportPeriodsOpen);
    // A calendar imported by the CLI recomputes at once; this catches any other calendar update.
    await reminders.upsertJobScheduler('provisional-dates', { every: 600_000 }, { name: JOBS.ProvisionalDatesRecompute, data: {}, opts: JOB_OPTIONS.ProvisionalDatesRecompute });
    await this.delivery.install();
    return this.relay.reconcile();
  }
}
