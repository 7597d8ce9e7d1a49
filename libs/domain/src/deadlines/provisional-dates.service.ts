import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addWorkingDaysFlagged, CalendarService } from '@duban/calendar';
import type { Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';

/** One date recomputed after a calendar import. */
export interface RecomputedDate {
  kind: 'accept_due' | 'due_on' | 'period_due';
  /** The task, or the report period for `period_due`. */
  id: string;
  taskId: string;
  before: string;
  after: string;
}

/** Each kind of date computed in working days: where it lives and what it counts from. */
const SOURCES = [
  {
    kind: 'accept_due',
    select: `select id, id as task_id, accept_due_on::text as date, accept_due_basis::text as basis, accept_due_working_days as n
               from tasks where accept_due_provisional and accept_due_basis is not null for update`,
    update: `update tasks set accept_due_on = x.d, accept_due_provisional = false from unnest($1::uuid[], $2::date[]) as x(id, d) where tasks.id = x.id`,
  },
  {
    kind: 'due_on',
    select: `select id, id as task_id, due_on::text as date, due_on_basis::text as basis, due_on_working_days as n
               from tasks where due_on_provisional and due_on_basis is not null for update`,
    update: `update tasks set due_on = x.d, due_on_provisional = false from unnest($1::uuid[], $2::date[]) as x(id, d) where tasks.id = x.id`,
  },
  {
    kind: 'period_due',
    select: `select id, task_id, due_on::text as date, ends_on::text as basis, due_working_days as n
               from report_periods where due_provisional and due_working_days is not null for update`,
    update: `update report_periods set due_on = x.d, due_provisional = false from unnest($1::uuid[], $2::date[]) as x(id, d) where report_periods.id = x.id`,
  },
] as const;

const KIND_LABELS: Record<RecomputedDate['kind'], string> = { accept_due: '签收时限', due_on: '完成时限', period_due: '报送截止日期' };

/**
 * After a calendar import (or any calendar update) covers a year, every provisional date (acceptance
 * deadlines, due dates recomputed on resume, report due dates: each computed in working days across
 * a year without an official calendar) is computed again from its stored basis, and its flag
 * cleared, in one transaction with one audit row. The lead units of every date that moved are told
 * once. Idempotent: a second run finds nothing provisional that the calendar now covers.
 */
@Injectable()
export class ProvisionalDatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: CalendarService,
    private readonly audit: AuditService,
  ) {}

  async recompute(actor: Actor | null = null): Promise<{ cleared: number; changed: RecomputedDate[] }> {
    this.calendar.reload();
    const cal = await this.calendar.load();
    return this.dataSource.transaction(async (m) => {
      let cleared = 0;
      const changed: RecomputedDate[] = [];
      for (const source of SOURCES) {
        const rows = await m.query<{ id: string; task_id: string; date: string; basis: string; n: number }[]>(source.select);
        const fixed = rows.flatMap((r) => {
          const next = addWorkingDaysFlagged(cal, r.basis, Number(r.n));
          return next.provisional ? [] : [{ ...r, next: next.date }];
        });
        if (fixed.length === 0) continue;
        await m.query(source.update, [fixed.map((r) => r.id), fixed.map((r) => r.next)]);
        cleared += fixed.length;
        for (const r of fixed) if (r.next !== r.date) changed.push({ kind: source.kind, id: r.id, taskId: r.task_id, before: r.date, after: r.next });
      }
      if (cleared === 0) return { cleared, changed };
      await this.audit.record(m, actor, {
        action: 'calendar.provisionalDatesRecomputed',
        entityType: 'calendar',
        entityId: 'provisional-dates',
        after: { cleared, changed },
      });
      await m.query(
        `insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
         select us.id, 'date-recomputed-' || x.kind || '-' || x.id || '-' || x.after, 'deadline.recomputed',
                x.label || '已按新导入的工作日历调整：' || t.title,
                x.label || '由 ' || x.before || ' 调整为 ' || x.after || '（原日期按周一至周五估算，现已按国务院节假日安排重新计算）。', 'task', x.task_id::text
           from unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) as x(kind, id, task_id, before, after, label)
           join tasks t on t.id = x.task_id
           join task_units tu on tu.task_id = x.task_id and tu.role = 'lead'
           join users us on us.unit_id = tu.unit_id and us.active and us.roles && array['officer','unit_head']
         on conflict (user_id, delivery_key) do nothing`,
        [changed.map((c) => c.kind), changed.map((c) => c.id), changed.map((c) => c.taskId), changed.map((c) => c.before), changed.map((c) => c.after), changed.map((c) => KIND_LABELS[c.kind])],
      );
      return { cleared, changed };
    });
  }
}
