import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDocument } from '../libs/policy-parser/src';
import { makeDocx } from '../libs/policy-parser/test/make-docx';
import { makePdf } from '../libs/policy-parser/test/make-pdf';
import { multipartFile, REPO_ROOT, startApi, type TestApi } from './support/test-app';

const SEED_000 = readFileSync(resolve(REPO_ROOT, 'libs/policy-parser/test/fixtures/000_a562abd291d0ca74.txt'), 'utf8');
const SEED_004 = readFileSync(resolve(REPO_ROOT, 'libs/policy-parser/test/fixtures/004_24f8692a3fe2826a.txt'), 'utf8');

describe('document intake and publishing', () => {
  let api: TestApi;
  let coordinator: string;
  let db: DataSource;

  const count = async (table: string): Promise<number> => Number((await db.query(`select count(*) as n from ${table}`))[0].n);
  const upload = (filename: string, content: Buffer | string, mime?: string) => {
    const m = multipartFile(filename, content, mime);
    return api.request('POST', '/api/v1/documents', { token: coordinator, body: m.body, headers: m.headers });
  };

  beforeAll(async () => {
    api = await startApi('documents');
    coordinator = await api.login('coordinator');
    db = api.app.get(DataSource);
  });
  afterAll(async () => api.close());

  describe('晋乡振发〔2022〕11号', () => {
    let doc: any;

    it('uploads as a .txt file and resolves every lead of all 31 measures to a registry unit', async () => {
      const res = await upload('晋乡振发〔2022〕11号.txt', SEED_000, 'text/plain');
      expect(res.status).toBe(201);
      doc = res.body;
      expect(doc.docNumber).toBe('晋乡振发〔2022〕11号');
      expect(doc.status).toBe('draft');
      expect(doc.measures).toHaveLength(31);
      expect(doc.sections).toHaveLength(8);
      expect(doc.unresolvedNames).toEqual([]);
      const m2 = doc.measures.find((m: any) => m.no === 2);
      expect(m2.leadMode).toBe('respective');
      expect(m2.leads.map((l: any) => l.unit.name)).toEqual(['山西省地方金融监督管理局', '中国人民银行太原中心支行']);
      const m15 = doc.measures.find((m: any) => m.no === 15);
      expect(m15.leadMode).toBe('joint');
      expect(m15.leads).toHaveLength(4);
    });

    it('serves each measure\'s printed text from its span', async () => {
      const res = await api.request('GET', `/api/v1/documents/${doc.id}/measures/1/text`, { token: coordinator });
      expect(res.body.text.startsWith('（一）加大财政资金支持力度')).toBe(true);
      expect(res.body.text).toContain('省财政厅牵头负责');
    });

    it('refuses to publish while measures lack a due date, listing each, and writes nothing', async () => {
      const res = await api.request('POST', `/api/v1/documents/${doc.id}/publish`, { token: coordinator, body: {} });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('DOCUMENT_NOT_PUBLISHABLE');
      const lacking = doc.measures.filter((m: any) => !m.dueOn).length;
      expect(lacking).toBeGreaterThan(0);
      expect(res.body.errors).toHaveLength(lacking);
      expect(await count('tasks')).toBe(0);
    });

    it('rejects a stale version and accepts the current one', async () => {
      const m1 = doc.measures.find((m: any) => m.no === 1);
      const ok = await api.request('PATCH', `/api/v1/documents/${doc.id}/measures/1`, { token: coordinator, body: { version: m1.version, dueOn: '2026-12-31', reportingCycle: 'monthly' } });
      expect(ok.status).toBe(200);
      expect(ok.body.measures[0]).toEqual(expect.objectContaining({ dueOn: '2026-12-31', reportingCycle: 'monthly', version: m1.version + 1 }));
      const stale = await api.request('PATCH', `/api/v1/documents/${doc.id}/measures/1`, { token: coordinator, body: { version: m1.version, dueOn: '2027-01-31' } });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('STALE_VERSION');
      doc = ok.body;
    });

    it('publishes one task per lead for respective, one per measure for joint, in one go; twice creates nothing', async () => {
      const parsed = parseDocument(SEED_000); // independent count from the parser's own output
      const expected = parsed.measures.reduce((n, m) => n + (m.leadMode === 'respective' ? m.leads.length : 1), 0);
      const res = await api.request('POST', `/api/v1/documents/${doc.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ created: expected, existing: 0, total: expected }));
      expect(await count('tasks')).toBe(expected);
      // Measure (十五) is a joint lead: one task with four lead units.
      const joint = await db.query(
        `select t.id, count(tu.unit_id) as leads from tasks t join measures m on m.id = t.measure_id join task_units tu on tu.task_id = t.id and tu.role = 'lead'
          where m.document_id = $1 and m.no = 15 group by t.id`,
        [doc.id],
      );
      expect(joint).toHaveLength(1);
      expect(Number(joint[0].leads)).toBe(4);
      // Measure (八) is respective over five units: five tasks of one lead each.
      const resp = await db.query(`select count(*) as n from tasks t join measures m on m.id = t.measure_id where m.document_id = $1 and m.no = 8`, [doc.id]);
      expect(Number(resp[0].n)).toBe(5);
      // Measure (一) kept its corrected due date and cycle; the others took the default.
      const one = await db.query(`select t.due_on::text as due, t.reporting_cycle from tasks t join measures m on m.id = t.measure_id where m.document_id = $1 and m.no = 1`, [doc.id]);
      expect(one[0]).toEqual({ due: '2026-12-31', reporting_cycle: 'monthly' });

      const again = await api.request('POST', `/api/v1/documents/${doc.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
      expect(again.body).toEqual(expect.objectContaining({ created: 0, existing: expected }));
      expect(await count('tasks')).toBe(expected);
    });

    it('locks a published document against edits and deletion', async () => {
      const m3 = (await api.request('GET', `/api/v1/documents/${doc.id}`, { token: coordinator })).body.measures[2];
      const res = await api.request('PATCH', `/api/v1/documents/${doc.id}/measures/3`, { token: coordinator, body: { version: m3.version, dueOn: '2026-10-01' } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DOCUMENT_PUBLISHED');
      expect((await api.request('DELETE', `/api/v1/documents/${doc.id}`, { token: coordinator })).status).toBe(409);
    });

    it('refuses the same 文号 twice', async () => {
      const res = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: SEED_000 } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DOCUMENT_EXISTS');
    });
  });

  it('晋乡振发〔2021〕29号: measures without leads get them from the coordinator; 各市乡村振兴局 fans out to the 11 city bureaus', async () => {
    const created = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: SEED_004, filename: '29号.txt' } });
    expect(created.status).toBe(201);
    expect(created.body.forms[0].columns).toEqual(['市名', '重点帮扶县', '结对帮扶县', '具体负责人', '单位及职务', '联系方式', '备注']);
    expect(created.body.requests.some((r: any) => r.date === '2021-08-23')).toBe(true);
    const measures = created.body.measures;
    expect(measures.every((m: any) => m.leads.length === 0)).toBe(true);
    expect(created.body.problems.length).toBeGreaterThanOrEqual(measures.length);
    let view = created.body;
    for (const m of measures) {
      const res = await api.request('PATCH', `/api/v1/documents/${view.id}/measures/${m.no}`, {
        token: coordinator,
        body: { version: m.version, leads: ['各市乡村振兴局'], leadMode: 'respective', dueOn: '2026-12-31', reportingCycle: 'quarterly' },
      });
      expect(res.status).toBe(200);
      view = res.body;
    }
    const lead = view.measures[0].leads[0];
    expect(lead).toEqual(expect.objectContaining({ status: 'collective', collective: expect.objectContaining({ kind: 'all_city_bureaus', count: 11 }) }));
    const before = await count('tasks');
    const pub = await api.request('POST', `/api/v1/documents/${view.id}/publish`, { token: coordinator, body: {} });
    expect(pub.body.created).toBe(measures.length * 11);
    expect(await count('tasks')).toBe(before + measures.length * 11);
    const kinds = await db.query(
      `select distinct u.kind from task_units tu join units u on u.id = tu.unit_id join tasks t on t.id = tu.task_id where t.document_id = $1 and tu.role = 'lead'`,
      [view.id],
    );
    expect(kinds).toEqual([{ kind: 'city_bureau' }]);
  });

  it('an unknown name blocks publishing until mapped, and the mapping is remembered for the next document', async () => {
    const text = (n: number) => `测试〔2026〕${n}号\n\n关于测试的通知\n\n一、总体\n\n（一）做好第一件事。到2026年完成。（省乡村振兴局、省数据局分别牵头负责）\n\n（二）做好第二件事。（省数据局牵头，省财政厅配合）\n`;
    const first = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: text(1) } });
    expect(first.status).toBe(201);
    expect(first.body.unresolvedNames).toEqual(['省数据局']);
    expect(first.body.measures[1].cooperating[0].unit.shortName).toBe('省财政厅');
    const blocked = await api.request('POST', `/api/v1/documents/${first.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
    expect(blocked.status).toBe(400);
    expect(JSON.stringify(blocked.body.errors)).toContain('省数据局');

    const target = (await api.request('GET', '/api/v1/units?q=省工信厅', { token: coordinator })).body.items[0];
    const mapped = await api.request('POST', `/api/v1/documents/${first.body.id}/aliases`, { token: coordinator, body: { name: '省数据局', unitId: target.id } });
    expect(mapped.status).toBe(200);
    expect(mapped.body.unresolvedNames).toEqual([]);
    const pub = await api.request('POST', `/api/v1/documents/${first.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
    expect(pub.body.created).toBe(3);

    const second = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: text(2) } });
    expect(second.body.unresolvedNames).toEqual([]);
    expect(second.body.measures[1].leads[0].unit.id).toBe(target.id);
  });

  it.each([
    ['docx', 'docx'],
    ['pdf', 'pdf'],
  ])('reads an uploaded .%s with its lead clauses', async (ext) => {
    const lines = [`测试〔2026〕${ext === 'pdf' ? 21 : 22}号`, '关于测试上传的通知', '一、总体要求', '（一）加强组织领导。（省财政厅牵头负责）', '（二）做好资金保障。（省发展改革委、省财政厅分别牵头负责）'];
    const file = ext === 'pdf' ? makePdf([lines]) : await makeDocx(lines);
    const res = await upload(`通知.${ext}`, file, ext === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.status).toBe(201);
    expect(res.body.sourceType).toBe(ext);
    expect(res.body.measures.map((m: any) => [m.label, m.leadMode, m.leads.map((l: any) => l.unit?.shortName)])).toEqual([
      ['（一）', 'single', ['省财政厅']],
      ['（二）', 'respective', ['省发展改革委', '省财政厅']],
    ]);
  });

  it('keeps drafts from officers, lets them read published documents, and forbids them to write', async () => {
    const officer = await api.login('czt.officer');
    const list = await api.request('GET', '/api/v1/documents?includeDrafts=true', { token: officer });
    expect(list.status).toBe(200);
    expect(list.body.items.every((d: any) => d.status === 'published')).toBe(true);
    const draft = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '草稿〔2026〕9号\n\n（一）一项工作。（省财政厅牵头负责）\n' } });
    expect((await api.request('GET', `/api/v1/documents/${draft.body.id}`, { token: officer })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/documents/${draft.body.id}`, { token: await api.login('auditor') })).status).toBe(200);
    expect((await api.request('POST', '/api/v1/documents', { token: officer, body: { text: SEED_004 } })).status).toBe(403);
    expect((await api.request('POST', `/api/v1/documents/${draft.body.id}/publish`, { token: officer, body: {} })).status).toBe(403);
    expect((await api.request('DELETE', `/api/v1/documents/${draft.body.id}`, { token: coordinator })).status).toBe(204);
    expect((await api.request('GET', `/api/v1/documents/${draft.body.id}`, { token: coordinator })).status).toBe(404);
  });

  describe('bad input gets a clear 4xx and writes nothing', () => {
    let before: number[];
    beforeAll(async () => {
      before = [await count('documents'), await count('measures'), await count('tasks')];
    });
    afterAll(async () => {
      expect([await count('documents'), await count('measures'), await count('tasks')]).toEqual(before);
    });

    const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      ['an empty file', () => upload('empty.txt', Buffer.alloc(0), 'text/plain'), 422, 'DOCUMENT_EMPTY'],
      ['a binary file', () => upload('blob.txt', randomBytes(4096), 'text/plain'), 422, 'DOCUMENT_BINARY'],
      ['an unsupported type', () => upload('table.xls', Buffer.from('D0CF11E0A1B11AE1', 'hex'), 'application/vnd.ms-excel'), 415, 'DOCUMENT_UNSUPPORTED_TYPE'],
      ['a document with no measures', () => upload('note.txt', '关于开会的通知\n\n请各单位准时参加。\n', 'text/plain'), 422, 'DOCUMENT_NO_MEASURES'],
      ['broken UTF-8', () => upload('bad.txt', Buffer.concat([Buffer.from('（一）测试'), Buffer.from([0xe4, 0xb8]), Buffer.from('。（省财政厅牵头负责）')]), 'text/plain'), 422, 'DOCUMENT_BAD_ENCODING'],
      ['a docx that is not a zip', () => upload('fake.docx', '这不是一个 docx 文件', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'), 422, 'DOCUMENT_CORRUPT'],
      ['21 MB of noise', () => upload('noise.txt', randomBytes(21 * 1024 * 1024), 'text/plain'), 413, 'PAYLOAD_TOO_LARGE'],
      ['empty JSON text', () => api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '' } }), 400, 'VALIDATION_FAILED'],
      ['unknown JSON fields', () => api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: SEED_004, publish: true } }), 400, 'VALIDATION_FAILED'],
      ['a multipart request without a file', () => api.request('POST', '/api/v1/documents', { token: coordinator, body: '--x--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=x' } }), 400, 'DOCUMENT_FILE_REQUIRED'],
    ];
    it.each(cases)('%s', async (_, send, status, code) => {
      const res = await send();
      expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    });
  });
});
