import type { Actor } from '../accounts/actor';
import { ValidationFailedError } from '../common/domain.errors';
import { taskScopeSql } from '../tasks/task-scope';

/** What every summary, export and bulletin can be narrowed to. */
export interface TrackingFilter {
  documentId?: string;
  /** Section number (一、 -> 1) of the document; needs `documentId`. */
  section?: number;
  /** Tasks this unit leads. */
  unitId?: string;
  /** Tasks led by a unit of this city (its government, its bureau or one of its counties); the city government's id. */
  cityId?: string;
  /** A report period key (2026, 2026-H2, 2026-Q4, 2026-11): report figures count the periods ending in it, close-out figures the tasks closed in it. */
  period?: string;
}

export interface DateRange {
  from: string;
  to: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const lastDay = (y: number, m: number): string => `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;

/** The dates a period key covers: 2026 -> the year, 2026-H1, 2026-Q3, 2026-07. Null for anything else. */
export function periodRange(key: string): DateRange | null {
  const m = /^(\d{4})(?:-(?:H([12])|Q([1-4])|(0[1-9]|1[0-2])))?$/.exec(key);
  if (!m) return null;
  const y = Number(m[1]);
  const [first, months] = m[2] ? [(Number(m[2]) - 1) * 6 + 1, 6] : m[3] ? [(Number(m[3]) - 1) * 3 + 1, 3] : m[4] ? [Number(m[4]), 1] : [1, 12];
  return { from: `${y}-${pad(first)}-01`, to: lastDay(y, first + months - 1) };
}

/** Positional parameters of one statement, with `?` placeholders numbered as they are added. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** The placeholder of a new parameter. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The scoped, filtered task condition on `tasks t join measures m` (decision 17: the actor's scope
 * is always part of it). Validates the filter's combination.
 */
export function trackingWhere(actor: Actor, filter: TrackingFilter, params: SqlParams): string {
  checkTrackingFilter(filter);
  const scope = taskScopeSql(actor, params.values.length + 1);
  params.values.push(...scope.params);
  const where = [scope.sql];
  if (filter.documentId) where.push(`t.document_id = ${params.add(filter.documentId)}`);
  if (filter.section !== undefined) where.push(`m.section_no = ${params.add(filter.section)}`);
  if (filter.unitId) where.push(`exists (select 1 from task_units fu where fu.task_id = t.id and fu.role = 'lead' and fu.unit_id = ${params.add(filter.unitId)})`);
  if (filter.cityId) {
    const city = params.add(filter.cityId);
    where.push(`exists (select 1 from task_units fc join units fcu on fcu.id = fc.unit_id where fc.task_id = t.id and fc.role = 'lead' and (fcu.id = ${city} or fcu.parent_id = ${city}))`);
  }
  return where.join(' and ');
}

/** Rejects a filter whose parts do not fit together (before anything is streamed). */
export function checkTrackingFilter(filter: TrackingFilter): void {
  if (filter.section !== undefined && !filter.documentId) {
    throw new ValidationFailedError('按篇章筛选时须同时指定文件', [{ field: 'section', message: '需要 documentId' }], 'SECTION_NEEDS_DOCUMENT');
  }
  if (filter.period !== undefined && !periodRange(filter.period)) {
    throw new ValidationFailedError('统计期格式应为 2026、2026-H1、2026-Q3 或 2026-07', [{ field: 'period', message: filter.period }], 'PERIOD_INVALID');
  }
}

/**
 * A task's light as SQL: 0 green, 1 yellow (due by `warnUntil`), 2 red: overdue, or carrying an open
 * 督办 of level 2 or above (a missed report or acceptance escalated to the provincial list turns
 * the task red, issue 5), from placeholders of today and the warning date.
 */
export function lightSql(task: string, today: string, warnUntil: string): string {
  return `case when ${task}.status in ('closed', 'suspended') then 0
               when ${task}.due_on < ${today}::date then 2
               when exists (select 1 from escalations esc where esc.task_id = ${task}.id and esc.resolved_at is null and esc.level >= 2) then 2
               when ${task}.due_on <= ${warnUntil}::date then 1 else 0 end`;
}

/** Whether an open task is past its own due date (the overdue figures; a light may be red for an escalation too). */
export function overdueSql(task: string, today: string): string {
  return `(${task}.status not in ('closed', 'suspended') and ${task}.due_on < ${today}::date)`;
}

/**
 * One task's report figures as of today (a subquery for a lateral join): periods due, on time
 * (first submission by the due date, Shanghai time), missed (due, nothing ever submitted), returned
 * revisions. A period that starts after the task was closed is owed nothing.
 */
export function reportFiguresSql(task: string, today: string, periodCond = ''): string {
  return `select count(*) filter (where rp.due_on < ${today}::date) as due,
                 count(*) filter (where rp.due_on < ${today}::date and sub.first_day <= rp.due_on) as on_time,
                 count(*) filter (where rp.due_on < ${today}::date and sub.first_day is null) as missed,
                 coalesce(sum(sub.returned), 0) as returned
            from report_periods rp
            left join lateral (
              select (min(rs.submitted_at) at time zone 'Asia/Shanghai')::date as first_day,
                     count(*) filter (where rs.status = 'returned') as returned
                from report_submissions rs where rs.period_id = rp.id) sub on true
           where rp.task_id = ${task}.id and (${task}.closed_at is null or rp.starts_on <= (${task}.closed_at at time zone 'Asia/Shanghai')::date) ${periodCond}`;
}
