import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryArrays } from '@duban/database';
import type { Actor } from '../accounts/actor';
import { seesAllTasks } from '../tasks/task-scope';
import type { TaskStatus } from '../tasks/task.entity';
import { BASE_FIGURES, CLOSED, FACT_COLUMNS, MONTHLY_FIGURES, periodFactsSql, sumsSql, targetValuesSql, TOTALLED_DIMS, taskFactsSql, valueFactsSql, ZERO_ID, type Figure } from './tracking-facts.sql';
import { checkTrackingFilter, periodRange, SqlParams, type DateRange, type TrackingFilter } from './tracking-filter';
import type { AggregateRow, ApprovedValueRow, SummaryDimension, TargetFactRow, TargetJson } from './tracking.repository';

/** A summary's rows from the read model, with the working-day ordinal sums behind its averages. */
export interface ReadModelResult {
  rows: AggregateRow[];
  /** Per key: sums of working-day ordinals of the closed tasks' start and close days and of the overdue tasks' due days. */
  sums: Map<string, { start: number; close: number; due: number }>;
  /** Today's working-day ordinal (same scale as the sums). */
  todayOrdinal: number;
}


/**
 * The (measure with targets, lead unit) pairs of the read model (decision 57): per unit, the
 * indexes into `measures` of the measures it leads; `changes` are the pairs the tasks the model
 * cannot vouch for make led or not led (they override the stored ones).
 */
export interface LeadPairs {
  measures: string[];
  index: Map<string, number>;
  units: Map<string, Int32Array>;
  changes: { measureId: string; unitId: string; led: boolean }[];
}

/** Whether any task waits in `tracking_dirty` to be folded. */
async function anyDirty(m: EntityManager): Promise<boolean> {
  const [{ dirty }] = await m.query<{ dirty: boolean }[]>(`select exists (select 1 from tracking_dirty) as dirty`);
  return dirty;
}

/** How many scopes' pairs the API keeps (the province's and a few documents'). */
const PAIR_SETS = 4;

/** With a report period: what the facts give (close-outs in the period) and what the period rows give. */
const FACT_COLS_IN_PERIOD: readonly Figure[] = [...BASE_FIGURES, 'closed', 'start_ord_sum', 'close_ord_sum'];
const PERIOD_COLS: readonly Figure[] = ['rep_due', 'rep_on_time', 'rep_missed', 'returned'];
const ALL_COLS: readonly Figure[] = [...BASE_FIGURES, ...MONTHLY_FIGURES];
/** Every figure, in the order of an aggregate's typed array. */
export const FIGURES: readonly Figure[] = ALL_COLS;
const FIGURE_INDEX = Object.fromEntries(FIGURES.map((c, i) => [c, i])) as Record<Figure, number>;

/** The tasks whose stored figures may differ from today's: dated between the model's day and today. */
export function bandSql(d: string, t: string, wd: string, wt: string): string {
  return `select id as task_id from tasks where due_on >= least(${d}::date, ${t}::date) and due_on < greatest(${d}::date, ${t}::date)
          union select id from tasks where due_on > least(${wd}::date, ${wt}::date) and due_on <= greatest(${wd}::date, ${wt}::date)
          union select task_id from report_periods where due_on >= least(${d}::date, ${t}::date) and due_on < greatest(${d}::date, ${t}::date)`;
}

interface KeyShape {
  key: string;
  join: string;
  cond: string;
}

/** How fact rows `f` map to a dimension's keys. */
function factKey(dim: SummaryDimension): KeyShape {
  const leads = 'cross join unnest(f.lead_units) l(id)';
  switch (dim) {
    case 'all':
      return { key: `'all'`, join: '', cond: 'true' };
    case 'document':
      return { key: 'f.document_id::text', join: '', cond: 'true' };
    case 'measure':
      return {
        key: 'f.measure_id::text',
        join: '',
        cond: 'f.measure_id is not null',
      };
    case 'unit':
      return { key: 'l.id::text', join: leads, cond: 'true' };
    case 'county':
      return {
        key: 'l.id::text',
        join: `${leads} join units ku on ku.id = l.id and ku.kind = 'county'`,
        cond: 'true',
      };
    case 'city':
      return {
        key: 'z.id::text',
        join: `cross join unnest(f.lead_zones) z(id) join units cg on cg.id = z.id and cg.kind = 'city_government'`,
        cond: 'true',
      };
    case 'measure_unit':
      return {
        key: `f.measure_id || ':' || l.id`,
        join: leads,
        cond: 'f.measure_id is not null',
      };
  }
}

/** A roll-up that answers a question: its dimension, first key, and how its rows map to the summary's keys. */
interface RollupRoute {
  dim: 'a' | 'm' | 'u' | 'c' | 'cu' | 's' | 'su' | 'o' | 'ou' | 'mu';
  k1: string | null;
  key: string;
  join: string;
  cond: string;
}

const num = (v: unknown): number => Number(v ?? 0);

/**
 * Figures by key: each key's `width` numbers at its offset in one Float64Array that doubles when
 * full, rather than a typed array per key (allocating 6,000 of them was most of a grid's reading).
 */
class FigureTable {
  data: Float64Array;
  readonly offsets = new Map<string, number>();

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 256);
  }

  /** The offset of `key`'s figures (zeros for a new key). */
  offset(key: string): number {
    let o = this.offsets.get(key);
    if (o === undefined) {
      o = this.offsets.size * this.width;
      this.offsets.set(key, o);
      if (o + this.width > this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    return o;
  }
}

/**
 * Reads of the tracking read model (decision 51): roll-ups where one answers the question (the
 * province, one city's tasks, a city user's scope; by all, document, measure, unit, county, city;
 * any document and report period filter), else the task facts under the same scope and filters; in
 * both cases plus the live figures minus the stored ones of the tasks the model cannot vouch for
 * (dirty, or dated between the model's day and today). One repeatable-read snapshot per read.
 */
@Injectable()
export class TrackingReadRepository {
  /** The ranking's lead pairs by version and scope (decision 57); about 1 MB at 1M tasks. */
  private readonly pairs = new Map<string, Omit<LeadPairs, 'changes'>>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The summary rows, or null when the model is being rebuilt (the caller reads the base tables).
   * `need` names the figures the caller reads: the roll-ups are read for those only (the grid needs
   * four of twenty); the others come back 0.
   */
  async aggregate(actor: Actor, filter: TrackingFilter, dim: SummaryDimension, today: string, warnUntil: string, need: readonly Figure[] = FIGURES): Promise<ReadModelResult | null> {
    checkTrackingFilter(filter);
    const range = filter.period ? periodRange(filter.period) : null;
    const wanted = new Set<Figure>([...need, 'tasks']); // a key is a row when it has tasks
    const only = (cols: readonly Figure[]): Figure[] => cols.filter((c) => wanted.has(c));
    return this.snapshot(async (m, state) => {
      const [{ ord }] = await m.query<{ ord: number }[]>(`select coalesce((select ord from tracking_day_ordinals where day = $1::date), 0) as ord`, [today]);
      const corrected = await this.correction(m, state, today, warnUntil);
      const route = await this.route(m, actor, filter, dim);
      // Per key, the figures in FIGURES order, all keys in one typed array (thousands of keys).
      // Each read returns rows as arrays, the key first and then `cols` in that order.
      const totals = new FigureTable(FIGURES.length);
      const add = (rows: unknown[][], cols: readonly Figure[]): void => {
        const pos: number[] = [];
        const at: number[] = [];
        cols.forEach((c, i) => {
          if (!wanted.has(c)) return;
          pos.push(i + 1);
          at.push(FIGURE_INDEX[c]);
        });
        for (const r of rows) {
          const o = totals.offset(r[0] as string);
          for (let i = 0; i < pos.length; i++) {
            const v = r[pos[i]];
            if (v !== null && v !== undefined) totals.data[o + at[i]] += typeof v === 'number' ? v : Number(v);
          }
        }
      };
      const facts = corrected ? `(select 1 as sign, f.* from task_facts f union all select * from rd_f)` : `(select 1 as sign, f.* from task_facts f)`;
      if (route) {
        const base = only(range ? BASE_FIGURES : ALL_COLS);
        add(await this.rollupBase(m, route, filter, dim, base), base);
        const monthly = only(MONTHLY_FIGURES);
        if (range && monthly.length) add(await this.rollupMonths(m, route, filter, dim, range, monthly), monthly);
      }
      const src = route ? (corrected ? 'rd_f' : null) : facts;
      if (src) {
        add(await this.factSums(m, src, actor, filter, dim, range), range ? FACT_COLS_IN_PERIOD : ALL_COLS);
        if (range) {
          const pairs: [string, string][] = corrected ? [['rd_p', 'rd_f']] : [];
          if (!route) pairs.push(['(select 1 as sign, p.* from task_period_facts p)', '(select 1 as sign, f.* from task_facts f)']);
          add(await this.periodSums(m, pairs, actor, filter, dim, range), PERIOD_COLS);
        }
      }
      const rows: AggregateRow[] = [];
      const sums = new Map<string, { start: number; close: number; due: number }>();
      const x = FIGURE_INDEX;
      const d = totals.data;
      for (const [key, o] of totals.offsets) {
        if (d[o + x.tasks] === 0) continue;
        const red = d[o + x.red];
        const yellow = d[o + x.yellow];
        rows.push({
          key,
          total: d[o + x.tasks],
          byState: {
            assigned: d[o + x.st_assigned],
            accepted: d[o + x.st_accepted],
            in_progress: d[o + x.st_in_progress],
            completion_requested: d[o + x.st_completion_requested],
            closed: d[o + x.st_closed],
            suspended: d[o + x.st_suspended],
          } satisfies Record<TaskStatus, number>,
          lights: [d[o + x.green], yellow, red],
          light: red > 0 ? 2 : yellow > 0 ? 1 : 0,
          overdueTasks: d[o + x.overdue],
          reportsDue: d[o + x.rep_due],
          reportsOnTime: d[o + x.rep_on_time],
          missedReports: d[o + x.rep_missed],
          returnedSubmissions: d[o + x.returned],
          openEscalations: d[o + x.open_esc],
          closedTasks: d[o + x.closed],
        });
        sums.set(key, { start: d[o + x.start_ord_sum], close: d[o + x.close_ord_sum], due: d[o + x.due_ord_sum] });
      }
      return { rows, sums, todayOrdinal: num(ord) };
    });
  }

  /** Whether the province's target roll-ups answer for this actor and filter: the whole province, at most one document. */
  private provinceWide(actor: Actor, filter: TrackingFilter): boolean {
    return seesAllTasks(actor) && !filter.unitId && !filter.cityId && filter.section === undefined;
  }

  /** Runs `fn` in one repeatable-read snapshot when the model is usable, else returns null. */
  private async snapshot<T>(fn: (m: EntityManager, state: { as_of: string; warn_until: string }) => Promise<T>): Promise<T | null> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction('REPEATABLE READ');
      const [state] = await qr.manager.query<{ as_of: string; warn_until: string; needs_rebuild: boolean }[]>(`select as_of::text, warn_until::text, needs_rebuild from tracking_state`);
      const out = !state || state.needs_rebuild ? null : await fn(qr.manager, state);
      await qr.commitTransaction();
      return out;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }

  /**
   * Targets of the measures with tasks, the latest approved value per measure, indicator and unit
   * (the whole province's, and the key assisted counties' that per-county targets list), and who
   * reported, for the whole province (or one document): from `tracking_target_values`,
   * the groups of dirty tasks recomputed from their facts and their live values. Null when the base
   * tables must answer (a narrower scope or filter, or a rebuild under way).
   */
  async targetFacts(
    actor: Actor,
    filter: TrackingFilter,
  ): Promise<{
    targets: TargetFactRow[];
    approved: ApprovedValueRow[];
    reported: { measureId: string; indicator: string; unitId: string }[];
  } | null> {
    checkTrackingFilter(filter);
    if (!this.provinceWide(actor, filter)) return null;
    return this.snapshot(async (m) => {
      const doc = filter.documentId ? [filter.documentId] : [];
      const targets = await m.query<{ id: string; targets: TargetJson[] }[]>(
        `select m.id, m.targets from measures m
          where jsonb_array_length(m.targets) > 0 and exists (select 1 from tasks t where t.measure_id = m.id) ${doc.length ? 'and m.document_id = $1' : ''}`,
        doc,
      );
      // The usual case once the worker has caught up: no dirty task, the stored values are today's.
      let source = 'tracking_target_values';
      if (await anyDirty(m)) {
        await m.query(`create temp table rv_ids on commit drop as select distinct task_id from tracking_dirty`);
        await m.query(`create temp table rv_v on commit drop as ${valueFactsSql({ sql: 'rv_ids' })}`);
        await m.query(
          `create temp table rv_groups on commit drop as
             select measure_id, indicator, unit_id from rv_v
             union select measure_id, indicator, unit_id from task_value_facts where task_id in (select task_id from rv_ids)`,
        );
        source = `(select * from tracking_target_values t
                    where not exists (select 1 from rv_groups x where (x.measure_id, x.indicator, x.unit_id) = (t.measure_id, t.indicator, t.unit_id))
                   union all
                   ${targetValuesSql(
                     `(select * from task_value_facts where task_id not in (select task_id from rv_ids)
                         and (measure_id, indicator, unit_id) in (select measure_id, indicator, unit_id from rv_groups)
                       union all select * from rv_v)`,
                   )})`;
      }
      const inDoc = doc.length ? `and g.measure_id in (select id from measures where document_id = $1)` : '';
      // 13,000 rows at 1M tasks: read as arrays (measure, indicator, unit, value, reporting tasks).
      const rows = await queryArrays(
        m,
        `select g.measure_id::text, g.indicator, g.unit_id::text, g.value::float8 as value, g.reported_tasks from ${source} g
          where (g.unit_id = '${ZERO_ID}' or g.unit_id in (select id from units where kind = 'county' and key_assisted and active)) ${inDoc}`,
        doc,
      );
      const approved: ApprovedValueRow[] = [];
      const reported: { measureId: string; indicator: string; unitId: string }[] = [];
      for (const [measureId, indicator, unitId, value, reportedTasks] of rows as [string, string, string, number | null, number][]) {
        if (value !== null) approved.push({ measureId, indicator, unitId: unitId === ZERO_ID ? null : unitId, value: Number(value) });
        if (reportedTasks > 0 && unitId !== ZERO_ID) reported.push({ measureId, indicator, unitId });
      }
      return { targets: targets.map((t) => ({ measureId: t.id, targets: t.targets })), approved, reported };
    });
  }

  /**
   * The (measure with targets, lead unit) pairs the 考核 target shares are summed over: the roll-up
   * `ml`, kept in memory under its version (decision 57: the worker bumps `pairs_version` whenever
   * a pair appears or goes; nothing else writes the roll-ups), plus the pairs the tasks the model cannot vouch for
   * add or remove. Null when the base tables must answer.
   */
  async leadPairs(actor: Actor, filter: TrackingFilter, today: string, warnUntil: string): Promise<LeadPairs | null> {
    checkTrackingFilter(filter);
    if (!this.provinceWide(actor, filter)) return null;
    return this.snapshot(async (m, state) => {
      const doc = filter.documentId ?? null;
      const [{ version }] = await m.query<{ version: string }[]>(`select pairs_version::text as version from tracking_state`);
      const key = `${version}|${doc ?? ''}`;
      let stored = this.pairs.get(key);
      if (!stored) {
        stored = await this.loadPairs(m, doc);
        // A few scopes (the province, a document or two), each under its latest version.
        for (const k of this.pairs.keys()) if (k.endsWith(`|${doc ?? ''}`) || this.pairs.size >= PAIR_SETS) this.pairs.delete(k);
        this.pairs.set(key, stored);
      }
      const corrected = await this.correction(m, state, today, warnUntil);
      if (!corrected) return { ...stored, changes: [] };
      // The pairs whose task count the unvouched tasks change: led or not once they are counted.
      const params = new SqlParams();
      const d = doc ? params.add(doc) : null;
      const changes = await m.query<{ measure_id: string; unit_id: string; led: boolean }[]>(
        `select x.measure_id, x.unit_id, coalesce(r.tasks, 0) + x.delta > 0 as led
           from (select f.measure_id, l.id as unit_id, sum(f.sign) as delta
                   from rd_f f join measures tm on tm.id = f.measure_id and jsonb_array_length(tm.targets) > 0
                  cross join unnest(f.lead_units) l(id) ${d ? `where f.document_id = ${d}` : ''}
                  group by 1, 2 having sum(f.sign) <> 0) x
           left join tracking_rollup r on r.dim = 'ml' and r.k1 = x.measure_id and r.k2 = x.unit_id`,
        params.values,
      );
      return { ...stored, changes: changes.map((c) => ({ measureId: c.measure_id, unitId: c.unit_id, led: c.led })) };
    });
  }

  /** The pairs of `ml` (one document's, or all), by unit, measures as indexes into one list. */
  private async loadPairs(m: EntityManager, doc: string | null): Promise<Omit<LeadPairs, 'changes'>> {
    const rows = await m.query<{ unit_id: string; measures: string[] }[]>(
      `select r.k2 as unit_id, array_agg(r.k1 order by r.k1) as measures from tracking_rollup r
        where r.dim = 'ml' and r.tasks > 0 ${doc ? 'and r.document_id = $1' : ''} group by r.k2`,
      doc ? [doc] : [],
    );
    const measures: string[] = [];
    const index = new Map<string, number>();
    const units = new Map<string, Int32Array>();
    for (const r of rows) {
      const led = new Int32Array(r.measures.length);
      r.measures.forEach((id, i) => {
        let at = index.get(id);
        if (at === undefined) index.set(id, (at = measures.push(id) - 1));
        led[i] = at;
      });
      units.set(r.unit_id, led);
    }
    return { measures, index, units };
  }

  /**
   * Fills temp tables `rd_f` / `rd_p` (signed: +1 live as of today, -1 stored) for the tasks the
   * model cannot vouch for. False when there are none.
   */
  private async correction(m: EntityManager, state: { as_of: string; warn_until: string }, today: string, warnUntil: string): Promise<boolean> {
    if (state.as_of === today && state.warn_until === warnUntil) {
      // The usual case once the worker has caught up: nothing dated in between, nothing dirty.
      if (!(await anyDirty(m))) return false;
    }
    await m.query(
      `create temp table rd_ids on commit drop as
         select task_id from tracking_dirty union ${bandSql('$1', '$2', '$3', '$4')}`,
      [state.as_of, today, state.warn_until, warnUntil],
    );
    const [{ n }] = await m.query<{ n: number }[]>(`select count(*)::int as n from rd_ids`);
    if (n === 0) return false;
    await m.query(`create temp table rd_pf on commit drop as ${periodFactsSql({ sql: 'rd_ids' }, '$1')}`, [today]);
    await m.query(
      `create temp table rd_f on commit drop as
         select 1 as sign, x.* from (${taskFactsSql({ sql: 'rd_ids' }, '$1', '$2', 'rd_pf')}) x
         union all select -1, ${FACT_COLUMNS.map((c) => `f.${c}`).join(', ')} from task_facts f where f.task_id in (select task_id from rd_ids)`,
      [today, warnUntil],
    );
    await m.query(
      `create temp table rd_p on commit drop as
         select 1 as sign, p.* from rd_pf p
         union all select -1, p.* from task_period_facts p where p.task_id in (select task_id from rd_ids)`,
    );
    return true;
  }

  /** The conditions on fact rows `f` for the actor's scope and the filter. */
  private factConditions(actor: Actor, filter: TrackingFilter, params: SqlParams): string {
    const where: string[] = [];
    if (!seesAllTasks(actor)) {
      if (actor.cityId && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government')) where.push(`f.scope_zones @> array[${params.add(actor.cityId)}]::uuid[]`);
      else where.push(`f.scope_units @> array[${params.add(actor.unitId)}]::uuid[]`);
    }
    if (filter.documentId) where.push(`f.document_id = ${params.add(filter.documentId)}`);
    if (filter.section !== undefined) where.push(`f.section_no = ${params.add(filter.section)}`);
    if (filter.unitId) where.push(`f.lead_units @> array[${params.add(filter.unitId)}]::uuid[]`);
    if (filter.cityId) where.push(`f.lead_zones @> array[${params.add(filter.cityId)}]::uuid[]`);
    return where.length ? where.join(' and ') : 'true';
  }

  /** Signed sums over fact rows `src` (base figures; with a period, close-outs in it and no report figures). */
  private async factSums(m: EntityManager, src: string, actor: Actor, filter: TrackingFilter, dim: SummaryDimension, range: DateRange | null): Promise<unknown[][]> {
    const params = new SqlParams();
    const cond = this.factConditions(actor, filter, params);
    const k = factKey(dim);
    if (range) {
      const closed = `(${CLOSED} and f.closed_on between ${params.add(range.from)}::date and ${params.add(range.to)}::date)`;
      const closedCols = `sum(f.sign * (${closed})::int)::float8 as closed,
        sum(f.sign * case when ${closed} then coalesce(f.start_ord, 0) else 0 end)::float8 as start_ord_sum,
        sum(f.sign * case when ${closed} then coalesce(f.close_ord, 0) else 0 end)::float8 as close_ord_sum`;
      return queryArrays(m, `select ${k.key} as key, ${sumsSql(false, 'float8')}, ${closedCols} from ${src} f ${k.join} where ${cond} and ${k.cond} group by 1`, params.values);
    }
    return queryArrays(m, `select ${k.key} as key, ${sumsSql(true, 'float8')} from ${src} f ${k.join} where ${cond} and ${k.cond} group by 1`, params.values);
  }

  /**
   * Signed report figures of period rows ending in the range, each pair being period rows and the
   * fact rows (same sign) that carry their task's keys.
   */
  private async periodSums(m: EntityManager, pairs: [string, string][], actor: Actor, filter: TrackingFilter, dim: SummaryDimension, range: DateRange): Promise<unknown[][]> {
    const params = new SqlParams();
    const cond = this.factConditions(actor, filter, params);
    const k = factKey(dim);
    const from = params.add(range.from);
    const to = params.add(range.to);
    const joined = pairs
      .map(
        ([
          psrc,
          src,
        ]) => `select p.sign, p.rep_due, p.rep_on_time, p.rep_missed, p.returned, f.task_id, f.document_id, f.measure_id, f.section_no, f.lead_units, f.lead_zones, f.scope_units, f.scope_zones
           from ${psrc} p join ${src} f on f.task_id = p.task_id and f.sign = p.sign
          where p.month between date_trunc('month', ${from}::date) and ${to}::date`,
      )
      .join(' union all ');
    return queryArrays(
      m,
      `select ${k.key} as key, sum(f.sign * f.rep_due)::float8 as rep_due, sum(f.sign * f.rep_on_time)::float8 as rep_on_time,
              sum(f.sign * f.rep_missed)::float8 as rep_missed, sum(f.sign * f.returned)::float8 as returned
         from (${joined}) f ${k.join}
        where ${cond} and ${k.cond}
        group by 1`,
      params.values,
    );
  }

  /** The roll-up answering the question, or null (then the facts answer it). */
  private async route(m: EntityManager, actor: Actor, filter: TrackingFilter, dim: SummaryDimension): Promise<RollupRoute | null> {
    if (filter.section !== undefined || filter.unitId) return null;
    const isCityGov = async (id: string): Promise<boolean> => (await m.query<unknown[]>(`select 1 from units where id = $1 and kind = 'city_government'`, [id])).length > 0;
    let dims: {
      once: RollupRoute['dim'];
      perLead: RollupRoute['dim'];
      k1: string | null;
      province: boolean;
    };
    if (seesAllTasks(actor)) {
      if (filter.cityId) {
        if (!(await isCityGov(filter.cityId))) return null;
        dims = { once: 'c', perLead: 'cu', k1: filter.cityId, province: false };
      } else dims = { once: 'a', perLead: 'u', k1: null, province: true };
    } else if (filter.cityId) {
      return null;
    } else if (actor.cityId && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government')) {
      if (!(await isCityGov(actor.cityId))) return null;
      dims = { once: 's', perLead: 'su', k1: actor.cityId, province: false };
    } else if (actor.unitId) {
      dims = { once: 'o', perLead: 'ou', k1: actor.unitId, province: false };
    } else return null;
    const county = (col: string): string => `join units ku on ku.id = r.${col} and ku.kind = 'county'`;
    switch (dim) {
      case 'all':
        return {
          dim: dims.once,
          k1: dims.k1,
          key: `'all'`,
          join: '',
          cond: 'true',
        };
      case 'document':
        return {
          dim: dims.once,
          k1: dims.k1,
          key: 'r.document_id::text',
          join: '',
          cond: 'true',
        };
      case 'measure':
        return dims.province
          ? {
              dim: 'm',
              k1: null,
              key: 'r.k1::text',
              join: '',
              cond: `r.k1 <> '${ZERO_ID}'`,
            }
          : null;
      case 'unit':
      case 'county': {
        const col = dims.perLead === 'u' ? 'k1' : 'k2';
        return {
          dim: dims.perLead,
          k1: dims.perLead === 'u' ? null : dims.k1,
          key: `r.${col}::text`,
          join: dim === 'county' ? county(col) : '',
          cond: 'true',
        };
      }
      case 'city':
        return dims.province ? { dim: 'c', k1: null, key: 'r.k1::text', join: '', cond: 'true' } : null;
      case 'measure_unit':
        return dims.province
          ? {
              dim: 'mu',
              k1: null,
              key: `r.k1 || ':' || r.k2`,
              join: '',
              cond: 'true',
            }
          : null;
    }
  }

  private rollupWhere(route: RollupRoute, filter: TrackingFilter, dim: SummaryDimension, params: SqlParams): string {
    const where = [`r.dim = ${params.add(route.dim)}`, route.cond];
    if (route.k1) where.push(`r.k1 = ${params.add(route.k1)}`);
    const totalled = (TOTALLED_DIMS as readonly string[]).includes(route.dim);
    if (filter.documentId) where.push(`r.document_id = ${params.add(filter.documentId)}`);
    // Totalled dimensions keep all documents together under the zero id: read those rows, or the
    // per-document ones when the rows are documents.
    else if (totalled) where.push(dim === 'document' ? `r.document_id <> '${ZERO_ID}'` : `r.document_id = '${ZERO_ID}'`);
    return where.join(' and ');
  }

  private async rollupBase(m: EntityManager, route: RollupRoute, filter: TrackingFilter, dim: SummaryDimension, cols: readonly Figure[]): Promise<unknown[][]> {
    const params = new SqlParams();
    const where = this.rollupWhere(route, filter, dim, params);
    return queryArrays(m, `select ${route.key} as key, ${cols.map((c) => `sum(r.${c})::float8 as ${c}`).join(', ')} from tracking_rollup r ${route.join} where ${where} group by 1`, params.values);
  }

  private async rollupMonths(m: EntityManager, route: RollupRoute, filter: TrackingFilter, dim: SummaryDimension, range: DateRange, cols: readonly Figure[]): Promise<unknown[][]> {
    const params = new SqlParams();
    const where = this.rollupWhere(route, filter, dim, params);
    return queryArrays(
      m,
      `select ${route.key} as key, ${cols.map((c) => `sum(r.${c})::float8 as ${c}`).join(', ')}
         from tracking_rollup_month r ${route.join}
        where ${where} and r.month between date_trunc('month', ${params.add(range.from)}::date) and ${params.add(range.to)}::date
        group by 1`,
      params.values,
    );
  }
}
