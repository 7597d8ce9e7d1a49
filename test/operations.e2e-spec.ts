import { startApi, type TestApi } from './support/test-app';

describe('operations: health, metrics, OpenAPI', () => {
  let api: TestApi;
  const routes: string[] = [];

  beforeAll(async () => {
    api = await startApi('ops', {
      seed: 'registry',
      beforeInit: (app) =>
        app
          .getHttpAdapter()
          .getInstance()
          .addHook('onRoute', (r) => {
            const methods = Array.isArray(r.method) ? r.method : [r.method];
            for (const m of methods) if (m !== 'HEAD') routes.push(`${m} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
          }),
    });
  });
  afterAll(async () => api.close());

  it('reports PostgreSQL and Redis up on /health, and the worker as degraded when none beats', async () => {
    const res = await api.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.details.postgres.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
    expect(res.body.details.worker.status).toBe('degraded');
    // chinese-days has no 2027 yet: said loudly, not silently treated as plain weekdays.
    expect(res.body.details.calendar.status).toBe('degraded');
    expect(res.body.details.calendar.missingYears).toContain(2027);
    // No SMTP_URL here: mail is off, and /health says so.
    expect(res.body.details.mail).toEqual({ status: 'up', enabled: false, message: '未配置 SMTP_URL：不发送邮件' });
  });

  it('exposes Prometheus metrics including the HTTP histogram', async () => {
    await api.request('GET', '/health');
    const res = await api.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('duban_http_request_duration_seconds_bucket');
    expect(res.text).toContain('duban_process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI UI and a JSON document that lists every API route with schemas', async () => {
    const ui = await api.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await api.request('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.body.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const expected = [
      'POST /api/v1/auth/login',
      'GET /api/v1/me',
      'POST /api/v1/auth/tokens',
      'GET /api/v1/auth/tokens',
      'DELETE /api/v1/auth/tokens/{id}',
      'GET /api/v1/units',
      'POST /api/v1/units/resolve',
      'POST /api/v1/units/import',
      'GET /api/v1/units/{code}',
      'GET /health',
    ];
    for (const e of expected) expect(documented).toContain(e);
    // Every route Nest registered under /api/v1 is documented.
    const apiRoutes = routes.filter((r) => r.includes(' /api/v1/'));
    expect(apiRoutes.length).toBeGreaterThanOrEqual(expected.length - 1);
    expect(apiRoutes.filter((r) => !documented.has(r))).toEqual([]);
    // Each documented operation has a success response with a schema (or is a 204).
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.body.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const ok = Object.entries<any>(op.responses).find(([code]) => code.startsWith('2'));
        expect([`${method} ${path}`, ok ? 'has 2xx' : 'no 2xx']).toEqual([`${method} ${path}`, 'has 2xx']);
        if (ok && ok[0] !== '204' && path !== '/health') expect([`${method} ${path}`, Object.values<any>(ok[1].content ?? {}).some((c) => !!c.schema)]).toEqual([`${method} ${path}`, true]);
      }
    }
    expect(doc.body.components.schemas.ErrorResponseDto).toBeDefined();
  });
});
