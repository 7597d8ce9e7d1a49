/**
 * SQL of the tracking read model (decision 51). One definition of a task's figures, used three
 * ways: the worker folds dirty tasks into `task_facts` with it, a rebuild computes every task with
 * it, and a read computes the tasks it cannot trust (dirty, or dated between the model's day and
 * today) with it. The definitions are those of docs/tracking.md, the same as `lightSql`,
 * `overdueSql` and `reportFiguresSql` of the base-table path.
 */

/** The zero id: "no measure" in dimension `m`, "no second key" elsewhere. */
export const ZERO_ID = '00000000-0000-0000-0000-000000000000';

/** The fact columns, in `task_facts` order. */
export const FACT_COLUMNS = [
  'task_id',
  'document_id',
  'measure_id',
  'section_no',
  'origin',
  'lead_units',
  'lead_zones',
  'scope_units',
  'scope_zones',
  'status',
  'due_on',
  'closed_on',
  'light',
  'overdue',
  'due_ord',
  'start_ord',
  'close_ord',
  'open_esc',
  'rep_due',
  'rep_on_time',
  'rep_missed',
  'returned',
] as const;

export const PERIOD_FACT_COLUMNS = ['task_id', 'month', 'rep_due', 'rep_on_time', 'rep_missed', 'returned'] as const;

/** Figures a roll-up row and an aggregate carry, apart from the key. */
export const BASE_FIGURES = [
  'tasks',
  'st_assigned',
  'st_accepted',
  'st_in_progress',
  'st_completion_requested',
  'st_closed',
  'st_suspended',
  'green',
  'yellow',
  'red',
  'overdue',
  'due_ord_sum',
  'open_esc',
] as const;
/** Figures that a report period filter narrows: report figures by the month the period ends, close-outs by their month. */
export const MONTHLY_FIGURES = ['rep_due', 'rep_on_time', 'rep_missed', 'returned', 'closed', 'start_ord_sum', 'close_ord_sum'] as const;
export type Figure = (typeof BASE_FIGURES)[number] | (typeof MONTHLY_FIGURES)[number];

/** Where the task ids come from: a relation with a `task_id` column, or every task. */
export type TaskIds = { sql: string } | 'all';

const inIds = (col: string, ids: TaskIds): string => (ids === 'all' ? 'true' : `${col} in (select task_id from ${ids.sql})`);

/**
 * Per task and month its report periods end in: periods due before `d`, on time (first submission,
 * any revision, on or before the due date, Shanghai time), missed (due, nothing submitted), and
 * returned revisions. Periods starting after the task's close-out are owed nothing. Only months
 * with something to count.
 */
export function periodFactsSql(ids: TaskIds, d: string): string {
  return `select rp.task_id, date_trunc('month', rp.ends_on)::date as month,
                 (count(*) filter (where rp.due_on < ${d}::date))::int as rep_due,
                 (count(*) filter (where rp.due_on < ${d}::date and sub.first_day <= rp.due_on))::int as rep_on_time,
                 (count(*) filter (where rp.due_on < ${d}::date and sub.first_day is null))::int as rep_missed,
                 coalesce(sum(sub.returned), 0)::int as returned
            from report_periods rp
            join tasks pt on pt.id = rp.task_id
            left join (select rs.period_id, (min(rs.submitted_at) at time zone 'Asia/Shanghai')::date as first_day,
                              count(*) filter (where rs.status = 'returned') as returned
                         from report_submissions rs where ${inIds('rs.task_id', ids)} group by rs.period_id) sub on sub.period_id = rp.id
           where ${inIds('rp.task_id', ids)}
             and (pt.closed_at is null or rp.starts_on <= (pt.closed_at at time zone 'Asia/Shanghai')::date)
           group by 1, 2
          having count(*) filter (where rp.due_on < ${d}::date) > 0 or coalesce(sum(sub.returned), 0) > 0`;
}

/**
 * A task's facts as of day `d` with the yellow window ending `w` (placeholders or literals), from
 * the base tables. `periods` is a relation of {@link periodFactsSql} rows for the same tasks.
 * Zones are each unit's own id and its parent's: a city is in a task's zones when the city
 * government or one of its units (bureau, counties) takes part.
 */
export function taskFactsSql(ids: TaskIds, d: string, w: string, periods: string): string {
  return `select t.id as task_id, t.document_id, t.measure_id, m.section_no, t.origin,
                 coalesce(tu.lead_units, '{}') as lead_units, coalesce(tu.lead_zones, '{}') as lead_zones,
                 coalesce(tu.scope_units, '{}') as scope_units, coalesce(tu.scope_zones, '{}') as scope_zones,
                 t.status, t.due_on, (t.closed_at at time zone 'Asia/Shanghai')::date as closed_on,
                 (case when t.status in ('closed', 'suspended') then 0
                       when t.due_on < ${d}::date then 2
                       when coalesce(es.esc2, false) then 2
                       when t.due_on <= ${w}::date then 1 else 0 end)::smallint as light,
                 coalesce(t.status not in ('closed', 'suspended') and t.due_on < ${d}::date, false) as overdue,
                 od.ord as due_ord, os.ord as start_ord, oc.ord as close_ord,
                 coalesce(es.open, 0)::int as open_esc,
                 coalesce(pf.rep_due, 0)::int as rep_due, coalesce(pf.rep_on_time, 0)::int as rep_on_time,
                 coalesce(pf.rep_missed, 0)::int as rep_missed, coalesce(pf.returned, 0)::int as returned
            from tasks t
            join documents d on d.id = t.document_id
            left join measures m on m.id = t.measure_id
            left join (select tu.task_id,
                              array_agg(distinct tu.unit_id) filter (where tu.role = 'lead') as lead_units,
                              array_agg(distinct z.id) filter (where tu.role = 'lead' and z.id is not null) as lead_zones,
                              array_agg(distinct tu.unit_id) as scope_units,
                              array_agg(distinct z.id) filter (where z.id is not null) as scope_zones
                         from task_units tu join units u on u.id = tu.unit_id
                        cross join lateral (values (u.id), (u.parent_id)) z(id)
                        where ${inIds('tu.task_id', ids)}
                        group by tu.task_id) tu on tu.task_id = t.id
            left join (select e.task_id, count(distinct (e.obligation_type, e.obligation_id)) as open, bool_or(e.level >= 2) as esc2
                         from escalations e where e.resolved_at is null and ${inIds('e.task_id', ids)}
                        group by e.task_id) es on es.task_id = t.id
            left join (select task_id, sum(rep_due) as rep_due, sum(rep_on_time) as rep_on_time, sum(rep_missed) as rep_missed, sum(returned) as returned
                         from ${periods} group by task_id) pf on pf.task_id = t.id
            left join tracking_day_ordinals od on od.day = t.due_on
            left join tracking_day_ordinals os on os.day = (coalesce(d.published_at, t.created_at) at time zone 'Asia/Shanghai')::date
            left join tracking_day_ordinals oc on oc.day = (t.closed_at at time zone 'Asia/Shanghai')::date
           where ${inIds('t.id', ids)}`;
}

/** A fact row's part of each figure, as SQL over alias `f` (closed figures only when `closedCond` holds). */
function figureTerms(closedCond: string): Record<Figure, string> {
  return {
    tasks: '1',
    st_assigned: `(f.status = 'assigned')::int`,
    st_accepted: `(f.status = 'accepted')::int`,
    st_in_progress: `(f.status = 'in_progress')::int`,
    st_completion_requested: `(f.status = 'completion_requested')::int`,
    st_closed: `(f.status = 'closed')::int`,
    st_suspended: `(f.status = 'suspended')::int`,
    green: `(f.light = 0)::int`,
    yellow: `(f.light = 1)::int`,
    red: `(f.light = 2)::int`,
    overdue: 'f.overdue::int',
    due_ord_sum: `case when f.overdue then coalesce(f.due_ord, 0) else 0 end`,
    open_esc: 'f.open_esc',
    rep_due: 'f.rep_due',
    rep_on_time: 'f.rep_on_time',
    rep_missed: 'f.rep_missed',
    returned: 'f.returned',
    closed: `(${closedCond})::int`,
    start_ord_sum: `case when ${closedCond} then coalesce(f.start_ord, 0) else 0 end`,
    close_ord_sum: `case when ${closedCond} then coalesce(f.close_ord, 0) else 0 end`,
  };
}

export const CLOSED = `(f.status = 'closed' and f.closed_on is not null)`;

/** Dimensions kept per document and, under the zero document id, for all documents together. */
export const TOTALLED_DIMS = ['a', 'u', 'c', 'cu', 's', 'su', 'o', 'ou'] as const;

/**
 * The roll-up groups of fact rows `f` (with a `sign` column), as `doc, dim, k1, k2, f.*`: each task
 * once (`a`), per measure (`m`), per lead unit (`u`), per city among its lead units' zones (`c`),
 * per such city and lead unit (`cu`), per city among all its units' zones (`s`), per such city and
 * lead unit (`su`), per unit taking part (`o`), per such unit and lead unit (`ou`); and, outside the
 * month roll-up, per measure and lead unit (`mu`: the grid) and per measure with targets and lead
 * unit (`ml`: who answers for which targets in the ranking). `doc` is the task's document, and for
 * the dimensions of {@link TOTALLED_DIMS} also the zero id (all documents).
 */
export function rollupGroupsSql(f: string, opts: { month: boolean }): string {
  const city = (zones: string): string => `cross join unnest(f.${zones}) z(id) join units cg on cg.id = z.id and cg.kind = 'city_government'`;
  const z = `'${ZERO_ID}'::uuid`;
  const leads = 'cross join unnest(f.lead_units) l(id)';
  const groups = [
    `select 'a'::varchar(2) as dim, ${z} as k1, ${z} as k2, f.* from ${f} f`,
    `select 'm', coalesce(f.measure_id, ${z}), ${z}, f.* from ${f} f`,
    `select 'u', l.id, ${z}, f.* from ${f} f ${leads}`,
    `select 'c', z.id, ${z}, f.* from ${f} f ${city('lead_zones')}`,
    `select 'cu', z.id, l.id, f.* from ${f} f ${city('lead_zones')} ${leads}`,
    `select 's', z.id, ${z}, f.* from ${f} f ${city('scope_zones')}`,
    `select 'su', z.id, l.id, f.* from ${f} f ${city('scope_zones')} ${leads}`,
    `select 'o', o.id, ${z}, f.* from ${f} f cross join unnest(f.scope_units) o(id)`,
    `select 'ou', o.id, l.id, f.* from ${f} f cross join unnest(f.scope_units) o(id) ${leads}`,
  ];
  if (!opts.month) {
    groups.push(
      `select 'mu', f.measure_id, l.id, f.* from ${f} f ${leads} where f.measure_id is not null`,
      `select 'ml', f.measure_id, l.id, f.* from ${f} f join measures tm on tm.id = f.measure_id and jsonb_array_length(tm.targets) > 0 ${leads}`,
    );
  }
  return `select d.doc, g.* from (${groups.join(' union all ')}) g
          cross join lateral (select g.document_id as doc union all select ${z} where g.dim in (${TOTALLED_DIMS.map((d) => `'${d}'`).join(', ')})) d`;
}

/** Signed sums of the base figures only, and of the monthly figures when `monthly`: bigint to store, float8 to read (a JS number, exact below 2^53). */
export function sumsSql(monthly: boolean, type: 'bigint' | 'float8' = 'bigint'): string {
  const t = figureTerms(CLOSED);
  const cols: Figure[] = monthly ? [...BASE_FIGURES, ...MONTHLY_FIGURES] : [...BASE_FIGURES];
  return cols.map((c) => `sum(f.sign * (${t[c]}))::${type} as ${c}`).join(', ');
}

/**
 * Month rows of fact rows `f` and period rows `p` (each with `sign`; `p` joined to its task's
 * facts of the same sign): report figures by the month the period ends, close-outs by the month
 * of the close-out. Columns: the facts' keys, `month` and the monthly figures.
 */
export function monthRowsSql(f: string, p: string): string {
  return `select f.*, p.month, p.rep_due as m_rep_due, p.rep_on_time as m_rep_on_time, p.rep_missed as m_rep_missed, p.returned as m_returned,
                 0 as m_closed, 0::bigint as m_start, 0::bigint as m_close
            from ${p} p join ${f} f on f.task_id = p.task_id and f.sign = p.sign
          union all
          select f.*, date_trunc('month', f.closed_on)::date, 0, 0, 0, 0, 1, coalesce(f.start_ord, 0), coalesce(f.close_ord, 0)
            from ${f} f where ${CLOSED}`;
}

export const MONTH_SUMS = `sum(f.sign * f.m_rep_due)::bigint as rep_due, sum(f.sign * f.m_rep_on_time)::bigint as rep_on_time,
  sum(f.sign * f.m_rep_missed)::bigint as rep_missed, sum(f.sign * f.m_returned)::bigint as returned, sum(f.sign * f.m_closed)::bigint as closed,
  sum(f.sign * f.m_start)::bigint as start_ord_sum, sum(f.sign * f.m_close)::bigint as close_ord_sum`;

/**
 * Per task, indicator and unit (zero id for a whole-province value): the latest approved value
 * (latest review, then latest submission) with its times, and whether any submission (any status)
 * gave a value for a unit. Tasks with a measure only.
 */
export function valueFactsSql(ids: TaskIds): string {
  const order = 'order by rs.reviewed_at desc nulls last, rs.submitted_at desc';
  return `select rs.task_id, t.measure_id, sv.indicator, coalesce(sv.unit_id, '${ZERO_ID}'::uuid) as unit_id,
                 (array_agg(sv.value ${order}) filter (where rs.status = 'approved'))[1] as value,
                 (array_agg(rs.reviewed_at ${order}) filter (where rs.status = 'approved'))[1] as reviewed_at,
                 (array_agg(rs.submitted_at ${order}) filter (where rs.status = 'approved'))[1] as submitted_at,
                 bool_or(sv.unit_id is not null) as reported
            from report_submissions rs
            join submission_values sv on sv.submission_id = rs.id
            join tasks t on t.id = rs.task_id and t.measure_id is not null
           where ${inIds('rs.task_id', ids)}
           group by rs.task_id, t.measure_id, sv.indicator, coalesce(sv.unit_id, '${ZERO_ID}'::uuid)`;
}

/** The province's latest value and reporting count per group, from value fact rows `v` (over the groups in `where`). */
export function targetValuesSql(v: string, where = 'true'): string {
  const order = 'order by v.reviewed_at desc nulls last, v.submitted_at desc';
  return `select v.measure_id, v.indicator, v.unit_id,
                 (array_agg(v.value ${order}) filter (where v.value is not null))[1] as value,
                 (array_agg(v.reviewed_at ${order}) filter (where v.value is not null))[1] as reviewed_at,
                 (array_agg(v.submitted_at ${order}) filter (where v.value is not null))[1] as submitted_at,
                 (count(*) filter (where v.reported))::int as reported_tasks
            from ${v} v where ${where}
           group by v.measure_id, v.indicator, v.unit_id`;
}
