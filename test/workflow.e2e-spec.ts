import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { makePdf } from '../libs/policy-parser/test/make-pdf';
import { ManualClock } from '../libs/calendar/src';
import { multipartFile, REPO_ROOT, startApi, type TestApi } from './support/test-app';

const SEED_000 = readFileSync(resolve(REPO_ROOT, 'libs/policy-parser/test/fixtures/000_a562abd291d0ca74.txt'), 'utf8');
/** 10:00 in Shanghai on a given date. */
const at = (date: string): string => `${date}T02:00:00Z`;

describe('the life of a task (measure （十）, 省农业农村厅)', () => {
  const clock = new ManualClock(at('2026-11-23'));
  let api: TestApi;
  let db: DataSource;
  let coordinator: string;
  let officer: string;
  let docId: string;
  let task: any;

  const get = (url: string, token = coordinator) => api.request('GET', url, { token });
  const post = (url: string, body: unknown, token = coordinator) => api.request('POST', url, { token, body });
  const refresh = async (token = officer) => (task = (await get(`/api/v1/tasks/${task.id}`, token)).body);

  beforeAll(async () => {
    api = await startApi('workflow', { clock });
    db = api.app.get(DataSource);
    coordinator = await api.login('coordinator');
    officer = await api.login('nynct.officer');
    const draft = await post('/api/v1/documents', { text: SEED_000 });
    docId = draft.body.id;
    const m10 = draft.body.measures.find((m: any) => m.no === 10);
    const patched = await api.request('PATCH', `/api/v1/documents/${docId}/measures/10`, {
      token: coordinator,
      body: { version: m10.version, reportingCycle: 'monthly', dueOn: '2027-03-31' },
    });
    expect(patched.status).toBe(200);
    const published = await post(`/api/v1/documents/${docId}/publish`, { defaultDueOn: '2026-12-31' });
    expect(published.status).toBe(200);
  });
  afterAll(async () => api.close());

  it('shows an officer only the tasks of their unit, and hides the rest (404)', async () => {
    const mine = await get('/api/v1/tasks?limit=500', officer);
    expect(mine.status).toBe(200);
    const all = await get('/api/v1/tasks?limit=500');
    const leadsOf = await db.query(
      `select count(distinct t.id) as n from tasks t join task_units tu on tu.task_id = t.id join units u on u.id = tu.unit_id where u.short_name = '省农业农村厅'`,
    );
    expect(mine.body.total).toBe(Number(leadsOf[0].n));
    expect(all.body.total).toBeGreaterThan(mine.body.total);
    task = mine.body.items.find((t: any) => t.title.startsWith('（十）'));
    expect(task).toBeDefined();
    const other = all.body.items.find((t: any) => !mine.body.items.some((m: any) => m.id === t.id));
    expect((await get(`/api/v1/tasks/${other.id}`, officer)).status).toBe(404);
    expect((await post(`/api/v1/tasks/${other.id}/accept`, { version: other.version }, officer)).status).toBe(404);
  });

  it('accepts (签收) once, with the version it saw', async () => {
    await refresh();
    expect(task.status).toBe('assigned');
    expect(task.acceptDueOn).toBe('2026-11-26'); // 3 working days after Monday 2026-11-23
    const stale = await post(`/api/v1/tasks/${task.id}/accept`, { version: task.version + 1 }, officer);
    expect([stale.status, stale.body.code]).toEqual([409, 'STALE_VERSION']);
    const ok = await post(`/api/v1/tasks/${task.id}/accept`, { version: task.version }, officer);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('accepted');
    const again = await post(`/api/v1/tasks/${task.id}/accept`, { version: ok.body.version }, officer);
    expect([again.status, again.body.code]).toEqual([409, 'TASK_ILLEGAL_TRANSITION']);
    expect(again.body.message).toContain('已签收');
    expect((await post(`/api/v1/tasks/${task.id}/close`, { version: ok.body.version }, officer)).status).toBe(403);
  });

  it('reports the first period: returned with comments, resubmitted as revision 2, approved; both kept', async () => {
    const periods = (await get(`/api/v1/tasks/${task.id}/periods`, officer)).body;
    expect(periods.map((p: any) => p.periodKey).slice(0, 3)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(periods[0].status).toBe('open');
    expect(periods[1].status).toBe('upcoming');
    const early = await post(`/api/v1/tasks/${task.id}/periods/${periods[1].id}/submissions`, { progress: '提前报' }, officer);
    expect([early.status, early.body.code]).toEqual([409, 'PERIOD_NOT_OPEN']);

    await refresh();
    const indicator = task.targets[0].indicator;
    const badValues = await post(`/api/v1/tasks/${task.id}/periods/${periods[0].id}/submissions`, { progress: '进展', values: [{ indicator: '不存在的指标', value: 1 }] }, officer);
    expect([badValues.status, badValues.body.code]).toEqual([400, 'SUBMISSION_VALUES_INVALID']);

    const first = await post(
      `/api/v1/tasks/${task.id}/periods/${periods[0].id}/submissions`,
      { progress: '已推荐3家企业申报国家级龙头企业', problems: '材料准备慢', nextSteps: '12月完成申报', values: [{ indicator, value: 6 }] },
      officer,
    );
    expect(first.status).toBe(201);
    expect(first.body).toEqual(expect.objectContaining({ status: 'submitted', revision: 1, values: [{ indicator, unitId: null, value: 6 }] }));
    await refresh();
    expect(task.status).toBe('in_progress');

    const queue = await get('/api/v1/review-queue');
    expect(queue.body.items.map((i: any) => i.submissionId)).toContain(first.body.id);
    const dup = await post(`/api/v1/tasks/${task.id}/periods/${periods[0].id}/submissions`, { progress: '再报一次' }, officer);
    expect([dup.status, dup.body.code]).toEqual([409, 'SUBMISSION_EXISTS']);

    const noComment = await post(`/api/v1/submissions/${first.body.id}/review`, { version: first.body.version, decision: 'return' });
    expect(noComment.status).toBe(400);
    const returned = await post(`/api/v1/submissions/${first.body.id}/review`, { version: first.body.version, decision: 'return', comment: '请补充企业名单' });
    expect(returned.body.status).toBe('returned');

    const second = await post(`/api/v1/tasks/${task.id}/periods/${periods[0].id}/submissions`, { progress: '已推荐3家企业，名单见附件', values: [{ indicator, value: 6 }] }, officer);
    expect(second.body.revision).toBe(2);

    // Two coordinators review the same revision at once: exactly one wins.
    const head = await api.login('bureau.head');
    const [a, b] = await Promise.all([
      post(`/api/v1/submissions/${second.body.id}/review`, { version: second.body.version, decision: 'approve' }),
      post(`/api/v1/submissions/${second.body.id}/review`, { version: second.body.version, decision: 'approve' }, head),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);

    const all = (await get(`/api/v1/tasks/${task.id}/submissions`, officer)).body;
    expect(all.map((s: any) => [s.revision, s.status])).toEqual([
      [2, 'approved'],
      [1, 'returned'],
    ]);
    const p0 = (await get(`/api/v1/tasks/${task.id}/periods`, officer)).body[0];
    expect([p0.status, p0.revisions, p0.late]).toEqual(['approved', 2, false]);
  });

  it('reports the second period with an evidence file, downloadable unchanged', async () => {
    clock.set(at('2026-12-15'));
    const pdf = makePdf([['国家级龙头企业申报材料']]);
    const m = multipartFile('申报材料.pdf', pdf, 'application/pdf');
    const up = await api.request('POST', `/api/v1/tasks/${task.id}/evidence`, { token: officer, body: m.body, headers: m.headers });
    expect(up.status).toBe(201);
    const fake = multipartFile('伪装.pdf', 'not a pdf', 'application/pdf');
    const bad = await api.request('POST', `/api/v1/tasks/${task.id}/evidence`, { token: officer, body: fake.body, headers: fake.headers });
    expect([bad.status, bad.body.code]).toEqual([400, 'EVIDENCE_CONTENT_MISMATCH']);
    const exe = multipartFile('tool.exe', 'MZ', 'application/octet-stream');
    expect((await api.request('POST', `/api/v1/tasks/${task.id}/evidence`, { token: officer, body: exe.body, headers: exe.headers })).status).toBe(415);

    const periods = (await get(`/api/v1/tasks/${task.id}/periods`, officer)).body;
    const sub = await post(`/api/v1/tasks/${task.id}/periods/${periods[1].id}/submissions`, { progress: '12月进展', evidenceIds: [up.body.id] }, officer);
    expect(sub.status).toBe(201);
    expect(sub.body.evidence.map((e: any) => e.sha256)).toEqual([up.body.sha256]);
    const reuse = await post(`/api/v1/tasks/${task.id}/periods/${periods[2].id}/submissions`, { progress: 'x', evidenceIds: [up.body.id] }, officer);
    expect(reuse.status).toBeGreaterThanOrEqual(400);
    const dl = await api.app.inject({ method: 'GET', url: `/api/v1/evidence/${up.body.id}`, headers: { authorization: `Bearer ${officer}` } });
    expect(dl.statusCode).toBe(200);
    expect(Buffer.compare(dl.rawPayload, pdf)).toBe(0);
    const outsider = await api.login('czt.officer');
    expect((await get(`/api/v1/evidence/${up.body.id}`, outsider)).status).toBe(404);
    expect((await post(`/api/v1/submissions/${sub.body.id}/review`, { version: sub.body.version, decision: 'approve' })).body.status).toBe('approved');
  });

  it('grants one extension filed before the due date, and refuses more', async () => {
    await refresh();
    const ext = await post(`/api/v1/tasks/${task.id}/extension-requests`, { newDueOn: '2027-06-30', reason: '国家级认定在4月公布' }, officer);
    expect(ext.status).toBe(201);
    const second = await post(`/api/v1/tasks/${task.id}/extension-requests`, { newDueOn: '2027-07-31', reason: '再延' }, officer);
    expect([second.status, second.body.code]).toEqual([409, 'EXTENSION_PENDING']);
    const decided = await post(`/api/v1/extension-requests/${ext.body.id}/decision`, { version: ext.body.version, approve: true, note: '同意' });
    expect(decided.body.status).toBe('approved');
    await refresh();
    expect(task.dueOn).toBe('2027-06-30');
    const third = await post(`/api/v1/tasks/${task.id}/extension-requests`, { newDueOn: '2027-08-31', reason: '再延' }, officer);
    expect([third.status, third.body.code]).toEqual([409, 'EXTENSION_LIMIT']);
  });

  it('derives a missed report at query time', async () => {
    clock.set(at('2027-02-20'));
    const periods = (await get(`/api/v1/tasks/${task.id}/periods`, officer)).body;
    const jan = periods.find((p: any) => p.periodKey === '2027-01');
    expect(jan.status).toBe('missed');
    expect(jan.dueProvisional).toBe(true); // 2027's official calendar is not imported yet
    clock.set(at('2027-01-05'));
    expect((await get(`/api/v1/tasks/${task.id}/periods`, officer)).body.find((p: any) => p.periodKey === '2027-01').status).toBe('open');
    clock.set(at('2027-02-20'));
  });

  it('closes out only when the coordinator confirms; a refusal sends it back with the reason', async () => {
    await refresh();
    const req = await post(`/api/v1/tasks/${task.id}/completion-request`, { version: task.version, note: '目标已完成' }, officer);
    expect(req.body.status).toBe('completion_requested');
    const refused = await post(`/api/v1/tasks/${task.id}/close-refusal`, { version: req.body.version, reason: '请补充2027年1月报送' });
    expect(refused.body.status).toBe('in_progress');
    expect(refused.body.completionNote).toContain('请补充2027年1月报送');
    const again = await post(`/api/v1/tasks/${task.id}/completion-request`, { version: refused.body.version, note: '已补充' }, officer);
    const closed = await post(`/api/v1/tasks/${task.id}/close`, { version: again.body.version });
    expect(closed.body.status).toBe('closed');
    const after = await post(`/api/v1/tasks/${task.id}/start`, { version: closed.body.version }, officer);
    expect(after.status).toBe(409);
  });

  it('derives the measure\'s status from its tasks: closed only when all are', async () => {
    const doc = (await get(`/api/v1/documents/${docId}`)).body;
    const m10 = doc.measures.find((m: any) => m.no === 10);
    expect(m10.progress).toEqual({ tasks: 2, closed: 1, status: 'open' });
  });

  it('holds a submission for the unit head\'s sign-off where the unit requires it', async () => {
    clock.set(at('2026-11-24'));
    const cztOfficer = await api.login('czt.officer');
    const cztHead = await api.login('czt.head');
    expect((await api.request('PATCH', '/api/v1/units/prov.czt/settings', { token: cztOfficer, body: { requiresSignoff: true } })).status).toBe(403);
    const set = await api.request('PATCH', '/api/v1/units/prov.czt/settings', { token: cztHead, body: { requiresSignoff: true } });
    expect(set.body.requiresSignoff).toBe(true);
    const t = (await get('/api/v1/tasks?limit=500', cztOfficer)).body.items[0];
    const accepted = await post(`/api/v1/tasks/${t.id}/accept`, { version: t.version }, cztOfficer);
    expect(accepted.status).toBe(200);
    const period = (await get(`/api/v1/tasks/${t.id}/periods`, cztOfficer)).body[0];
    const sub = await post(`/api/v1/tasks/${t.id}/periods/${period.id}/submissions`, { progress: '资金已下达' }, cztOfficer);
    expect(sub.body.status).toBe('awaiting_signoff');
    const queued = async () => (await get('/api/v1/review-queue?limit=500')).body.items.some((i: any) => i.submissionId === sub.body.id);
    expect(await queued()).toBe(false);
    expect((await post(`/api/v1/submissions/${sub.body.id}/review`, { version: sub.body.version, decision: 'approve' })).status).toBe(409);
    expect((await post(`/api/v1/submissions/${sub.body.id}/signoff`, { version: sub.body.version }, cztOfficer)).status).toBe(403);
    const signed = await post(`/api/v1/submissions/${sub.body.id}/signoff`, { version: sub.body.version }, cztHead);
    expect(signed.body.status).toBe('submitted');
    expect(await queued()).toBe(true);
  });

  it('sets priority, and reports on custom dates where the coordinator lists them', async () => {
    const t = (await get('/api/v1/tasks?limit=500', officer)).body.items.find((x: any) => x.status === 'assigned');
    const high = await post(`/api/v1/tasks/${t.id}/priority`, { version: t.version, priority: 'high' });
    expect(high.body.priority).toBe('high');
    expect((await post(`/api/v1/tasks/${t.id}/priority`, { version: high.body.version, priority: 'low' }, officer)).status).toBe(403);

    clock.set(at('2026-11-23'));
    const text = '定制〔2026〕1号\n\n（一）按节点报送。（省农业农村厅牵头负责）';
    const draft = await post('/api/v1/documents', { text });
    const m = draft.body.measures[0];
    const missing = await api.request('PATCH', `/api/v1/documents/${draft.body.id}/measures/1`, { token: coordinator, body: { version: m.version, reportingCycle: 'custom' } });
    expect(missing.status).toBe(400);
    const set = await api.request('PATCH', `/api/v1/documents/${draft.body.id}/measures/1`, {
      token: coordinator,
      body: { version: m.version, reportingCycle: 'custom', customReportDates: ['2027-01-15', '2026-12-10'], dueOn: '2027-01-31' },
    });
    expect(set.body.measures[0].customReportDates).toEqual(['2026-12-10', '2027-01-15']);
    await post(`/api/v1/documents/${draft.body.id}/publish`, {});
    const task2 = (await get(`/api/v1/tasks?documentId=${draft.body.id}`, officer)).body.items[0];
    const periods = (await get(`/api/v1/tasks/${task2.id}/periods`, officer)).body;
    expect(periods.map((p: any) => [p.periodKey, p.startsOn, p.dueOn])).toEqual([
      ['2026-12-10', '2026-11-23', '2026-12-10'],
      ['2027-01-15', '2026-12-11', '2027-01-15'],
    ]);
  });

  it('suspends and resumes with the remaining working days kept', async () => {
    clock.set(at('2026-12-01'));
    const list = (await get('/api/v1/tasks?limit=500', officer)).body.items;
    const t = list.find((x: any) => x.status === 'assigned' && x.dueOn === '2026-12-31');
    const suspended = await post(`/api/v1/tasks/${t.id}/suspend`, { version: t.version, reason: '等待国家政策' });
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.remainingWorkingDays).toBe(22); // Dec 2-31 2026: 22 working days
    clock.set(at('2026-12-14'));
    const resumed = await post(`/api/v1/tasks/${t.id}/resume`, { version: suspended.body.version });
    expect(resumed.body.status).toBe('assigned');
    expect(resumed.body.dueOn > '2026-12-31').toBe(true);
  });

  it('keeps an audit trail of every command, hash-chained, and detects tampering', async () => {
    const trail = await get(`/api/v1/audit?entityType=task&entityId=${task.id}&limit=100`);
    const actions = trail.body.items.map((r: any) => r.action).reverse();
    expect(actions).toEqual(
      expect.arrayContaining(['task.accept', 'extension.requested', 'task.dueDateExtended', 'task.requestCompletion', 'task.refuseClose', 'task.confirmClose']),
    );
    expect((await get(`/api/v1/audit`, officer)).status).toBe(403);
    const auditor = await api.login('auditor');
    const intact = (await get('/api/v1/audit/verify', auditor)).body;
    expect(intact).toEqual(expect.objectContaining({ ok: true, brokenAt: null }));
    expect(intact.checked).toBeGreaterThan(10);
    await expect(db.query(`update audit_log set action = 'x' where id = 1`)).rejects.toThrow(/append-only/);
    await db.query(`alter table audit_log disable trigger trg_audit_log_no_update`);
    await db.query(`update audit_log set after = '{"forged": true}' where id = (select min(id) + 2 from audit_log)`);
    await db.query(`alter table audit_log enable trigger trg_audit_log_no_update`);
    const verify = (await get('/api/v1/audit/verify', auditor)).body;
    expect(verify.ok).toBe(false);
    expect(verify.reason).toContain('内容被改动');
  });
});
