import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addCalendarDays, CalendarService, Clock, cumulativeWorkingDays, isWithinWorkingHours, shanghaiDate, workingDaysBetweenFlagged, type WorkingCalendar } from '@duban/calendar';
import { APP_CONFIG, type AppConfig, type DeadlineRules } from '@duban/config';

export type ObligationType = 'accept' | 'task_due' | 'period_due';

/** Default ladder: 5 and 2 working days before, on the day, then every working day while overdue. */
export const DEFAULT_LADDER = [5, 2] as const;

/**
 * The rung of the ladder due today for an obligation due on `dueOn`, or null when none is: the
 * rule the sweep's SQL applies to every obligation at once, written out for one (unit tests).
 */
export function rungFor(
  cal: WorkingCalendar,
  today: string,
  dueOn: string,
  rules: Pick<DeadlineRules, 'reminderDaysBefore' | 'remindOnDay' | 'overdueRepeatEveryDays'> = { reminderDaysBefore: DEFAULT_LADDER, remindOnDay: true, overdueRepeatEveryDays: 1 },
): string | null {
  if (dueOn === today) return rules.remindOnDay ? 'day' : null;
  if (dueOn < today) {
    const overdue = workingDaysBetweenFlagged(cal, dueOn, today).days;
    const every = rules.overdueRepeatEveryDays;
    return every > 0 && (overdue - 1) % every === 0 ? `overdue:${today}` : null;
  }
  const left = workingDaysBetweenFlagged(cal, today, dueOn).days;
  return rules.reminderDaysBefore.includes(left) ? `before:${left}` : null;
}

/** Calendar days of history and look-ahead the sweep's working-day index covers. */
const INDEX_PAST_DAYS = 1100;
const INDEX_AHEAD_DAYS = 100;

/**
 * The working-day index as SQL: `wd(day, cum)` from $2/$3, `today_cum` from $1. Working days in
 * (a, b] are cum(b) - cum(a); a date before the index counts as long ago (every level reached).
 */
const WORKING_DAY_INDEX = `wd as (select w.day, w.cum from unnest($2::date[], $3::int[]) as w(day, cum)),
  today_cum as (select cum from wd where day = $1::date)`;

/** The effective rules of a task in SQL: defaults ($4) || its document's override || its own. */
const EFFECTIVE = `$4::jsonb || d.deadline_settings || t.deadline_settings`;

const LABEL_SQL = (type: string): string => `case ${type} when 'accept' then '签收' when 'task_due' then '完成任务' else '报送进展' end`;

/** An obligation's title from `t` (its task) and `p` (its report period, joined only for period_due). */
const OBLIGATION_TITLE = `(t.title || coalesce(' ' || p.period_key, ''))`;

/**
 * Every open obligation due within the look-ahead or overdue, with `left_days` = working days from
 * today to its due date (negative: overdue by that many), the rung of its effective ladder due
 * today (or null) and the highest 督办 level its effective thresholds say it has reached (0: none).
 * The merged jsonb rules are read here and dropped, so the materialised rows stay narrow.
 */
const OBLIGATIONS = `${WORKING_DAY_INDEX},
  obl as (
    select 'accept'::varchar as type, t.id as oid, t.id as task_id, t.accept_due_on as due_on, ${EFFECTIVE} as e
      from tasks t join documents d on d.id = t.document_id
     where t.status = 'assigned' and t.accept_due_on <= $1::date + ${INDEX_AHEAD_DAYS}
    union all
    select 'task_due', t.id, t.id, t.due_on, ${EFFECTIVE}
      from tasks t join documents d on d.id = t.document_id
     where t.status in ('assigned', 'accepted', 'in_progress') and t.due_on <= $1::date + ${INDEX_AHEAD_DAYS}
    union all
    select 'period_due', p.id, t.id, p.due_on, ${EFFECTIVE}
      from report_periods p join tasks t on t.id = p.task_id join documents d on d.id = t.document_id
     where t.status in ('accepted', 'in_progress') and p.starts_on <= $1::date and p.due_on <= $1::date + ${INDEX_AHEAD_DAYS}
       and not exists (select 1 from report_submissions s where s.period_id = p.id and s.status in ('awaiting_signoff', 'submitted', 'approved'))),
  eff as (
    select x.type, x.oid, x.task_id, x.due_on, x.left_days,
           case
             when x.due_on = $1::date then case when (x.e->>'remindOnDay')::boolean then 'day' end
             when x.due_on < $1::date then
               case when (x.e->>'overdueRepeatEveryDays')::int > 0 and (-x.left_days - 1) % (x.e->>'overdueRepeatEveryDays')::int = 0
                    then 'overdue:' || to_char($1::date, 'YYYY-MM-DD') end
             when (x.e->'reminderDaysBefore') @> to_jsonb(x.left_days) then 'before:' || x.left_days
           end as rung,
           case when x.due_on >= $1::date then 0
                when -x.left_days >= (x.e->'escalationThresholds'->>2)::int then 3
                when -x.left_days >= (x.e->'escalationThresholds'->>1)::int then 2
                when -x.left_days >= (x.e->'escalationThresholds'->>0)::int then 1
                else 0 end as reached
      from (select o.*, coalesce(w.cum, -100000) - (select cum from today_cum) as left_days from obl o left join wd w on w.day = o.due_on) x)`;

/**
 * ON CONFLICT alone decides what was sent already. (A NOT EXISTS anti-join was tried: right after a
 * burst of 100,000 rows the planner still believed the table empty and chose a nested loop over
 * sequential scans, which never finished.)
 *
 * One statement: the rung due today for each obligation by its effective ladder, each inserted
 * once into reminder_deliveries and sent to the lead units' officers and heads; then every 督办
 * level the obligation has reached by its effective thresholds, each once, to its recipients.
 */
const SWEEP_SQL = `with ${OBLIGATIONS},
  sent as (
    insert into reminder_deliveries (obligation_type, obligation_id, task_id, rung, due_on, sent_at)
    select r.type, r.oid, r.task_id, r.rung, r.due_on, $5::timestamptz from eff r
     where r.rung is not null
    on conflict (obligation_type, obligation_id, rung) do nothing
    returning id, obligation_type, obligation_id, task_id, rung, due_on),
  sent_notes as (
    insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
    select us.id, 'reminder-' || x.id, 'reminder.' || x.obligation_type, x.title, x.title, 'task', x.task_id::text
      from (select s.id, s.obligation_type, s.task_id, case
                when s.rung like 'overdue:%' then '逾期提醒：' || ${OBLIGATION_TITLE} || ' 应于 ' || to_char(s.due_on, 'YYYY-MM-DD') || ' 前' || ${LABEL_SQL('s.obligation_type')} || '，已逾期'
                when s.rung = 'day' then '今日到期：' || ${OBLIGATION_TITLE} || ' 须于今天' || ${LABEL_SQL('s.obligation_type')}
                else '到期提醒：' || ${OBLIGATION_TITLE} || ' 须于 ' || to_char(s.due_on, 'YYYY-MM-DD') || ' 前' || ${LABEL_SQL('s.obligation_type')} || '（还有 ' || split_part(s.rung, ':', 2) || ' 个工作日）'
              end as title
              from sent s join tasks t on t.id = s.task_id left join report_periods p on s.obligation_type = 'period_due' and p.id = s.obligation_id) x
      join task_units tu on tu.task_id = x.task_id and tu.role = 'lead'
      join users us on us.unit_id = tu.unit_id and us.active and us.roles && array['officer','unit_head']
    on conflict (user_id, delivery_key) do nothing),
  raised as (
    insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at)
    select r.type, r.oid, r.task_id, l.level, r.due_on, -r.left_days, $5::timestamptz
      from eff r cross join lateral generate_series(1, r.reached) as l(level)
     where r.reached > 0
    on conflict (obligation_type, obligation_id, level) do nothing
    returning id, obligation_type, obligation_id, task_id, level, due_on, overdue_working_days),
  raised_notes as (
    insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
    select rec.id, 'escalation-' || x.id, 'escalation.level' || x.level,
           case x.level when 1 then '督办（一级）：逾期未办，请单位负责人督促'
                        when 2 then '督办（二级）：逾期 ' || x.overdue_working_days || ' 个工作日，已列入省级督办清单'
                        else '督办（三级）：逾期 ' || x.overdue_working_days || ' 个工作日，将纳入情况通报' end,
           ${OBLIGATION_TITLE} || '：应于 ' || to_char(x.due_on, 'YYYY-MM-DD') || ' 前' || ${LABEL_SQL('x.obligation_type')} || '，已逾期 ' || x.overdue_working_days || ' 个工作日',
           'task', x.task_id::text
      from raised x join tasks t on t.id = x.task_id left join report_periods p on x.obligation_type = 'period_due' and p.id = x.obligation_id
      join lateral (
        select us.id from task_units tu join users us on us.unit_id = tu.unit_id
         where x.level = 1 and tu.task_id = x.task_id and tu.role = 'lead' and us.active and 'unit_head' = any(us.roles)
        union
        select us.id from users us where x.level >= 2 and us.active and 'coordinator' = any(us.roles)) rec on true
    on conflict (user_id, delivery_key) do nothing)
  select (select count(*)::int from sent) as sent, (select count(*)::int from raised) as escalated`;

/**
 * 催审: submissions waiting for sign-off (the unit's head) or review (the coordinators) longer than
 * the task's effective review limit remind those reviewers; after the further limit they escalate
 * to the provincial bureau's head. Each (submission, stage, step) once.
 */
const REVIEW_CHASE_SQL = `with ${WORKING_DAY_INDEX},
  pending as (
    select s.id, s.task_id, s.unit_id, s.status as stage, t.title || ' ' || p.period_key as title, ${EFFECTIVE} as e,
           (select cum from today_cum) - coalesce(w.cum, -100000) as waited
      from report_submissions s join tasks t on t.id = s.task_id join documents d on d.id = t.document_id join report_periods p on p.id = s.period_id
      left join wd w on w.day = ((case when s.status = 'awaiting_signoff' then s.submitted_at else coalesce(s.signed_off_at, s.submitted_at) end) at time zone 'Asia/Shanghai')::date
     where s.status in ('awaiting_signoff', 'submitted')),
  raised as (
    insert into review_chases (submission_id, task_id, stage, step, waited_working_days, raised_at)
    select p.id, p.task_id, p.stage, x.step, p.waited, $5::timestamptz
      from pending p cross join lateral (values ('remind', (p.e->>'reviewLimitDays')::int), ('escalate', (p.e->>'reviewLimitDays')::int + (p.e->>'reviewEscalationDays')::int)) as x(step, after)
     where p.waited >= x.after
    on conflict (submission_id, stage, step) do nothing
    returning id, submission_id, task_id, stage, step, waited_working_days),
  notes as (
    insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
    select rec.id, 'review-chase-' || x.id, 'review.' || x.step,
           case when x.step = 'escalate' then '催审升级：报送等待' || case x.stage when 'awaiting_signoff' then '单位负责人审签' else '省级审核' end || '已 ' || x.waited_working_days || ' 个工作日'
                when x.stage = 'awaiting_signoff' then '催审：有报送等待您审签已 ' || x.waited_working_days || ' 个工作日'
                else '催审：有报送等待审核已 ' || x.waited_working_days || ' 个工作日' end,
           p.title || '：报送已等待 ' || x.waited_working_days || ' 个工作日，请尽快' || case x.stage when 'awaiting_signoff' then '审签' else '审核' end || '。',
           'submission', x.submission_id::text
      from raised x join pending p on p.id = x.submission_id
      join lateral (
        select us.id from users us
         where x.step = 'remind' and x.stage = 'awaiting_signoff' and us.unit_id = p.unit_id and us.active and 'unit_head' = any(us.roles)
        union
        select us.id from users us where x.step = 'remind' and x.stage = 'submitted' and us.active and 'coordinator' = any(us.roles)
        union
        select us.id from users us join units u on u.id = us.unit_id
         where x.step = 'escalate' and u.kind = 'provincial_bureau' and us.active and 'unit_head' = any(us.roles)) rec on true
    on conflict (user_id, delivery_key) do nothing)
  select count(*)::int as chased from raised`;

/** What one sweep did. */
export interface SweepResult {
  /** Reminder rungs sent. */
  sent: number;
  /** 督办 levels raised. */
  escalated: number;
  /** Review-chasing steps raised. */
  chased: number;
  skipped: 'quiet_hours' | null;
}

/**
 * 提醒 and 督办: finds, from PostgreSQL alone and in set-based SQL, every open obligation
 * (acceptance, task due date, report period) whose rung of its effective ladder falls today, every
 * 督办 level it has reached and every submission waiting too long for review, and sends each once:
 * the unique keys of reminder_deliveries, escalations, review_chases and the inbox make a repeated
 * or concurrent sweep send nothing twice. It sends only within working hours on working days.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<SweepResult> {
    const cal = await this.calendar.load();
    const now = this.clock.now();
    if (!isWithinWorkingHours(cal, now)) return { sent: 0, escalated: 0, chased: 0, skipped: 'quiet_hours' };
    const today = shanghaiDate(now);
    const index = cumulativeWorkingDays(cal, addCalendarDays(today, -INDEX_PAST_DAYS), addCalendarDays(today, INDEX_AHEAD_DAYS));
    const params = [today, index.days, index.cum, JSON.stringify(this.config.deadlines), now];
    const [swept] = await this.dataSource.query<{ sent: number; escalated: number }[]>(SWEEP_SQL, params);
    const [chase] = await this.dataSource.query<{ chased: number }[]>(REVIEW_CHASE_SQL, params);
    await this.resolve(now);
    return { sent: swept.sent, escalated: swept.escalated, chased: chase.chased, skipped: null };
  }

  /** Escalations and review chases resolve themselves when their work is done; their rows (the history) stay. */
  private async resolve(now: Date): Promise<void> {
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
    await this.dataSource.query(
      `update review_chases c set resolved_at = $1
        where c.resolved_at is null and not exists (select 1 from report_submissions s where s.id = c.submission_id and s.status = c.stage)`,
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
}
