import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { startApi, type TestApi } from './support/test-app';

/**
 * Property: any malformed request to any route with a JSON body (unknown field, missing field,
 * wrong type, 1 MB string, impossible date, not an object, malformed id) gets a 4xx in the error
 * shape, never a 5xx, and changes nothing.
 */
describe('bad input on every route', () => {
  let api: TestApi;
  let db: DataSource;
  let tokens: Record<string, string>;
  let ids: Record<string, string>;
  let schemas: Record<string, any>;
  const routes: { method: 'POST' | 'PATCH' | 'PUT'; path: string; url: () => string; as: string; valid: () => Record<string, unknown>; schema: string }[] = [];

  const fingerprint = async (): Promise<string> =>
    JSON.stringify(
      await db.query(
        `select (select count(*) from audit_log) a, (select coalesce(sum(version), 0) from tasks) t, (select count(*) from documents) d, (select coalesce(sum(version), 0) from documents) dv, (select coalesce(sum(version), 0) from measures) m,
                (select count(*) from task_comments) c, (select count(*) from report_submissions) s, (select count(*) from extension_requests) e, (select count(*) from api_tokens) k, (select count(*) from unit_aliases) al,
                (select count(*) from webhook_subscriptions) w, (select coalesce(max(updated_at)::text, '') from notification_preferences) np`,
      ),
    );

  beforeAll(async () => {
    api = await startApi('badinput');
    db = api.app.get(DataSource);
    tokens = { coordinator: await api.login('coordinator'), lead: await api.login('czt.officer'), head: await api.login('czt.head') };
    const doc = await api.request('POST', '/api/v1/documents', { token: tokens.coordinator, body: { text: '输入〔2026〕1号\n\n（一）一项工作。（省财政厅牵头负责）\n\n（二）另一项。（省数据局牵头负责）' } });
    const other = await api.request('POST', '/api/v1/documents', { token: tokens.coordinator, body: { text: '输入〔2026〕2号\n\n（一）一项工作。（省财政厅牵头负责）' } });
    await api.request('POST', `/api/v1/documents/${other.body.id}/publish`, { token: tokens.coordinator, body: { defaultDueOn: '2027-06-30' } });
    const task = (await api.request('GET', `/api/v1/tasks?documentId=${other.body.id}`, { token: tokens.coordinator })).body.items[0];
    const periods = (await api.request('GET', `/api/v1/tasks/${task.id}/periods`, { token: tokens.lead })).body;
    const unit = (await api.request('POST', '/api/v1/units/resolve', { token: tokens.coordinator, body: { names: ['省发展改革委'] } })).body[0].unit.id;
    ids = { doc: doc.body.id, task: task.id, period: periods[0].id, unit };
    const spec = (await api.request('GET', '/api/docs-json')).body;
    schemas = spec.components.schemas;
    const valid: Record<string, [string, () => Record<string, unknown>, () => string]> = {
      'POST /api/v1/auth/login': ['coordinator', () => ({ username: 'coordinator', password: 'x' }), () => '/api/v1/auth/login'],
      'POST /api/v1/auth/tokens': ['lead', () => ({ name: '脚本', expiresInDays: 3 }), () => '/api/v1/auth/tokens'],
      'POST /api/v1/units/resolve': ['lead', () => ({ names: ['省财政厅'] }), () => '/api/v1/units/resolve'],
      'PATCH /api/v1/documents/{id}/measures/{no}': ['coordinator', () => ({ version: 1, dueOn: '2027-01-31', leads: ['省财政厅'], leadMode: 'single', reportingCycle: 'monthly', dispatch: true }), () => `/api/v1/documents/${ids.doc}/measures/1`],
      'POST /api/v1/documents/{id}/aliases': ['coordinator', () => ({ name: '省数据局', unitId: ids.unit }), () => `/api/v1/documents/${ids.doc}/aliases`],
      'POST /api/v1/documents/{id}/publish': ['coordinator', () => ({ defaultDueOn: '2027-06-30' }), () => `/api/v1/documents/${ids.doc}/publish`],
      'POST /api/v1/tasks/{id}/accept': ['lead', () => ({ version: 1 }), () => `/api/v1/tasks/${ids.task}/accept`],
      'POST /api/v1/tasks/{id}/completion-request': ['lead', () => ({ version: 1, note: '完成' }), () => `/api/v1/tasks/${ids.task}/completion-request`],
      'POST /api/v1/tasks/{id}/close-refusal': ['coordinator', () => ({ version: 1, reason: '不行' }), () => `/api/v1/tasks/${ids.task}/close-refusal`],
      'POST /api/v1/tasks/{id}/priority': ['coordinator', () => ({ version: 1, priority: 'high' }), () => `/api/v1/tasks/${ids.task}/priority`],
      'POST /api/v1/tasks/{id}/suspend': ['coordinator', () => ({ version: 1, reason: '暂停' }), () => `/api/v1/tasks/${ids.task}/suspend`],
      'POST /api/v1/tasks/{id}/reassign': ['coordinator', () => ({ version: 1, fromUnitId: ids.unit, toUnitId: ids.unit, reason: '改派' }), () => `/api/v1/tasks/${ids.task}/reassign`],
      'POST /api/v1/tasks/{id}/comments': ['lead', () => ({ body: '意见' }), () => `/api/v1/tasks/${ids.task}/comments`],
      'POST /api/v1/tasks/{id}/extension-requests': ['lead', () => ({ newDueOn: '2027-09-30', reason: '需要' }), () => `/api/v1/tasks/${ids.task}/extension-requests`],
      'POST /api/v1/tasks/{id}/periods/{periodId}/submissions': ['lead', () => ({ progress: '进展', values: [], evidenceIds: [] }), () => `/api/v1/tasks/${ids.task}/periods/${ids.period}/submissions`],
      'POST /api/v1/submissions/{id}/review': ['coordinator', () => ({ version: 1, decision: 'return', comment: '补充' }), () => `/api/v1/submissions/${ids.task}/review`],
      'POST /api/v1/form-templates': ['coordinator', () => ({ title: '表', columns: [{ label: '名称', type: 'text', required: true }], uniqueBy: [] }), () => '/api/v1/form-templates'],
      'POST /api/v1/form-campaigns': ['coordinator', () => ({ templateId: ids.task, documentId: ids.doc, title: '征集', dueOn: '2027-06-30', unitIds: [ids.unit] }), () => '/api/v1/form-campaigns'],
      'POST /api/v1/form-campaigns/{id}/close': ['coordinator', () => ({ version: 1 }), () => `/api/v1/form-campaigns/${ids.task}/close`],
      'POST /api/v1/form-campaigns/{id}/submissions': ['lead', () => ({ header: { 填报单位: '单位' }, rows: [{ 市名: '朔州市' }] }), () => `/api/v1/form-campaigns/${ids.task}/submissions`],
      'POST /api/v1/form-submissions/{id}/review': ['coordinator', () => ({ version: 1, decision: 'return', comment: '补充' }), () => `/api/v1/form-submissions/${ids.task}/review`],
      'POST /api/v1/form-submissions/{id}/pairing-apply': ['coordinator', () => ({ registryVersion: 'a'.repeat(64) }), () => `/api/v1/form-submissions/${ids.task}/pairing-apply`],
      'POST /api/v1/pairings': ['coordinator', () => ({ assistedId: ids.unit, helperId: ids.unit, responsiblePerson: '王五', responsibleTitle: '副区长', contactPhone: '13900000000', remarks: '', startsOn: '2026-01-01', endsOn: '2026-12-31' }), () => '/api/v1/pairings'],
      'PATCH /api/v1/pairings/{id}': ['coordinator', () => ({ version: 1, remarks: '备注', contactPhone: '13900000000', startsOn: '2026-01-01' }), () => `/api/v1/pairings/${ids.task}`],
      'POST /api/v1/pairings/{id}/work-records': ['coordinator', () => ({ area: 'funds', occurredOn: '2026-11-20', metrics: { amount: 10 }, note: '资金' }), () => `/api/v1/pairings/${ids.task}/work-records`],
      'POST /api/v1/pairings/{id}/assessments': ['coordinator', () => ({ year: 2026, grade: '良好', score: 88, comment: '好' }), () => `/api/v1/pairings/${ids.task}/assessments`],
      'POST /api/v1/pairings/visit-obligations': ['coordinator', () => ({ year: 2026, documentId: ids.doc, dueOn: '2026-12-31' }), () => '/api/v1/pairings/visit-obligations'],
      'PATCH /api/v1/documents/{id}/deadline-settings': ['coordinator', () => ({ version: 1, reminderDaysBefore: [5, 2], escalationThresholds: [1, 3, 10], reviewLimitDays: 3 }), () => `/api/v1/documents/${ids.doc}/deadline-settings`],
      'PATCH /api/v1/tasks/{id}/deadline-settings': ['coordinator', () => ({ version: 1, remindOnDay: false, overdueRepeatEveryDays: 2, reviewEscalationDays: 5 }), () => `/api/v1/tasks/${ids.task}/deadline-settings`],
      'POST /api/v1/extension-requests/{id}/decision': ['coordinator', () => ({ version: 1, approve: true, note: '同意' }), () => `/api/v1/extension-requests/${ids.task}/decision`],
      'PUT /api/v1/me/notification-preferences': [
        'lead',
        () => ({ digest: true, kinds: Object.fromEntries(['reminder', 'escalation', 'review', 'period', 'generic'].map((k) => [k, { email: true, webhook: false }])) }),
        () => '/api/v1/me/notification-preferences',
      ],
      'POST /api/v1/webhooks': ['lead', () => ({ url: 'https://hooks.example.gov.cn/duban', secret: 'a-secret-of-some-length', description: '对接' }), () => '/api/v1/webhooks'],
    };
    for (const [path, ops] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const ref: string | undefined = op.requestBody?.content?.['application/json']?.schema?.$ref;
        const key = `${method.toUpperCase()} ${path}`;
        if (!ref || !valid[key]) continue;
        const [as, body, url] = valid[key];
        routes.push({ method: method.toUpperCase() as 'POST' | 'PATCH' | 'PUT', path: key, url, as, valid: body, schema: ref.split('/').pop() as string });
      }
    }
  });
  afterAll(async () => api.close());

  it('finds the JSON routes it drives', () => {
    expect(routes.length).toBeGreaterThanOrEqual(19);
  });

  const wrongValue = (type: string | undefined): fc.Arbitrary<unknown> =>
    type === 'string'
      ? fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.array(fc.integer(), { maxLength: 2 }))
      : type === 'integer' || type === 'number'
        ? fc.oneof(fc.string({ minLength: 1 }).map((s) => `x${s}`), fc.boolean(), fc.constant({}), fc.constant(type === 'integer' ? 1.5 : 'NaN'))
        : type === 'boolean'
          ? fc.oneof(fc.constantFrom('yes', 'true', 1, 0), fc.constant({}))
          : type === 'array'
            ? fc.oneof(fc.string(), fc.integer(), fc.constant({ a: 1 }))
            : fc.constant(Symbol.for('skip'));

  it('answers every malformed body with a 4xx in the error shape and changes nothing', async () => {
    const mutation = fc.constantFrom('unknownField', 'dropRequired', 'wrongType', 'hugeString', 'badDate', 'notObject', 'badId');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), mutation, fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 1000 }), async (ri, kind, junk, pick) => {
        const route = routes[ri % routes.length];
        const schema = schemas[route.schema];
        const props: [string, any][] = Object.entries(schema.properties ?? {});
        const required: string[] = schema.required ?? [];
        let body: unknown = route.valid();
        let url = route.url();
        const b = body as Record<string, unknown>;
        switch (kind) {
          case 'unknownField':
            b[`zz_${junk.replace(/\W/g, '')}x`] = junk;
            break;
          case 'dropRequired':
            if (required.length === 0) b.zz_unknown = 1;
            else delete b[required[pick % required.length]];
            break;
          case 'wrongType': {
            const typed = props.filter(([, p]) => ['string', 'integer', 'number', 'boolean', 'array'].includes(p.type));
            if (typed.length === 0) b.zz_unknown = 1;
            else {
              const [name, p] = typed[pick % typed.length];
              b[name] = fc.sample(wrongValue(p.type), { numRuns: 1, seed: pick })[0];
            }
            break;
          }
          case 'hugeString': {
            const strings = props.filter(([, p]) => p.type === 'string' && !p.format);
            if (strings.length === 0) b.zz_unknown = 'x'.repeat(1 << 20);
            else b[strings[pick % strings.length][0]] = '字'.repeat(1 << 20);
            break;
          }
          case 'badDate': {
            const dates = props.filter(([n]) => /On$/.test(n));
            if (dates.length === 0) b.zz_unknown = '2026-02-30';
            else b[dates[pick % dates.length][0]] = fc.sample(fc.constantFrom('2026-02-30', '2026-13-01', '明天', '26-1-1', '2026-1-1'), { numRuns: 1, seed: pick })[0];
            break;
          }
          case 'notObject':
            body = fc.sample(fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 3 })), { numRuns: 1, seed: pick })[0];
            break;
          case 'badId':
            url = url.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, `not-a-uuid-${pick}`);
            if (url === route.url()) b.zz_unknown = 1;
            break;
        }
        const before = await fingerprint();
        const res = await api.request(route.method, url, { token: tokens[route.as], body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        const context = `${route.path} ${kind} -> ${res.status} ${res.text.slice(0, 200)}`;
        expect([context, res.status >= 400 && res.status < 500]).toEqual([context, true]);
        expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
        expect([context, await fingerprint()]).toEqual([context, before]);
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('answers illegal transitions and impossible dates with 4xx, not 5xx', async () => {
    const task = (await api.request('GET', `/api/v1/tasks/${ids.task}`, { token: tokens.coordinator })).body;
    const close = await api.request('POST', `/api/v1/tasks/${ids.task}/close`, { token: tokens.coordinator, body: { version: task.version } });
    expect([close.status, close.body.code]).toEqual([409, 'TASK_ILLEGAL_TRANSITION']);
    const ext = await api.request('POST', `/api/v1/tasks/${ids.task}/extension-requests`, { token: tokens.lead, body: { newDueOn: '2020-01-01', reason: '倒退' } });
    expect(ext.status).toBe(400);
  });

  // The tracking routes take only query strings: any malformed filter is a 4xx in the error shape, never a 5xx.
  it('answers malformed tracking filters with a 4xx in the error shape', async () => {
    const paths = ['summaries/unit', 'summaries/all', 'grid', 'targets', 'overdue', 'escalations', 'rankings', 'bulletin?period=2026', 'ledger'];
    const bad = fc.oneof(
      fc.record({ key: fc.constantFrom('documentId', 'unitId', 'cityId'), value: fc.string({ minLength: 1, maxLength: 40 }).filter((v) => !/^[0-9a-f-]{36}$/i.test(v)) }),
      fc.record({ key: fc.constant('section'), value: fc.oneof(fc.constantFrom('0', '-1', '1.5', '100', 'abc'), fc.string({ minLength: 1, maxLength: 6 }).filter((v) => !/^[1-9]\d?$/.test(v))) }),
      fc.record({ key: fc.constant('period'), value: fc.string({ minLength: 1, maxLength: 10 }).filter((v) => !/^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/.test(v)) }),
      fc.record({ key: fc.constant('format'), value: fc.constantFrom('pdf', 'XLSX', '', 'doc') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), bad, async (path, { key, value }) => {
        // section alone is refused too (it needs documentId); a bulletin's own period is replaced.
        const base = path.startsWith('bulletin') && key === 'period' ? 'bulletin?' : `${path}${path.includes('?') ? '&' : '?'}`;
        const url = `/api/v1/tracking/${base}${key}=${encodeURIComponent(value)}`;
        const res = await api.request('GET', url, { token: tokens.coordinator });
        const context = `${url} -> ${res.status} ${res.text.slice(0, 200)}`;
        // A route without a format rejects the unknown field (whitelisting), one with it rejects the value.
        expect([context, res.status >= 400 && res.status < 500]).toEqual([context, true]);
        expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
