import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { NotFoundError } from '../common/domain.errors';

/** A payload field as display text (payloads are JSON: strings and numbers are shown, the rest omitted). */
function text(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

interface OutboxRow {
  id: string;
  event: string;
  entity_type: string;
  entity_id: string;
  payload: Record<string, unknown>;
}

const LEAD_USERS_OF_TASK = `select us.id from task_units tu join users us on us.unit_id = tu.unit_id
   where tu.task_id = $1 and tu.role = 'lead' and us.active and us.roles && array['officer','unit_head']`;
const COORDINATORS = `select id from users where active and 'coordinator' = any(roles) and $1::text is not null`;

/** Who hears of each event, and what they read (Chinese templates). Events not listed notify no one. */
const RULES: Record<string, { recipients: string; title: string; body: (p: Record<string, unknown>) => string }> = {
  'document.published': {
    recipients: `select distinct us.id from tasks t join task_units tu on tu.task_id = t.id and tu.role = 'lead'
                   join users us on us.unit_id = tu.unit_id
                  where t.document_id = $1::uuid and us.active and us.roles && array['officer','unit_head']`,
    title: '新任务待签收',
    body: () => '省乡村振兴局发布了新的政策文件，本单位有牵头任务，请在签收时限内签收。',
  },
  'report.submitted': {
    recipients: `select id from users where active and 'coordinator' = any(roles) and exists (select 1 from report_submissions s where s.id = $1::uuid and s.status = 'submitted')`,
    title: '有新的报送待审核',
    body: (p) => `报送期次 ${text(p.periodKey)} 第 ${text(p.revision)} 版已提交，请审核。`,
  },
  'report.signedOff': { recipients: COORDINATORS, title: '有新的报送待审核', body: () => '一份报送已经单位负责人审签，请审核。' },
  'report.returned': {
    recipients: `select us.id from report_submissions s join users us on us.unit_id = s.unit_id where s.id = $1::uuid and us.active and us.roles && array['officer','unit_head']`,
    title: '报送被退回',
    body: (p) => `审核意见：${text(p.comment)}。请修改后重新报送。`,
  },
  'report.approved': {
    recipients: `select us.id from report_submissions s join users us on us.unit_id = s.unit_id where s.id = $1::uuid and us.active and us.roles && array['officer','unit_head']`,
    title: '报送已审核通过',
    body: () => '本期报送已审核通过。',
  },
  'extension.requested': { recipients: COORDINATORS, title: '有新的延期申请', body: (p) => `申请延期至 ${text(p.requestedDueOn)}：${text(p.reason)}` },
  'extension.approved': {
    recipients: `select us.id from extension_requests e join users us on us.unit_id = e.unit_id where e.id = $1::uuid and us.active`,
    title: '延期申请已批准',
    body: (p) => `延期申请已批准。${text(p.note)}`,
  },
  'extension.refused': {
    recipients: `select us.id from extension_requests e join users us on us.unit_id = e.unit_id where e.id = $1::uuid and us.active`,
    title: '延期申请未获批准',
    body: (p) => `延期申请未获批准。${text(p.note)}`,
  },
  'task.reassign': { recipients: LEAD_USERS_OF_TASK.replace('$1', '$1::uuid'), title: '改派给本单位的任务', body: (p) => `改派原因：${text(p.reason)}。请签收。` },
  'task.refuseClose': { recipients: LEAD_USERS_OF_TASK.replace('$1', '$1::uuid'), title: '办结申请被退回', body: (p) => `退回理由：${text(p.reason)}` },
  'task.confirmClose': { recipients: LEAD_USERS_OF_TASK.replace('$1', '$1::uuid'), title: '任务已销号', body: () => '任务已确认办结销号。' },
};

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  entityType: string;
  entityId: string;
  createdAt: string;
  readAt: string | null;
}

/** The in-app inbox: fed from the outbox, one row per user and event (never twice). */
@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Turns one outbox event into inbox rows; safe to run any number of times. */
  async fanout(outboxId: string): Promise<number> {
    if (!/^\d+$/.test(outboxId)) throw new UnrecoverableError(`bad outbox id ${outboxId}`);
    return this.dataSource.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(`select id::text, event, entity_type, entity_id, payload from outbox where id = $1::bigint for update`, [outboxId]);
      const ev = rows[0];
      if (!ev) throw new UnrecoverableError(`outbox row ${outboxId} is gone`);
      const rule = RULES[ev.event];
      let written = 0;
      if (rule) {
        const users: { id: string }[] = await m.query(rule.recipients, [ev.entity_id]);
        if (users.length) {
          const res: { id: string }[] = await m.query(
            `insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
             select u, $2, $3, $4, $5, $6, $7 from unnest($1::uuid[]) as u
             on conflict (user_id, delivery_key) do nothing returning id`,
            [users.map((u) => u.id), `outbox-${ev.id}`, ev.event, rule.title, rule.body(ev.payload), ev.entity_type, ev.entity_id],
          );
          written = res.length;
        }
      }
      await m.query(`update outbox set processed_at = coalesce(processed_at, now()) where id = $1::bigint`, [outboxId]);
      return written;
    });
  }

  async inbox(actor: Actor, unreadOnly: boolean, limit: number, offset: number): Promise<{ items: NotificationView[]; total: number; unread: number }> {
    const where = `user_id = $1${unreadOnly ? ' and read_at is null' : ''}`;
    const [{ total, unread }]: { total: string; unread: string }[] = await this.dataSource.query(
      `select count(*) filter (where ${unreadOnly ? 'read_at is null' : 'true'}) as total, count(*) filter (where read_at is null) as unread from notifications where user_id = $1`,
      [actor.userId],
    );
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select id, kind, title, body, entity_type, entity_id, created_at, read_at from notifications where ${where} order by created_at desc, id limit $2 offset $3`,
      [actor.userId, limit, offset],
    );
    return {
      total: Number(total),
      unread: Number(unread),
      items: rows.map((r) => ({
        id: r.id as string,
        kind: r.kind as string,
        title: r.title as string,
        body: r.body as string,
        entityType: r.entity_type as string,
        entityId: r.entity_id as string,
        createdAt: new Date(r.created_at as string).toISOString(),
        readAt: r.read_at ? new Date(r.read_at as string).toISOString() : null,
      })),
    };
  }

  async unreadCount(actor: Actor): Promise<number> {
    const [{ n }]: { n: string }[] = await this.dataSource.query(`select count(*) as n from notifications where user_id = $1 and read_at is null`, [actor.userId]);
    return Number(n);
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    const res: [unknown, number] = await this.dataSource.query(`update notifications set read_at = coalesce(read_at, now()) where id = $1 and user_id = $2`, [id, actor.userId]);
    if (res[1] === 0) throw new NotFoundError('NOTIFICATION_NOT_FOUND', '通知不存在');
  }

  async markAllRead(actor: Actor): Promise<number> {
    const res: [unknown, number] = await this.dataSource.query(`update notifications set read_at = now() where user_id = $1 and read_at is null`, [actor.userId]);
    return res[1];
  }
}
