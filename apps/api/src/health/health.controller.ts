import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CalendarService, Clock, missingCalendarNotice } from '@duban/calendar';
import { REDIS } from '@duban/queue';
import { Public } from '../auth/auth.decorators';

const WORKER_STALE_MS = 120_000;

/** Liveness of the API and its stores. 503 when PostgreSQL or Redis is down; a silent worker is reported, not fatal. */
@ApiTags('运维 operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: '健康检查：PostgreSQL、Redis 与 worker 心跳' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            await this.redis.ping();
          })
          .withTimeout(2000),
      () => this.workerCheck(),
      () => this.calendarCheck(),
      () => this.mailCheck(),
    ]);
  }

  /** Mail is optional: without SMTP_URL it is said here, and the inbox and webhooks still work. */
  private mailCheck() {
    const check = this.indicators.check('mail');
    const url = this.config.mail.smtpUrl;
    return url ? check.up({ enabled: true, host: new URL(url).host }) : check.up({ enabled: false, message: '未配置 SMTP_URL：不发送邮件' });
  }

  /** Degraded (loudly, not fatally) when this or next year's holidays are not imported. */
  private async calendarCheck() {
    const check = this.indicators.check('calendar');
    const status = await this.calendar.status();
    const notice = missingCalendarNotice(status.missing);
    const covered = status.coveredYears.length ? `${status.coveredYears[0]}-${status.coveredYears.at(-1)}` : 'none';
    return notice ? check.degraded({ message: notice, missingYears: status.missing, covered }) : check.up({ covered });
  }

  private async workerCheck() {
    const check = this.indicators.check('worker');
    const rows: { seen_at: Date; worker_id: string }[] = await this.dataSource.query(
      `select worker_id, seen_at from worker_heartbeats order by seen_at desc limit 1`,
    );
    const last = rows[0];
    const ageMs = last ? this.clock.now().getTime() - new Date(last.seen_at).getTime() : null;
    if (last && ageMs !== null && ageMs < WORKER_STALE_MS) return check.up({ lastSeen: new Date(last.seen_at).toISOString(), workerId: last.worker_id });
    return check.degraded({ message: last ? 'worker 心跳超时' : '尚无 worker 心跳', lastSeen: last ? new Date(last.seen_at).toISOString() : null });
  }
}
