import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@duban/calendar';
import type { Actor } from '../accounts/actor';

/** Serialises appends so every row's prev_hash is the hash of the row before it. */
const AUDIT_LOCK = 72_400_001;
const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow {
  id: string;
  at: string;
  actorUserId: string | null;
  actorUnitId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** JSON with keys sorted at every level: jsonb reorders keys, so hashes are taken over this form. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function rowHash(prevHash: string, r: Omit<AuditRow, 'id' | 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    at: r.at,
    actorUserId: r.actorUserId,
    actorUnitId: r.actorUnitId,
    actorUsername: r.actorUsername,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    before: r.before ?? null,
    after: r.after ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The append-only, hash-chained audit log. `record` runs inside the command's own transaction, so
 * a command and its audit row commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(manager: EntityManager, actor: Actor | null, entry: AuditEntry): Promise<void> {
    await manager.query(`select pg_advisory_xact_lock($1)`, [AUDIT_LOCK]);
    const last: { hash: string }[] = await manager.query(`select hash from audit_log order by id desc limit 1`);
    const prevHash = last[0]?.hash ?? GENESIS;
    // Round-trip through JSON so the hash covers exactly what jsonb will give back.
    const before = entry.before === undefined ? null : (JSON.parse(JSON.stringify(entry.before)) as unknown);
    const after = entry.after === undefined ? null : (JSON.parse(JSON.stringify(entry.after)) as unknown);
    const row = {
      at: this.clock.now().toISOString(),
      actorUserId: actor?.userId ?? null,
      actorUnitId: actor?.unitId ?? null,
      actorUsername: actor?.username ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before,
      after,
    };
    const hash = rowHash(prevHash, row);
    // The audited command is also the domain event: it enters the outbox in the same transaction,
    // so no job is ever enqueued for a change that rolled back.
    await manager.query(`insert into outbox (event, entity_type, entity_id, actor_user_id, payload) values ($1, $2, $3, $4, $5)`, [
      entry.action,
      entry.entityType,
      entry.entityId,
      row.actorUserId,
      JSON.stringify(after ?? {}),
    ]);
    await manager.query(
      `insert into audit_log (at, actor_user_id, actor_unit_id, actor_username, action, entity_type, entity_id, before, after, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [row.at, row.actorUserId, row.actorUnitId, row.actorUsername, row.action, row.entityType, row.entityId, JSON.stringify(before), JSON.stringify(after), prevHash, hash],
    );
  }

  async list(filter: AuditFilter): Promise<{ items: AuditRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown): void => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.entityType) add('entity_type = ?', filter.entityType);
    if (filter.entityId) add('entity_id = ?', filter.entityId);
    if (filter.actorUserId) add('actor_user_id = ?', filter.actorUserId);
    if (filter.action) add('action = ?', filter.action);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    const clause = where.length ? `where ${where.join(' and ')}` : '';
    const total: { n: string }[] = await this.dataSource.query(`select count(*) as n from audit_log ${clause}`, params);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select id::text, at, actor_user_id, actor_unit_id, actor_username, action, entity_type, entity_id, before, after, prev_hash, hash
         from audit_log ${clause} order by audit_log.id desc limit ${filter.limit} offset ${filter.offset}`,
      params,
    );
    return { items: rows.map(toRow), total: Number(total[0].n) };
  }

  /** Recomputes the chain; returns the first row that does not match, or null when intact. */
  async verify(): Promise<{ ok: boolean; checked: number; brokenAt: string | null; reason: string | null }> {
    let prev = GENESIS;
    let checked = 0;
    let after = '0';
    for (;;) {
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        `select id::text, at, actor_user_id, actor_unit_id, actor_username, action, entity_type, entity_id, before, after, prev_hash, hash
           from audit_log where audit_log.id > $1::bigint order by audit_log.id limit 1000`,
        [after],
      );
      if (rows.length === 0) return { ok: true, checked, brokenAt: null, reason: null };
      for (const raw of rows) {
        const r = toRow(raw);
        if (r.prevHash !== prev) return { ok: false, checked, brokenAt: r.id, reason: '链接断开：prev_hash 与上一条记录的哈希不一致（记录被删除或插入）' };
        if (rowHash(prev, r) !== r.hash) return { ok: false, checked, brokenAt: r.id, reason: '内容被改动：重新计算的哈希与记录的哈希不一致' };
        prev = r.hash;
        checked++;
        after = r.id;
      }
    }
  }
}

function toRow(r: Record<string, unknown>): AuditRow {
  return {
    id: String(r.id),
    at: new Date(r.at as string).toISOString(),
    actorUserId: (r.actor_user_id as string | null) ?? null,
    actorUnitId: (r.actor_unit_id as string | null) ?? null,
    actorUsername: (r.actor_username as string | null) ?? null,
    action: r.action as string,
    entityType: r.entity_type as string,
    entityId: r.entity_id as string,
    before: r.before ?? null,
    after: r.after ?? null,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
