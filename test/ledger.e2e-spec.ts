import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { CalendarService, ManualClock, type WorkingCalendar } from '../libs/calendar/src';
import { LedgerService, type Actor } from '../libs/domain/src';
import { startApi, type TestApi } from './support/test-app';

/**
 * The 台账 ledger, every cell of every row: a dataset built through the API (two documents, a form
 * campaign sent to three city bureaus, pairings and their annual visits, reports, reviews) and varied
 * by seeded fixtures (states, due dates, close-outs, submissions with late and returned revisions,
 * escalations); each export, as .xlsx read back with exceljs and as CSV read with csv-parse, is
 * compared with rows computed here from the raw database rows, for filters and scopes.
 */

const at = (date: string): string => `${date}T02:00:00Z`; // 10:00 in Shanghai
const TODAY = '2026-11-23';
const STATES = ['assigned', 'accepted', 'in_progress', 'completion_requested', 'closed', 'suspended'] as const;
const shanghaiDay = (d: Date | string): string => new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

const HEADER = ['文号', '文件标题', '来源', '篇章', '举措序号', '任务', '牵头单位', '配合单位', '状态', '截止日期', '信号灯', '逾期工作日', '应报期数', '按时报送期数', '未报期数', '退回次数', '督办级别', '销号日期'];
const STATUS: Record<string, string> = { assigned: '待签收', accepted: '已签收', in_progress: '办理中', completion_requested: '申请办结', closed: '已销号', suspended: '已挂起' };
const ORIGIN: Record<string, string> = { measure: '举措', form: '报表征集', visit: '结对互访' };
const LIGHT = { green: '正常推进', yellow: '临近截止', red: '逾期或督办' };
const PERIODS: Record<string, [string, string]> = { '2026-Q3': ['2026-07-01', '2026-09-30'] };
const NUMERIC = ['逾期工作日', '应报期数', '按时报送期数', '未报期数', '退回次数'];

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

interface Task {
  id: string;
  document_id: string;
  origin: string;
  measure_id: string | null;
  form_campaign_id: string | null;
  pairing_id: string | null;
  title: string;
  status: string;
  due_on: string | null;
  closed_at: Date | null;
}

interface Raw {
  tasks: Task[];
  documents: Map<string, { doc_number: string | null; title: string | null }>;
  measures: Map<string, { no: number; label: string; section_no: number | null; section_heading: string | null }>;
  campaigns: Map<string, { title: string }>;
  pairings: Map<string, { city_id: string; helper_id: string; assisted_id: string }>;
  units: Map<string, { id: string; parent_id: string | null; short_name: string }>;
  taskUnits: { task_id: string; unit_id: string; role: string }[];
  periods: { id: string; task_id: string; starts_on: string; ends_on: string; due_on: string }[];
  subs: { period_id: string; submitted_at: Date; status: string }[];
  escalations: { task_id: string; level: number; resolved_at: Date | null }[];
}

interface Filter {
  documentId?: string;
  section?: number;
  unitId?: string;
  cityId?: string;
  period?: string;
}

/** Who sees a task: everything, the tasks a unit takes part in, or the tasks of any unit of a city. */
type Scope = { all: true } | { unitId: string } | { cityId: string };

interface Expected {
  cells: string[];
  /** The order the ledger promises: document number, document, measure number (tasks without one last), origin, campaign, visit title. */
  order: (string | number)[];
}

/** The ledger rows computed from the raw rows, in no particular order. */
function expectedLedger(raw: Raw, cal: WorkingCalendar, filter: Filter, scope: Scope): Expected[] {
  const warnUntil = cal.addWorkingDays(TODAY, 5);
  const unitsOf = (taskId: string, role?: string) => raw.taskUnits.filter((tu) => tu.task_id === taskId && (!role || tu.role === role)).map((tu) => raw.units.get(tu.unit_id)!);
  const inCity = (u: { id: string; parent_id: string | null }, city: string) => u.id === city || u.parent_id === city;
  const range = filter.period ? PERIODS[filter.period] : null;
  const visible = (t: Task): boolean =>
    'all' in scope ? true : 'unitId' in scope ? unitsOf(t.id).some((u) => u.id === scope.unitId) : unitsOf(t.id).some((u) => inCity(u, scope.cityId));
  const measureOf = (t: Task) => (t.measure_id ? raw.measures.get(t.measure_id)! : null);
  const tasks = raw.tasks.filter(
    (t) =>
      visible(t) &&
      (!filter.documentId || t.document_id === filter.documentId) &&
      (filter.section === undefined || measureOf(t)?.section_no === filter.section) &&
      (!filter.unitId || unitsOf(t.id, 'lead').some((u) => u.id === filter.unitId)) &&
      (!filter.cityId || unitsOf(t.id, 'lead').some((u) => inCity(u, filter.cityId!))),
  );
  return tasks.map((t) => {
    const doc = raw.documents.get(t.document_id)!;
    const m = measureOf(t);
    const open = t.status !== 'closed' && t.status !== 'suspended';
    const openLevels = raw.escalations.filter((e) => e.task_id === t.id && !e.resolved_at).map((e) => e.level);
    const level = openLevels.length ? Math.max(...openLevels) : null;
    const light = !open ? 'green' : (t.due_on && t.due_on < TODAY) || (level ?? 0) >= 2 ? 'red' : t.due_on && t.due_on <= warnUntil ? 'yellow' : 'green';
    const closedDay = t.closed_at ? shanghaiDay(t.closed_at) : null;
    let due = 0;
    let onTime = 0;
    let missed = 0;
    let returned = 0;
    for (const p of raw.periods.filter((x) => x.task_id === t.id)) {
      if (closedDay && p.starts_on > closedDay) continue; // owed nothing after the close-out
      if (range && (p.ends_on < range[0] || p.ends_on > range[1])) continue;
      const subs = raw.subs.filter((s) => s.period_id === p.id);
      returned += subs.filter((s) => s.status === 'returned').length;
      if (p.due_on >= TODAY) continue;
      due++;
      const first = subs.length ? subs.map((s) => shanghaiDay(s.submitted_at)).sort()[0] : null;
      if (!first) missed++;
      else if (first <= p.due_on) onTime++;
    }
    let label = '';
    if (m) label = m.label;
    else if (t.form_campaign_id) label = raw.campaigns.get(t.form_campaign_id)!.title;
    else if (t.pairing_id) {
      const p = raw.pairings.get(t.pairing_id)!;
      const name = (id: string) => raw.units.get(id)!.short_name;
      label = `${name(p.city_id)}：${name(p.helper_id)}结对帮扶${name(p.assisted_id)}`;
    }
    const names = (role: string) => unitsOf(t.id, role).map((u) => u.short_name).sort().join('、');
    const cells = [
      doc.doc_number ?? '',
      doc.title ?? '',
      ORIGIN[t.origin],
      m?.section_heading ?? '',
      label,
      t.title,
      names('lead'),
      names('cooperating'),
      STATUS[t.status],
      t.due_on ?? '',
      LIGHT[light],
      light === 'red' && t.due_on ? cal.workingDaysBetween(t.due_on, TODAY) : 0,
      due,
      onTime,
      missed,
      returned,
      level ?? '',
      closedDay ?? '',
    ].map(String);
    const order = [doc.doc_number ?? '\uffff', t.document_id, m ? m.no : Number.MAX_SAFE_INTEGER, t.origin, t.form_campaign_id ? raw.campaigns.get(t.form_campaign_id)!.title : '', t.origin === 'visit' ? t.title : ''];
    return { cells, order };
  });
}

/** Identifies a row: document, 举措序号, task title and units (unique in this dataset, checked below). */
const identity = (cells: string[]): string => [cells[0], cells[4], cells[5], cells[6], cells[7]].join(' | ');

const compareOrder = (a: (string | number)[], b: (string | number)[]): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
};

describe('the 台账 ledger: every figure of every row, for measure, form and visit tasks', () => {
  const clock = new ManualClock(at('2026-03-02'));
  let api: TestApi;
  let db: DataSource;
  let cal: WorkingCalendar;
  let coordinator: string;
  let raw: Raw;
  const ids: Record<string, string> = {};

  const post = (url: string, body: unknown, token = coordinator) => api.request('POST', url, { token, body });
  const unitId = async (code: string): Promise<string> => (await db.query(`select id from units where code = $1`, [code]))[0].id;

  async function readRaw(): Promise<Raw> {
    const byId = (rows: { id: string }[]): Map<string, any> => new Map(rows.map((r) => [r.id, r]));
    return {
      tasks: await db.query(`select id, document_id, origin, measure_id, form_campaign_id, pairing_id, title, status, due_on::text as due_on, closed_at from tasks`),
      documents: byId(await db.query(`select id, doc_number, title from documents`)),
      measures: byId(await db.query(`select id, no, label, section_no, section_heading from measures`)),
      campaigns: byId(await db.query(`select id, title from form_campaigns`)),
      pairings: byId(await db.query(`select id, city_id, helper_id, assisted_id from pairings`)),
      units: byId(await db.query(`select id, parent_id, short_name from units`)),
      taskUnits: await db.query(`select task_id, unit_id, role from task_units`),
      periods: await db.query(`select id, task_id, starts_on::text as starts_on, ends_on::text as ends_on, due_on::text as due_on from report_periods`),
      subs: await db.query(`select period_id, submitted_at, status from report_submissions`),
      escalations: await db.query(`select task_id, level, resolved_at from escalations`),
    };
  }

  /** The ledger as the API sends it, both formats, as rows of strings (header first). */
  async function ledger(query: string, token: string): Promise<{ xlsx: string[][]; csv: string[][] }> {
    const res = await api.app.inject({ method: 'GET', url: `/api/v1/tracking/ledger?format=xlsx&${query}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('台账')!;
    const xlsx: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      xlsx.push(HEADER.map((_, i) => row.getCell(i + 1).text));
      // The figures are numbers in the sheet (sums and filters work in Excel), not text.
      if (n > 1) for (const c of NUMERIC) expect([c, typeof row.getCell(HEADER.indexOf(c) + 1).value]).toEqual([c, 'number']);
    });
    const csvRes = await api.request('GET', `/api/v1/tracking/ledger?format=csv&${query}`, { token });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers['content-type']).toContain('text/csv');
    expect(csvRes.text.startsWith('\ufeff')).toBe(true);
    const csv: string[][] = parseCsv(csvRes.text.slice(1));
    return { xlsx, csv };
  }

  /** Checks both exports against the expected rows: same header, same rows (each cell), in the promised order. */
  async function check(name: string, filter: Filter, scope: Scope, token = coordinator): Promise<Expected[]> {
    const query = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const want = expectedLedger(raw, cal, filter, scope);
    const byIdentity = new Map(want.map((w) => [identity(w.cells), w]));
    expect([name, byIdentity.size]).toEqual([name, want.length]); // identities are unique
    const got = await ledger(query, token);
    for (const [format, rows] of Object.entries(got)) {
      expect([name, format, rows[0]]).toEqual([name, format, HEADER]);
      const body = rows.slice(1);
      const sorted = (xs: string[][]) => [...xs].sort((a, b) => identity(a).localeCompare(identity(b)));
      expect([name, format, sorted(body)]).toEqual([name, format, sorted(want.map((w) => w.cells))]);
      const orders = body.map((r) => byIdentity.get(identity(r))!.order);
      for (let i = 1; i < orders.length; i++) expect([name, format, i, compareOrder(orders[i - 1], orders[i]) <= 0]).toEqual([name, format, i, true]);
    }
    return want;
  }

  beforeAll(async () => {
    api = await startApi('ledger', { clock });
    db = api.app.get(DataSource);
    cal = await api.app.get(CalendarService).load();
    coordinator = await api.login('coordinator');
    const docA = [
      '督账〔2026〕1号',
      '关于台账测试的通知',
      '一、产业发展',
      '（一）培育龙头企业。（省农业农村厅牵头，省财政厅配合）',
      '（二）打造劳务品牌。（省人力资源社会保障厅牵头负责）',
      '二、基层治理',
      '（三）加强基层工作。（各县（市、区）负责）',
      '（四）完善资金机制。（省财政厅、省发展改革委按职责分工负责）',
    ].join('\n\n');
    const a = await post('/api/v1/documents', { text: docA });
    expect(a.status).toBe(201);
    ids.docA = a.body.id;
    expect((await post(`/api/v1/documents/${ids.docA}/publish`, { defaultDueOn: '2026-12-31' })).status).toBe(200);
    const b = await post('/api/v1/documents', { text: ['督账〔2026〕2号', '关于第二份文件的通知', '（一）朔州工作。（应县人民政府牵头负责）', '（二）大同工作。（大同市乡村振兴局牵头负责）', '（三）联合工作。（朔州市乡村振兴局牵头，应县人民政府配合）'].join('\n\n') });
    ids.docB = b.body.id;
    expect((await post(`/api/v1/documents/${ids.docB}/publish`, { defaultDueOn: '2026-09-30' })).status).toBe(200);
    for (const [k, code] of [
      ['shuozhouCity', 'city.140600'],
      ['datongCity', 'city.140200'],
      ['shuozhouBureau', 'citybureau.140600'],
      ['datongBureau', 'citybureau.140200'],
      ['taiyuanBureau', 'citybureau.140100'],
      ['yingxian', 'county.140622'],
      ['youyu', 'county.140623'],
      ['shuocheng', 'county.140602'],
      ['pinglu', 'county.140603'],
      ['guangling', 'county.140223'],
      ['pingcheng', 'county.140213'],
    ]) {
      ids[k] = await unitId(code);
    }
    ids.czt = (await db.query(`select unit_id from users where username = 'czt.officer'`))[0].unit_id;

    // A form campaign to three city bureaus (its title needs CSV quoting): 朔州 sends and is accepted,
    // 大同 sends and is returned, 太原 sends nothing.
    clock.set(new Date(at('2026-11-02')));
    const tpl = await post('/api/v1/form-templates', {
      title: '帮扶项目统计表',
      columns: [
        { label: '事项', type: 'text', required: true },
        { label: '数量', type: 'integer', required: true },
      ],
    });
    expect(tpl.status).toBe(201);
    const campaign = await post('/api/v1/form-campaigns', {
      templateId: tpl.body.id,
      documentId: ids.docA,
      title: '帮扶项目"双向"统计, 2026年',
      dueOn: '2026-11-20',
      unitIds: [ids.shuozhouBureau, ids.datongBureau, ids.taiyuanBureau],
    });
    expect(campaign.status).toBe(201);
    const send = (token: string, unit: string) =>
      post(`/api/v1/form-campaigns/${campaign.body.id}/submissions`, { header: { 填报单位: unit, 填报时间: '2026-11-05', 填表人: '张三', 联系方式: '13900000000' }, rows: [{ 事项: '产业项目', 数量: '3' }] }, token);
    clock.set(new Date(at('2026-11-05')));
    const sz = await send(await api.login('shuozhou.officer'), '朔州市乡村振兴局');
    expect(sz.status).toBe(201);
    expect((await post(`/api/v1/form-submissions/${sz.body.id}/review`, { version: sz.body.version, decision: 'accept' })).status).toBe(200);
    const dt = await send(await api.login('datong.officer'), '大同市乡村振兴局');
    expect(dt.status).toBe(201);
    expect((await post(`/api/v1/form-submissions/${dt.body.id}/review`, { version: dt.body.version, decision: 'return', comment: '数量有误' })).status).toBe(200);

    // Pairings (two in 朔州, one in 大同) and their 2026 visits; 应县's visit is recorded, which closes its task.
    clock.set(new Date(at('2026-11-02')));
    const pairing = async (assistedId: string, helperId: string): Promise<string> => {
      const res = await post('/api/v1/pairings', { assistedId, helperId, responsiblePerson: '负责人', responsibleTitle: '副县长', contactPhone: '13800000000', startsOn: '2026-01-01' });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    ids.yingxianPairing = await pairing(ids.yingxian, ids.shuocheng);
    await pairing(ids.youyu, ids.pinglu);
    await pairing(ids.guangling, ids.pingcheng);
    const issued = await post('/api/v1/pairings/visit-obligations', { year: 2026, documentId: ids.docA, dueOn: '2026-11-20' });
    expect(issued.body).toEqual({ created: 3, existing: 0 });
    clock.set(new Date(at('2026-11-10')));
    const visit = await post(`/api/v1/pairings/${ids.yingxianPairing}/work-records`, { area: 'visit', occurredOn: '2026-11-10', note: '主要领导互访' }, await api.login('yingxian.officer'));
    expect(visit.status).toBe(201);

    // Reports through the API: 农业农村厅 reports its first open period, approved.
    clock.set(new Date(at(TODAY)));
    const nynct = await api.login('nynct.officer');
    const t1 = (await api.request('GET', `/api/v1/tasks?documentId=${ids.docA}&limit=500`, { token: nynct })).body.items.find((t: any) => t.title.startsWith('（一）'));
    const full = (await api.request('GET', `/api/v1/tasks/${t1.id}`, { token: nynct })).body;
    expect((await post(`/api/v1/tasks/${t1.id}/accept`, { version: full.version }, nynct)).status).toBe(200);
    const open = (await api.request('GET', `/api/v1/tasks/${t1.id}/periods`, { token: nynct })).body.find((p: any) => p.status === 'open');
    const sub = await post(`/api/v1/tasks/${t1.id}/periods/${open.id}/submissions`, { progress: '进展' }, nynct);
    expect(sub.status).toBe(201);
    expect((await post(`/api/v1/submissions/${sub.body.id}/review`, { version: sub.body.version, decision: 'approve' })).status).toBe(200);

    // Fixtures on the measure tasks: states, due dates, close-outs, submissions (late, returned, at 23:30 Shanghai).
    const rnd = prng(20261124);
    const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const coordId = (await db.query(`select id from users where username = 'coordinator'`))[0].id;
    const measureTasks: { id: string }[] = await db.query(`select id from tasks where origin = 'measure' and id <> $1 order by id`, [t1.id]);
    const dues = ['2026-06-30', '2026-09-30', '2026-11-20', '2026-11-24', '2026-11-27', '2026-11-30', '2026-12-31', '2027-03-31', null];
    for (const t of measureTasks) {
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
        const day = fate < 0.5 ? '2026-11-10' : p.due_on < TODAY ? p.due_on : '2026-11-02';
        const revisions = rnd() < 0.3 ? 2 : 1;
        for (let rev = 1; rev <= revisions; rev++) {
          const st = rev < revisions ? 'returned' : pickOf(['submitted', 'approved', 'returned']);
          await db.query(
            `insert into report_submissions (period_id, task_id, revision, unit_id, status, progress, submitted_by, submitted_at)
             values ($1, $2, $3::int, $4, $5, '进展', $6, ($7::date + time '15:30')::timestamptz + ($3::int - 1) * interval '1 day')`,
            [p.id, t.id, rev, leads[0].unit_id, st, coordId, day],
          );
        }
      }
    }
    // Escalations on every kind of task, some resolved: the level column and the red light follow the open ones.
    const all: { id: string }[] = await db.query(`select id from tasks order by id`);
    for (const t of all) {
      const levels = Math.floor(rnd() * 4);
      for (let level = 1; level <= levels; level++) {
        await db.query(
          `insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at, resolved_at)
           values ('task_due', $1, $1, $2::int, '2026-11-01', $2::int * 3, now(), $3)`,
          [t.id, level, rnd() < 0.3 ? new Date().toISOString() : null],
        );
      }
    }
    raw = await readRaw();
  }, 180_000);
  afterAll(async () => api.close());

  it('has a dataset that exercises every column', () => {
    const rows = expectedLedger(raw, cal, {}, { all: true }).map((r) => r.cells);
    const col = (name: string) => rows.map((r) => r[HEADER.indexOf(name)]);
    expect(new Set(col('来源'))).toEqual(new Set(['举措', '报表征集', '结对互访']));
    expect(new Set(col('信号灯'))).toEqual(new Set(Object.values(LIGHT)));
    expect(new Set(col('状态'))).toEqual(new Set(Object.values(STATUS)));
    for (const c of ['逾期工作日', '应报期数', '按时报送期数', '未报期数', '退回次数', '督办级别']) expect([c, col(c).some((v) => v !== '' && v !== '0')]).toEqual([c, true]);
    expect(col('配合单位').some((v) => v !== '')).toBe(true);
    expect(col('牵头单位').some((v) => v.includes('、'))).toBe(true);
    expect(col('销号日期').some((v) => v !== '')).toBe(true);
    // The form tasks: one closed by acceptance, one reopened by the return, one untouched; the visits: one closed.
    const forms = raw.tasks.filter((t) => t.origin === 'form');
    expect(forms.map((t) => t.status).sort()).toEqual(['assigned', 'closed', 'in_progress']);
    expect(raw.tasks.filter((t) => t.origin === 'visit').map((t) => t.status).sort()).toEqual(['assigned', 'assigned', 'closed']);
  });

  it.each<[string, () => Filter]>([
    ['everything', () => ({})],
    ['document A (with its campaign and visits)', () => ({ documentId: ids.docA })],
    ['document A, section 1 (no form or visit task has a section)', () => ({ documentId: ids.docA, section: 1 })],
    ['document B', () => ({ documentId: ids.docB })],
    ['led by 应县', () => ({ unitId: ids.yingxian })],
    ['led in the city of 大同', () => ({ cityId: ids.datongCity })],
    ['led in the city of 朔州, document A', () => ({ cityId: ids.shuozhouCity, documentId: ids.docA })],
    ['period 2026-Q3 (report figures of the periods ending in it)', () => ({ period: '2026-Q3' })],
  ])('a coordinator exports %s: every cell matches the raw rows, as .xlsx and CSV', async (name, filterOf) => {
    const want = await check(name, filterOf(), { all: true });
    expect(want.length).toBeGreaterThan(0);
  });

  it('leaves form and visit tasks out of a section, and includes them otherwise', async () => {
    const origins = (f: Filter) => new Set(expectedLedger(raw, cal, f, { all: true }).map((r) => r.cells[2]));
    expect(origins({ documentId: ids.docA })).toEqual(new Set(['举措', '报表征集', '结对互访']));
    expect(origins({ documentId: ids.docA, section: 2 })).toEqual(new Set(['举措']));
    expect(origins({ unitId: ids.yingxian })).toEqual(new Set(['举措', '结对互访']));
    await check('section 2', { documentId: ids.docA, section: 2 }, { all: true });
  });

  it.each<[string, string, () => [Scope, Filter]]>([
    ['yingxian.officer', 'everything', () => [{ unitId: ids.yingxian }, {}]],
    ['yingxian.officer', 'document B', () => [{ unitId: ids.yingxian }, { documentId: ids.docB }]],
    ['czt.officer', 'everything', () => [{ unitId: ids.czt }, {}]],
    ['datong.officer', 'everything', () => [{ cityId: ids.datongCity }, {}]],
    ['shuozhou.officer', 'everything', () => [{ cityId: ids.shuozhouCity }, {}]],
    ['shuozhou.officer', 'period 2026-Q3', () => [{ cityId: ids.shuozhouCity }, { period: '2026-Q3' }]],
  ])('%s sees only their scope (%s)', async (user, name, scopeAndFilter) => {
    const [scope, filter] = scopeAndFilter();
    const want = await check(`${user}: ${name}`, filter, scope, await api.login(user));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(raw.tasks.length);
  });

  it('an officer of a county sees their visit and their measure tasks, nobody else’s', async () => {
    const token = await api.login('yingxian.officer');
    const { csv } = await ledger('', token);
    const rows = csv.slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(`${r[6]}|${r[7]}`).toContain('应县');
    const visit = rows.find((r) => r[2] === '结对互访')!;
    expect(visit).toEqual(expect.arrayContaining(['朔州市：朔城区结对帮扶应县', '2026年度结对帮扶主要领导互访：朔城区—应县', '已销号', '2026-11-10']));
    expect(rows.some((r) => r[2] === '报表征集')).toBe(false);
  });

  it('stops and gives its connection back when the reader goes away mid-download', async () => {
    const ledgerService = api.app.get(LedgerService);
    const [u] = await db.query(`select u.id, u.unit_id, u.roles, n.kind from users u join units n on n.id = u.unit_id where u.username = 'coordinator'`);
    const actor: Actor = { userId: u.id, username: 'coordinator', unitId: u.unit_id, unitKind: u.kind, cityId: null, roles: u.roles };
    const inTransaction = async (): Promise<number> =>
      Number((await db.query(`select count(*) as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`))[0].n);
    for (const format of ['csv', 'xlsx'] as const) {
      // Takes the first chunk, then the reader disconnects (Fastify destroys the stream) with more to come.
      let chunks = 0;
      const out = new Writable({
        highWaterMark: 1,
        write(_chunk, _enc, cb) {
          if (++chunks === 1) return cb();
          setImmediate(() => out.destroy());
        },
      });
      const run = format === 'csv' ? ledgerService.writeCsv(actor, {}, out) : ledgerService.writeXlsx(actor, {}, out);
      await expect(run).rejects.toMatchObject({ code: 'LEDGER_DOWNLOAD_ABORTED' });
      expect([format, await inTransaction()]).toEqual([format, 0]);
    }
  });
});
