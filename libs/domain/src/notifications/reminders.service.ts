import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService, Clock, isWithinWorkingHours, shanghaiDate, type WorkingCalendar } from '@duban/calendar';
import { workingDaysBetweenFlagged } from '../common/working-days';

export type ObligationType = 'accept' | 'task_due' | 'period_due';

/** Default ladder: 5 and 2 working days before, on the day, then every working day while overdue. */
export const DEFAULT_LADDER = [5, 2] as const;

const LABELS: Record<ObligationType, string> = { accept: '签收', task_due: '完成任务', period_due: '报送进展' };

interface Obligation {
  type: ObligationType;
  id: string;
  taskId: string;
  title: string;
  dueOn: string;
}

/** The rung of the ladder due today for an obligation due on `dueOn`, or null when none is. */
export function rungFor(cal: WorkingCalendar, today: string, dueOn: string, ladder: readonly number[] = DEFAULT_LADDER): string | null {
  if (dueOn === today) return 'day';
  if (dueOn < today) return `overdue:${today}`;
  const left = workingDaysBetweenFlagged(cal, today, dueOn).days;
  return ladder.includes(left) ? `before:${left}` : null;
}

/**
 * 提醒: finds, from PostgreSQL alone, every open obligation (acceptance, task due date, report
 * period) whose ladder rung falls today, and sends each rung once: the delivery row's unique key
 * and the inbox's unique (user, key) make a repeated or concurrent sweep send nothing twice. It
 * sends only within working hours on working days. Redis holds nothing it needs.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<{ sent: number; skipped: 'quiet_hours' | null }> {
    const cal = await this.calendar.load();
    const now = this.clock.now();
    if (!isWithinWorkingHours(cal, now)) return { sent: 0, skipped: 'quiet_hours' };
    const today = shanghaiDate(now);
    const due = (await this.obligations(today)).flatMap((o) => {
      const rung = rungFor(cal, today, o.dueOn);
      return rung ? [{ ...o, rung }] : [];
    });
    let sent = 0;
    for (let i = 0; i < due.length; i += 2000) {
      const chunk = due.slice(i, i + 2000);
      sent += await this.dataSource.transaction(async (m) => {
        const rows: { id: string; obligation_type: ObligationType; obligation_id: string; task_id: string; rung: string; due_on: string }[] = await m.query(
          `insert into reminder_deliveries (obligation_type, obligation_id, task_id, rung, due_on, sent_at)
           select t, o, k, r, d, $6::timestamptz from unnest($1::varchar[], $2::uuid[], $3::uuid[], $4::varchar[], $5::date[]) as x(t, o, k, r, d)
           on conflict (obligation_type, obligation_id, rung) do nothing
           returning id, obligation_type, obligation_id, task_id, rung, due_on::text`,
          [chunk.map((o) => o.type), chunk.map((o) => o.id), chunk.map((o) => o.taskId), chunk.map((o) => o.rung), chunk.map((o) => o.dueOn), now],
        );
        if (rows.length === 0) return 0;
        const byKey = new Map(chunk.map((o) => [`${o.type}/${o.id}/${o.rung}`, o]));
        const titles = rows.map((r) => {
          const o = byKey.get(`${r.obligation_type}/${r.obligation_id}/${r.rung}`);
          const what = LABELS[r.obligation_type];
          return r.rung.startsWith('overdue')
            ? `逾期提醒：${o?.title ?? ''} 应于 ${r.due_on} 前${what}，已逾期`
            : r.rung === 'day'
              ? `今日到期：${o?.title ?? ''} 须于今天${what}`
              : `到期提醒：${o?.title ?? ''} 须于 ${r.due_on} 前${what}（还有 ${r.rung.split(':')[1]} 个工作日）`;
        });
        await m.query(
          `insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
           select us.id, 'reminder-' || d.id, 'reminder.' || d.type, d.title, d.title, 'task', d.task_id::text
             from unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::text[]) as d(id, type, task_id, title)
             join task_units tu on tu.task_id = d.task_id and tu.role = 'lead'
             join users us on us.unit_id = tu.unit_id and us.active and us.roles && array['officer','unit_head']
           on conflict (user_id, delivery_key) do nothing`,
          [rows.map((r) => r.id), rows.map((r) => r.obligation_type), rows.map((r) => r.task_id), titles],
        );
        return rows.length;
      });
    }
    return { sent, skipped: null };
  }

  /** Open obligations due within the next ~3 weeks or already overdue (the ladder reaches 5 working days ahead). */
  private async obligations(today: string): Promise<Obligation[]> {
    const rows: { type: ObligationType; id: string; task_id: string; title: string; due_on: string }[] = await this.dataSource.query(
      `select 'accept' as type, t.id, t.id as task_id, t.title, t.accept_due_on::text as due_on from tasks t
        where t.status = 'assigned' and t.accept_due_on <= $1::date + 21
       union all
       select 'task_due', t.id, t.id, t.title, t.due_on::text from tasks t
        where t.status in ('assigned', 'accepted', 'in_progress') and t.due_on <= $1::date + 21
       union all
       select 'period_due', p.id, t.id, t.title || ' ' || p.period_key, p.due_on::text from report_periods p join tasks t on t.id = p.task_id
        where t.status in ('accepted', 'in_progress') and p.starts_on <= $1::date and p.due_on <= $1::date + 21
          and not exists (select 1 from report_submissions s where s.period_id = p.id and s.status in ('awaiting_signoff', 'submitted', 'approved'))`,
      [today],
    );
    return rows.map((r) => ({ type: r.type, id: r.id, taskId: r.task_id, title: r.title, dueOn: r.due_on }));
  }
}
