import { Inject, Injectable } from '@nestjs/common';
import { addWorkingDaysFlagged, CalendarService, Clock, shanghaiDate, workingDaysBetweenFlagged, type WorkingCalendar } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import type { Actor } from '../accounts/actor';
import type { TaskStatus } from '../tasks/task.entity';
import { score, targetShare, type ScoreBreakdown } from './scoring';
import { TrackingRepository, type TrackingCatalog, type AggregateRow, type EscalationRow, type LightLevel, type OverdueTaskRow, type SummaryDimension, type TargetJson } from './tracking.repository';
import type { TrackingFilter } from './tracking-filter';
import { TrackingReadRepository, type LeadPairs, type ReadModelResult } from './tracking-read.repository';
import type { Figure } from './tracking-facts.sql';

export type Light = 'green' | 'yellow' | 'red';
const LIGHTS: Light[] = ['green', 'yellow', 'red'];
/** Collators made once: `localeCompare` builds one per call, which dominated sorting thousands of rows. */
const zh = new Intl.Collator('zh-CN');
const byDefault = new Intl.Collator();
export const LIGHT_LABELS: Record<Light, string> = { green: '正常推进', yellow: '临近截止', red: '逾期或督办' };

export interface SummaryRow {
  key: string;
  /** What the row is: a document number, a measure label, a unit's short name. */
  label: string;
  /** Extra description: the measure's title, the unit's full name. */
  detail: string | null;
  tasks: number;
  byState: Record<TaskStatus, number>;
  lights: Record<Light, number>;
  light: Light;
  overdueTasks: number;
  missedReports: number;
  openEscalations: number;
  reportsDue: number;
  reportsOnTime: number;
  /** reportsOnTime / reportsDue, null when nothing was due. */
  onTimeRate: number | null;
  closedTasks: number;
  /** Mean working days from publishing to close-out (销号) of the closed tasks, null when none. */
  avgCloseWorkingDays: number | null;
  /** Working days overdue, summed over the overdue open tasks. */
  overdueWorkingDays: number;
  returnedSubmissions: number;
}

export interface Summary {
  by: SummaryDimension;
  today: string;
  warnUntil: string;
  rows: SummaryRow[];
}

export interface TargetProgress {
  measureId: string;
  documentId: string;
  docNumber: string | null;
  measureLabel: string;
  measureTitle: string;
  indicator: string;
  unit: string | null;
  comparator: string;
  baseline: number | null;
  target: number;
  year: number | null;
  perCounty: boolean;
  /** Latest approved value (whole-province targets). */
  latest: number | null;
  /** Share done, 0..1 (per-county targets: the mean over the expected counties, nothing approved counting 0). */
  share: number | null;
  counties: { unitId: string; name: string; latest: number | null; share: number | null }[];
  /** Per-county targets: the counties that reported no value at all. */
  silentCounties: string[];
}

export interface RankingRow {
  rank: number;
  unitId: string;
  name: string;
  tasks: number;
  reportsDue: number;
  reportsOnTime: number;
  onTimeRate: number | null;
  overdueTasks: number;
  overdueWorkingDays: number;
  targetShare: number | null;
  returnedSubmissions: number;
  breakdown: ScoreBreakdown;
  score: number;
}

export interface GridView {
  today: string;
  measures: { id: string; label: string; title: string; docNumber: string | null; light: Light }[];
  units: { id: string; name: string }[];
  cells: { measureId: string; unitId: string; light: Light; tasks: number; overdueTasks: number }[];
}

/** The bulletin lists at most this many level-3 escalations (the earliest due) and gives their total. */
export const BULLETIN_ESCALATION_ROWS = 200;

export interface BulletinData {
  period: string;
  generatedOn: string;
  filter: TrackingFilter;
  totals: SummaryRow;
  laggingUnits: SummaryRow[];
  /** The open level-3 escalations, earliest due first, at most {@link BULLETIN_ESCALATION_ROWS}. */
  escalations: EscalationRow[];
  /** How many open level-3 escalations there are in all. */
  escalationsTotal: number;
  ranking: RankingRow[];
  weights: AppConfig['tracking']['ranking'];
}

/**
 * Working days from the calendar's first covered day up to `d` (memoised), so that a sum of
 * working-day spans is a difference of sums of ordinals. Beyond the covered years the count goes on
 * Monday-Friday (decision 16's provisional rule).
 */
function workingDayOrdinal(cal: WorkingCalendar): (d: string) => number {
  const years = cal.coveredYears().sort((a, b) => a - b);
  if (years.length === 0) return memo((d: string) => workingDaysBetweenFlagged(cal, '2000-01-01', d).days);
  let last = years[0];
  while (years.includes(last + 1)) last++;
  const epoch = `${years[0] - 1}-12-31`;
  const lastDay = `${last}-12-31`;
  const atLast = cal.workingDaysBetween(epoch, lastDay);
  return memo((d: string) => (d <= epoch ? 0 : d <= lastDay ? cal.workingDaysBetween(epoch, d) : atLast + workingDaysBetweenFlagged(cal, lastDay, d).days));
}

/**
 * What coordinators look at every morning: summaries with traffic lights, target progress,
 * the 考核 ranking and the 情况通报. Everything is scoped by the actor (decision 17) and derived at
 * query time from the clock and the working-day calendar.
 */
@Injectable()
export class TrackingService {
  constructor(
    private readonly repo: TrackingRepository,
    private readonly readModel: TrackingReadRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Today in Asia/Shanghai and the last day of the yellow window. */
  async dates(): Promise<{ today: string; warnUntil: string; cal: WorkingCalendar }> {
    const cal = await this.calendar.load();
    const today = shanghaiDate(this.clock.now());
    return { today, warnUntil: addWorkingDaysFlagged(cal, today, this.config.tracking.warningWorkingDays).date, cal };
  }

  async summary(actor: Actor, by: SummaryDimension, filter: TrackingFilter): Promise<Summary> {
    const { today, warnUntil, cal } = await this.dates();
    const [{ rows, sums, todayOrdinal }, catalog] = await Promise.all([this.aggregate(actor, filter, by, today, warnUntil, cal), this.repo.catalog()]);
    const labelOf = rowLabels(by, catalog);
    const out = rows.map((r) => {
      const s = sums.get(r.key) ?? { start: 0, close: 0, due: 0 };
      return this.toRow(r, labelOf(r.key) ?? { label: r.key, detail: null }, s, todayOrdinal);
    });
    return { by, today, warnUntil, rows: this.sortRows(by, catalog, out) };
  }

  /**
   * Summary rows, most overdue tasks first, then by label in Chinese (pinyin) order, then by key.
   * The order of every label of a dimension is worked out once per catalog version (3,000 measure
   * labels take the collator about 20 ms), so a summary compares two integers per pair of rows; a
   * key the catalog does not know (none, normally) makes it compare the labels themselves.
   */
  private sortRows(by: SummaryDimension, catalog: TrackingCatalog, rows: SummaryRow[]): SummaryRow[] {
    const byLabel = (a: SummaryRow, b: SummaryRow): number => zh.compare(a.label, b.label) || byDefault.compare(a.key, b.key);
    const rank = this.repo.derived(catalog, `label-order:${by}`, () => {
      const labelOf = rowLabels(by, catalog);
      const keyed = catalogKeys(by, catalog).map((key) => ({ key, label: labelOf(key)?.label ?? key }));
      keyed.sort((a, b) => zh.compare(a.label, b.label) || byDefault.compare(a.key, b.key));
      return new Map(keyed.map((k, i) => [k.key, i]));
    });
    const ranked = rows.map((row) => ({ row, at: rank.get(row.key) ?? -1 }));
    if (ranked.some((r) => r.at < 0)) return rows.sort((a, b) => b.overdueTasks - a.overdueTasks || byLabel(a, b));
    ranked.sort((a, b) => b.row.overdueTasks - a.row.overdueTasks || a.at - b.at);
    return ranked.map((r) => r.row);
  }

  /**
   * Figures per group from the read model (decision 51), or from the base tables while the model is
   * being rebuilt. Both give sums of working-day ordinals on one scale with today's ordinal.
   */
  private async aggregate(actor: Actor, filter: TrackingFilter, by: SummaryDimension, today: string, warnUntil: string, cal: WorkingCalendar, need?: readonly Figure[]): Promise<ReadModelResult> {
    const read = await this.readModel.aggregate(actor, filter, by, today, warnUntil, need);
    if (read) return read;
    const [rows, days] = await Promise.all([this.repo.aggregate(actor, filter, by, today, warnUntil), this.repo.dayCounts(actor, filter, by, today, warnUntil)]);
    const sums = new Map<string, { start: number; close: number; due: number }>();
    const ordinal = workingDayOrdinal(cal);
    for (const d of days) {
      const acc = sums.get(d.key) ?? { start: 0, close: 0, due: 0 };
      acc[d.what] += d.n * ordinal(d.day);
      sums.set(d.key, acc);
    }
    return { rows, sums, todayOrdinal: ordinal(today) };
  }

  private toRow(r: AggregateRow, label: { label: string; detail: string | null }, s: { start: number; close: number; due: number }, todayOrdinal: number): SummaryRow {
    return {
      key: r.key,
      label: label.label,
      detail: label.detail,
      tasks: r.total,
      byState: r.byState,
      lights: { green: r.lights[0], yellow: r.lights[1], red: r.lights[2] },
      light: LIGHTS[r.light],
      overdueTasks: r.overdueTasks,
      missedReports: r.missedReports,
      openEscalations: r.openEscalations,
      reportsDue: r.reportsDue,
      reportsOnTime: r.reportsOnTime,
      onTimeRate: r.reportsDue === 0 ? null : r.reportsOnTime / r.reportsDue,
      closedTasks: r.closedTasks,
      avgCloseWorkingDays: r.closedTasks === 0 ? null : Math.round(((s.close - s.start) / r.closedTasks) * 10) / 10,
      overdueWorkingDays: r.overdueTasks * todayOrdinal - s.due,
      returnedSubmissions: r.returnedSubmissions,
    };
  }

  /** The board's grid: measures x lead units, each cell the worst light of its tasks; a measure's light the worst of its cells. */
  async grid(actor: Actor, filter: TrackingFilter): Promise<GridView> {
    const { today, warnUntil, cal } = await this.dates();
    const { rows } = await this.aggregate(actor, filter, 'measure_unit', today, warnUntil, cal, ['tasks', 'yellow', 'red', 'overdue']);
    // In (measure, unit) order: the keys are "measure:unit", two UUIDs of one length, so one string
    // comparison of the keys orders them (6,000 cells at 1M tasks; comparing the halves cost 10 ms).
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const cells = rows.map((r) => {
      const [measureId, unitId] = r.key.split(':');
      return { measureId, unitId, light: LIGHTS[r.light], level: r.light, tasks: r.total, overdueTasks: r.overdueTasks };
    });
    const worst = new Map<string, LightLevel>();
    for (const c of cells) worst.set(c.measureId, Math.max(worst.get(c.measureId) ?? 0, c.level) as LightLevel);
    const [measures, units] = await Promise.all([this.repo.measureNames([...worst.keys()]), this.repo.unitNames([...new Set(cells.map((c) => c.unitId))])]);
    return {
      today,
      measures: [...measures.entries()]
        .sort(([, a], [, b]) => byDefault.compare(a.docNumber ?? '', b.docNumber ?? '') || a.no - b.no)
        .map(([id, m]) => ({ id, label: m.label, title: m.title, docNumber: m.docNumber, light: LIGHTS[worst.get(id) ?? 0] })),
      units: [...units.entries()].map(([id, u]) => ({ id, name: u.shortName })).sort((a, b) => zh.compare(a.name, b.name)),
      cells: cells.map(({ level: _level, ...c }) => c),
    };
  }

  /**
   * Each target of each measure in scope with its latest approved value and share, and for a
   * per-county target each key assisted county's value, share and whether it reported at all.
   */
  private async evaluateTargets(actor: Actor, filter: TrackingFilter): Promise<EvaluatedTarget[]> {
    const [facts, counties] = await Promise.all([
      this.readModel.targetFacts(actor, filter).then((f) => f ?? this.repo.targetFacts(actor, filter)),
      this.repo.keyAssistedCounties(),
    ]);
    // By measure, then indicator, then unit ('' for the whole province): nested maps, so the 20,000
    // county lookups at 1M tasks hash strings that exist instead of building a key for each.
    const approved = new KeyIndex<number>();
    for (const a of facts.approved) approved.set(a.measureId, a.indicator, a.unitId ?? '', a.value);
    const reported = new KeyIndex<true>();
    for (const r of facts.reported) reported.set(r.measureId, r.indicator, r.unitId, true);
    const out: EvaluatedTarget[] = [];
    for (const { measureId, targets } of facts.targets) {
      for (const t of targets) {
        if (t.perUnit === null) {
          const latest = approved.get(measureId, t.indicator, '') ?? null;
          out.push({ measureId, target: t, perCounty: false, latest, share: targetShare(t, latest), counties: [] });
          continue;
        }
        const values = approved.inner(measureId, t.indicator);
        const who = reported.inner(measureId, t.indicator);
        let sum = 0;
        const rows = counties.map((c) => {
          const latest = values?.get(c.id) ?? null;
          const share = targetShare(t, latest);
          sum += share ?? 0;
          return { unitId: c.id, name: c.shortName, latest, share, reported: who?.has(c.id) ?? false };
        });
        out.push({ measureId, target: t, perCounty: true, latest: null, share: rows.length ? sum / rows.length : null, counties: rows });
      }
    }
    return out;
  }

  /** Each target of each measure in scope: baseline, target, latest approved value, share done; per county where it applies. */
  async targets(actor: Actor, filter: TrackingFilter): Promise<TargetProgress[]> {
    const evaluated = await this.evaluateTargets(actor, filter);
    if (evaluated.length === 0) return [];
    const measures = await this.repo.measureNames([...new Set(evaluated.map((e) => e.measureId))]);
    const out: (TargetProgress & { no: number })[] = [];
    for (const e of evaluated) {
      const m = measures.get(e.measureId);
      if (!m) continue;
      const t = e.target;
      out.push({
        measureId: e.measureId,
        documentId: m.documentId,
        docNumber: m.docNumber,
        measureLabel: m.label,
        measureTitle: m.title,
        indicator: t.indicator,
        unit: t.unit,
        comparator: t.comparator,
        baseline: t.baseline,
        target: t.value,
        year: t.year,
        perCounty: e.perCounty,
        latest: e.latest,
        share: e.share,
        counties: e.counties.map((c) => ({ unitId: c.unitId, name: c.name, latest: c.latest, share: c.share })),
        silentCounties: e.counties.filter((c) => !c.reported).map((c) => c.name),
        no: m.no,
      });
    }
    out.sort((a, b) => byDefault.compare(a.docNumber ?? '', b.docNumber ?? '') || a.no - b.no);
    return out.map(({ no: _no, ...t }) => t);
  }

  /**
   * 考核: a score per lead unit (formula in scoring.ts, weights from config). A unit answers for the
   * targets of the measures it leads: a county for its own value of a per-county target, any other
   * unit for the target's overall share (nothing approved counts 0).
   */
  async ranking(actor: Actor, filter: TrackingFilter): Promise<RankingRow[]> {
    return this.rank(actor, filter, this.summary(actor, 'unit', filter));
  }

  /** The ranking from the summary by lead unit for the same actor and filter (the bulletin shows that summary too, and computes it once). */
  private async rank(actor: Actor, filter: TrackingFilter, byUnit: Promise<Summary>): Promise<RankingRow[]> {
    const { today, warnUntil } = await this.dates();
    const [units, targets, pairs] = await Promise.all([byUnit, this.evaluateTargets(actor, filter), this.readModel.leadPairs(actor, filter, today, warnUntil)]);
    const shares = await this.unitTargetShares(actor, filter, targets, pairs);
    const w = this.config.tracking.ranking;
    const rows = units.rows.map((u) => {
      const own = shares.get(u.key);
      const tShare = own && own.n ? own.sum / own.n : null;
      const breakdown = score({ onTimeRate: u.onTimeRate, targetShare: tShare, overdueWorkingDays: u.overdueWorkingDays, returnedSubmissions: u.returnedSubmissions }, w);
      return {
        rank: 0,
        unitId: u.key,
        name: u.label,
        tasks: u.tasks,
        reportsDue: u.reportsDue,
        reportsOnTime: u.reportsOnTime,
        onTimeRate: u.onTimeRate,
        overdueTasks: u.overdueTasks,
        overdueWorkingDays: u.overdueWorkingDays,
        targetShare: tShare,
        returnedSubmissions: u.returnedSubmissions,
        breakdown,
        score: breakdown.score,
      };
    });
    rows.sort((a, b) => b.score - a.score || zh.compare(a.name, b.name));
    // Equal scores share a rank (1, 2, 2, 4).
    rows.forEach((r, i) => (r.rank = i > 0 && rows[i - 1].score === r.score ? rows[i - 1].rank : i + 1));
    return rows;
  }

  /**
   * Per lead unit, the sum and count of the shares of the targets it answers for: each target of
   * each measure it leads, its own value's share for a county in a per-county target (nothing
   * approved counting 0), else the target's share. Per measure: the sum and count of its targets'
   * shares; per (measure, key assisted county): what the county's own shares add over those. The
   * pairs come from the read model (decision 57), else from the base tables.
   */
  private async unitTargetShares(actor: Actor, filter: TrackingFilter, targets: EvaluatedTarget[], pairs: LeadPairs | null): Promise<Map<string, { sum: number; n: number }>> {
    const perMeasure = new Map<string, { sum: number; n: number }>();
    const deltas = new Map<string, Map<string, number>>();
    for (const t of targets) {
      const acc = perMeasure.get(t.measureId) ?? { sum: 0, n: 0 };
      acc.sum += t.share ?? 0;
      acc.n++;
      perMeasure.set(t.measureId, acc);
      if (!t.perCounty) continue;
      let own = deltas.get(t.measureId);
      if (!own) deltas.set(t.measureId, (own = new Map<string, number>()));
      for (const c of t.counties) own.set(c.unitId, (own.get(c.unitId) ?? 0) + (c.share ?? 0) - (t.share ?? 0));
    }
    const out = new Map<string, { sum: number; n: number }>();
    const add = (unitId: string, measureId: string, sign: 1 | -1): void => {
      const m = perMeasure.get(measureId);
      if (!m) return;
      const acc = out.get(unitId) ?? { sum: 0, n: 0 };
      acc.sum += sign * (m.sum + (deltas.get(measureId)?.get(unitId) ?? 0));
      acc.n += sign * m.n;
      out.set(unitId, acc);
    };
    if (!pairs) {
      for (const { measureId, unitId } of await this.repo.measureLeads(actor, filter)) add(unitId, measureId, 1);
      return out;
    }
    // 199,000 pairs at 1M tasks: typed arrays by measure index, not a map lookup per pair; the
    // key assisted counties' own deltas likewise, one array per county.
    const sums = new Float64Array(pairs.measures.length);
    const counts = new Int32Array(pairs.measures.length);
    pairs.measures.forEach((id, i) => {
      const m = perMeasure.get(id);
      if (m) [sums[i], counts[i]] = [m.sum, m.n];
    });
    const countyDeltas = new Map<string, Float64Array>();
    for (const [measureId, own] of deltas) {
      const at = pairs.index.get(measureId);
      if (at === undefined) continue;
      for (const [unitId, delta] of own) {
        let byMeasure = countyDeltas.get(unitId);
        if (!byMeasure) countyDeltas.set(unitId, (byMeasure = new Float64Array(pairs.measures.length)));
        byMeasure[at] = delta;
      }
    }
    for (const [unitId, led] of pairs.units) {
      const own = countyDeltas.get(unitId);
      let sum = 0;
      let n = 0;
      for (let i = 0; i < led.length; i++) {
        sum += sums[led[i]] + (own ? own[led[i]] : 0);
        n += counts[led[i]];
      }
      if (n > 0) out.set(unitId, { sum, n });
    }
    // The pairs the unfolded tasks make or unmake (a few).
    for (const c of pairs.changes) {
      const at = pairs.index.get(c.measureId);
      const stored = at !== undefined && (pairs.units.get(c.unitId)?.includes(at) ?? false);
      if (c.led !== stored) add(c.unitId, c.measureId, c.led ? 1 : -1);
    }
    return out;
  }

  async overdue(actor: Actor, filter: TrackingFilter, limit: number): Promise<OverdueTaskRow[]> {
    const { today } = await this.dates();
    return this.repo.overdueTasks(actor, filter, today, limit);
  }

  async escalations(actor: Actor, filter: TrackingFilter, limit: number, minLevel = 1): Promise<EscalationRow[]> {
    return this.repo.escalations(actor, filter, minLevel, limit);
  }

  /** 情况通报 for a period: the numbers, the units with overdue or missed items, level-3 escalations (the earliest due, and their total), the ranking. */
  async bulletin(actor: Actor, filter: TrackingFilter & { period: string }): Promise<BulletinData> {
    const byUnit = this.summary(actor, 'unit', filter);
    const [all, units, escalations, escalationsTotal, ranking, { today }] = await Promise.all([
      this.summary(actor, 'all', filter),
      byUnit,
      this.repo.escalations(actor, filter, 3, BULLETIN_ESCALATION_ROWS),
      this.repo.countEscalations(actor, filter, 3),
      this.rank(actor, filter, byUnit),
      this.dates(),
    ]);
    const empty = this.toRow(
      { key: 'all', total: 0, byState: { assigned: 0, accepted: 0, in_progress: 0, completion_requested: 0, closed: 0, suspended: 0 }, lights: [0, 0, 0], light: 0, overdueTasks: 0, reportsDue: 0, reportsOnTime: 0, missedReports: 0, returnedSubmissions: 0, openEscalations: 0, closedTasks: 0 },
      { label: '全部', detail: null },
      { start: 0, close: 0, due: 0 },
      0,
    );
    return {
      period: filter.period,
      generatedOn: today,
      filter,
      totals: all.rows[0] ?? empty,
      laggingUnits: units.rows.filter((u) => u.overdueTasks > 0 || u.missedReports > 0),
      escalations,
      escalationsTotal,
      ranking,
      weights: this.config.tracking.ranking,
    };
  }
}

/** A summary row's label and detail by key, from the catalog: a document number, a measure's label, a unit's short name. */
function rowLabels(by: SummaryDimension, c: TrackingCatalog): (key: string) => { label: string; detail: string | null } | undefined {
  switch (by) {
    case 'all':
      return (key) => (key === 'all' ? { label: '全部', detail: null } : undefined);
    case 'unit':
    case 'city':
    case 'county':
      return (key) => {
        const u = c.units.get(key);
        return u && { label: u.shortName, detail: u.name };
      };
    case 'measure':
      return (key) => {
        const m = c.measures.get(key);
        return m && { label: `${m.docNumber ?? ''}${m.label}`, detail: m.title };
      };
    case 'document':
      return (key) => {
        const d = c.documents.get(key);
        return d && { label: d.docNumber ?? d.title ?? key, detail: d.title };
      };
    case 'measure_unit':
      return () => undefined;
  }
}

/** Every key a dimension's rows can have that the catalog names. */
function catalogKeys(by: SummaryDimension, c: TrackingCatalog): string[] {
  if (by === 'unit' || by === 'city' || by === 'county') return [...c.units.keys()];
  if (by === 'measure') return [...c.measures.keys()];
  if (by === 'document') return [...c.documents.keys()];
  return by === 'all' ? ['all'] : [];
}

function memo<A, R>(f: (a: A) => R): (a: A) => R {
  const cache = new Map<A, R>();
  return (a) => {
    if (!cache.has(a)) cache.set(a, f(a));
    return cache.get(a) as R;
  };
}

/** A target evaluated for the targets view and the ranking (see evaluateTargets). */
interface EvaluatedTarget {
  measureId: string;
  target: TargetJson;
  perCounty: boolean;
  latest: number | null;
  share: number | null;
  counties: { unitId: string; name: string; latest: number | null; share: number | null; reported: boolean }[];
}

/** Values by (measure, indicator, unit), as nested maps. */
class KeyIndex<V> {
  private readonly byMeasure = new Map<string, Map<string, Map<string, V>>>();

  set(measureId: string, indicator: string, unitId: string, value: V): void {
    let byIndicator = this.byMeasure.get(measureId);
    if (!byIndicator) this.byMeasure.set(measureId, (byIndicator = new Map<string, Map<string, V>>()));
    let byUnit = byIndicator.get(indicator);
    if (!byUnit) byIndicator.set(indicator, (byUnit = new Map<string, V>()));
    byUnit.set(unitId, value);
  }

  inner(measureId: string, indicator: string): Map<string, V> | undefined {
    return this.byMeasure.get(measureId)?.get(indicator);
  }

  get(measureId: string, indicator: string, unitId: string): V | undefined {
    return this.inner(measureId, indicator)?.get(unitId);
  }
}
