import { DataSource } from 'typeorm';
import { makePdf } from '../libs/policy-parser/test/make-pdf';
import { ManualClock } from '../libs/calendar/src';
import { inferTemplate } from '../libs/domain/src';
import { multipartFile, startApi, type TestApi } from './support/test-app';

/**
 * The authorization matrix: every documented route x every kind of user, inside and outside the
 * scope of the task it touches. "ok" means the guards let the call through (2xx, or a 400/409 about
 * the request itself); "forbidden" is 403; "hidden" is 404 (the task's existence does not leak).
 * A denied call must change nothing (audit log and task versions are compared).
 */
type Outcome = 'ok' | 'forbidden' | 'hidden';
type Relation = 'coordinator' | 'auditor' | 'lead' | 'cooperating' | 'city' | 'none';
type Rule = (u: User) => Outcome;

interface User {
  name: string;
  username: string;
  roles: string[];
  /** Relation to task T1 (lead 省财政厅, cooperating 省农业农村厅). */
  relation: Relation;
  token?: string;
}

const USERS: User[] = [
  { name: 'coordinator', username: 'coordinator', roles: ['coordinator'], relation: 'coordinator' },
  { name: 'admin', username: 'admin', roles: ['admin'], relation: 'auditor' },
  { name: 'auditor', username: 'auditor', roles: ['auditor'], relation: 'auditor' },
  { name: 'lead officer', username: 'czt.officer', roles: ['officer'], relation: 'lead' },
  { name: 'lead head', username: 'czt.head', roles: ['unit_head'], relation: 'lead' },
  { name: 'cooperating officer', username: 'nynct.officer', roles: ['officer'], relation: 'cooperating' },
  { name: 'other department', username: 'fgw.officer', roles: ['officer'], relation: 'none' },
  { name: 'other city bureau', username: 'datong.officer', roles: ['officer'], relation: 'none' },
  { name: 'city bureau (朔州)', username: 'shuozhou.officer', roles: ['officer'], relation: 'none' },
  { name: 'county', username: 'yingxian.officer', roles: ['officer'], relation: 'none' },
];

const anyone: Rule = () => 'ok';
const roles = (...allowed: string[]): Rule => (u) => (u.roles.some((r) => allowed.includes(r)) ? 'ok' : 'forbidden');
const visible: Rule = (u) => (u.relation === 'none' ? 'hidden' : 'ok');
const byRelation = (...allowed: Relation[]): Rule => (u) => (u.relation === 'none' ? 'hidden' : allowed.includes(u.relation) ? 'ok' : 'forbidden');
const leadHead: Rule = (u) => (u.relation === 'none' ? 'hidden' : u.relation === 'lead' && u.roles.includes('unit_head') ? 'ok' : 'forbidden');
const seesAll = (u: User): boolean => u.roles.some((r) => ['coordinator', 'admin', 'auditor'].includes(r));
/** The pairing campaign goes to 大同's bureau only; its submission is 大同's. */
const campaignReaders: Rule = (u) => (seesAll(u) || u.username === 'datong.officer' ? 'ok' : 'hidden');
const campaignSenders: Rule = (u) => (u.username === 'datong.officer' ? 'ok' : seesAll(u) ? 'forbidden' : 'hidden');
const cityUsers: Rule = (u) => (seesAll(u) || ['datong.officer', 'shuozhou.officer'].includes(u.username) ? 'ok' : 'forbidden');
/** The pairing 右玉县←平鲁区 is in 朔州. */
const pairingReaders: Rule = (u) => (seesAll(u) || u.username === 'shuozhou.officer' ? 'ok' : 'hidden');
const pairingManagers: Rule = (u) => (u.roles.includes('coordinator') || u.username === 'shuozhou.officer' ? 'ok' : seesAll(u) ? 'forbidden' : 'hidden');
const pairingAssessors: Rule = (u) => (u.username === 'shuozhou.officer' ? 'ok' : seesAll(u) ? 'forbidden' : 'hidden');
const allChannels = (): Record<string, { email: boolean; webhook: boolean }> =>
  Object.fromEntries(['reminder', 'escalation', 'review', 'period', 'generic'].map((k) => [k, { email: true, webhook: true }]));
const draftReaders: Rule = (u) => (u.roles.some((r) => ['coordinator', 'admin', 'auditor'].includes(r)) ? 'ok' : 'hidden');

describe('authorization matrix', () => {
  const clock = new ManualClock('2026-11-23T02:00:00Z');
  let api: TestApi;
  let db: DataSource;
  let ids: Record<string, string>;
  const documented = new Set<string>();

  const as = (u: User) => u.token as string;
  const taskVersion = async (id: string): Promise<number> => (await db.query(`select version from tasks where id = $1`, [id]))[0].version;
  const fingerprint = async (): Promise<string> =>
    JSON.stringify(await db.query(`select (select count(*) from audit_log) as audit, (select coalesce(sum(version), 0) from tasks) as tasks, (select count(*) from task_comments) as comments, (select count(*) from report_submissions) as subs, (select count(*) from documents) as docs, (select count(*) from extension_requests) as ext, (select count(*) from form_submissions) as fsubs, (select coalesce(sum(version), 0) from pairings) as pairings, (select count(*) from form_campaigns) as campaigns, (select count(*) from webhook_subscriptions where deleted_at is null) as hooks, (select string_agg(status, ',' order by id) from notification_deliveries) as deliveries`));

  beforeAll(async () => {
    api = await startApi('authz', { clock });
    db = api.app.get(DataSource);
    for (const u of USERS) u.token = await api.login(u.username);
    const coordinator = USERS[0].token as string;
    const text = [
      '授权〔2026〕1号',
      '关于授权测试的通知',
      '一、任务',
      '（一）第一项工作。（省财政厅牵头，省农业农村厅配合）',
      '（二）第二项工作。（应县人民政府牵头负责）',
    ].join('\n\n');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text } });
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2027-06-30' } });
    const draft = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '草稿〔2026〕2号\n\n（一）草稿工作。（省财政厅牵头负责）\n\n（二）另一项。（省数据局牵头负责）' } });
    const tasks = (await api.request('GET', `/api/v1/tasks?documentId=${doc.body.id}`, { token: coordinator })).body.items;
    const t1 = tasks.find((t: any) => t.title.startsWith('（一）')).id;
    const t2 = tasks.find((t: any) => t.title.startsWith('（二）')).id;
    // Material for the routes that need a submission, an extension, an evidence file.
    const lead = USERS[3].token as string;
    await api.request('POST', `/api/v1/tasks/${t1}/accept`, { token: lead, body: { version: await taskVersion(t1) } });
    const periods = (await api.request('GET', `/api/v1/tasks/${t1}/periods`, { token: lead })).body;
    const pdf = multipartFile('a.pdf', makePdf([['佐证']]), 'application/pdf');
    const ev = await api.request('POST', `/api/v1/tasks/${t1}/evidence`, { token: lead, body: pdf.body, headers: pdf.headers });
    const sub = await api.request('POST', `/api/v1/tasks/${t1}/periods/${periods[0].id}/submissions`, { token: lead, body: { progress: '进展' } });
    const ext = await api.request('POST', `/api/v1/tasks/${t1}/extension-requests`, { token: lead, body: { newDueOn: '2027-09-30', reason: '需要' } });
    const fgw = (await api.request('POST', '/api/v1/units/resolve', { token: coordinator, body: { names: ['省发展改革委', '省财政厅'] } })).body;
    const someUser = (await db.query(`select id from users where username = 'rst.officer'`))[0].id;
    ids = { someUser, doc: doc.body.id, draft: draft.body.id, t1, t2, period: periods[0].id, evidence: ev.body.id, sub: sub.body.id, ext: ext.body.id, fgw: fgw[0].unit.id, czt: fgw[1].unit.id };
    // Statistics forms and pairings: a pairing-form campaign sent to 大同 only (so 朔州's task list
    // stays as the city test below expects), 大同's accepted submission, a pairing in 朔州.
    const unit = async (code: string): Promise<string> => (await db.query(`select id from units where code = $1`, [code]))[0].id;
    const form = inferTemplate({ title: '结对帮扶统计表', columns: ['市名', '重点帮扶县', '结对帮扶县', '具体负责人', '单位及职务', '联系方式', '备注'], headerFields: [], footerFields: [] });
    const tpl = await api.request('POST', '/api/v1/form-templates', { token: coordinator, body: { title: form.title, columns: form.columns, uniqueBy: form.uniqueBy } });
    const datongBureau = await unit('citybureau.140200');
    const campaign = await api.request('POST', '/api/v1/form-campaigns', { token: coordinator, body: { templateId: tpl.body.id, documentId: doc.body.id, dueOn: '2027-06-30', unitIds: [datongBureau] } });
    const datong = USERS.find((u) => u.username === 'datong.officer')?.token as string;
    const fsub = await api.request('POST', `/api/v1/form-campaigns/${campaign.body.id}/submissions`, {
      token: datong,
      body: { header: { 填报单位: '大同市乡村振兴局', 填报时间: '2026-11-20', 填表人: '孙八', 联系方式: '13700000000' }, rows: [{ 市名: '大同市', 重点帮扶县: '云州区', 结对帮扶县: '平城区', 具体负责人: '周一', 单位及职务: '副区长', 联系方式: '13700000001' }] },
    });
    await api.request('POST', `/api/v1/form-submissions/${fsub.body.id}/review`, { token: coordinator, body: { version: 1, decision: 'accept' } });
    const pairing = await api.request('POST', '/api/v1/pairings', {
      token: coordinator,
      body: { assistedId: await unit('county.140623'), helperId: await unit('county.140603'), responsiblePerson: '钱七', responsibleTitle: '副区长', contactPhone: '13900000000', startsOn: '2026-01-01' },
    });
    Object.assign(ids, { template: tpl.body.id, campaign: campaign.body.id, fsub: fsub.body.id, pairing: pairing.body.id, datongBureau, yingxian: await unit('county.140622'), shuocheng: await unit('county.140602') });
    // Someone else's webhook, and a parked delivery for the re-drive route.
    const rst = await api.login('rst.officer');
    const otherHook = (await api.request('POST', '/api/v1/webhooks', { token: rst, body: { url: 'https://hooks.example.gov.cn/rst' } })).body.id;
    const parked = (
      await db.query(
        `insert into notification_deliveries (delivery_key, channel, user_id, subscription_id, status, attempts, parked_at) values ('authz-parked', 'webhook', $1, $2, 'parked', 8, now()) returning id`,
        [someUser, otherHook],
      )
    )[0].id;
    Object.assign(ids, { rst, otherHook, parked });
    const spec = await api.request('GET', '/api/docs-json');
    for (const [path, ops] of Object.entries<Record<string, unknown>>(spec.body.paths)) for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path}`);
  });
  afterAll(async () => api.close());

  // Each route: the rule for T1, and the call. Bodies are valid, so only the guards decide.
  const ROUTES: [string, Rule, (u: User) => Promise<{ status: number }>][] = [
    ['POST /api/v1/auth/login', anyone, (u) => api.request('POST', '/api/v1/auth/login', { body: { username: u.username, password: 'Duban@2026' } })],
    ['GET /api/v1/me', anyone, (u) => api.request('GET', '/api/v1/me', { token: as(u) })],
    ['POST /api/v1/auth/tokens', anyone, (u) => api.request('POST', '/api/v1/auth/tokens', { token: as(u), body: { name: 't' } })],
    ['GET /api/v1/auth/tokens', anyone, (u) => api.request('GET', '/api/v1/auth/tokens', { token: as(u) })],
    [
      'DELETE /api/v1/auth/tokens/{id}',
      anyone,
      async (u) => {
        const t = await api.request('POST', '/api/v1/auth/tokens', { token: as(u), body: { name: 'x' } });
        return api.request('DELETE', `/api/v1/auth/tokens/${t.body.id}`, { token: as(u) });
      },
    ],
    ['GET /api/v1/users', roles('admin', 'coordinator', 'auditor'), (u) => api.request('GET', '/api/v1/users', { token: as(u) })],
    [
      'POST /api/v1/users',
      roles('admin'),
      (u) => api.request('POST', '/api/v1/users', { token: as(u), body: { username: `u.${u.username}`, displayName: '测试', password: 'a-long-password', unitId: ids.czt, roles: ['officer'] } }),
    ],
    ['PATCH /api/v1/users/{id}', roles('admin'), async (u) => api.request('PATCH', `/api/v1/users/${ids.someUser}`, { token: as(u), body: { roles: ['officer'] } })],
    ['GET /api/v1/units', anyone, (u) => api.request('GET', '/api/v1/units', { token: as(u) })],
    ['GET /api/v1/units/{code}', anyone, (u) => api.request('GET', '/api/v1/units/prov.czt', { token: as(u) })],
    ['POST /api/v1/units/resolve', anyone, (u) => api.request('POST', '/api/v1/units/resolve', { token: as(u), body: { names: ['省财政厅'] } })],
    ['PATCH /api/v1/units/{code}/settings', (u) => (u.roles.some((r) => ['admin', 'coordinator'].includes(r)) || u.username === 'czt.head' ? 'ok' : 'forbidden'), (u) => api.request('PATCH', '/api/v1/units/prov.czt/settings', { token: as(u), body: { requiresSignoff: false } })],
    ['POST /api/v1/units/import', roles('admin', 'coordinator'), (u) => api.request('POST', '/api/v1/units/import?dryRun=true', { token: as(u), body: 'code,name,kind\n', headers: { 'content-type': 'text/csv' } })],
    ['POST /api/v1/documents', roles('coordinator'), (u) => api.request('POST', '/api/v1/documents', { token: as(u), body: { text: `新文〔2026〕${Math.floor(Math.random() * 1e6)}号\n\n（一）工作。（省财政厅牵头负责）` } })],
    ['GET /api/v1/documents', anyone, (u) => api.request('GET', '/api/v1/documents?includeDrafts=true', { token: as(u) })],
    ['GET /api/v1/documents/{id}', anyone, (u) => api.request('GET', `/api/v1/documents/${ids.doc}`, { token: as(u) })],
    ['GET /api/v1/documents/{id} (draft)', draftReaders, (u) => api.request('GET', `/api/v1/documents/${ids.draft}`, { token: as(u) })],
    ['GET /api/v1/documents/{id}/measures/{no}/text', anyone, (u) => api.request('GET', `/api/v1/documents/${ids.doc}/measures/1/text`, { token: as(u) })],
    ['PATCH /api/v1/documents/{id}/measures/{no}', roles('coordinator'), (u) => api.request('PATCH', `/api/v1/documents/${ids.draft}/measures/1`, { token: as(u), body: { version: 1, dueOn: '2027-01-31' } })],
    ['POST /api/v1/documents/{id}/aliases', roles('coordinator'), (u) => api.request('POST', `/api/v1/documents/${ids.draft}/aliases`, { token: as(u), body: { name: '省数据局', unitId: ids.fgw } })],
    ['POST /api/v1/documents/{id}/publish', roles('coordinator'), (u) => api.request('POST', `/api/v1/documents/${ids.doc}/publish`, { token: as(u), body: { defaultDueOn: '2027-06-30' } })],
    ['DELETE /api/v1/documents/{id}', roles('coordinator'), (u) => api.request('DELETE', `/api/v1/documents/${ids.doc}`, { token: as(u) })],
    ['GET /api/v1/tasks', anyone, (u) => api.request('GET', '/api/v1/tasks', { token: as(u) })],
    ['GET /api/v1/tasks/{id}', visible, (u) => api.request('GET', `/api/v1/tasks/${ids.t1}`, { token: as(u) })],
    ['POST /api/v1/tasks/{id}/accept', byRelation('lead'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/accept`, { token: as(u), body: { version: await taskVersion(ids.t1) } })],
    ['POST /api/v1/tasks/{id}/start', byRelation('lead'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/start`, { token: as(u), body: { version: await taskVersion(ids.t1) } })],
    ['POST /api/v1/tasks/{id}/completion-request', byRelation('lead'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/completion-request`, { token: as(u), body: { version: await taskVersion(ids.t1), note: '完成' } })],
    ['POST /api/v1/tasks/{id}/close', byRelation('coordinator'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/close`, { token: as(u), body: { version: await taskVersion(ids.t1) } })],
    ['POST /api/v1/tasks/{id}/close-refusal', byRelation('coordinator'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/close-refusal`, { token: as(u), body: { version: await taskVersion(ids.t1), reason: '不行' } })],
    ['POST /api/v1/tasks/{id}/suspend', byRelation('coordinator'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/suspend`, { token: as(u), body: { version: await taskVersion(ids.t1), reason: '暂停' } })],
    ['POST /api/v1/tasks/{id}/resume', byRelation('coordinator'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/resume`, { token: as(u), body: { version: await taskVersion(ids.t1) } })],
    ['POST /api/v1/tasks/{id}/priority', byRelation('coordinator'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/priority`, { token: as(u), body: { version: await taskVersion(ids.t1), priority: 'high' } })],
    ['POST /api/v1/tasks/{id}/reassign', byRelation('coordinator'), async (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/reassign`, { token: as(u), body: { version: await taskVersion(ids.t1), fromUnitId: ids.fgw, toUnitId: ids.czt, reason: '改派' } })],
    ['GET /api/v1/tasks/{id}/comments', visible, (u) => api.request('GET', `/api/v1/tasks/${ids.t1}/comments`, { token: as(u) })],
    ['POST /api/v1/tasks/{id}/comments', byRelation('coordinator', 'lead', 'cooperating', 'city'), (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/comments`, { token: as(u), body: { body: '意见' } })],
    ['GET /api/v1/tasks/{id}/extension-requests', visible, (u) => api.request('GET', `/api/v1/tasks/${ids.t1}/extension-requests`, { token: as(u) })],
    ['POST /api/v1/tasks/{id}/extension-requests', byRelation('lead'), (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/extension-requests`, { token: as(u), body: { newDueOn: '2027-12-31', reason: '需要' } })],
    ['GET /api/v1/tasks/{id}/periods', visible, (u) => api.request('GET', `/api/v1/tasks/${ids.t1}/periods`, { token: as(u) })],
    ['GET /api/v1/tasks/{id}/submissions', visible, (u) => api.request('GET', `/api/v1/tasks/${ids.t1}/submissions`, { token: as(u) })],
    ['POST /api/v1/tasks/{id}/periods/{periodId}/submissions', byRelation('lead'), (u) => api.request('POST', `/api/v1/tasks/${ids.t1}/periods/${ids.period}/submissions`, { token: as(u), body: { progress: '进展' } })],
    [
      'POST /api/v1/tasks/{id}/evidence',
      byRelation('lead'),
      (u) => {
        const m = multipartFile('b.txt', '佐证文字', 'text/plain');
        return api.request('POST', `/api/v1/tasks/${ids.t1}/evidence`, { token: as(u), body: m.body, headers: m.headers });
      },
    ],
    ['GET /api/v1/evidence/{id}', visible, (u) => api.request('GET', `/api/v1/evidence/${ids.evidence}`, { token: as(u) })],
    ['GET /api/v1/review-queue', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', '/api/v1/review-queue', { token: as(u) })],
    ['GET /api/v1/submissions/{id}', visible, (u) => api.request('GET', `/api/v1/submissions/${ids.sub}`, { token: as(u) })],
    ['POST /api/v1/submissions/{id}/signoff', leadHead, (u) => api.request('POST', `/api/v1/submissions/${ids.sub}/signoff`, { token: as(u), body: { version: 1 } })],
    ['POST /api/v1/submissions/{id}/review', roles('coordinator'), (u) => api.request('POST', `/api/v1/submissions/${ids.sub}/review`, { token: as(u), body: { version: 99, decision: 'approve' } })],
    ['POST /api/v1/extension-requests/{id}/decision', roles('coordinator'), (u) => api.request('POST', `/api/v1/extension-requests/${ids.ext}/decision`, { token: as(u), body: { version: 99, approve: true } })],
    ['GET /api/v1/audit', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', '/api/v1/audit', { token: as(u) })],
    ['GET /api/v1/audit/verify', roles('auditor', 'admin'), (u) => api.request('GET', '/api/v1/audit/verify', { token: as(u) })],
    ['GET /api/v1/notifications', anyone, (u) => api.request('GET', '/api/v1/notifications', { token: as(u) })],
    ['GET /api/v1/notifications/unread-count', anyone, (u) => api.request('GET', '/api/v1/notifications/unread-count', { token: as(u) })],
    ['POST /api/v1/notifications/read-all', anyone, (u) => api.request('POST', '/api/v1/notifications/read-all', { token: as(u) })],
    // Someone else's notification (or none) is not found, for everyone.
    ['POST /api/v1/notifications/{id}/read', () => 'hidden', (u) => api.request('POST', '/api/v1/notifications/00000000-0000-4000-8000-000000000000/read', { token: as(u) })],
    ['GET /api/v1/escalations', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', '/api/v1/escalations', { token: as(u) })],
    ['POST /api/v1/form-templates', roles('coordinator'), (u) => api.request('POST', '/api/v1/form-templates', { token: as(u), body: { title: '表', columns: [{ label: '名称', type: 'text', required: true }] } })],
    ['GET /api/v1/form-templates', anyone, (u) => api.request('GET', '/api/v1/form-templates', { token: as(u) })],
    ['GET /api/v1/form-templates/{id}', anyone, (u) => api.request('GET', `/api/v1/form-templates/${ids.template}`, { token: as(u) })],
    ['POST /api/v1/form-campaigns', roles('coordinator'), (u) => api.request('POST', '/api/v1/form-campaigns', { token: as(u), body: { templateId: ids.template, documentId: ids.doc, dueOn: '2027-06-30', unitIds: [ids.datongBureau] } })],
    ['GET /api/v1/form-campaigns', anyone, (u) => api.request('GET', '/api/v1/form-campaigns', { token: as(u) })],
    ['GET /api/v1/form-campaigns/{id}', campaignReaders, (u) => api.request('GET', `/api/v1/form-campaigns/${ids.campaign}`, { token: as(u) })],
    // Closing is refused (409) while key assisted counties are uncovered, so the campaign stays open.
    ['POST /api/v1/form-campaigns/{id}/close', roles('coordinator'), (u) => api.request('POST', `/api/v1/form-campaigns/${ids.campaign}/close`, { token: as(u), body: { version: 1 } })],
    ['GET /api/v1/form-campaigns/{id}/blank.xlsx', campaignReaders, (u) => api.request('GET', `/api/v1/form-campaigns/${ids.campaign}/blank.xlsx`, { token: as(u) })],
    ['POST /api/v1/form-campaigns/{id}/submissions', campaignSenders, (u) => api.request('POST', `/api/v1/form-campaigns/${ids.campaign}/submissions`, { token: as(u), body: { header: {}, rows: [{ 市名: '大同市' }] } })],
    [
      'POST /api/v1/form-campaigns/{id}/submissions/upload',
      campaignSenders,
      (u) => {
        const m = multipartFile('a.xlsx', '不是表格', 'application/octet-stream');
        return api.request('POST', `/api/v1/form-campaigns/${ids.campaign}/submissions/upload`, { token: as(u), body: m.body, headers: m.headers });
      },
    ],
    ['GET /api/v1/form-campaigns/{id}/submissions', campaignReaders, (u) => api.request('GET', `/api/v1/form-campaigns/${ids.campaign}/submissions`, { token: as(u) })],
    ['GET /api/v1/form-campaigns/{id}/rollup', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', `/api/v1/form-campaigns/${ids.campaign}/rollup`, { token: as(u) })],
    ['GET /api/v1/form-campaigns/{id}/rollup.xlsx', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', `/api/v1/form-campaigns/${ids.campaign}/rollup.xlsx`, { token: as(u) })],
    ['GET /api/v1/form-submissions/{id}', campaignReaders, (u) => api.request('GET', `/api/v1/form-submissions/${ids.fsub}`, { token: as(u) })],
    ['POST /api/v1/form-submissions/{id}/review', roles('coordinator'), (u) => api.request('POST', `/api/v1/form-submissions/${ids.fsub}/review`, { token: as(u), body: { version: 99, decision: 'accept' } })],
    ['GET /api/v1/form-submissions/{id}/pairing-diff', roles('coordinator'), (u) => api.request('GET', `/api/v1/form-submissions/${ids.fsub}/pairing-diff`, { token: as(u) })],
    // A registryVersion no preview gave: 409 for the coordinator, so nothing is applied.
    ['POST /api/v1/form-submissions/{id}/pairing-apply', roles('coordinator'), (u) => api.request('POST', `/api/v1/form-submissions/${ids.fsub}/pairing-apply`, { token: as(u), body: { registryVersion: 'a'.repeat(64) } })],
    ['GET /api/v1/pairings', anyone, (u) => api.request('GET', '/api/v1/pairings', { token: as(u) })],
    [
      'POST /api/v1/pairings',
      (u) => (u.roles.includes('coordinator') || u.username === 'shuozhou.officer' ? 'ok' : 'forbidden'),
      (u) => api.request('POST', '/api/v1/pairings', { token: as(u), body: { assistedId: ids.yingxian, helperId: ids.shuocheng, responsiblePerson: '王五', responsibleTitle: '副区长', contactPhone: '13900000000', startsOn: '2026-01-01' } }),
    ],
    ['GET /api/v1/pairings/coverage', cityUsers, (u) => api.request('GET', '/api/v1/pairings/coverage', { token: as(u) })],
    ['GET /api/v1/pairings/summary', anyone, (u) => api.request('GET', '/api/v1/pairings/summary?year=2026', { token: as(u) })],
    ['GET /api/v1/pairings/assessments', cityUsers, (u) => api.request('GET', '/api/v1/pairings/assessments?year=2026', { token: as(u) })],
    // A year with no current pairing: no visit task is created, so task lists stay as the city test expects.
    ['POST /api/v1/pairings/visit-obligations', roles('coordinator'), (u) => api.request('POST', '/api/v1/pairings/visit-obligations', { token: as(u), body: { year: 2020, documentId: ids.doc } })],
    ['GET /api/v1/pairings/{id}', pairingReaders, (u) => api.request('GET', `/api/v1/pairings/${ids.pairing}`, { token: as(u) })],
    [
      'PATCH /api/v1/pairings/{id}',
      pairingManagers,
      async (u) => {
        const v = (await db.query(`select version from pairings where id = $1`, [ids.pairing]))[0].version;
        return api.request('PATCH', `/api/v1/pairings/${ids.pairing}`, { token: as(u), body: { version: v, remarks: `改 ${u.username}` } });
      },
    ],
    // A stale version: 409 for those allowed, so the pairing survives.
    ['DELETE /api/v1/pairings/{id}', pairingManagers, (u) => api.request('DELETE', `/api/v1/pairings/${ids.pairing}?version=999`, { token: as(u) })],
    ['GET /api/v1/pairings/{id}/work-records', pairingReaders, (u) => api.request('GET', `/api/v1/pairings/${ids.pairing}/work-records`, { token: as(u) })],
    ['POST /api/v1/pairings/{id}/work-records', pairingManagers, (u) => api.request('POST', `/api/v1/pairings/${ids.pairing}/work-records`, { token: as(u), body: { area: 'meeting', occurredOn: '2026-11-20' } })],
    ['POST /api/v1/pairings/{id}/assessments', pairingAssessors, (u) => api.request('POST', `/api/v1/pairings/${ids.pairing}/assessments`, { token: as(u), body: { year: 2026, grade: '良好' } })],
    ['GET /api/v1/documents/{id}/deadline-settings', roles('coordinator', 'admin', 'auditor'), (u) => api.request('GET', `/api/v1/documents/${ids.doc}/deadline-settings`, { token: as(u) })],
    [
      'PATCH /api/v1/documents/{id}/deadline-settings',
      roles('coordinator'),
      async (u) => api.request('PATCH', `/api/v1/documents/${ids.doc}/deadline-settings`, { token: as(u), body: { version: (await db.query(`select version from documents where id = $1`, [ids.doc]))[0].version, reviewLimitDays: 4 } }),
    ],
    ['GET /api/v1/tasks/{id}/deadline-settings', visible, (u) => api.request('GET', `/api/v1/tasks/${ids.t1}/deadline-settings`, { token: as(u) })],
    ['PATCH /api/v1/tasks/{id}/deadline-settings', byRelation('coordinator'), async (u) => api.request('PATCH', `/api/v1/tasks/${ids.t1}/deadline-settings`, { token: as(u), body: { version: await taskVersion(ids.t1), reminderDaysBefore: [3, 1] } })],
    ['GET /api/v1/me/notification-preferences', anyone, (u) => api.request('GET', '/api/v1/me/notification-preferences', { token: as(u) })],
    ['PUT /api/v1/me/notification-preferences', anyone, (u) => api.request('PUT', '/api/v1/me/notification-preferences', { token: as(u), body: { digest: false, kinds: allChannels() } })],
    ['GET /api/v1/webhooks', anyone, (u) => api.request('GET', '/api/v1/webhooks', { token: as(u) })],
    ['POST /api/v1/webhooks', anyone, (u) => api.request('POST', '/api/v1/webhooks', { token: as(u), body: { url: 'https://hooks.example.gov.cn/mine' } })],
    ['POST /api/v1/webhooks (unit)', roles('admin', 'coordinator'), (u) => api.request('POST', '/api/v1/webhooks', { token: as(u), body: { url: 'https://hooks.example.gov.cn/unit', unitId: ids.czt } })],
    [
      'DELETE /api/v1/webhooks/{id}',
      anyone,
      async (u) => {
        const h = await api.request('POST', '/api/v1/webhooks', { token: as(u), body: { url: 'https://hooks.example.gov.cn/own' } });
        return api.request('DELETE', `/api/v1/webhooks/${h.body.id}`, { token: as(u) });
      },
    ],
    [
      // Someone else's subscription: managers may end it; to anyone else it does not exist.
      'DELETE /api/v1/webhooks/{id} (someone else\'s)',
      (u) => (roles('admin', 'coordinator')(u) === 'ok' ? 'ok' : 'hidden'),
      async (u) => {
        if (roles('admin', 'coordinator')(u) !== 'ok') return api.request('DELETE', `/api/v1/webhooks/${ids.otherHook}`, { token: as(u) });
        const h = await api.request('POST', '/api/v1/webhooks', { token: ids.rst, body: { url: 'https://hooks.example.gov.cn/rst2' } });
        return api.request('DELETE', `/api/v1/webhooks/${h.body.id}`, { token: as(u) });
      },
    ],
    ['GET /api/v1/deliveries', roles('admin'), (u) => api.request('GET', '/api/v1/deliveries', { token: as(u) })],
    ['POST /api/v1/deliveries/{id}/redrive', roles('admin'), (u) => api.request('POST', `/api/v1/deliveries/${ids.parked}/redrive`, { token: as(u) })],
    // Tracking: every reader gets their own scope (test/tracking.e2e-spec.ts checks the figures per scope);
    // comparing units (ranking, bulletin) is for the bureau.
    ['GET /api/v1/tracking/summaries/{by}', anyone, (u) => api.request('GET', '/api/v1/tracking/summaries/unit', { token: as(u) })],
    ['GET /api/v1/tracking/grid', anyone, (u) => api.request('GET', `/api/v1/tracking/grid?documentId=${ids.doc}`, { token: as(u) })],
    ['GET /api/v1/tracking/targets', anyone, (u) => api.request('GET', '/api/v1/tracking/targets', { token: as(u) })],
    ['GET /api/v1/tracking/overdue', anyone, (u) => api.request('GET', '/api/v1/tracking/overdue', { token: as(u) })],
    ['GET /api/v1/tracking/escalations', anyone, (u) => api.request('GET', '/api/v1/tracking/escalations', { token: as(u) })],
    ['GET /api/v1/tracking/ledger', anyone, (u) => api.request('GET', '/api/v1/tracking/ledger?format=csv', { token: as(u) })],
    ['GET /api/v1/tracking/rankings', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', '/api/v1/tracking/rankings', { token: as(u) })],
    ['GET /api/v1/tracking/bulletin', roles('coordinator', 'auditor', 'admin'), (u) => api.request('GET', '/api/v1/tracking/bulletin?period=2026-Q4&format=md', { token: as(u) })],
    ['GET /health', anyone, () => api.request('GET', '/health')],
  ];

  it('covers every documented route', () => {
    const covered = new Set(ROUTES.map(([r]) => r.replace(/ \(.*\)$/, '')));
    expect([...documented].filter((r) => !covered.has(r)).sort()).toEqual([]);
  });

  const deniedFirst = [...USERS].sort((a, b) => Number(a.relation !== 'none') - Number(b.relation !== 'none'));
  it.each(ROUTES.map(([route, rule, call]) => [route, rule, call] as const))('%s', async (route, rule, call) => {
    const seen: string[] = [];
    const wanted: string[] = [];
    // Denied users first, so a permitted call cannot hide a leak by changing the state.
    const order = [...deniedFirst.filter((u) => rule(u) !== 'ok'), ...deniedFirst.filter((u) => rule(u) === 'ok')];
    for (const u of order) {
      const expected = rule(u);
      const before = expected === 'ok' ? '' : await fingerprint();
      const res = await call(u);
      const got: Outcome = res.status === 403 ? 'forbidden' : res.status === 404 ? 'hidden' : res.status === 401 ? ('unauthenticated' as Outcome) : 'ok';
      seen.push(`${u.name}: ${got} (${res.status})`);
      wanted.push(`${u.name}: ${expected} (${got === expected ? res.status : '?'})`);
      if (expected !== 'ok') expect([u.name, await fingerprint()]).toEqual([u.name, before]);
    }
    expect(seen).toEqual(wanted);
  });

  it('gives each user only their scope in the tracking summaries and ledger', async () => {
    const total = async (u: User) => (await api.request('GET', '/api/v1/tracking/summaries/all', { token: as(u) })).body.rows[0]?.tasks ?? 0;
    const ledgerRows = async (u: User) => (await api.request('GET', '/api/v1/tracking/ledger?format=csv', { token: as(u) })).text.trim().split('\r\n').length - 1;
    // Every task in scope, of every origin (the measures' tasks, the campaign's and the visit's), counted from the rows.
    const inScope = async (u: User): Promise<number> => {
      if (seesAll(u)) return Number((await db.query(`select count(*) as n from tasks`))[0].n);
      const [me] = await db.query(`select u.id, u.kind, u.parent_id from users s join units u on u.id = s.unit_id where s.username = $1`, [u.username]);
      const sql =
        me.kind === 'city_bureau'
          ? `select count(distinct tu.task_id) as n from task_units tu join units x on x.id = tu.unit_id where x.id = $1 or x.parent_id = $1`
          : `select count(distinct task_id) as n from task_units where unit_id = $1`;
      return Number((await db.query(sql, [me.kind === 'city_bureau' ? me.parent_id : me.id]))[0].n);
    };
    // Measure tasks alone, as set up above: the scope rules themselves.
    const measureTasks: Record<string, number> = { coordinator: 2, auditor: 2, 'lead officer': 1, 'cooperating officer': 1, 'other department': 0, 'city bureau (朔州)': 1, 'other city bureau': 0, county: 1 };
    for (const u of USERS.filter((x) => x.name in measureTasks)) {
      const want = await inScope(u);
      const measures = Number((await api.request('GET', '/api/v1/tracking/summaries/measure', { token: as(u) })).body.rows.reduce((a: number, r: { tasks: number }) => a + r.tasks, 0));
      expect([u.name, await total(u), await ledgerRows(u), measures]).toEqual([u.name, want, want, measureTasks[u.name]]);
    }
    expect(await ledgerRows(USERS.find((u) => u.name === 'other city bureau')!)).toBeGreaterThan(0);
  });

  // T1's relation table does not cover the city bureau; T2 (led by 应县, a county of 朔州) does.
  it('gives city bureau users their own city only', async () => {
    const city = USERS.find((u) => u.username === 'shuozhou.officer') as User;
    const other = USERS.find((u) => u.username === 'datong.officer') as User;
    expect((await api.request('GET', `/api/v1/tasks/${ids.t2}`, { token: as(city) })).status).toBe(200);
    expect((await api.request('GET', `/api/v1/tasks/${ids.t2}`, { token: as(other) })).status).toBe(404);
    const list = (await api.request('GET', '/api/v1/tasks', { token: as(city) })).body;
    expect(list.items.map((t: any) => t.id)).toEqual([ids.t2]);
    expect((await api.request('POST', `/api/v1/tasks/${ids.t2}/accept`, { token: as(city), body: { version: await taskVersion(ids.t2) } })).status).toBe(403);
  });
});
