import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole, type Actor } from '../accounts/actor';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain.errors';

/** Header names of a webhook call; a receiver verifies `sha256=HMAC(secret, timestamp + "." + body)`. */
export const WEBHOOK_HEADERS = {
  signature: 'x-duban-signature',
  timestamp: 'x-duban-timestamp',
  delivery: 'x-duban-delivery',
  event: 'x-duban-event',
} as const;

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookView {
  id: string;
  scope: 'user' | 'unit';
  ownerUserId: string | null;
  unitId: string | null;
  url: string;
  description: string;
  createdAt: string;
}

const MANAGERS = ['admin', 'coordinator'] as const;

/**
 * Webhook subscriptions. A user subscription receives its owner's notifications (of the kinds the
 * owner's preferences allow); anyone may manage their own. A unit subscription receives every
 * notification addressed to anyone in the unit, once per event; only admins and coordinators manage
 * those. The secret is chosen by the caller or generated, and shown only in the creation answer.
 */
@Injectable()
export class WebhooksService {
  constructor(private readonly dataSource: DataSource) {}

  async create(actor: Actor, input: { url: string; secret?: string; unitId?: string; description?: string }): Promise<WebhookView & { secret: string }> {
    if (input.unitId && !hasRole(actor, ...MANAGERS)) throw new ForbiddenError('WEBHOOK_UNIT_FORBIDDEN', '只有管理员和督办协调员可以为单位订阅 webhook');
    if (input.unitId) {
      const unit: unknown[] = await this.dataSource.query(`select 1 from units where id = $1`, [input.unitId]);
      if (unit.length === 0) throw new ValidationFailedError('单位不存在', [{ field: 'unitId', message: '单位不存在' }], 'UNIT_NOT_FOUND');
    }
    const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      `insert into webhook_subscriptions (owner_user_id, unit_id, url, secret, description, created_by)
       values ($1, $2, $3, $4, $5, $6) returning *`,
      [input.unitId ? null : actor.userId, input.unitId ?? null, input.url, secret, input.description ?? '', actor.userId],
    );
    return { ...toView(row), secret };
  }

  /** Managers see every subscription; others their own. */
  async list(actor: Actor): Promise<WebhookView[]> {
    const all = hasRole(actor, ...MANAGERS);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select * from webhook_subscriptions where deleted_at is null and ($1 or owner_user_id = $2) order by created_at, id`,
      [all, actor.userId],
    );
    return rows.map(toView);
  }

  /** Ends a subscription; its pending deliveries are cancelled when their jobs run. */
  async remove(actor: Actor, id: string): Promise<void> {
    const res: [unknown, number] = await this.dataSource.query(
      `update webhook_subscriptions set deleted_at = now() where id = $1 and deleted_at is null and ($2 or owner_user_id = $3)`,
      [id, hasRole(actor, ...MANAGERS), actor.userId],
    );
    if (res[1] === 0) throw new NotFoundError('WEBHOOK_NOT_FOUND', 'webhook 订阅不存在');
  }
}

function toView(r: Record<string, unknown>): WebhookView {
  return {
    id: r.id as string,
    scope: r.unit_id ? 'unit' : 'user',
    ownerUserId: (r.owner_user_id as string | null) ?? null,
    unitId: (r.unit_id as string | null) ?? null,
    url: r.url as string,
    description: r.description as string,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}
