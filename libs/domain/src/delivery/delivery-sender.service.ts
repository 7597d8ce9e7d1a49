import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { digestDateOf, renderDigestMail, renderSingleMail, type MailItem } from './mail-templates';
import { MailTransportService } from './mail-transport.service';
import { categoryOf } from './notification-kinds';
import { WEBHOOK_HEADERS, signWebhook } from './webhooks.service';

interface DeliveryRow {
  id: string;
  channel: 'email' | 'webhook' | 'digest' | 'digest_email';
  status: string;
  attempts: number;
  user_id: string;
  notification_id: string | null;
  subscription_id: string | null;
  digest_day: string | null;
  email: string | null;
  display_name: string;
  username: string;
  unit_id: string;
  /** The notification (null for a digest mail) and the subscription (webhooks), read in the same locked query. */
  n_kind: string | null;
  n_title: string;
  n_body: string;
  n_entity_type: string;
  n_entity_id: string;
  n_created_at: Date;
  s_url: string | null;
  s_secret: string;
  s_unit_id: string | null;
  s_deleted_at: Date | null;
}

/** A digest's item, as read for the digest mail. */
interface NotificationRow {
  kind: string;
  title: string;
  body: string;
  created_at: Date;
}

/** The delivery has nothing left to deliver to (subscription ended, address removed). */
class DeliveryCancelled extends Error {}

export type DeliverResult = 'sent' | 'skipped' | 'cancelled';

/**
 * Sends one delivery. The row is locked for the send, so two runs of the same delivery never send
 * at once, and a run that finds it no longer pending (sent, parked, cancelled) does nothing. Each
 * failure is counted in PostgreSQL; the last allowed one parks the delivery. A crash after the
 * receiver accepted and before the commit sends it again, with the same Message-ID / delivery id.
 */
@Injectable()
export class DeliverySenderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailTransportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(deliveryId: string): Promise<DeliverResult> {
    if (!/^[0-9a-f-]{36}$/i.test(deliveryId)) throw new UnrecoverableError(`bad delivery id ${deliveryId}`);
    const outcome = await this.dataSource.transaction(async (m): Promise<{ result: DeliverResult } | { error: string; park: boolean }> => {
      const rows: DeliveryRow[] = await m.query(
        `select d.id, d.channel, d.status, d.attempts, d.user_id, d.notification_id, d.subscription_id, d.digest_date::text as digest_day,
                u.email, u.display_name, u.username, u.unit_id,
                n.kind as n_kind, n.title as n_title, n.body as n_body, n.entity_type as n_entity_type, n.entity_id as n_entity_id, n.created_at as n_created_at,
                s.url as s_url, s.secret as s_secret, s.unit_id as s_unit_id, s.deleted_at as s_deleted_at
           from notification_deliveries d join users u on u.id = d.user_id
           left join notifications n on n.id = d.notification_id
           left join webhook_subscriptions s on s.id = d.subscription_id
          where d.id = $1 for update of d`,
        [deliveryId],
      );
      const d = rows[0];
      if (!d) throw new UnrecoverableError(`delivery ${deliveryId} is gone`);
      if (d.status !== 'pending') return { result: 'skipped' };
      const attempts = d.attempts + 1;
      try {
        await this.send(m, d);
        await m.query(`update notification_deliveries set status = 'sent', attempts = $2, sent_at = now(), last_error = null where id = $1`, [d.id, attempts]);
        return { result: 'sent' };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof DeliveryCancelled) {
          await m.query(`update notification_deliveries set status = 'cancelled', last_error = $2 where id = $1`, [d.id, message]);
          return { result: 'cancelled' };
        }
        const park = attempts >= this.config.delivery.attempts;
        await m.query(
          `update notification_deliveries set attempts = $2, last_error = $3, status = case when $4 then 'parked' else status end, parked_at = case when $4 then now() end where id = $1`,
          [d.id, attempts, message.slice(0, 2000), park],
        );
        return { error: message, park };
      }
    });
    if ('result' in outcome) return outcome.result;
    // Rethrown so BullMQ retries with backoff; parked means no more tries.
    if (outcome.park) throw new UnrecoverableError(`已搁置（${this.config.delivery.attempts} 次均失败）：${outcome.error}`);
    throw new Error(outcome.error);
  }

  private async send(m: EntityManager, d: DeliveryRow): Promise<void> {
    switch (d.channel) {
      case 'email': {
        if (!d.email) throw new DeliveryCancelled('用户没有邮箱');
        return this.mail.send({ to: d.email, ...renderSingleMail(d.display_name, notificationOf(d)), messageId: this.messageId(d.id), headers: { 'X-Duban-Delivery': d.id } });
      }
      case 'digest_email': {
        if (!d.email) throw new DeliveryCancelled('用户没有邮箱');
        const items: NotificationRow[] = await m.query(
          `select n.kind, n.title, n.body, n.created_at from notification_deliveries i join notifications n on n.id = i.notification_id where i.digest_id = $1`,
          [d.id],
        );
        if (items.length === 0) throw new DeliveryCancelled('日报没有内容');
        const date = d.digest_day ?? digestDateOf(new Date());
        return this.mail.send({ to: d.email, ...renderDigestMail(d.display_name, date, items.map(toItem)), messageId: this.messageId(d.id), headers: { 'X-Duban-Delivery': d.id } });
      }
      case 'webhook':
        return this.callWebhook(d);
      case 'digest':
        throw new DeliveryCancelled('日报条目不单独投递');
    }
  }

  private messageId(id: string): string {
    return `<${id}@${this.mail.domain}>`;
  }

  private async callWebhook(d: DeliveryRow): Promise<void> {
    if (!d.s_url || d.s_deleted_at) throw new DeliveryCancelled('webhook 订阅已取消');
    const n = notificationOf(d);
    const body = JSON.stringify({
      deliveryId: d.id,
      event: n.kind,
      category: categoryOf(n.kind),
      notification: { id: d.notification_id, kind: n.kind, title: n.title, body: n.body, entityType: d.n_entity_type, entityId: d.n_entity_id, createdAt: n.createdAt.toISOString() },
      recipient: { userId: d.user_id, username: d.username, unitId: d.unit_id },
      subscription: { id: d.subscription_id, scope: d.s_unit_id ? 'unit' : 'user' },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(d.s_url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.config.delivery.webhookTimeoutMs),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Duban-Webhook/1',
        [WEBHOOK_HEADERS.signature]: signWebhook(d.s_secret, timestamp, body),
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.delivery]: d.id,
        [WEBHOOK_HEADERS.event]: n.kind,
      },
    });
    await res.arrayBuffer().catch(() => undefined); // drain, so the connection is released
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook 返回 HTTP ${res.status}`);
  }
}

function toItem(n: Pick<NotificationRow, 'kind' | 'title' | 'body' | 'created_at'>): MailItem {
  return { kind: n.kind, title: n.title, body: n.body, createdAt: new Date(n.created_at) };
}

/** The delivery's notification; gone (deleted with its user's inbox) cancels the delivery. */
function notificationOf(d: DeliveryRow): MailItem {
  if (d.n_kind === null) throw new DeliveryCancelled('通知已删除');
  return { kind: d.n_kind, title: d.n_title, body: d.n_body, createdAt: new Date(d.n_created_at) };
}
