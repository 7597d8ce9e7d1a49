import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { CalendarService, ManualClock, type WorkingCalendar } from '../libs/calendar/src';
import { TrackingRefreshService } from '../libs/domain/src';
import { startApi, type TestApi } from './support/test-app';

/**
 * Every summary checked against figures computed here, in plain TypeScript, from the raw rows of
 * the database: a dataset is built through the API (documents, publishing, reports, reviews) and
 * varied with fixtures (states, due dates, close-outs, submissions, escalations) from a seeded PRNG.
 */

const at = (date: string): string => `${date}T02:00:00Z`; // 10:00 in Shanghai
const TODAY = '2026-11-23';
const STATES = ['assigned', 'accepted', 'in_progress', 'completion_requested', 'closed', 'suspended'] as const;
const shanghaiDay = (d: Date | string): string => new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** mulberry32: a small seeded PRNG, so the dataset is the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Raw {
  tasks: { id: string; measure_id: string; document_id: string; section_no: number | null; status: string; due_on: string | null; created_at: Date; closed_at: Date | null }[];
  units: Map<string, { id: string; kind: string; parent_id: string | null; short_name: string }>;
  taskUnits: { task_id: string; unit_id: string; role: string }[];
  periods: { id: string; task_id: string; starts_on: string; ends_on: string; due_on: string }[];
  subs: { period_id: string; submitted_at: Date; status: string }[];
  escalations: { task_id: string; obligation_type: string; obligation_id: string; level: number; resolved_at: Date | null }[];
}

interface Filter {
  documentId?: string;
  section?: number;
  unitId?: string;
  cityId?: string;
  period?: string;
}

/** The expected summary rows, keyed by group, computed from the raw rows. */
function expectedSummary(raw: Raw, cal: WorkingCalendar, dim: string, filter: Filter, scope: (taskId: string) => boolean, today = TODAY): Record<string, Record<string, unknown>> {
  const TODAY = today;
  const warnUntil = cal.addWorkingDays(TODAY, 5);
  const unitsOf = (taskId: string, role?: string) => raw.taskUnits.filter((tu) => tu.task_id === taskId && (!role || tu.role === role)).map((tu) => raw.units.get(tu.unit_id)!);
  const cityOf = (u: { id: string; kind: string; parent_id: string | null }): string | null => (u.kind === 'city_government' ? u.id : u.kind === 'city_bureau' || u.kind === 'county' ? u.parent_id : null);
  let range: [string, string] | null = null;
  if (filter.period === '2026-Q3') range = ['2026-07-01', '2026-09-30'];
  else if (filter.period) throw new Error('test supports 2026-Q3 only');
  const tasks = raw.tasks.filter(
    (t) =>
      scope(t.id) &&
      (!filter.documentId || t.document_id === filter.documentId) &&
      (filter.section === undefined || t.section_no === filter.section) &&
      (!filter.unitId || unitsOf(t.id, 'lead').some((u) => u.id === filter.unitId)) &&
      (!filter.cityId || unitsOf(t.id, 'lead').some((u) => u.id === filter.cityId || u.parent_id === filter.cityId)),
  );
  const keysOf = (t: Raw['tasks'][number]): string[] => {
    const leads = unitsOf(t.id, 'lead');
    if (dim === 'all') return ['all'];
    if (dim === 'document') return [t.document_id];
    if (dim === 'measure') return [t.measure_id];
    if (dim === 'unit') return leads.map((u) => u.id);
    if (dim === 'county') return leads.filter((u) => u.kind === 'county').map((u) => u.id);
    if (dim === 'city') return [...new Set(leads.map(cityOf).filter((c): c is string => !!c))];
    throw new Error(dim);
  };
  const out: Record<string, Record<string, any>> = {};
  for (const t of tasks) {
    const open = t.status !== 'closed' && t.status !== 'suspended';
    const overdue = open && !!t.due_on && t.due_on < TODAY;
    // Red when overdue, or when an open 督办 of level 2 or above is on the task (issue 5).
    const escalatedToProvince = raw.escalations.some((e) => e.task_id === t.id && !e.resolved_at && e.level >= 2);
    const light = !open ? 'green' : overdue || escalatedToProvince ? 'red' : t.due_on && t.due_on <= warnUntil ? 'yellow' : 'green';
    const closedDay = t.closed_at ? shanghaiDay(t.closed_at) : null;
    let due = 0;
    let onTime = 0;
    let missed = 0;
    let returned = 0;
    for (const p of raw.periods.filter((x) => x.task_id === t.id)) {
      if (closedDay && p.starts_on > closedDay) continue;
      if (range && (p.ends_on < range[0] || p.ends_on > range[1])) continue;
      const subs = raw.subs.filter((s) => s.period_id === p.id);
      returned += subs.filter((s) => s.status === 'returned').length;
      if (p.due_on >= TODAY) continue;
      due++;
      const first = subs.length ? subs.map((s) => shanghaiDay(s.submitted_at)).sort()[0] : null;
      if (!first) missed++;
      else if (first <= p.due_on) onTime++;
    }
    const escalations = new Set(raw.escalations.filter((e) => e.task_id === t.id && !e.resolved_at).map((e) => `${e.obligation_type}/${e.obligation_id}`)).size;
    const closedCounts = t.status === 'closed' && closedDay !== null && (!range || (closedDay >= range[0] && closedDay <= range[1]));
    for (const key of keysOf(t)) {
      const r = (out[key] ??= {
        tasks: 0,
        byState: Object.fromEntries(STATES.map((s) => [s, 0])),
        lights: { green: 0, yellow: 0, red: 0 },
        overdueTasks: 0,
        missedReports: 0,
        openEscalations: 0,
        reportsDue: 0,
        reportsOnTime: 0,
        closedTasks: 0,
        closeDays: 0,
        overdueWorkingDays: 0,
        returnedSubmissions: 0,
      });
      r.tasks++;
      r.byState[t.status]++;
      r.lights[light]++;
      if (overdue) {
        r.overdueTasks++;
        r.overdueWorkingDays += cal.workingDaysBetween(t.due_on!, TODAY);
      }
      r.missedReports += missed;
      r.openEscalations += escalations;
      r.reportsDue += due;
      r.reportsOnTime += onTime;
      r.returnedSubmissions += returned;
      if (closedCounts) {
        r.closedTasks++;
        r.closeDays += cal.workingDaysBetween(shanghaiDay(t.created_at), closedDay);
      }
    }
  }
  for (const r of Object.values(out)) {
    r.light = r.lights.red ? 'red' : r.lights.yellow ? 'yellow' : 'green';
    r.onTimeRate = r.reportsDue ? r.reportsOnTime / r.reportsDue : null;
    r.avgCloseWorkingDays = r.closedTasks ? Math.round((r.closeDays / r.closedTasks) * 10) / 10 : null;
    delete r.closeDays;
  }
  return out;
}

const FIELDS = ['tasks', 'byState', 'lights', 'light', 'overdueTasks', 'missedReports', 'openEscalations', 'reportsDue', 'reportsOnTime', 'onTimeRate', 'closedTasks', 'avgCloseWorkingDays', 'overdueWorkingDays', 'returnedSubmissions'];
const pick = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(FIELDS.map((f) => [f, r[f]]));

describe('coordinator tracking: summaries, lights, targets, rankings, bulletin, ledger', () => {
  const clock = new ManualClock(at('2026-03-02'));
  let api: TestApi;
  let db: DataSource;
  let cal: WorkingCalendar;
  let coordinator: string;
  let raw: Raw;
  const ids: Record<string, string> = {};

  const get = (url: string, token = coordinator) => api.request('GET', url, { token });
  const post = (url: string, body: unknown, token = coordinator) => api.request('POST', url, { token, body });
  const unitId = async (code: string): Promise<string> => (await db.query(`select id from units where code = $1`, [code]))[0].id;

  async function readRaw(): Promise<Raw> {
    const units: Raw['units'] = new Map((await db.query(`select id, kind, parent_id, short_name from units`)).map((u: any) => [u.id, u]));
    return {
      tasks: await db.query(`select t.id, t.measure_id, t.document_id, m.section_no, t.status, t.due_on::text as due_on, d.published_at as created_at, t.closed_at from tasks t join measures m on m.id = t.measure_id join documents d on d.id = t.document_id`),
      units,
      taskUnits: await db.query(`select task_id, unit_id, role from task_units`),
      periods: await db.query(`select id, task_id, starts_on::text as starts_on, ends_on::text as ends_on, due_on::text as due_on from report_periods`),
      subs: await db.query(`select period_id, submitted_at, status from report_submissions`),
      escalations: await db.query(`select task_id, obligation_type, obligation_id, level, resolved_at from escalations`),
    };
  }

  beforeAll(async () => {
    api = await startApi('tracking', { clock });
    db = api.app.get(DataSource);
    cal = await api.app.get(CalendarService).load();
    coordinator = await api.login('coordinator');
    const docA = [
      '督统〔2026〕1号',
      '关于统计测试的通知',
      '一、产业发展',
      '（一）培育龙头企业。力争到2027年重点帮扶县国家级龙头企业数量由现在的5家增长到8家以上。（省农业农村厅牵头负责）',
      '（二）打造劳务品牌。力争到2027年，每个重点帮扶县至少有一个在全国叫得响的劳务品牌。（省人力资源社会保障厅牵头负责）',
      '二、基层治理',
      '（三）加强基层工作。（各县（市、区）负责）',
      '（四）完善资金机制。（省财政厅、省发展改革委按职责分工负责）',
    ].join('\n\n');
    const a = await post('/api/v1/documents', { text: docA });
    expect(a.status).toBe(201);
    ids.docA = a.body.id;
    expect((await post(`/api/v1/documents/${ids.docA}/publish`, { defaultDueOn: '2026-12-31' })).status).toBe(200);
    const b = await post('/api/v1/documents', { text: ['督统〔2026〕2号', '关于第二份文件的通知', '（一）朔州工作。（应县人民政府牵头负责）', '（二）大同工作。（大同市乡村振兴局牵头负责）', '（三）省级工作。（省财政厅牵头负责）'].join('\n\n') });
    ids.docB = b.body.id;
    expect((await post(`/api/v1/documents/${ids.docB}/publish`, { defaultDueOn: '2026-09-30' })).status).toBe(200);

    // Target values through the API: 6 reported against 5 -> 8, and one county's brand.
    clock.set(new Date(at(TODAY)));
    const nynct = await api.login('nynct.officer');
    const rst = await api.login('rst.officer');
    const t1 = (await get(`/api/v1/tasks?documentId=${ids.docA}&limit=500`, nynct)).body.items.find((t: any) => t.title.startsWith('（一）'));
    const t2 = (await get(`/api/v1/tasks?documentId=${ids.docA}&limit=500`, rst)).body.items.find((t: any) => t.title.startsWith('（二）'));
    ids.t1 = t1.id;
    ids.yingxian = await unitId('county.140622');
    for (const [task, token, values] of [
      [t1, nynct, [{ indicator: '', value: 6 }]],
      [t2, rst, [{ indicator: '', value: 1, unitId: ids.yingxian }]],
    ] as const) {
      const full = (await get(`/api/v1/tasks/${task.id}`, token)).body;
      expect((await post(`/api/v1/tasks/${task.id}/accept`, { version: full.version }, token)).status).toBe(200);
      const indicator = full.targets[0].indicator;
      const periods = (await get(`/api/v1/tasks/${task.id}/periods`, token)).body;
      const open = periods.find((p: any) => p.status === 'open');
      const sub = await post(`/api/v1/tasks/${task.id}/periods/${open.id}/submissions`, { progress: '进展', values: values.map((v) => ({ ...v, indicator })) }, token);
      expect(sub.status).toBe(201);
      expect((await post(`/api/v1/submissions/${sub.body.id}/review`, { version: sub.body.version, decision: 'approve' })).status).toBe(200);
    }

    // Fixtures: vary states, due dates, close-outs, submissions and escalations of every other task.
    const rnd = prng(20261123);
    const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const coordId = (await db.query(`select id from users where username = 'coordinator'`))[0].id;
    const others: { id: string; created_at: Date }[] = await db.query(`select id, created_at from tasks where id <> all($1::uuid[]) order by id`, [[t1.id, t2.id]]);
    const dues = ['2026-06-30', '2026-09-30', '2026-11-20', '2026-11-24', '2026-11-27', '2026-11-30', '2026-12-31', '2027-03-31', null];
    for (const t of others) {
      const status = pickOf(STATES);
      const closedAt = status === 'closed' ? pickOf(['2026-04-15T03:00:00Z', '2026-08-03T16:30:00Z', '2026-09-30T17:00:00Z', '2026-11-02T01:00:00Z']) : null;
      await db.query(
        `update tasks set status = $2::varchar, due_on = $3, closed_at = $4, suspended_from = case when $2::varchar = 'suspended' then 'in_progress' end where id = $1`,
        [t.id, status, pickOf(dues), closedAt],
      );
      const leads: { unit_id: string }[] = await db.query(`select unit_id from task_units where task_id = $1 and role = 'lead'`, [t.id]);
      const periods: { id: string; due_on: string }[] = await db.query(`select id, due_on::text as due_on from report_periods where task_id = $1 order by starts_on`, [t.id]);
      for (const p of periods) {
        const fate = rnd();
        if (fate < 0.3) continue; // nothing submitted
        const late = fate < 0.5;
        const day = late ? '2026-11-10' : p.due_on < TODAY ? p.due_on : '2026-11-02';
        const revisions = rnd() < 0.3 ? 2 : 1;
        for (let rev = 1; rev <= revisions; rev++) {
          const status = rev < revisions ? 'returned' : pickOf(['submitted', 'approved', 'returned']);
          // 23:30 Shanghai on the day: still that day in China, the day before in UTC.
          await db.query(
            `insert into report_submissions (period_id, task_id, revision, unit_id, status, progress, submitted_by, submitted_at)
             values ($1, $2, $3::int, $4, $5, '进展', $6, ($7::date + time '15:30')::timestamptz + ($3::int - 1) * interval '1 day')`,
            [p.id, t.id, rev, leads[0].unit_id, status, coordId, day],
          );
        }
      }
      const levels = Math.floor(rnd() * 4);
      for (let level = 1; level <= levels; level++) {
        await db.query(
          `insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at, resolved_at)
           values ('task_due', $1, $1, $2::int, '2026-11-01', $2::int * 3, now(), $3)`,
          [t.id, level, rnd() < 0.3 ? new Date().toISOString() : null],
        );
      }
    }
    // One task due in 4 working days, alone in its cell of the grid: the light test moves the clock over it.
    ids.yellow = (await db.query(`select t.id from tasks t join measures m on m.id = t.measure_id where t.document_id = $1 and m.no = 1`, [ids.docB]))[0].id;
    await db.query(`update tasks set status = 'in_progress', due_on = '2026-11-27', closed_at = null, suspended_from = null where id = $1`, [ids.yellow]);
    await db.query(`delete from escalations where task_id = $1`, [ids.yellow]); // its light follows the due date alone
    raw = await readRaw();
  }, 120_000);
  afterAll(async () => api.close());

  const everything = () => true;

  it('has a dataset that exercises every figure', () => {
    expect(raw.tasks.length).toBeGreaterThan(120);
    const e = expectedSummary(raw, cal, 'all', {}, everything).all;
    expect(e.lights).toEqual({ green: expect.any(Number), yellow: expect.any(Number), red: expect.any(Number) });
    for (const k of ['red', 'yellow', 'green'] as const) expect((e.lights as any)[k]).toBeGreaterThan(0);
    for (const f of ['missedReports', 'openEscalations', 'reportsOnTime', 'closedTasks', 'returnedSubmissions']) expect([f, e[f]]).toEqual([f, expect.any(Number)]);
    expect(e.missedReports as number).toBeGreaterThan(0);
    expect(e.reportsDue as number).toBeGreaterThan(e.reportsOnTime as number);
    expect(e.closedTasks as number).toBeGreaterThan(0);
  });

  const cases: [string, string, () => Filter][] = [
    ['all', 'everything', () => ({})],
    ['document', 'everything', () => ({})],
    ['measure', 'everything', () => ({})],
    ['unit', 'everything', () => ({})],
    ['city', 'everything', () => ({})],
    ['county', 'everything', () => ({})],
    ['measure', 'document A', () => ({ documentId: ids.docA })],
    ['unit', 'document A, section 2', () => ({ documentId: ids.docA, section: 2 })],
    ['county', 'the city of 朔州', () => ({ cityId: raw.units.get(ids.yingxian)!.parent_id! })],
    ['all', 'led by 应县', () => ({ unitId: ids.yingxian })],
    ['unit', 'period 2026-Q3', () => ({ period: '2026-Q3' })],
    ['all', 'period 2026-Q3', () => ({ period: '2026-Q3' })],
  ];
  it.each(cases)('summary by %s (%s) matches the figures computed from the raw rows', async (by, _name, filterOf) => {
    const filter = filterOf();
    const qs = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const res = await get(`/api/v1/tracking/summaries/${by}?${qs}`);
    expect(res.status).toBe(200);
    const got = Object.fromEntries(res.body.rows.map((r: any) => [r.key, pick(r)]));
    const want = expectedSummary(raw, cal, by, filter, everything);
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(got).toEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, pick(v)])));
    // Labels from the raw rows, and the documented order: most overdue first, then the label in
    // Chinese order, then the key.
    const labels: [string, string][] = await db.query(
      by === 'measure'
        ? `select m.id::text as k, coalesce(d.doc_number, '') || m.label as l from measures m join documents d on d.id = m.document_id`
        : by === 'document'
          ? `select id::text as k, coalesce(doc_number, title, id::text) as l from documents`
          : by === 'all'
            ? `select 'all' as k, '全部' as l`
            : `select id::text as k, short_name as l from units`,
    ).then((rs: { k: string; l: string }[]) => rs.map((r): [string, string] => [r.k, r.l]));
    const labelOf = new Map(labels);
    expect(res.body.rows.map((r: any) => [r.key, r.label])).toEqual(res.body.rows.map((r: any) => [r.key, labelOf.get(r.key)]));
    const zh = new Intl.Collator('zh-CN');
    const ordered = [...res.body.rows].sort((a: any, b: any) => b.overdueTasks - a.overdueTasks || zh.compare(a.label, b.label) || new Intl.Collator().compare(a.key, b.key));
    expect(res.body.rows.map((r: any) => r.key)).toEqual(ordered.map((r: any) => r.key));
  });

  it('limits a city bureau and a unit to their scope', async () => {
    const scopeOf = (unit: string, city: boolean) => (taskId: string) =>
      raw.taskUnits.some((tu) => tu.task_id === taskId && (tu.unit_id === unit || (city && raw.units.get(tu.unit_id)!.parent_id === unit)));
    const shuozhou = (await db.query(`select id from units where code = 'city.140600'`))[0].id;
    const nynct = (await db.query(`select unit_id from users where username = 'nynct.officer'`))[0].unit_id;
    for (const [user, scope] of [
      ['shuozhou.officer', scopeOf(shuozhou, true)],
      ['nynct.officer', scopeOf(nynct, false)],
    ] as const) {
      const token = await api.login(user);
      for (const by of ['unit', 'county', 'all']) {
        const res = await get(`/api/v1/tracking/summaries/${by}`, token);
        expect(res.status).toBe(200);
        const want = expectedSummary(raw, cal, by, {}, scope);
        expect([user, by, Object.fromEntries(res.body.rows.map((r: any) => [r.key, pick(r)]))]).toEqual([user, by, Object.fromEntries(Object.entries(want).map(([k, v]) => [k, pick(v)]))]);
      }
      const all = expectedSummary(raw, cal, 'all', {}, everything).all.tasks as number;
      const own = expectedSummary(raw, cal, 'all', {}, scope).all?.tasks ?? 0;
      expect(own).toBeLessThan(all);
    }
  });

  it('derives lights from the clock: moving time turns green to yellow to red', async () => {
    const gridNow = (await get(`/api/v1/tracking/grid?documentId=${ids.docB}`)).body;
    expect(gridNow.measures.map((m: any) => m.light).length).toBe(3);
    const yellowTask = raw.tasks.find((t) => t.id === ids.yellow)!;
    const lightOf = async () => {
      const g = (await get(`/api/v1/tracking/grid?documentId=${yellowTask.document_id}`)).body;
      const units = raw.taskUnits.filter((tu) => tu.task_id === yellowTask.id && tu.role === 'lead').map((tu) => tu.unit_id);
      const siblings = raw.tasks.filter((t) => t.measure_id === yellowTask.measure_id && raw.taskUnits.some((tu) => tu.task_id === t.id && tu.role === 'lead' && tu.unit_id === units[0]));
      expect(siblings).toHaveLength(1);
      return g.cells.find((c: any) => c.measureId === yellowTask.measure_id && c.unitId === units[0]).light;
    };
    expect(await lightOf()).toBe('yellow');
    clock.set(new Date(at('2026-11-30')));
    expect(await lightOf()).toBe('red');
    clock.set(new Date(at('2026-10-01')));
    expect(await lightOf()).toBe('green');
    clock.set(new Date(at(TODAY)));
  });

  it('turns a task red while a 督办 of level 2 or above is open on it, whatever its due date', async () => {
    const task = raw.tasks.find((t) => t.id === ids.yellow)!;
    const units = raw.taskUnits.filter((tu) => tu.task_id === task.id && tu.role === 'lead').map((tu) => tu.unit_id);
    const cell = async () => (await get(`/api/v1/tracking/grid?documentId=${task.document_id}`)).body.cells.find((c: any) => c.measureId === task.measure_id && c.unitId === units[0]);
    expect((await cell()).light).toBe('yellow');
    const [esc] = await db.query(
      `insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at)
       values ('period_due', gen_random_uuid(), $1, 2, '2026-11-13', 3, now()) returning id`,
      [task.id],
    );
    try {
      expect(await cell()).toEqual(expect.objectContaining({ light: 'red', overdueTasks: 0 }));
      await db.query(`update escalations set level = 1 where id = $1`, [esc.id]);
      expect((await cell()).light).toBe('yellow'); // level 1 goes to the unit head only
      await db.query(`update escalations set level = 2, resolved_at = now() where id = $1`, [esc.id]);
      expect((await cell()).light).toBe('yellow'); // resolved: the light follows the due date again
    } finally {
      await db.query(`delete from escalations where id = $1`, [esc.id]);
    }
  });

  it('gives each measure of the grid the worst light of its tasks', async () => {
    const g = (await get(`/api/v1/tracking/grid?documentId=${ids.docA}`)).body;
    const byMeasure = expectedSummary(raw, cal, 'measure', { documentId: ids.docA }, everything);
    expect(Object.fromEntries(g.measures.map((m: any) => [m.id, m.light]))).toEqual(Object.fromEntries(Object.entries(byMeasure).map(([k, v]) => [k, v.light])));
    for (const m of g.measures) {
      const cells = g.cells.filter((c: any) => c.measureId === m.id).map((c: any) => c.light);
      const worst = cells.includes('red') ? 'red' : cells.includes('yellow') ? 'yellow' : 'green';
      expect(m.light).toBe(worst);
    }
    expect(g.units.length).toBeGreaterThan(100);
    // Cells in (measure, unit) order.
    const order = (c: any) => [c.measureId, c.unitId];
    const sortedCells = [...g.cells].sort((a: any, b: any) => (order(a)[0] !== order(b)[0] ? (order(a)[0] < order(b)[0] ? -1 : 1) : order(a)[1] < order(b)[1] ? -1 : order(a)[1] > order(b)[1] ? 1 : 0));
    expect(g.cells.map(order)).toEqual(sortedCells.map(order));
  });

  it('shows target progress: 5 -> 8 with 6 approved is a third; per county with the silent counties listed', async () => {
    const res = await get(`/api/v1/tracking/targets?documentId=${ids.docA}`);
    expect(res.status).toBe(200);
    const firms = res.body.find((t: any) => t.measureLabel === '（一）');
    expect(firms).toMatchObject({ baseline: 5, target: 8, latest: 6, perCounty: false });
    expect(firms.share).toBeCloseTo(1 / 3, 10);
    const brands = res.body.find((t: any) => t.measureLabel === '（二）');
    const keyCounties: { id: string; short_name: string }[] = await db.query(`select id, short_name from units where kind = 'county' and key_assisted and active`);
    expect(brands.perCounty).toBe(true);
    expect(brands.counties).toHaveLength(keyCounties.length);
    expect(brands.counties.find((c: any) => c.unitId === ids.yingxian)).toMatchObject({ latest: 1, share: 1 });
    expect(brands.share).toBeCloseTo(1 / keyCounties.length, 10);
    expect([...brands.silentCounties].sort()).toEqual(keyCounties.filter((c) => c.id !== ids.yingxian).map((c) => c.short_name).sort());
  });

  it('ranks units by the documented formula, with the breakdown', async () => {
    const res = await get('/api/v1/tracking/rankings');
    expect(res.status).toBe(200);
    const units = expectedSummary(raw, cal, 'unit', {}, everything);
    expect(res.body).toHaveLength(Object.keys(units).length);
    const unitOf = async (user: string): Promise<string> => (await db.query(`select unit_id from users where username = $1`, [user]))[0].unit_id;
    const nynct = await unitOf('nynct.officer');
    const rst = await unitOf('rst.officer');
    const keyCounties = Number((await db.query(`select count(*) as n from units where kind = 'county' and key_assisted and active`))[0].n);
    for (const row of res.body) {
      const u = units[row.unitId] as any;
      // The lead of a measure answers for its targets: 省农业农村厅 for 5 -> 8 (6 approved), 省人社厅 for
      // the per-county brands (one county of all key assisted counties so far); nobody else has targets.
      const target = row.unitId === nynct ? 1 / 3 : row.unitId === rst ? 1 / keyCounties : null;
      if (target === null) expect(row.targetShare).toBeNull();
      else expect(row.targetShare).toBeCloseTo(target, 10);
      // Defaults: 60 on-time, 40 targets, 0.5 per overdue working day, 2 per returned submission.
      const parts: [number, number][] = [];
      if (u.onTimeRate !== null) parts.push([60, u.onTimeRate]);
      if (row.targetShare !== null) parts.push([40, row.targetShare]);
      const w = parts.reduce((a, [x]) => a + x, 0);
      const base = w ? (100 * parts.reduce((a, [x, y]) => a + x * y, 0)) / w : 100;
      const expected = Math.round((base - 0.5 * u.overdueWorkingDays - 2 * u.returnedSubmissions) * 10) / 10;
      expect([row.name, row.score, row.breakdown.score]).toEqual([row.name, expected, expected]);
      expect(row.breakdown.overduePenalty).toBeCloseTo(0.5 * u.overdueWorkingDays, 5);
    }
    const scores = res.body.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(res.body[0].rank).toBe(1);
    expect((await get('/api/v1/tracking/rankings', await api.login('czt.officer'))).status).toBe(403);
  });

  it('lists overdue tasks and open escalations within scope', async () => {
    const overdue = (await get('/api/v1/tracking/overdue?limit=1000')).body;
    const want = raw.tasks.filter((t) => !['closed', 'suspended'].includes(t.status) && t.due_on && t.due_on < TODAY).map((t) => t.id).sort();
    expect(overdue.map((o: any) => o.taskId).sort()).toEqual(want);
    const dues = overdue.map((o: any) => o.dueOn);
    expect(dues).toEqual([...dues].sort());
    const esc = (await get('/api/v1/tracking/escalations')).body;
    const open = raw.escalations.filter((e) => !e.resolved_at);
    expect(new Set(esc.map((e: any) => e.taskId))).toEqual(new Set(open.map((e) => e.task_id)));
    for (const e of esc) expect(e.level).toBe(Math.max(...open.filter((o) => o.task_id === e.taskId).map((o) => o.level)));
    // Highest level first, then the earliest due; a limit keeps the head of that order.
    const order = esc.map((e: any) => `${9 - e.level}|${e.dueOn}`);
    expect(order).toEqual([...order].sort());
    const head = (await get('/api/v1/tracking/escalations?limit=2')).body;
    expect(head).toEqual(esc.slice(0, 2));
    expect((await get('/api/v1/tracking/escalations?limit=0')).status).toBe(400);
  });

  it('writes the bulletin (情况通报) as JSON, Markdown and .docx', async () => {
    const json = await get('/api/v1/tracking/bulletin?period=2026-Q3');
    expect(json.status).toBe(200);
    const totals = expectedSummary(raw, cal, 'all', { period: '2026-Q3' }, everything).all;
    expect(pick(json.body.totals)).toEqual(pick(totals));
    const lagging = Object.entries(expectedSummary(raw, cal, 'unit', { period: '2026-Q3' }, everything)).filter(([, u]) => (u.overdueTasks as number) > 0 || (u.missedReports as number) > 0);
    expect(json.body.laggingUnits.map((u: any) => u.key).sort()).toEqual(lagging.map(([k]) => k).sort());
    const level3 = await db.query(`select distinct task_id from escalations where level = 3 and resolved_at is null`);
    expect(json.body.escalations.map((e: any) => e.taskId).sort()).toEqual(level3.map((r: any) => r.task_id).sort());
    const [{ n: level3Total }] = await db.query(`select count(*)::int as n from escalations where level = 3 and resolved_at is null`);
    expect(json.body.escalationsTotal).toBe(level3Total);
    expect(json.body.ranking.length).toBeGreaterThan(0);

    const md = await get('/api/v1/tracking/bulletin?period=2026-Q3&format=md');
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.text).toContain('# 政策落实情况通报（2026-Q3）');
    expect(md.text).toContain(`纳入督办的任务共${String(totals.tasks)}项`);
    expect(md.text).toContain(`| 1 | ${json.body.ranking[0].name} | ${json.body.ranking[0].score} |`);

    const docx = await api.app.inject({ method: 'GET', url: '/api/v1/tracking/bulletin?period=2026-Q3&format=docx', headers: { authorization: `Bearer ${coordinator}` } });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toContain(encodeURIComponent('情况通报-2026-Q3.docx'));
    const text = (await mammoth.extractRawText({ buffer: docx.rawPayload })).value;
    expect(text).toContain('政策落实情况通报（2026-Q3）');
    expect(text).toContain('四、考核排名');
    expect(text).toContain(json.body.ranking[0].name);
  });

  it('exports the ledger (台账) as .xlsx with Chinese headers and as CSV, filtered and scoped', async () => {
    const xlsx = await api.app.inject({ method: 'GET', url: `/api/v1/tracking/ledger?documentId=${ids.docA}`, headers: { authorization: `Bearer ${coordinator}` } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const sheet = wb.getWorksheet('台账')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 6)).toEqual(['文号', '文件标题', '来源', '篇章', '举措序号']);
    const docATasks = raw.tasks.filter((t) => t.document_id === ids.docA);
    expect(sheet.actualRowCount - 1).toBe(docATasks.length);
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    let red = 0;
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(col('信号灯')).value === '逾期或督办') red++;
    });
    expect(red).toBe((expectedSummary(raw, cal, 'all', { documentId: ids.docA }, everything).all.lights as { red: number }).red);

    const csv = await get(`/api/v1/tracking/ledger?format=csv`, await api.login('shuozhou.officer'));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows: string[][] = parseCsv(csv.text.replace(/^\ufeff/, ''));
    expect(rows[0][0]).toBe('文号');
    const shuozhou = (await db.query(`select id from units where code = 'city.140600'`))[0].id;
    const inCity = raw.tasks.filter((t) => raw.taskUnits.some((tu) => tu.task_id === t.id && (tu.unit_id === shuozhou || raw.units.get(tu.unit_id)!.parent_id === shuozhou)));
    expect(rows.length - 1).toBe(inCity.length);
    const missed = rows.slice(1).reduce((a, r) => a + Number(r[rows[0].indexOf('未报期数')]), 0);
    const scope = (taskId: string) => inCity.some((t) => t.id === taskId);
    expect(missed).toBe(expectedSummary(raw, cal, 'all', {}, scope).all.missedReports);
  });

  /** Every case above and the two scoped users, against the oracle at `today` on the rows `rows`. */
  async function expectAllSummaries(rows: Raw, today: string): Promise<void> {
    for (const [by, name, filterOf] of cases) {
      const filter = filterOf();
      const qs = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const res = await get(`/api/v1/tracking/summaries/${by}?${qs}`);
      expect(res.status).toBe(200);
      const want = expectedSummary(rows, cal, by, filter, everything, today);
      expect([today, by, name, Object.fromEntries(res.body.rows.map((r: any) => [r.key, pick(r)]))]).toEqual([today, by, name, Object.fromEntries(Object.entries(want).map(([k, v]) => [k, pick(v)]))]);
    }
    const shuozhou = (await db.query(`select id from units where code = 'city.140600'`))[0].id;
    const nynct = (await db.query(`select unit_id from users where username = 'nynct.officer'`))[0].unit_id;
    const scopeOf = (unit: string, city: boolean) => (taskId: string) =>
      rows.taskUnits.some((tu) => tu.task_id === taskId && (tu.unit_id === unit || (city && rows.units.get(tu.unit_id)!.parent_id === unit)));
    for (const [user, scope] of [
      ['shuozhou.officer', scopeOf(shuozhou, true)],
      ['nynct.officer', scopeOf(nynct, false)],
    ] as const) {
      const token = await api.login(user);
      for (const [by, filter] of [
        ['unit', {}],
        ['county', {}],
        ['all', {}],
        ['document', {}],
        ['unit', { period: '2026-Q3' }],
      ] as const) {
        const qs = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
        const res = await get(`/api/v1/tracking/summaries/${by}?${qs}`, token);
        const want = expectedSummary(rows, cal, by, filter, scope, today);
        if (process.env.DEBUG_TRACKING) console.log(today, user, by, JSON.stringify(filter));
        expect([today, user, by, filter, Object.fromEntries(res.body.rows.map((r: any) => [r.key, pick(r)]))]).toEqual([today, user, by, filter, Object.fromEntries(Object.entries(want).map(([k, v]) => [k, pick(v)]))]);
      }
    }
  }

  it('gives the same figures from the read model once the worker folds changes in, while writes wait to be folded, and as the clock moves past its day (decision 51)', async () => {
    const state = async () =>
      (await db.query(`select as_of::text, needs_rebuild, (select count(*)::int from tracking_dirty) as dirty, (select count(*)::int from task_facts) as facts, (select count(*)::int from tracking_rollup) as rollups from tracking_state`))[0];
    const before = await state();
    // Nothing was folded yet: every read so far added the live figures of all (dirty) tasks.
    expect(before).toMatchObject({ needs_rebuild: false, facts: 0, rollups: 0 });
    expect(before.dirty).toBeGreaterThan(raw.tasks.length);
    const others = async () => ({
      targets: (await get('/api/v1/tracking/targets')).body,
      rankings: (await get('/api/v1/tracking/rankings')).body,
      grid: (await get(`/api/v1/tracking/grid?documentId=${ids.docA}`)).body,
      bulletin: (await get('/api/v1/tracking/bulletin?period=2026-Q3')).body,
    });
    const unfolded = await others();
    expect(unfolded.targets.length).toBeGreaterThan(0);
    const refresh = api.app.get(TrackingRefreshService);
    const out = await refresh.refresh({ batchSize: 40 });
    expect(out).toMatchObject({ busy: false, remaining: 0, rebuilt: false });
    expect(out.folded).toBeGreaterThanOrEqual(raw.tasks.length);
    expect(await state()).toMatchObject({ as_of: TODAY, dirty: 0, facts: raw.tasks.length });
    expect((await state()).rollups).toBeGreaterThan(0);
    // Roll-ups and facts alone: the same figures, targets, ranking, grid and bulletin.
    await expectAllSummaries(raw, TODAY);
    expect(await others()).toEqual(unfolded);
    // The clock moves, the model stays on its day: the tasks dated in between are recomputed live.
    for (const day of ['2026-11-27', '2026-11-30', '2026-10-01', '2026-12-22']) {
      clock.set(new Date(at(day)));
      await expectAllSummaries(raw, day);
    }
    // A refresh moves the model's day; then nothing is dirty and the roll-ups answer alone again.
    await refresh.refresh();
    expect(await state()).toMatchObject({ as_of: '2026-12-22', dirty: 0 });
    await expectAllSummaries(raw, '2026-12-22');
    clock.set(new Date(at(TODAY)));
    await refresh.refresh();
    expect(await state()).toMatchObject({ as_of: TODAY, dirty: 0 });
    await expectAllSummaries(raw, TODAY);

    // Writes not yet folded: a close-out, a reassignment of the lead, a new submission, a resolved 督办, a deleted task.
    const [victim, moved, reported, resolved, deleted] = raw.tasks.filter((t) => t.status === 'in_progress' || t.status === 'accepted').map((t) => t.id);
    const daxian = await unitId('county.140621');
    await db.transaction(async (m) => {
      await m.query(`update tasks set status = 'closed', closed_at = '2026-11-20T03:00:00Z' where id = $1`, [victim]);
      await m.query(`update task_units set unit_id = $2 where task_id = $1 and role = 'lead' and unit_id = (select unit_id from task_units where task_id = $1 and role = 'lead' order by unit_id limit 1)`, [moved, daxian]);
      const period = (await m.query(`select id from report_periods where task_id = $1 and due_on < $2 order by due_on limit 1`, [reported, TODAY]))[0];
      if (period) {
        await m.query(
          `insert into report_submissions (period_id, task_id, revision, unit_id, status, progress, submitted_by, submitted_at)
           select $1, $2, coalesce(max(revision), 0) + 1, (select unit_id from task_units where task_id = $2 and role = 'lead' limit 1), 'returned', '补报', (select id from users where username = 'coordinator'), '2026-11-21T02:00:00Z'
             from report_submissions where period_id = $1`,
          [period.id, reported],
        );
      }
      await m.query(`update escalations set resolved_at = now() where task_id = $1 and resolved_at is null`, [resolved]);
      await m.query(`delete from tasks where id = $1`, [deleted]);
    });
    const changed = await readRaw();
    expect((await state()).dirty).toBeGreaterThan(0);
    await expectAllSummaries(changed, TODAY);
    await refresh.refresh();
    expect((await state()).dirty).toBe(0);
    await expectAllSummaries(changed, TODAY);
    expect((await state()).facts).toBe(changed.tasks.length);
  });

  it('ranks a county that leads a measure with a per-county target on its own share: unfolded, folded and while the model is rebuilt', async () => {
    // 应县 becomes a lead of a task of （二） (per county; 应县 approved 1 of 1): its share is its own 1,
    // not the target's overall 1/40. Expected shares are recomputed here from the lead rows and the
    // targets view (checked above): per unit, the mean over the targets of the measures it leads.
    const yingxian = ids.yingxian;
    const [brands] = await db.query(`select m.id from measures m where m.document_id = $1 and m.label = '（二）'`, [ids.docA]);
    const [task] = await db.query(`select id, due_on from tasks where measure_id = $1 order by id limit 1`, [brands.id]);
    await db.query(`insert into task_units (task_id, unit_id, role, due_on) values ($1, $2, 'lead', $3) on conflict (task_id, unit_id) do update set role = 'lead'`, [task.id, yingxian, task.due_on]);
    const expected = async (): Promise<Record<string, number | null>> => {
      const targets = (await get('/api/v1/tracking/targets')).body as { measureId: string; perCounty: boolean; share: number | null; counties: { unitId: string; share: number | null }[] }[];
      const leads: { measure_id: string; unit_id: string }[] = await db.query(`select distinct t.measure_id, tu.unit_id from tasks t join task_units tu on tu.task_id = t.id and tu.role = 'lead'`);
      const acc: Record<string, { sum: number; n: number }> = {};
      for (const l of leads) {
        for (const t of targets.filter((x) => x.measureId === l.measure_id)) {
          const own = t.perCounty ? t.counties.find((c) => c.unitId === l.unit_id) : undefined;
          const a = (acc[l.unit_id] ??= { sum: 0, n: 0 });
          a.sum += own ? (own.share ?? 0) : (t.share ?? 0);
          a.n++;
        }
      }
      return Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, v.sum / v.n]));
    };
    const shares = async (): Promise<Record<string, number | null>> => {
      const res = await get('/api/v1/tracking/rankings');
      expect(res.status).toBe(200);
      return Object.fromEntries((res.body as { unitId: string; targetShare: number | null }[]).flatMap((r) => (r.targetShare === null ? [] : [[r.unitId, Number(r.targetShare.toFixed(12))]])));
    };
    const round = (o: Record<string, number | null>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? null : Number(v.toFixed(12))]));
    const want = round(await expected());
    expect(want[yingxian]).toBe(1);
    // Unfolded (the lead row is dirty), then folded, then with the model being rebuilt (base tables).
    expect(await shares()).toEqual(want);
    await api.app.get(TrackingRefreshService).refresh();
    expect((await db.query(`select count(*)::int as n from tracking_dirty`))[0].n).toBe(0);
    expect(await shares()).toEqual(want);
    await db.query(`update tracking_state set needs_rebuild = true`);
    try {
      expect(await shares()).toEqual(want);
    } finally {
      await db.query(`update tracking_state set needs_rebuild = false`);
      await api.app.get(TrackingRefreshService).refresh();
    }
  });

  it('rejects bad filters with a Chinese 400 and answers unknown dimensions with 400', async () => {
    for (const url of [
      '/api/v1/tracking/summaries/planet',
      '/api/v1/tracking/summaries/unit?period=2026-Q5',
      '/api/v1/tracking/summaries/unit?section=2',
      '/api/v1/tracking/summaries/unit?documentId=not-a-uuid',
      '/api/v1/tracking/grid?section=0&documentId=' + ids.docA,
      '/api/v1/tracking/ledger?format=pdf',
      '/api/v1/tracking/ledger?section=1',
      '/api/v1/tracking/bulletin',
      '/api/v1/tracking/overdue?limit=0',
    ]) {
      const res = await get(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
