import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService, Clock, isWithinWorkingHours, shanghaiDate, workingDaysBetweenFlagged, type WorkingCalendar } from '@duban/calendar';

export type ObligationType = 'accept' | 'task_due' | 'period_due';

/** Default ladder: 5 and 2 working days before, on the day, then every working day while overdue. */
export const DEFAULT_LADDER = [5, 2] as const;

/** 督办 thresholds in working days overdue: 1 -> the unit's head, 3 -> the bureau's coordinators, 10 -> the status bulletin. */
export const ESCALATION_THRESHOLDS = [1, 3, 10] as const;

const ESCALATION_RECIPIENTS: Record<number, string> = {
  1: `select us.id from task_units tu join users us on us.unit_id = tu.unit_id
       where tu.task_id = $1 and tu.role = 'lead' and us.active and 'unit_head' = any(us.roles)`,
  2: `select id from users where active and 'coordinator' = any(roles) and $1::uuid is not null`,
  3: `select id from users where active and 'coordinator' = any(roles) and $1::uuid is not null`,
};
const ESCALATION_TITLES: Record<number, string> = {
  1: '督办（一级）：逾期未办，请单位负责人督促',
  2: '督办（二级）：逾期 3 个工作日，已列入省级督办清单',
  3: '督办（三级）：逾期 10 个工作日，将纳入情况通报',
};

/** Obligations per statement, and statements at once, when a sweep sends reminders. */
const SEND_CHUNK = 5000;
const SEND_PARALLEL = 3;

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
    // Chunks are disjoint and each is one transaction, so a few run at once (PostgreSQL does the work on every core).
    for (let i = 0; i < due.length; i += SEND_CHUNK * SEND_PARALLEL) {
      const batch = Array.from({ length: SEND_PARALLEL }, (_, k) => due.slice(i + k * SEND_CHUNK, i + (k + 1) * SEND_CHUNK)).filter((c) => c.length);
      sent += (await Promise.all(batch.map((chunk) => this.send(chunk, now)))).reduce((a, b) => a + b, 0);
    }
    await this.escalate(cal, today, now, due.filter((o) => o.rung.startsWith('overdue')));
    await this.resolveEscalations(now);
    return { sent, skipped: null };
  }

  /**
   * Records each rung and writes its inbox rows in one statement (one transaction): only the
   * delivery rows actually inserted are sent, so a rung already sent by another sweep sends nothing.
   */
  private async send(chunk: (Obligation & { rung: string })[], now: Date): Promise<number> {
    const titles = chunk.map((o) => {
      const what = LABELS[o.type];
      return o.rung.startsWith('overdue')
        ? `逾期提醒：${o.title} 应于 ${o.dueOn} 前${what}，已逾期`
        : o.rung === 'day'
          ? `今日到期：${o.title} 须于今天${what}`
          : `到期提醒：${o.title} 须于 ${o.dueOn} 前${what}（还有 ${o.rung.split(':')[1]} 个工作日）`;
    });
    const [{ sent }]: { sent: string }[] = await this.dataSource.query(
      `with x as (select * from unnest($1::varchar[], $2::uuid[], $3::uuid[], $4::varchar[], $5::date[], $7::text[]) as x(t, o, k, r, d, title)),
       d as (
         insert into reminder_deliveries (obligation_type, obligation_id, task_id, rung, due_on, sent_at)
         select t, o, k, r, d, $6::timestamptz from x
         on conflict (obligation_type, obligation_id, rung) do nothing
         returning id, obligation_type, obligation_id, task_id, rung),
       n as (
         insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
         select us.id, 'reminder-' || d.id, 'reminder.' || d.obligation_type, x.title, x.title, 'task', d.task_id::text
           from d join x on x.t = d.obligation_type and x.o = d.obligation_id and x.r = d.rung
           join task_units tu on tu.task_id = d.task_id and tu.role = 'lead'
           join users us on us.unit_id = tu.unit_id and us.active and us.roles && array['officer','unit_head']
         on conflict (user_id, delivery_key) do nothing)
       select count(*) as sent from d`,
      [chunk.map((o) => o.type), chunk.map((o) => o.id), chunk.map((o) => o.taskId), chunk.map((o) => o.rung), chunk.map((o) => o.dueOn), now, titles],
    );
    return Number(sent);
  }

  /** Raises each level an overdue obligation has reached, once; notifies its recipients once. */
  private async escalate(cal: WorkingCalendar, today: string, now: Date, overdue: Obligation[]): Promise<void> {
    for (const o of overdue) {
      const days = workingDaysBetweenFlagged(cal, o.dueOn, today).days;
      const levels = ESCALATION_THRESHOLDS.map((t, i) => (days >= t ? i + 1 : 0)).filter((l) => l > 0);
      if (levels.length === 0) continue;
      await this.dataSource.transaction(async (m) => {
        const raised: { id: string; level: number }[] = await m.query(
          `insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at)
           select $1, $2, $3, l, $4, $5, $6 from unnest($7::smallint[]) as l
           on conflict (obligation_type, obligation_id, level) do nothing returning id, level`,
          [o.type, o.id, o.taskId, o.dueOn, days, now, levels],
        );
        for (const e of raised) {
          await m.query(
            `insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
             select r.id, 'escalation-' || $2, 'escalation.level' || $3, $4, $5, 'task', $1::text from (${ESCALATION_RECIPIENTS[e.level]}) r
             on conflict (user_id, delivery_key) do nothing`,
            [o.taskId, e.id, e.level, ESCALATION_TITLES[e.level], `${o.title}：应于 ${o.dueOn} 前${LABELS[o.type]}，已逾期 ${days} 个工作日`],
          );
        }
      });
    }
  }

  /** An escalation resolves itself when its obligation is no longer open; its row (the history) stays. */
  private async resolveEscalations(now: Date): Promise<void> {
    await this.dataSource.query(
      `update escalations e set resolved_at = $1
        where e.resolved_at is null and not exists (
          select 1 from tasks t where t.id = e.task_id and (
               (e.obligation_type = 'accept' and t.status = 'assigned')
            or (e.obligation_type = 'task_due' and t.status in ('assigned', 'accepted', 'in_progress') and t.due_on <= e.due_on)
            or (e.obligation_type = 'period_due' and t.status in ('accepted', 'in_progress') and not exists (
                  select 1 from report_submissions s where s.period_id = e.obligation_id and s.status in ('awaiting_signoff', 'submitted', 'approved')))))`,
      [now],
    );
  }

  /** Open escalations, highest level first (the coordinators' 督办 list). */
  async openEscalations(): Promise<{ taskId: string; title: string; obligationType: ObligationType; level: number; dueOn: string; raisedAt: string }[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select distinct on (e.obligation_type, e.obligation_id) e.task_id, t.title, e.obligation_type, e.level, e.due_on::text as due_on, e.raised_at
         from escalations e join tasks t on t.id = e.task_id where e.resolved_at is null
        order by e.obligation_type, e.obligation_id, e.level desc`,
    );
    return rows
      .map((r) => ({
        taskId: r.task_id as string,
        title: r.title as string,
        obligationType: r.obligation_type as ObligationType,
        level: Number(r.level),
        dueOn: r.due_on as string,
        raisedAt: new Date(r.raised_at as string).toISOString(),
      }))
      .sort((a, b) => b.level - a.level || a.dueOn.localeCompare(b.dueOn));
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
