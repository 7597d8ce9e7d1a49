import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarDataMissingError, CalendarService, Clock, shanghaiTime, weekdayOf } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { QueueProducer } from '@duban/queue';
import { IllegalStateError, NotFoundError } from '../common/domain.errors';
import { categorySql } from './notification-kinds';

const CATEGORY = categorySql('n.kind');

export interface DeliveryView {
  id: string;
  channel: string;
  status: string;
  userId: string;
  notificationId: string | null;
  subscriptionId: string | null;
  digestDate: string | null;
  attempts: number;
  redrives: number;
  lastError: string | null;
  createdAt: string;
  parkedAt: string | null;
}

/** BullMQ job id of a delivery's current run: a re-drive needs a new id, a re-enqueue the same one. */
export const deliveryJobId = (id: string, redrives: number): string => `delivery-${id}-r${redrives}`;

/**
 * Turns inbox rows into deliveries and keeps their jobs in Redis. Every `notifications` row, whoever
 * inserted it, is claimed once (dispatched_at, FOR UPDATE SKIP LOCKED) and gets one delivery row per
 * channel its user's preferences ask for, with a unique key; jobs are enqueued after commit with
 * deterministic ids, and the reconciler enqueues every pending delivery again after a Redis loss.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);
  private warnedNoMail = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get mailEnabled(): boolean {
    return this.config.mail.smtpUrl !== null;
  }

  /** Dispatches undispatched notifications in batches until none is left; returns the deliveries created. */
  async dispatch(batch = 1000, maxBatches = 20): Promise<number> {
    if (!this.mailEnabled && !this.warnedNoMail) {
      this.warnedNoMail = true;
      this.logger.warn('未配置 SMTP_URL：不发送邮件（站内通知和 webhook 照常）');
    }
    let created = 0;
    for (let i = 0; i < maxBatches; i++) {
      const { claimed, pending } = await this.dataSource.transaction((m) => this.dispatchBatch(m, batch));
      await this.enqueue(pending);
      created += pending.length;
      if (claimed < batch) break;
    }
    return created;
  }

  private async dispatchBatch(m: EntityManager, batch: number): Promise<{ claimed: number; pending: { id: string; redrives: number }[] }> {
    const claimed: { id: string }[] = await m.query(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
      `with claimed as (
         update notifications set dispatched_at = now() where id in (
           select id from notifications where dispatched_at is null order by created_at, id limit $1 for update skip locked)
         returning id)
       select id from claimed`,
      [batch],
    );
    if (claimed.length === 0) return { claimed: 0, pending: [] };
    const ids = claimed.map((c) => c.id);
    const pending: { id: string; redrives: number }[] = [];
    if (this.mailEnabled) {
      // Digest users' mails are held for the day's digest; the key is the same, so a notification is mailed once either way.
      const mails: { id: string; status: string }[] = await m.query(
        `insert into notification_deliveries (delivery_key, channel, user_id, notification_id, status)
         select 'email:' || n.id, case when p.digest then 'digest' else 'email' end, n.user_id, n.id, case when p.digest then 'held' else 'pending' end
           from notifications n join users u on u.id = n.user_id
           left join notification_preferences p on p.user_id = n.user_id
          where n.id = any($1::uuid[]) and u.active and coalesce(u.email, '') <> ''
            and coalesce((p.kinds -> ${CATEGORY} ->> 'email')::boolean, true)
         on conflict (delivery_key) do nothing returning id, status`,
        [ids],
      );
      pending.push(...mails.filter((r) => r.status === 'pending').map((r) => ({ id: r.id, redrives: 0 })));
    }
    // A unit subscription hears of an event once however many of the unit's users it reached (same delivery_key).
    const hooks: { id: string }[] = await m.query(
      `insert into notification_deliveries (delivery_key, channel, user_id, notification_id, subscription_id, status)
       select distinct on (s.id, n.delivery_key) 'webhook:' || s.id || ':' || n.delivery_key, 'webhook', n.user_id, n.id, s.id, 'pending'
         from notifications n join users u on u.id = n.user_id
         left join notification_preferences p on p.user_id = n.user_id
         join webhook_subscriptions s on s.deleted_at is null
          and (s.unit_id = u.unit_id or (s.owner_user_id = n.user_id and coalesce((p.kinds -> ${CATEGORY} ->> 'webhook')::boolean, true)))
        where n.id = any($1::uuid[])
        order by s.id, n.delivery_key, n.created_at, n.id
       on conflict (delivery_key) do nothing returning id`,
      [ids],
    );
    pending.push(...hooks.map((r) => ({ id: r.id, redrives: 0 })));
    return { claimed: claimed.length, pending };
  }

  /** Enqueues deliveries with deterministic ids: a job that already exists is not added twice. */
  private async enqueue(rows: { id: string; redrives: number }[]): Promise<void> {
    const { attempts, backoffMs } = this.config.delivery;
    for (let i = 0; i < rows.length; i += 1000) {
      await this.producer.enqueueMany(
        'NotificationDeliver',
        rows.slice(i, i + 1000).map((r) => ({ data: { deliveryId: r.id }, jobId: deliveryJobId(r.id, r.redrives) })),
        { attempts, backoff: { type: 'exponential', delay: backoffMs } },
      );
    }
  }

  /** At worker start and every minute: every pending delivery gets its job back if Redis lost it. */
  async reconcile(): Promise<number> {
    const rows: { id: string; redrives: number }[] = await this.dataSource.query(`select id, redrives from notification_deliveries where status = 'pending' order by created_at`);
    await this.enqueue(rows);
    return rows.length;
  }

  /**
   * The daily digest: on a working day at or after DIGEST_AT (Asia/Shanghai), each user with held
   * mails gets one digest delivery keyed (user, date), which takes every held item in the same
   * transaction. Runs from the job scheduler and at worker start; running again does nothing.
   */
  async digest(): Promise<{ date: string; created: number; skipped: 'not_working_day' | 'too_early' | 'mail_disabled' | null }> {
    const now = this.clock.now();
    const { date, minutes } = shanghaiTime(now);
    if (!this.mailEnabled) return { date, created: 0, skipped: 'mail_disabled' };
    const [hh, mm] = this.config.delivery.digestAt.split(':').map(Number);
    if (minutes < hh * 60 + mm) return { date, created: 0, skipped: 'too_early' };
    if (!(await this.isWorkingDay(date))) return { date, created: 0, skipped: 'not_working_day' };
    const created = await this.dataSource.transaction(async (m) => {
      const digests: { id: string; user_id: string }[] = await m.query(
        `insert into notification_deliveries (delivery_key, channel, user_id, digest_date, status)
         select distinct 'digest:' || user_id || ':' || $1, 'digest_email', user_id, $1::date, 'pending'
           from notification_deliveries where status = 'held'
         on conflict (delivery_key) do nothing returning id, user_id`,
        [date],
      );
      if (digests.length === 0) return [];
      await m.query(
        `update notification_deliveries d set status = 'digested', digest_id = x.id
           from unnest($1::uuid[], $2::uuid[]) as x(id, user_id)
          where d.status = 'held' and d.user_id = x.user_id`,
        [digests.map((r) => r.id), digests.map((r) => r.user_id)],
      );
      return digests.map((r) => ({ id: r.id, redrives: 0 }));
    });
    await this.enqueue(created);
    return { date, created: created.length, skipped: null };
  }

  /** An uncovered year falls back to Monday-Friday (said in /health); a digest must not stop for it. */
  private async isWorkingDay(date: string): Promise<boolean> {
    try {
      return (await this.calendar.load()).isWorkday(date);
    } catch (e) {
      if (!(e instanceof CalendarDataMissingError)) throw e;
      const wd = weekdayOf(date);
      return wd >= 1 && wd <= 5;
    }
  }

  async list(status: string | undefined, limit: number, offset: number): Promise<{ items: DeliveryView[]; total: number }> {
    const [{ n }]: { n: string }[] = await this.dataSource.query(`select count(*) as n from notification_deliveries where ($1::text is null or status = $1)`, [status ?? null]);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select *, digest_date::text as digest_day from notification_deliveries where ($1::text is null or status = $1) order by coalesce(parked_at, created_at) desc, id limit $2 offset $3`,
      [status ?? null, limit, offset],
    );
    return { total: Number(n), items: rows.map(toView) };
  }

  /** Admins send a parked delivery again: attempts start over under a new job id. */
  async redrive(id: string): Promise<DeliveryView> {
    const rows: Record<string, unknown>[] = await this.dataSource.transaction(async (m) => {
      const found: Record<string, unknown>[] = await m.query(`select status from notification_deliveries where id = $1 for update`, [id]);
      if (found.length === 0) throw new NotFoundError('DELIVERY_NOT_FOUND', '投递记录不存在');
      if (found[0].status !== 'parked') throw new IllegalStateError('DELIVERY_NOT_PARKED', `只有已搁置（parked）的投递可以重新投递，当前状态：${String(found[0].status)}`);
      return m.query(
        `with d as (update notification_deliveries set status = 'pending', attempts = 0, redrives = redrives + 1, parked_at = null where id = $1 returning *)
         select *, digest_date::text as digest_day from d`,
        [id],
      );
    });
    const row = toView(rows[0]);
    await this.enqueue([{ id: row.id, redrives: row.redrives }]);
    return row;
  }
}

function toView(r: Record<string, unknown>): DeliveryView {
  const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id as string,
    channel: r.channel as string,
    status: r.status as string,
    userId: r.user_id as string,
    notificationId: (r.notification_id as string | null) ?? null,
    subscriptionId: (r.subscription_id as string | null) ?? null,
    digestDate: (r.digest_day as string | null) ?? null,
    attempts: Number(r.attempts),
    redrives: Number(r.redrives),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: iso(r.created_at) as string,
    parkedAt: iso(r.parked_at),
  };
}
