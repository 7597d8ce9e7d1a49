import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Workbook } from 'exceljs';
import JSZip from 'jszip';
import { DataSource } from 'typeorm';
import { ManualClock } from '../libs/calendar/src';
import { RemindersService } from '../libs/domain/src';
import { multipartFile, REPO_ROOT, startApi, type TestApi } from './support/test-app';

/**
 * 晋乡振发〔2021〕29号 end to end: the notice's attached form becomes a template, a campaign goes to
 * the 11 city bureaus, cities upload .xlsx or send JSON (valid, invalid, late, returned and sent
 * again), the provincial roll-up is exported and read back, accepted forms update the pairing
 * registry (preview, then apply), and coverage decides whether the campaign may close.
 */
const SEED = readFileSync(resolve(REPO_ROOT, 'libs/policy-parser/test/fixtures/004_24f8692a3fe2826a.txt'), 'utf8');
const COLUMNS = ['市名', '重点帮扶县', '结对帮扶县', '具体负责人', '单位及职务', '联系方式', '备注'];
const TITLE = '全省市域内县际结对帮扶情况统计表';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Row = string[];

/** An upload in the official layout, built by hand with exceljs (independent of the code under test). */
async function officialXlsx(rows: Row[], opts: { columns?: string[]; header?: Record<string, string> } = {}): Promise<Buffer> {
  const header = { 填报单位: '朔州市乡村振兴局', 填报时间: '2021年8月20日', 填表人: '赵六', 联系方式: '0349-2021888', ...(opts.header ?? {}) };
  const wb = new Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow([TITLE]);
  ws.addRow([`填报单位：${header.填报单位}`, '', '', '', `填报时间：${header.填报时间}`]);
  ws.addRow(opts.columns ?? COLUMNS);
  for (const r of rows) ws.addRow(r);
  ws.addRow([]);
  ws.addRow([`填表人：${header.填表人}`, '', '', '', `联系方式：${header.联系方式}`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const SHUOZHOU_ROWS: Row[] = [
  ['朔州市', '应县', '朔城区', '王五', '朔城区人民政府 副区长', '13994996777', ''],
  ['朔州市', '右玉县', '平鲁区', '钱七', '平鲁区人民政府 副区长', '0349-6021234', '一对一'],
];

describe('pairing forms (晋乡振发〔2021〕29号)', () => {
  const clock = new ManualClock('2021-08-12T02:00:00Z');
  let api: TestApi;
  let db: DataSource;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let campaign: any;

  const fingerprint = async (): Promise<string> =>
    JSON.stringify(await db.query(`select (select count(*) from form_submissions) s, (select count(*) from audit_log) a, (select coalesce(sum(version), 0) from tasks) t, (select count(*) from pairings) p`));
  const upload = (token: string, buf: Buffer, name = 'form.xlsx', type = XLSX_TYPE) => {
    const m = multipartFile(name, buf, type);
    return api.request('POST', `/api/v1/form-campaigns/${campaign.id}/submissions/upload`, { token, body: m.body, headers: m.headers });
  };
  const unitId = async (code: string): Promise<string> => (await db.query(`select id from units where code = $1`, [code]))[0].id;

  beforeAll(async () => {
    api = await startApi('pairingforms', {
      clock,
      // Small zip-bomb limits keep the test cheap; 朔城区 may help 广灵县 (大同) as a configured exception.
      env: { FORM_XLSX_MAX_INFLATED_BYTES: String(1024 * 1024), FORM_XLSX_MAX_RATIO: '200', PAIRING_CROSS_CITY_EXCEPTIONS: 'county.140602>county.140223' },
    });
    db = api.app.get(DataSource);
    for (const u of ['coordinator', 'admin', 'auditor', 'shuozhou.officer', 'datong.officer', 'yingxian.officer', 'czt.officer']) t[u] = await api.login(u);
    // Officers for two more city bureaus.
    for (const [username, code] of [
      ['taiyuan.officer', 'citybureau.140100'],
      ['xinzhou.officer', 'citybureau.140900'],
    ]) {
      const res = await api.request('POST', '/api/v1/users', { token: t.admin, body: { username, displayName: username, password: 'a-long-password', unitId: await unitId(code), roles: ['officer'] } });
      expect(res.status).toBe(201);
      t[username] = await api.login(username, 'a-long-password');
    }
    // Import and publish the notice as the demo does (its measures name no leads: 各市乡村振兴局).
    let doc = (await api.request('POST', '/api/v1/documents', { token: t.coordinator, body: { text: SEED, filename: '004.txt' } })).body;
    for (const m of doc.measures.filter((x: any) => x.leads.length === 0)) {
      doc = (await api.request('PATCH', `/api/v1/documents/${doc.id}/measures/${m.no}`, { token: t.coordinator, body: { version: m.version, leads: ['各市乡村振兴局'], leadMode: 'respective' } })).body;
    }
    expect((await api.request('POST', `/api/v1/documents/${doc.id}/publish`, { token: t.coordinator, body: { defaultDueOn: '2021-12-31' } })).status).toBe(200);
    ids.doc = doc.id;
  });
  afterAll(async () => api.close());

  it('makes a pairing template from the notice and sends it to the 11 city bureaus as tasks', async () => {
    const tpl = await api.request('POST', '/api/v1/form-templates', { token: t.coordinator, body: { documentId: ids.doc } });
    expect(tpl.status).toBe(201);
    expect(tpl.body).toMatchObject({ title: TITLE, kind: 'pairing', headerFields: ['填报单位', '填报时间'], footerFields: ['填表人', '联系方式'], uniqueBy: ['重点帮扶县', '结对帮扶县'] });
    expect(tpl.body.columns.map((c: any) => c.label)).toEqual(COLUMNS);
    expect(tpl.body.columns.find((c: any) => c.label === '重点帮扶县')).toMatchObject({ type: 'unit', unitKind: 'county', keyAssisted: true, sameCityAs: '市名' });
    expect(tpl.body.columns.find((c: any) => c.label === '联系方式')).toMatchObject({ type: 'phone', required: true });
    ids.template = tpl.body.id;

    const res = await api.request('POST', '/api/v1/form-campaigns', { token: t.coordinator, body: { templateId: ids.template } });
    expect(res.status).toBe(201);
    campaign = res.body;
    // The deadline is the notice's own: 各市于8月23日前…报送.
    expect(campaign).toMatchObject({ dueOn: '2021-08-23', status: 'open', kind: 'pairing' });
    expect(campaign.units).toHaveLength(11);
    expect(campaign.units.every((u: any) => u.status === 'missing')).toBe(true);

    // It is in each city's task list, and a city sees only its own part of the campaign.
    const tasks = (await api.request('GET', '/api/v1/tasks?limit=200', { token: t['shuozhou.officer'] })).body.items;
    const formTask = tasks.find((x: any) => x.title.startsWith('报送：') && x.dueOn === '2021-08-23');
    expect(formTask).toBeDefined();
    const task = (await api.request('GET', `/api/v1/tasks/${formTask.id}`, { token: t['shuozhou.officer'] })).body;
    expect(task).toMatchObject({ origin: 'form', formCampaignId: campaign.id, measureId: null, relation: 'lead' });
    // The campaign's 11 tasks count in the coordinators' summaries, but not by measure (they have none).
    const summary = async (by: string) => (await api.request('GET', `/api/v1/tracking/summaries/${by}?documentId=${task.documentId}`, { token: t.coordinator })).body.rows;
    expect((await summary('all'))[0].tasks).toBe(11 + (await summary('measure')).reduce((a: number, r: any) => a + r.tasks, 0));
    const mine = (await api.request('GET', `/api/v1/form-campaigns/${campaign.id}`, { token: t['shuozhou.officer'] })).body;
    expect(mine.units.map((u: any) => u.unitName)).toEqual(['朔州市乡村振兴局']);
    expect((await api.request('GET', `/api/v1/form-campaigns/${campaign.id}`, { token: t['czt.officer'] })).status).toBe(404);
    // The blank form downloads in the official layout.
    const blank = await api.request('GET', `/api/v1/form-campaigns/${campaign.id}/blank.xlsx`, { token: t['shuozhou.officer'] });
    expect(blank.status).toBe(200);
    expect(blank.headers['content-type']).toBe(XLSX_TYPE);
  });

  describe('bad uploads: a precise error each, nothing stored', () => {
    const cases: [string, () => Promise<Buffer>, string, { row?: number | null; column?: string; message: RegExp } | RegExp][] = [
      ['wrong columns', () => officialXlsx(SHUOZHOU_ROWS.map((r) => r.filter((_, i) => i !== 4)), { columns: COLUMNS.filter((c) => c !== '单位及职务') }), 'FORM_WRONG_COLUMNS', /应为「市名、重点帮扶县、结对帮扶县、具体负责人、单位及职务、联系方式、备注」，实际为「市名、重点帮扶县、结对帮扶县、具体负责人、联系方式、备注」/],
      ['a county of another city', () => officialXlsx([SHUOZHOU_ROWS[0], ['朔州市', '右玉县', '阳高县', '钱七', '副县长', '13900000000', '']]), 'FORM_REJECTED', { row: 5, column: '结对帮扶县', message: /第 5 行「结对帮扶县」：「阳高县」不属于朔州市/ }],
      ['a non-key county as assisted', () => officialXlsx([['朔州市', '山阴县', '朔城区', '王五', '副区长', '13900000000', '']]), 'FORM_REJECTED', { row: 4, column: '重点帮扶县', message: /「山阴县」不是重点帮扶县/ }],
      ['a duplicate row', () => officialXlsx([SHUOZHOU_ROWS[0], SHUOZHOU_ROWS[1], SHUOZHOU_ROWS[0]]), 'FORM_REJECTED', { row: 6, column: '结对帮扶县', message: /第 6 行.*与第 4 行重复/ }],
      ['a malformed phone', () => officialXlsx([SHUOZHOU_ROWS[0], ['朔州市', '右玉县', '平鲁区', '钱七', '副区长', '1399499677', '']]), 'FORM_REJECTED', { row: 5, column: '联系方式', message: /「1399499677」不是有效的电话号码/ }],
      [
        'an xlsx bomb (a tiny zip inflating to huge XML)',
        async () => {
          const zip = await JSZip.loadAsync(await officialXlsx(SHUOZHOU_ROWS));
          zip.file('xl/worksheets/sheet2.xml', `<x>${'A'.repeat(900 * 1024)}</x>`);
          return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
        },
        'FORM_XLSX_BOMB',
        /sheet2\.xml.*压缩比 \d+:1.*疑似压缩炸弹/,
      ],
      [
        'an xlsx bomb that lies about its sizes',
        async () => {
          const zip = await JSZip.loadAsync(await officialXlsx(SHUOZHOU_ROWS));
          zip.file('xl/worksheets/sheet2.xml', `<x>${'A'.repeat(4 * 1024 * 1024)}</x>`);
          const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
          // Rewrite the declared sizes (local and central headers) to look harmless.
          const name = Buffer.from('xl/worksheets/sheet2.xml');
          for (let i = 0; i < buf.length - 4; i++) {
            const sig = buf.readUInt32LE(i);
            if (sig === 0x04034b50 && buf.subarray(i + 30, i + 30 + name.length).equals(name)) buf.writeUInt32LE(buf.readUInt32LE(i + 18) * 2, i + 22);
            if (sig === 0x02014b50 && buf.subarray(i + 46, i + 46 + name.length).equals(name)) buf.writeUInt32LE(buf.readUInt32LE(i + 20) * 2, i + 24);
          }
          return buf;
        },
        'FORM_XLSX_BOMB',
        /sheet2\.xml.*解压后超过上限/,
      ],
      ['a non-xlsx file', async () => Buffer.from('%PDF-1.4\n这不是表格\n'), 'FORM_NOT_XLSX', /不是 \.xlsx 文件/],
    ];
    it.each(cases)('%s', async (_name, make, code, expected) => {
      const before = await fingerprint();
      const res = await upload(t['shuozhou.officer'], await make());
      expect([res.status, res.body.code]).toEqual([400, code]);
      if (expected instanceof RegExp) expect(res.body.message).toMatch(expected);
      else {
        const hit = res.body.errors.find((e: any) => e.row === expected.row && e.column === expected.column);
        expect(hit).toBeDefined();
        expect(hit.message).toMatch(expected.message);
        expect(res.body.message).toMatch(/未保存任何内容/);
      }
      expect(await fingerprint()).toBe(before);
    });

    it('reports every bad cell of a JSON submission, not only the first', async () => {
      const before = await fingerprint();
      const res = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/submissions`, {
        token: t['shuozhou.officer'],
        body: {
          header: { 填报单位: '朔州市乡村振兴局', 填报时间: '2021-02-30', 填表人: '赵六', 联系方式: '12345' },
          rows: [
            { 市名: '大同市', 重点帮扶县: '应县', 结对帮扶县: '朔城区', 具体负责人: '王五', 单位及职务: '副区长', 联系方式: '13994996777' },
            { 市名: '朔州市', 重点帮扶县: '应县', 结对帮扶县: '不存在县', 具体负责人: '', 单位及职务: '副区长', 联系方式: '13994996777', 多余列: 'x' },
          ],
        },
      });
      expect(res.status).toBe(400);
      const got = res.body.errors.map((e: any) => `${e.row}/${e.column}`).sort();
      expect(got).toEqual(['1/市名', '1/结对帮扶县', '1/重点帮扶县', '2/具体负责人', '2/多余列', '2/结对帮扶县', 'null/填报时间', 'null/联系方式'].sort());
      expect(res.body.errors.find((e: any) => e.row === 1 && e.column === '市名').message).toMatch(/不是本单位所在的市/);
      expect(await fingerprint()).toBe(before);
    });
  });

  it('takes a valid upload, returns it, takes the fixed resubmission, takes another city on time, and stops reminding them', async () => {
    clock.set('2021-08-20T02:00:00Z');
    const first = await upload(t['shuozhou.officer'], await officialXlsx(SHUOZHOU_ROWS));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ revision: 1, status: 'submitted', source: 'xlsx', late: false, header: { 填报时间: '2021-08-20', 联系方式: '0349-2021888' } });
    expect(first.body.rows.map((r: any) => [r.sourceRow, r.values.重点帮扶县, r.values.结对帮扶县])).toEqual([
      [4, '应县', '朔城区'],
      [5, '右玉县', '平鲁区'],
    ]);
    // A second send while the first awaits review is refused.
    expect((await upload(t['shuozhou.officer'], await officialXlsx(SHUOZHOU_ROWS))).body.code).toBe('FORM_AWAITING_REVIEW');
    const task = () => api.request('GET', `/api/v1/tasks/${first.body.taskId}`, { token: t['shuozhou.officer'] });
    expect((await task()).body.status).toBe('completion_requested');

    expect((await api.request('POST', `/api/v1/form-submissions/${first.body.id}/review`, { token: t['shuozhou.officer'], body: { version: 1, decision: 'accept' } })).status).toBe(403);
    expect((await api.request('POST', `/api/v1/form-submissions/${first.body.id}/review`, { token: t.coordinator, body: { version: 1, decision: 'return' } })).body.code).toBe('VALIDATION_FAILED');
    const returned = await api.request('POST', `/api/v1/form-submissions/${first.body.id}/review`, { token: t.coordinator, body: { version: 1, decision: 'return', comment: '右玉县负责人职务请写全' } });
    expect(returned.body).toMatchObject({ status: 'returned', reviewComment: '右玉县负责人职务请写全' });
    expect((await task()).body.status).toBe('in_progress');

    const again = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/submissions`, {
      token: t['shuozhou.officer'],
      body: {
        header: { 填报单位: '朔州市乡村振兴局', 填报时间: '2021-08-20', 填表人: '赵六', 联系方式: '0349-2021888' },
        rows: SHUOZHOU_ROWS.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, c === '单位及职务' && i === 4 && r[1] === '右玉县' ? '朔州市平鲁区人民政府 副区长' : r[i]]))),
      },
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ revision: 2, status: 'submitted', source: 'json', late: false });
    const accepted = await api.request('POST', `/api/v1/form-submissions/${again.body.id}/review`, { token: t.coordinator, body: { version: 1, decision: 'accept' } });
    expect(accepted.body.status).toBe('accepted');
    expect((await task()).body.status).toBe('closed');
    ids.shuozhouSubmission = again.body.id;

    // 太原 has a pairing already registered with another phone and one the form leaves out.
    const louFan = await unitId('county.140123');
    const created = await api.request('POST', '/api/v1/pairings', {
      token: t.coordinator,
      body: { assistedId: louFan, helperId: await unitId('county.140105'), responsiblePerson: '吴二', responsibleTitle: '小店区副区长', contactPhone: '13511111111', startsOn: '2021-01-01' },
    });
    expect(created.status).toBe(201);
    await api.request('POST', '/api/v1/pairings', {
      token: t.coordinator,
      body: { assistedId: louFan, helperId: await unitId('county.140106'), responsiblePerson: '郑三', responsibleTitle: '迎泽区副区长', contactPhone: '13522222222', startsOn: '2021-01-01' },
    });
    const ty = await upload(
      t['taiyuan.officer'],
      await officialXlsx([['太原市', '娄烦县', '小店区', '吴二', '小店区副区长', '13599999999', '']], { header: { 填报单位: '太原市乡村振兴局' } }),
    );
    expect(ty.body).toMatchObject({ status: 'submitted', late: false });
    await api.request('POST', `/api/v1/form-submissions/${ty.body.id}/review`, { token: t.coordinator, body: { version: 1, decision: 'accept' } });
    ids.taiyuanSubmission = ty.body.id;

    // On the deadline the engine's sweep reminds the units that have not sent, and not 朔州.
    clock.set('2021-08-23T02:00:00Z');
    await api.app.get(RemindersService).sweep();
    const inbox = async (u: string) => (await api.request('GET', '/api/v1/notifications', { token: t[u] })).body.items.map((n: any) => n.title).join('\n');
    expect(await inbox('datong.officer')).toMatch(new RegExp(`今日到期：报送：${TITLE}`));
    expect(await inbox('shuozhou.officer')).not.toMatch(new RegExp(`报送：${TITLE}`));
  });

  it('takes an invalid then fixed late submission, and one left pending', async () => {
    clock.set('2021-08-25T02:00:00Z');
    const body = (phone: string) => ({
      header: { 填报单位: '大同市乡村振兴局', 填报时间: '2021-08-25', 填表人: '孙八', 联系方式: '13700000000' },
      rows: [
        { 市名: '大同市', 重点帮扶县: '云州区', 结对帮扶县: '平城区', 具体负责人: '周一', 单位及职务: '平城区副区长', 联系方式: phone },
        { 市名: '大同市', 重点帮扶县: '阳高县', 结对帮扶县: '平城区', 具体负责人: '周一', 单位及职务: '平城区副区长', 联系方式: '13700000001' },
      ],
    });
    const bad = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/submissions`, { token: t['datong.officer'], body: body('137-0000') });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: '联系方式', row: 1, column: '联系方式', message: '第 1 行「联系方式」：「137-0000」不是有效的电话号码（手机 11 位，或带区号的固话）' }]);
    const late = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/submissions`, { token: t['datong.officer'], body: body('13700000000') });
    expect(late.body).toMatchObject({ status: 'submitted', late: true, revision: 1 });
    // Two coordinators review at once: one wins, the other gets 409 and changes nothing.
    const reviews = await Promise.all(
      ['accept', 'return'].map((decision) => api.request('POST', `/api/v1/form-submissions/${late.body.id}/review`, { token: t.coordinator, body: { version: 1, decision, comment: '请核实' } })),
    );
    expect(reviews.map((r) => r.status).sort()).toEqual([200, 409]);
    if (reviews[0].status !== 200) {
      // The return won: 大同 sends again and this time it is accepted.
      const again = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/submissions`, { token: t['datong.officer'], body: body('13700000000') });
      await api.request('POST', `/api/v1/form-submissions/${again.body.id}/review`, { token: t.coordinator, body: { version: 1, decision: 'accept' } });
      ids.datongSubmission = again.body.id;
    } else ids.datongSubmission = late.body.id;

    // Two uploads at once from the same unit: one is taken, the other waits for the lock and is refused.
    const xzFile = await officialXlsx([['忻州市', '五台县', '忻府区', '冯四', '忻府区副区长', '13600000000', '']], { header: { 填报单位: '忻州市乡村振兴局' } });
    const both = await Promise.all([upload(t['xinzhou.officer'], xzFile), upload(t['xinzhou.officer'], xzFile)]);
    expect(both.map((r) => r.body.code ?? r.status).sort()).toEqual([201, 'FORM_AWAITING_REVIEW'].sort());
    expect(both.find((r) => r.status === 201)?.body).toMatchObject({ status: 'submitted', late: true });
    expect((await db.query(`select count(*)::int as n from form_submissions s join units u on u.id = s.unit_id where u.code = 'citybureau.140900'`))[0].n).toBe(1);

    const state = (await api.request('GET', `/api/v1/form-campaigns/${campaign.id}`, { token: t.coordinator })).body.units;
    const by = Object.fromEntries(state.map((u: any) => [u.unitName, `${u.status}${u.late ? '/late' : ''}`]));
    expect(by).toMatchObject({ 朔州市乡村振兴局: 'accepted', 大同市乡村振兴局: 'accepted/late', 太原市乡村振兴局: 'accepted', 忻州市乡村振兴局: 'submitted/late', 晋城市乡村振兴局: 'missing' });
  });

  it('rolls up the accepted forms and exports them in the official layout', async () => {
    expect((await api.request('GET', `/api/v1/form-campaigns/${campaign.id}/rollup`, { token: t['shuozhou.officer'] })).status).toBe(403);
    const r = (await api.request('GET', `/api/v1/form-campaigns/${campaign.id}/rollup`, { token: t.coordinator })).body;
    expect(r.columns).toEqual(COLUMNS);
    // Registry order: 太原 (1401), 大同 (1402), 朔州 (1406).
    expect(r.rows.map((x: string[]) => `${x[0]}:${x[1]}←${x[2]}`)).toEqual(['太原市:娄烦县←小店区', '大同市:云州区←平城区', '大同市:阳高县←平城区', '朔州市:应县←朔城区', '朔州市:右玉县←平鲁区']);
    expect(r.pending).toEqual([expect.objectContaining({ unitName: '忻州市乡村振兴局', status: 'submitted' })]);
    expect(r.missing.map((u: any) => u.unitName)).toHaveLength(7);
    expect(r.missing.map((u: any) => u.unitName)).toContain('晋城市乡村振兴局');

    const res = await api.request('GET', `/api/v1/form-campaigns/${campaign.id}/rollup.xlsx`, { token: t.coordinator });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    const raw = await api.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: `/api/v1/form-campaigns/${campaign.id}/rollup.xlsx`, headers: { authorization: `Bearer ${t.coordinator}` } });
    const wb = new Workbook();
    await wb.xlsx.load(raw.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const text = (row: number, col: number) => ws.getCell(row, col).text;
    expect(text(1, 1)).toBe(TITLE);
    expect(ws.getCell(1, 7).isMerged).toBe(true);
    expect(text(2, 1)).toBe('填报单位：山西省乡村振兴局');
    expect(text(2, 5)).toBe('填报时间：2021-08-25');
    expect(COLUMNS.map((_, i) => text(3, i + 1))).toEqual(COLUMNS);
    const data = [4, 5, 6, 7, 8].map((row) => COLUMNS.map((_, i) => text(row, i + 1)));
    expect(data).toEqual(r.rows);
    expect(text(9, 1)).toBe('');
    expect(text(10, 1)).toMatch(/^填表人：/);
    expect(text(10, 5)).toBe('联系方式：');
    expect(text(11, 1)).toMatch(/^未报送单位（7）：.*晋城市乡村振兴局/);
    expect(text(12, 1)).toBe('待审核或已退回（1）：忻州市乡村振兴局');
  });

  it('previews, then applies accepted forms to the pairing registry, version-checked', async () => {
    const d = await api.request('GET', `/api/v1/form-submissions/${ids.taiyuanSubmission}/pairing-diff`, { token: t.coordinator });
    expect(d.status).toBe(200);
    expect(d.body.rows.map((x: any) => `${x.action}:${x.assistedName}←${x.helperName}`)).toEqual(['change:娄烦县←小店区', 'end:娄烦县←迎泽区']);
    expect(d.body.rows[0].changes).toEqual({ contactPhone: ['13511111111', '13599999999'] });
    expect(d.body.rows[1].changes).toEqual({ endsOn: ['', '2021-08-24'] });
    expect((await api.request('GET', `/api/v1/form-submissions/${ids.taiyuanSubmission}/pairing-diff`, { token: t['taiyuan.officer'] })).status).toBe(403);

    // Someone changes 太原's registry after the preview: the apply is refused.
    const p = (await api.request('GET', '/api/v1/pairings', { token: t.coordinator })).body.find((x: any) => x.helperName === '迎泽区');
    await api.request('PATCH', `/api/v1/pairings/${p.id}`, { token: t['taiyuan.officer'], body: { version: p.version, remarks: '改了' } });
    const stale = await api.request('POST', `/api/v1/form-submissions/${ids.taiyuanSubmission}/pairing-apply`, { token: t.coordinator, body: { registryVersion: d.body.registryVersion } });
    expect([stale.status, stale.body.code]).toEqual([409, 'STALE_VERSION']);

    for (const s of [ids.taiyuanSubmission, ids.shuozhouSubmission, ids.datongSubmission]) {
      const preview = (await api.request('GET', `/api/v1/form-submissions/${s}/pairing-diff`, { token: t.coordinator })).body;
      const applied = await api.request('POST', `/api/v1/form-submissions/${s}/pairing-apply`, { token: t.coordinator, body: { registryVersion: preview.registryVersion } });
      expect(applied.status).toBe(200);
    }
    const again = await api.request('POST', `/api/v1/form-submissions/${ids.shuozhouSubmission}/pairing-apply`, { token: t.coordinator, body: { registryVersion: 'a'.repeat(64) } });
    expect(again.body.code).toBe('FORM_ALREADY_APPLIED');

    const list = (await api.request('GET', '/api/v1/pairings?current=true', { token: t.coordinator })).body;
    expect(list.map((x: any) => `${x.cityName}:${x.assistedName}←${x.helperName}:${x.mode}`).sort()).toEqual(
      ['太原市:娄烦县←小店区:one_to_one', '大同市:云州区←平城区:one_to_many', '大同市:阳高县←平城区:one_to_many', '朔州市:应县←朔城区:one_to_one', '朔州市:右玉县←平鲁区:one_to_one'].sort(),
    );
    expect(list.find((x: any) => x.assistedName === '娄烦县').contactPhone).toBe('13599999999');
    // A city bureau sees its own city only; a county sees its own pairings.
    expect((await api.request('GET', '/api/v1/pairings', { token: t['shuozhou.officer'] })).body.map((x: any) => x.cityName)).toEqual(['朔州市', '朔州市']);
    expect((await api.request('GET', '/api/v1/pairings', { token: t['yingxian.officer'] })).body.map((x: any) => x.assistedName)).toEqual(['应县']);
  });

  it('shows coverage by city and refuses to close the campaign until every flagged county is covered', async () => {
    const cov = (await api.request('GET', '/api/v1/pairings/coverage', { token: t.coordinator })).body;
    expect(cov).toMatchObject({ expectedTotal: 46, flagged: 40, unknown: 6, covered: 5, uncovered: 35 });
    const city = (name: string) => cov.cities.find((c: any) => c.cityName === name);
    expect(city('朔州市').uncovered).toEqual([]);
    expect(city('大同市').uncovered).toEqual(['天镇县', '广灵县', '灵丘县', '浑源县']);
    expect(city('忻州市').uncovered).toHaveLength(11);
    expect(cov.cities.find((c: any) => c.cityName === '晋城市')).toBeUndefined();
    const own = (await api.request('GET', '/api/v1/pairings/coverage', { token: t['shuozhou.officer'] })).body;
    expect(own.cities.map((c: any) => c.cityName)).toEqual(['朔州市']);
    expect((await api.request('GET', '/api/v1/pairings/coverage', { token: t['czt.officer'] })).status).toBe(403);

    const version = (await api.request('GET', `/api/v1/form-campaigns/${campaign.id}`, { token: t.coordinator })).body.version;
    const refused = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/close`, { token: t.coordinator, body: { version } });
    expect([refused.status, refused.body.code]).toEqual([409, 'PAIRING_COVERAGE_INCOMPLETE']);
    expect(refused.body.message).toMatch(/还有 35 个重点帮扶县没有结对帮扶县.*大同市：天镇县、广灵县、灵丘县、浑源县/);
    expect(refused.body.errors).toContainEqual({ field: '忻州市', message: expect.stringContaining('五台县') });
    expect(refused.body.errors.find((e: any) => e.field === '朔州市')).toBeUndefined();

    // The coordinator pairs the rest with the first non-key county of each city.
    for (const c of cov.cities) {
      for (const county of c.counties.filter((k: any) => k.helpers.length === 0)) {
        const helper = (await db.query(`select id from units where parent_id = $1 and kind = 'county' and not key_assisted order by code limit 1`, [c.cityId]))[0].id;
        const res = await api.request('POST', '/api/v1/pairings', { token: t.coordinator, body: { assistedId: county.countyId, helperId: helper, responsiblePerson: '负责人', responsibleTitle: '副县长', contactPhone: '13800000000', startsOn: '2021-08-25' } });
        expect(res.status).toBe(201);
      }
    }
    expect((await api.request('GET', '/api/v1/pairings/coverage', { token: t.coordinator })).body).toMatchObject({ covered: 40, uncovered: 0, unknown: 6 });
    const closed = await api.request('POST', `/api/v1/form-campaigns/${campaign.id}/close`, { token: t.coordinator, body: { version } });
    expect(closed.body.status).toBe('closed');
    expect((await db.query(`select count(*)::int as n from tasks where form_campaign_id = $1 and status <> 'closed'`, [campaign.id]))[0].n).toBe(0);
    expect((await upload(t['xinzhou.officer'], await officialXlsx([]))).body.code).toBe('FORM_CAMPAIGN_CLOSED');
  });

  it('keeps pairings within the rules and within each city bureau', async () => {
    const [yingxian, shuocheng, shanyin, yanggao, guangling, pinglu] = await Promise.all(
      ['county.140622', 'county.140602', 'county.140621', 'county.140221', 'county.140223', 'county.140603'].map(unitId),
    );
    const body = (assistedId: string, helperId: string, contactPhone = '13900000000') => ({ assistedId, helperId, responsiblePerson: '李四', responsibleTitle: '副县长', contactPhone, startsOn: '2021-08-01' });
    const post = (u: string, b: object) => api.request('POST', '/api/v1/pairings', { token: t[u], body: b });
    const ok = await post('shuozhou.officer', body(yingxian, shanyin));
    expect(ok.status).toBe(201);
    // Two helpers for 应县 now: many-to-one.
    expect((await api.request('GET', `/api/v1/pairings/${ok.body.id}`, { token: t.coordinator })).body.mode).toBe('many_to_one');
    expect((await post('datong.officer', body(yingxian, pinglu))).status).toBe(403);
    expect((await post('yingxian.officer', body(yingxian, pinglu))).status).toBe(403);
    const errors = async (b: object) => (await post('coordinator', b)).body.errors;
    expect(await errors(body(shanyin, shuocheng))).toEqual([{ field: 'assistedId', message: '山阴县不是重点帮扶县' }]);
    expect(await errors(body(yingxian, yanggao))).toEqual([{ field: 'helperId', message: '阳高县与应县不在同一市' }]);
    expect(await errors(body(yingxian, pinglu, '0349'))).toEqual([{ field: 'contactPhone', message: '「0349」不是有效的电话号码' }]);
    expect((await post('coordinator', body(yingxian, shuocheng))).body.code).toBe('PAIRING_EXISTS');
    // The configured exception: 朔城区 may help 广灵县 of 大同.
    expect((await post('coordinator', body(guangling, shuocheng))).status).toBe(201);
    // Stale version and scope on change and delete.
    expect((await api.request('PATCH', `/api/v1/pairings/${ok.body.id}`, { token: t['shuozhou.officer'], body: { version: 99, remarks: 'x' } })).status).toBe(409);
    expect((await api.request('PATCH', `/api/v1/pairings/${ok.body.id}`, { token: t['datong.officer'], body: { version: 1, remarks: 'x' } })).status).toBe(404);
    expect((await api.request('DELETE', `/api/v1/pairings/${ok.body.id}?version=1`, { token: t['yingxian.officer'] })).status).toBe(403);
    expect((await api.request('DELETE', `/api/v1/pairings/${ok.body.id}?version=1`, { token: t['shuozhou.officer'] })).status).toBe(204);
  });

  it('records work in the five areas, issues and closes the annual visit, rolls up, and takes the city assessment', async () => {
    const pairing = (await api.request('GET', '/api/v1/pairings', { token: t['yingxian.officer'] })).body[0];
    const rec = (u: string, b: object) => api.request('POST', `/api/v1/pairings/${pairing.id}/work-records`, { token: t[u], body: b });
    expect((await rec('yingxian.officer', { area: 'industry', occurredOn: '2021-08-20', metrics: { projects: 2, investment: 1500.5 } })).status).toBe(201);
    expect((await rec('shuozhou.officer', { area: 'labour', occurredOn: '2021-08-21', metrics: { trained: 120, placed: 45 } })).status).toBe(201);
    expect((await rec('yingxian.officer', { area: 'funds', occurredOn: '2021-08-22', metrics: { amount: 300, projects: 3 } })).status).toBe(201);
    expect((await rec('yingxian.officer', { area: 'meeting', occurredOn: '2021-08-22' })).status).toBe(201);
    expect((await rec('yingxian.officer', { area: 'labour', occurredOn: '2021-08-22', metrics: { trained: 1.5 } })).body.errors).toEqual([{ field: 'metrics.trained', message: '须为整数' }]);
    expect((await rec('yingxian.officer', { area: 'funds', occurredOn: '2021-08-22', metrics: { people: 1 } })).status).toBe(400);
    expect((await rec('datong.officer', { area: 'meeting', occurredOn: '2021-08-22' })).status).toBe(404);

    const issued = await api.request('POST', '/api/v1/pairings/visit-obligations', { token: t.coordinator, body: { year: 2021, documentId: ids.doc, dueOn: '2021-12-31' } });
    expect(issued.status).toBe(201);
    expect(issued.body.created).toBeGreaterThan(40);
    expect((await api.request('POST', '/api/v1/pairings/visit-obligations', { token: t.coordinator, body: { year: 2021, documentId: ids.doc } })).body).toEqual({ created: 0, existing: issued.body.created });
    const visitTask = (await api.request('GET', '/api/v1/tasks?limit=200', { token: t['yingxian.officer'] })).body.items.find((x: any) => x.title.startsWith('2021年度结对帮扶主要领导互访：朔城区—应县'));
    expect(visitTask).toMatchObject({ status: 'assigned', dueOn: '2021-12-31' });
    expect(visitTask.leads.sort()).toEqual(['应县', '朔城区'].sort());
    expect((await rec('yingxian.officer', { area: 'visit', occurredOn: '2021-08-25', note: '双方主要领导互访' })).status).toBe(201);
    expect((await api.request('GET', `/api/v1/tasks/${visitTask.id}`, { token: t['yingxian.officer'] })).body.status).toBe('closed');

    const sum = (await api.request('GET', '/api/v1/pairings/summary?year=2021', { token: t.coordinator })).body;
    const mine = sum.pairings.find((p: any) => p.pairingId === pairing.id);
    expect(mine).toMatchObject({ visited: true, totals: { 'industry.projects': 2, 'industry.investment': 1500.5, 'labour.trained': 120, 'labour.placed': 45, 'funds.amount': 300, 'funds.projects': 3, meetings: 1, visits: 1 } });
    expect(sum.cities.find((c: any) => c.cityName === '朔州市').totals).toEqual(mine.totals);
    expect(sum.province).toEqual(mine.totals);
    expect((await api.request('GET', '/api/v1/pairings/summary?year=2021', { token: t['datong.officer'] })).body.cities).toEqual([]);

    const assess = (u: string) => api.request('POST', `/api/v1/pairings/${pairing.id}/assessments`, { token: t[u], body: { year: 2021, grade: '优秀', score: 95, comment: '成效明显' } });
    expect((await assess('coordinator')).status).toBe(403);
    expect((await assess('datong.officer')).status).toBe(404);
    expect((await assess('shuozhou.officer')).status).toBe(201);
    expect((await assess('shuozhou.officer')).body.code).toBe('ASSESSMENT_EXISTS');
    const reported = (await api.request('GET', '/api/v1/pairings/assessments?year=2021', { token: t.coordinator })).body;
    expect(reported).toEqual([expect.objectContaining({ cityName: '朔州市', assistedName: '应县', helperName: '朔城区', grade: '优秀', score: 95 })]);
    expect((await db.query(`select count(*)::int as n from outbox where event = 'pairing.assessed'`))[0].n).toBe(1);

    // On the visits' due date the engine's sweep reminds every pairing still without a visit, and not 应县's.
    clock.set('2021-12-31T02:00:00Z');
    await api.app.get(RemindersService).sweep();
    const reminded: { pairing_id: string }[] = await db.query(
      `select distinct t.pairing_id from reminder_deliveries d join tasks t on t.id = d.task_id where t.origin = 'visit' and d.obligation_type = 'task_due' and d.rung = 'day'`,
    );
    expect(reminded.length).toBe(issued.body.created - 1);
    expect(reminded.map((r) => r.pairing_id)).not.toContain(pairing.id);
  });
});
