import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { TASK_STATUSES, type TaskStatus } from '../tasks/task.entity';
import { lightSql, overdueSql, periodRange, reportFiguresSql, SqlParams, trackingWhere, type TrackingFilter } from './tracking-filter';

/** What a summary row is grouped by. `all` is one row for everything in scope. */
export const SUMMARY_DIMENSIONS = ['document', 'measure', 'unit', 'city', 'county', 'all'] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number] | 'measure_unit';

/** Task light: 0 green (on track, closed or suspended), 1 yellow (due within the warning window), 2 red (overdue, or an open 督办 of level 2 or above). */
export type LightLevel = 0 | 1 | 2;

export interface AggregateRow {
  key: string;
  total: number;
  byState: Record<TaskStatus, number>;
  lights: [number, number, number];
  light: LightLevel;
  overdueTasks: number;
  reportsDue: number;
  reportsOnTime: number;
  missedReports: number;
  returnedSubmissions: number;
  openEscalations: number;
  closedTasks: number;
}

/** Dates counted per group, for working-day sums done with the calendar (see {@link TrackingRepository.dayCounts}). */
export interface DayCountRow {
  key: string;
  what: 'start' | 'close' | 'due';
  day: string;
  n: number;
}

const KEY_SQL: Record<SummaryDimension, string> = {
  all: `select s.id as task_id, 'all' as key from s`,
  document: `select s.id as task_id, s.document_id::text as key from s`,
  // Tasks of a form campaign or a visit have no measure: in every dimension but this one and the grid.
  measure: `select s.id as task_id, s.measure_id::text as key from s where s.measure_id is not null`,
  unit: `select tu.task_id, tu.unit_id::text as key from s join task_units tu on tu.task_id = s.id and tu.role = 'lead'`,
  measure_unit: `select tu.task_id, s.measure_id || ':' || tu.unit_id as key from s join task_units tu on tu.task_id = s.id and tu.role = 'lead' where s.measure_id is not null`,
  // A joint task led by two units of one city counts once for the city.
  city: `select distinct tu.task_id, (case when u.kind = 'city_government' then u.id else u.parent_id end)::text as key
           from s join task_units tu on tu.task_id = s.id and tu.role = 'lead' join units u on u.id = tu.unit_id
          where u.kind in ('city_government', 'city_bureau', 'county')`,
  county: `select tu.task_id, u.id::text as key from s join task_units tu on tu.task_id = s.id and tu.role = 'lead' join units u on u.id = tu.unit_id where u.kind = 'county'`,
};

const num = (v: unknown): number => Number(v ?? 0);

/**
 * The set-based aggregate SQL behind every summary. One statement per figure family: task states,
 * lights and report figures per group in one pass; dates per group for the working-day sums.
 */
@Injectable()
export class TrackingRepository {
  /** The catalog's names at one version (see `catalog`). */
  private names: TrackingCatalog | null = null;
  /** The load under way, if any, and the version it is for. */
  private loading: { version: string; promise: Promise<TrackingCatalog> } | null = null;
  /** Values derived from one catalog version (see `derived`), gone with it. */
  private readonly derivations = new WeakMap<TrackingCatalog, Map<string, unknown>>();

  constructor(private readonly dataSource: DataSource) {}

  /** Scoped, filtered tasks as CTE `s`, with each task's light from `today` and the warning date. */
  private scopedTasks(actor: Actor, filter: TrackingFilter, today: string, warnUntil: string, params: SqlParams): { cte: string; today: string } {
    const where = trackingWhere(actor, filter, params);
    const t = params.add(today);
    const w = params.add(warnUntil);
    const cte = `s as (
      select t.id, t.measure_id, t.document_id, t.status, t.due_on, coalesce(d.published_at, t.created_at) as started_at, t.closed_at,
             ${lightSql('t', t, w)} as light, ${overdueSql('t', t)} as overdue
        from tasks t left join measures m on m.id = t.measure_id join documents d on d.id = t.document_id
       where ${where})`;
    return { cte, today: t };
  }

  /** Closed in the filter's period (or at all without one). */
  private closedIn(filter: TrackingFilter, params: SqlParams): string {
    const range = filter.period ? periodRange(filter.period) : null;
    if (!range) return `s.status = 'closed' and s.closed_at is not null`;
    return `s.status = 'closed' and (s.closed_at at time zone 'Asia/Shanghai')::date between ${params.add(range.from)}::date and ${params.add(range.to)}::date`;
  }

  async aggregate(actor: Actor, filter: TrackingFilter, dim: SummaryDimension, today: string, warnUntil: string): Promise<AggregateRow[]> {
    const params = new SqlParams();
    const { cte: s, today: t } = this.scopedTasks(actor, filter, today, warnUntil, params);
    const range = filter.period ? periodRange(filter.period) : null;
    const periodCond = range ? `and rp.ends_on between ${params.add(range.from)}::date and ${params.add(range.to)}::date` : '';
    const closed = this.closedIn(filter, params);
    const states = TASK_STATUSES.map((st) => `count(*) filter (where s.status = '${st}') as "st_${st}"`).join(', ');
    // Per task, through the indexes (cost grows with the tasks in scope, not the table). A period that starts
    // after its task was closed is owed nothing; "missed" = due before today with no submission at all.
    const sql = `
      with ${s},
      f as (
        select s.id, s.status, s.light, s.overdue, s.closed_at, p.due, p.on_time, p.missed, p.returned, e.open
          from s
          cross join lateral (${reportFiguresSql('s', t, periodCond)}) p
          cross join lateral (
            select count(distinct (es.obligation_type, es.obligation_id)) as open
              from escalations es where es.task_id = s.id and es.resolved_at is null) e),
      k as (${KEY_SQL[dim]})
      select k.key, count(*) as total, ${states},
             count(*) filter (where s.light = 0) as green, count(*) filter (where s.light = 1) as yellow,
             count(*) filter (where s.light = 2) as red, max(s.light) as light, count(*) filter (where s.overdue) as overdue,
             coalesce(sum(s.due), 0) as due, coalesce(sum(s.on_time), 0) as on_time, coalesce(sum(s.missed), 0) as missed,
             coalesce(sum(s.returned), 0) as returned, coalesce(sum(s.open), 0) as escalations,
             count(*) filter (where ${closed}) as closed
        from k join f s on s.id = k.task_id
       group by k.key`;
    const rows: Record<string, unknown>[] = await this.dataSource.query(sql, params.values);
    return rows.map((r) => ({
      key: r.key as string,
      total: num(r.total),
      byState: Object.fromEntries(TASK_STATUSES.map((st) => [st, num(r[`st_${st}`])])) as Record<TaskStatus, number>,
      lights: [num(r.green), num(r.yellow), num(r.red)],
      light: num(r.light) as LightLevel,
      overdueTasks: num(r.overdue),
      reportsDue: num(r.due),
      reportsOnTime: num(r.on_time),
      missedReports: num(r.missed),
      returnedSubmissions: num(r.returned),
      openEscalations: num(r.escalations),
      closedTasks: num(r.closed),
    }));
  }

  /**
   * Per group: how many closed tasks started (their document was published) and closed on each day, and how many
   * overdue tasks fell due on each day. Working-day sums are then done with the calendar, since
   * sum(workdays(a, b)) = sum(ordinal(b)) - sum(ordinal(a)).
   */
  async dayCounts(actor: Actor, filter: TrackingFilter, dim: SummaryDimension, today: string, warnUntil: string): Promise<DayCountRow[]> {
    const params = new SqlParams();
    const { cte: s } = this.scopedTasks(actor, filter, today, warnUntil, params);
    const closed = this.closedIn(filter, params);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `with ${s}, k as (${KEY_SQL[dim]}),
       ks as (select k.key, s.* from k join s on s.id = k.task_id)
       select key, 'start' as what, (started_at at time zone 'Asia/Shanghai')::date::text as day, count(*) as n from ks s where ${closed} group by 1, 3
       union all
       select key, 'close', (closed_at at time zone 'Asia/Shanghai')::date::text, count(*) from ks s where ${closed} group by 1, 3
       union all
       select key, 'due', due_on::text, count(*) from ks s where overdue group by 1, 3`,
      params.values,
    );
    return rows.map((r) => ({ key: r.key as string, what: r.what as DayCountRow['what'], day: r.day as string, n: num(r.n) }));
  }

  /**
   * Open escalations of scoped tasks at a level or above, one per obligation (its highest open
   * level), highest level first, then the earliest due, at most `limit` rows: the walk follows the
   * index of open escalations in that order and stops at the limit, skipping an escalation when a
   * higher level of the same obligation is open. Lead names are read for the rows returned only.
   */
  async escalations(actor: Actor, filter: TrackingFilter, minLevel: number, limit: number): Promise<EscalationRow[]> {
    const params = new SqlParams();
    const where = trackingWhere(actor, filter, params);
    const lvl = params.add(minLevel);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select x.*, x.due_on::text as due_text, t.title, d.doc_number, coalesce(m.label, '') as label,
              array(select u.short_name from task_units l join units u on u.id = l.unit_id where l.task_id = x.task_id and l.role = 'lead' order by u.short_name) as leads
         from (select e.id, e.task_id, e.obligation_type, e.level, e.due_on, e.overdue_working_days, e.raised_at
                 from escalations e join tasks t on t.id = e.task_id left join measures m on m.id = t.measure_id
                where e.resolved_at is null and e.level >= ${lvl} and ${where}
                  and not exists (select 1 from escalations h where h.obligation_type = e.obligation_type and h.obligation_id = e.obligation_id
                                     and h.level > e.level and h.resolved_at is null)
                order by e.level desc, e.due_on, e.task_id, e.id
                limit ${Math.trunc(limit)}) x
         join tasks t on t.id = x.task_id join documents d on d.id = t.document_id left join measures m on m.id = t.measure_id
        order by x.level desc, x.due_on, x.task_id, x.id`,
      params.values,
    );
    return rows.map((r) => ({
      taskId: r.task_id as string,
      title: r.title as string,
      docNumber: (r.doc_number as string | null) ?? null,
      measureLabel: r.label as string,
      leads: r.leads as string[],
      obligationType: r.obligation_type as string,
      level: num(r.level),
      dueOn: r.due_text as string,
      overdueWorkingDays: num(r.overdue_working_days),
      raisedAt: new Date(r.raised_at as string).toISOString(),
    }));
  }

  /** How many obligations in scope have an open escalation of exactly `level` as their highest open one (3: all open level-3 ones). */
  async countEscalations(actor: Actor, filter: TrackingFilter, level: 1 | 2 | 3): Promise<number> {
    const params = new SqlParams();
    const where = trackingWhere(actor, filter, params);
    const lvl = params.add(level);
    const higher = level === 3 ? '' : `and not exists (select 1 from escalations h where h.obligation_type = e.obligation_type and h.obligation_id = e.obligation_id and h.level > e.level and h.resolved_at is null)`;
    // The whole province unfiltered needs no task row: an index-only count.
    const from = where === 'true' ? 'escalations e' : 'escalations e join tasks t on t.id = e.task_id left join measures m on m.id = t.measure_id';
    const [{ n }] = await this.dataSource.query<{ n: string }[]>(`select count(*) as n from ${from} where e.resolved_at is null and e.level = ${lvl} and ${where} ${higher}`, params.values);
    return Number(n);
  }

  /** The overdue open tasks in scope, most overdue first (the board's list). */
  async overdueTasks(actor: Actor, filter: TrackingFilter, today: string, limit: number): Promise<OverdueTaskRow[]> {
    const params = new SqlParams();
    const where = trackingWhere(actor, filter, params);
    const t = params.add(today);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select t.id, t.title, t.status, t.due_on::text as due_on, d.doc_number, coalesce(m.label, '') as label,
              array(select u.short_name from task_units l join units u on u.id = l.unit_id where l.task_id = t.id and l.role = 'lead' order by u.short_name) as leads
         from tasks t left join measures m on m.id = t.measure_id join documents d on d.id = t.document_id
        where ${where} and t.status not in ('closed', 'suspended') and t.due_on < ${t}::date
        order by t.due_on, t.id limit ${Math.trunc(limit)}`,
      params.values,
    );
    return rows.map((r) => ({
      taskId: r.id as string,
      title: r.title as string,
      status: r.status as TaskStatus,
      dueOn: r.due_on as string,
      docNumber: (r.doc_number as string | null) ?? null,
      measureLabel: r.label as string,
      leads: r.leads as string[],
    }));
  }

  /**
   * The names tracking answers show (documents, measures, units) and the key assisted counties, all
   * of them, kept in memory under `tracking_catalog.version` (bumped by triggers in every
   * transaction that writes documents, measures or units; decision 57). The version is read first,
   * so what is kept under it is never older than it.
   */
  async catalog(): Promise<TrackingCatalog> {
    const [{ version }] = await this.dataSource.query<{ version: string }[]>(`select version::text as version from tracking_catalog`);
    if (this.names?.version === version) return this.names;
    // One load per version, however many callers ask at once (the grid asks for measures and units together).
    if (this.loading?.version !== version) {
      const promise: Promise<TrackingCatalog> = this.loadCatalog(version)
        .then((names) => (this.names = names))
        .finally(() => {
          if (this.loading?.promise === promise) this.loading = null;
        });
      this.loading = { version, promise };
    }
    return this.loading.promise;
  }

  private async loadCatalog(version: string): Promise<TrackingCatalog> {
    const [units, measures, documents] = await Promise.all([
      this.dataSource.query<{ id: string; name: string; short_name: string; kind: string; counted: boolean }[]>(
        `select id, name, short_name, kind, (kind = 'county' and key_assisted and active) as counted from units order by admin_code nulls last, code`,
      ),
      this.dataSource.query<Record<string, unknown>[]>(
        `select m.id, m.document_id, d.doc_number, d.title as doc_title, m.no, m.label, m.title, m.section_no from measures m join documents d on d.id = m.document_id`,
      ),
      this.dataSource.query<{ id: string; doc_number: string | null; title: string | null }[]>(`select id, doc_number, title from documents`),
    ]);
    return {
      version,
      units: new Map(units.map((r) => [r.id, { name: r.name, shortName: r.short_name, kind: r.kind }])),
      counties: units.filter((r) => r.counted).map((r) => ({ id: r.id, shortName: r.short_name })),
      measures: new Map(
        measures.map((r) => [
          r.id as string,
          {
            documentId: r.document_id as string,
            docNumber: (r.doc_number as string | null) ?? null,
            docTitle: (r.doc_title as string | null) ?? null,
            no: num(r.no),
            label: r.label as string,
            title: r.title as string,
            section: r.section_no === null ? null : num(r.section_no),
          },
        ]),
      ),
      documents: new Map(documents.map((r) => [r.id, { docNumber: r.doc_number, title: r.title }])),
    };
  }

  /**
   * A value computed from the catalog `c` once and kept as long as `c` is the current version
   * (the label orders of the summaries): `name` must always go with the same `derive`.
   */
  derived<T>(c: TrackingCatalog, name: string, derive: () => T): T {
    let byName = this.derivations.get(c);
    if (!byName) this.derivations.set(c, (byName = new Map<string, unknown>()));
    if (!byName.has(name)) byName.set(name, derive());
    return byName.get(name) as T;
  }

  /** Names of units by id. */
  async unitNames(ids: string[]): Promise<Map<string, { name: string; shortName: string; kind: string }>> {
    return pick((await this.catalog()).units, ids);
  }

  /** Measures by id, with their document's number. */
  async measureNames(ids: string[]): Promise<Map<string, MeasureName>> {
    return pick((await this.catalog()).measures, ids);
  }

  /**
   * Targets of the measures with scoped tasks, and the latest approved value of each indicator (per
   * county where reported per county) from the scoped tasks' submissions, plus which counties reported anything.
   */
  async targetFacts(actor: Actor, filter: TrackingFilter): Promise<{ targets: TargetFactRow[]; approved: ApprovedValueRow[]; reported: { measureId: string; indicator: string; unitId: string }[] }> {
    const params = new SqlParams();
    const where = trackingWhere(actor, filter, params);
    const s = `s as (select t.id, t.measure_id from tasks t join measures m on m.id = t.measure_id where ${where})`;
    const targets: Record<string, unknown>[] = await this.dataSource.query(
      `with ${s}
       select m.id, m.targets from measures m where m.id in (select measure_id from s) and jsonb_array_length(m.targets) > 0`,
      params.values,
    );
    const approved: Record<string, unknown>[] = await this.dataSource.query(
      `with ${s}
       select distinct on (s.measure_id, sv.indicator, sv.unit_id) s.measure_id, sv.indicator, sv.unit_id, sv.value::float8 as value
         from s join report_submissions rs on rs.task_id = s.id and rs.status = 'approved'
         join submission_values sv on sv.submission_id = rs.id
        order by s.measure_id, sv.indicator, sv.unit_id, rs.reviewed_at desc nulls last, rs.submitted_at desc`,
      params.values,
    );
    const reported: Record<string, unknown>[] = await this.dataSource.query(
      `with ${s}
       select distinct s.measure_id, sv.indicator, sv.unit_id
         from s join report_submissions rs on rs.task_id = s.id join submission_values sv on sv.submission_id = rs.id
        where sv.unit_id is not null`,
      params.values,
    );
    return {
      targets: targets.map((r) => ({ measureId: r.id as string, targets: r.targets as TargetJson[] })),
      approved: approved.map((r) => ({ measureId: r.measure_id as string, indicator: r.indicator as string, unitId: (r.unit_id as string | null) ?? null, value: Number(r.value) })),
      reported: reported.map((r) => ({ measureId: r.measure_id as string, indicator: r.indicator as string, unitId: r.unit_id as string })),
    };
  }

  /** Measures' lead units among the scoped tasks (which units a measure's targets count for in the ranking). */
  async measureLeads(actor: Actor, filter: TrackingFilter): Promise<{ measureId: string; unitId: string }[]> {
    const params = new SqlParams();
    const where = trackingWhere(actor, filter, params);
    const rows: { measure_id: string; unit_id: string }[] = await this.dataSource.query(
      `select distinct t.measure_id, tu.unit_id from tasks t join measures m on m.id = t.measure_id
         join task_units tu on tu.task_id = t.id and tu.role = 'lead'
        where ${where} and jsonb_array_length(m.targets) > 0`,
      params.values,
    );
    return rows.map((r) => ({ measureId: r.measure_id, unitId: r.unit_id }));
  }

  /** The key assisted counties (重点帮扶县): who a per-county target expects a value from. */
  async keyAssistedCounties(): Promise<{ id: string; shortName: string }[]> {
    return (await this.catalog()).counties;
  }
}

export interface EscalationRow {
  taskId: string;
  title: string;
  docNumber: string | null;
  measureLabel: string;
  leads: string[];
  obligationType: string;
  level: number;
  dueOn: string;
  overdueWorkingDays: number;
  raisedAt: string;
}

export interface OverdueTaskRow {
  taskId: string;
  title: string;
  status: TaskStatus;
  dueOn: string;
  docNumber: string | null;
  measureLabel: string;
  leads: string[];
}

/** The names tracking answers show, at one catalog version. */
export interface TrackingCatalog {
  version: string;
  units: Map<string, { name: string; shortName: string; kind: string }>;
  counties: { id: string; shortName: string }[];
  measures: Map<string, MeasureName>;
  documents: Map<string, { docNumber: string | null; title: string | null }>;
}

/** The entries of `ids` that `from` has. */
function pick<V>(from: Map<string, V>, ids: string[]): Map<string, V> {
  const out = new Map<string, V>();
  for (const id of ids) {
    const v = from.get(id);
    if (v !== undefined) out.set(id, v);
  }
  return out;
}

export interface MeasureName {
  documentId: string;
  docNumber: string | null;
  docTitle: string | null;
  no: number;
  label: string;
  title: string;
  section: number | null;
}

/** A target as the parser stored it in `measures.targets`. */
export interface TargetJson {
  indicator: string;
  baseline: number | null;
  value: number;
  unit: string | null;
  comparator: string;
  year: number | null;
  perUnit: string | null;
}

export interface TargetFactRow {
  measureId: string;
  targets: TargetJson[];
}

export interface ApprovedValueRow {
  measureId: string;
  indicator: string;
  unitId: string | null;
  value: number;
}
