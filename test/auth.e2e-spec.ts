import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AccountsService } from '../libs/domain/src';
import { ACTOR_CACHE_APPLICATION, ActorCache } from '../apps/api/src/auth/actor-cache.service';
import { waitFor } from './support/wait';
import { ManualClock } from '../libs/calendar/src';
import { startApi, type TestApi } from './support/test-app';

function expectErrorShape(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(
    expect.objectContaining({ statusCode: status, code, message: expect.any(String), requestId: expect.any(String) }),
  );
  expect(res.body.message).toMatch(/[\u4e00-\u9fff]/); // Chinese by default
}

describe('authentication and the error shape', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-11-23T02:00:00Z');

  beforeAll(async () => {
    api = await startApi('auth', { clock });
  });
  afterAll(async () => api.close());

  it('logs in with the right password and answers /me with the unit', async () => {
    const token = await api.login('coordinator');
    const me = await api.request('GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(
      expect.objectContaining({ username: 'coordinator', roles: ['coordinator'], unit: expect.objectContaining({ name: '山西省乡村振兴局', kind: 'provincial_bureau' }) }),
    );
  });

  it('tells coordinators, not officers, that next year\'s official calendar is missing', async () => {
    const coord = await api.request('GET', '/api/v1/me', { token: await api.login('coordinator') });
    expect(coord.body.notices.join()).toContain('2027');
    const officer = await api.request('GET', '/api/v1/me', { token: await api.login('czt.officer') });
    expect(officer.body.notices).toEqual([]);
  });

  it('gives city and county users their city', async () => {
    const me = await api.request('GET', '/api/v1/me', { token: await api.login('yingxian.officer') });
    const city = await api.request('GET', '/api/v1/units?kind=city_government&q=朔州', { token: await api.login('coordinator') });
    expect(me.body.cityId).toBe(city.body.items[0].id);
  });

  it('rejects a wrong password and an unknown user alike, with 401', async () => {
    expectErrorShape(await api.request('POST', '/api/v1/auth/login', { body: { username: 'coordinator', password: 'wrong' } }), 401, 'AUTH_BAD_CREDENTIALS');
    expectErrorShape(await api.request('POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'wrong' } }), 401, 'AUTH_BAD_CREDENTIALS');
  });

  it('requires a token on every non-public route', async () => {
    expectErrorShape(await api.request('GET', '/api/v1/me'), 401, 'AUTH_REQUIRED');
    expectErrorShape(await api.request('GET', '/api/v1/units'), 401, 'AUTH_REQUIRED');
    expectErrorShape(await api.request('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'AUTH_REQUIRED');
  });

  it('rejects a malformed token, a token signed with another key, and an expired token', async () => {
    expectErrorShape(await api.request('GET', '/api/v1/me', { token: 'not-a-jwt' }), 401, 'AUTH_TOKEN_INVALID');
    const me = await api.request('GET', '/api/v1/me', { token: await api.login('coordinator') });
    const forged = new JwtService({ secret: 'another-secret-of-enough-length' }).sign({ sub: me.body.id, typ: 'access' });
    expectErrorShape(await api.request('GET', '/api/v1/me', { token: forged }), 401, 'AUTH_TOKEN_INVALID');
    const expired = new JwtService({ secret: api.config.auth.jwtSecret }).sign({ sub: me.body.id, typ: 'access', exp: Math.floor(Date.now() / 1000) - 10 });
    expectErrorShape(await api.request('GET', '/api/v1/me', { token: expired }), 401, 'AUTH_TOKEN_EXPIRED');
  });

  it('refuses a token that was accepted before once it expires (verified tokens are remembered until then, decision 58)', async () => {
    const me = await api.request('GET', '/api/v1/me', { token: await api.login('coordinator') });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const shortLived = new JwtService({ secret: api.config.auth.jwtSecret }).sign({ sub: me.body.id, typ: 'access', exp });
    expect((await api.request('GET', '/api/v1/me', { token: shortLived })).status).toBe(200);
    expect((await api.request('GET', '/api/v1/me', { token: shortLived })).status).toBe(200);
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    expectErrorShape(await api.request('GET', '/api/v1/me', { token: shortLived }), 401, 'AUTH_TOKEN_EXPIRED');
  });

  it('forbids a route to a role that does not hold it (403), and allows it to one that does', async () => {
    const csv = 'code,name,kind\n';
    const officer = await api.login('czt.officer');
    const res = await api.request('POST', '/api/v1/units/import?dryRun=true', { token: officer, body: csv, headers: { 'content-type': 'text/csv' } });
    expectErrorShape(res, 403, 'FORBIDDEN_ROLE');
    const auditor = await api.request('POST', '/api/v1/units/import?dryRun=true', { token: await api.login('auditor'), body: csv, headers: { 'content-type': 'text/csv' } });
    expectErrorShape(auditor, 403, 'FORBIDDEN_ROLE');
    const admin = await api.request('POST', '/api/v1/units/import?dryRun=true', { token: await api.login('admin'), body: csv, headers: { 'content-type': 'text/csv' } });
    expect(admin.status).toBe(200);
  });

  it('issues API tokens that work until revoked or expired', async () => {
    const jwt = await api.login('czt.officer');
    const created = await api.request('POST', '/api/v1/auth/tokens', { token: jwt, body: { name: '同步脚本', expiresInDays: 1 } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^dbn_/);
    const viaToken = await api.request('GET', '/api/v1/me', { token: created.body.token });
    expect(viaToken.body.username).toBe('czt.officer');
    const list = await api.request('GET', '/api/v1/auth/tokens', { token: jwt });
    expect(list.body.map((t: { id: string }) => t.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    clock.advance(2 * 86_400_000);
    expectErrorShape(await api.request('GET', '/api/v1/me', { token: created.body.token }), 401, 'AUTH_TOKEN_EXPIRED');

    const lasting = await api.request('POST', '/api/v1/auth/tokens', { token: jwt, body: { name: '长期' } });
    expect((await api.request('GET', '/api/v1/me', { token: lasting.body.token })).status).toBe(200);
    expect((await api.request('DELETE', `/api/v1/auth/tokens/${lasting.body.id}`, { token: jwt })).status).toBe(204);
    expectErrorShape(await api.request('GET', '/api/v1/me', { token: lasting.body.token }), 401, 'AUTH_TOKEN_INVALID');
    expectErrorShape(await api.request('DELETE', `/api/v1/auth/tokens/${lasting.body.id}`, { token: jwt }), 404, 'API_TOKEN_NOT_FOUND');
  });

  it('cannot revoke another user\'s token', async () => {
    const mine = await api.request('POST', '/api/v1/auth/tokens', { token: await api.login('fgw.officer'), body: { name: 'x' } });
    const other = await api.login('czt.officer');
    expectErrorShape(await api.request('DELETE', `/api/v1/auth/tokens/${mine.body.id}`, { token: other }), 404, 'API_TOKEN_NOT_FOUND');
    expect((await api.request('GET', '/api/v1/me', { token: mine.body.token })).status).toBe(200);
  });

  it('lets an admin create users, change their roles and disable them; a disabled user is locked out at once', async () => {
    const admin = await api.login('admin');
    const units = await api.request('GET', '/api/v1/units?q=省财政厅', { token: admin });
    const body = { username: 'czt.new', displayName: '新经办', password: 'a-long-password', unitId: units.body.items[0].id, roles: ['officer'] };
    expectErrorShape(await api.request('POST', '/api/v1/users', { token: await api.login('coordinator'), body }), 403, 'FORBIDDEN_ROLE');
    const created = await api.request('POST', '/api/v1/users', { token: admin, body });
    expect(created.status).toBe(201);
    expectErrorShape(await api.request('POST', '/api/v1/users', { token: admin, body }), 409, 'USER_EXISTS');
    expectErrorShape(await api.request('POST', '/api/v1/users', { token: admin, body: { ...body, username: 'x.short', password: 'short' } }), 400, 'VALIDATION_FAILED');
    const token = await api.login('czt.new', 'a-long-password');
    expect((await api.request('GET', '/api/v1/me', { token })).body.roles).toEqual(['officer']);
    const promoted = await api.request('PATCH', `/api/v1/users/${created.body.id}`, { token: admin, body: { roles: ['unit_head'] } });
    expect(promoted.body.roles).toEqual(['unit_head']);
    expect((await api.request('GET', '/api/v1/me', { token })).body.roles).toEqual(['unit_head']);
    await api.request('PATCH', `/api/v1/users/${created.body.id}`, { token: admin, body: { active: false } });
    expectErrorShape(await api.request('GET', '/api/v1/me', { token }), 401, 'AUTH_USER_INACTIVE');
    expectErrorShape(await api.request('POST', '/api/v1/auth/login', { body: { username: 'czt.new', password: 'a-long-password' } }), 401, 'AUTH_BAD_CREDENTIALS');
    const me = await api.request('GET', '/api/v1/me', { token: admin });
    expectErrorShape(await api.request('PATCH', `/api/v1/users/${me.body.id}`, { token: admin, body: { active: false } }), 400, 'USER_SELF_CHANGE');
  });

  it('reports validation errors per field, unknown fields included', async () => {
    const res = await api.request('POST', '/api/v1/auth/login', { body: { username: 'coordinator', password: 5, admin: true } });
    expectErrorShape(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'password', message: '必须是字符串' },
        { field: 'admin', message: '不允许的字段' },
      ]),
    );
  });

  it('answers malformed JSON, unknown routes and bad ids in the error shape', async () => {
    expectErrorShape(await api.request('POST', '/api/v1/auth/login', { body: '{"username":', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON');
    expectErrorShape(await api.request('GET', '/api/v1/nope', { token: await api.login('coordinator') }), 404, 'NOT_FOUND');
    expectErrorShape(await api.request('DELETE', '/api/v1/auth/tokens/not-a-uuid', { token: await api.login('coordinator') }), 400, 'VALIDATION_FAILED');
  });

  it('echoes a caller request id and makes one otherwise', async () => {
    const given = await api.request('GET', '/api/v1/me', { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    expect(given.body.requestId).toBe('trace-123');
    const made = await api.request('GET', '/api/v1/me');
    expect(made.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi('limits', { env: { UPLOAD_MAX_BYTES: '4096' } });
  });
  afterAll(async () => api.close());

  it('answers an oversize body with 413 and an unknown media type with 415, in the error shape', async () => {
    const big = await api.request('POST', '/api/v1/auth/login', { body: { username: 'x'.repeat(10_000), password: 'y' } });
    expectErrorShape(big, 413, 'PAYLOAD_TOO_LARGE');
    const xml = await api.request('POST', '/api/v1/auth/login', { body: '<a/>', headers: { 'content-type': 'application/xml' } });
    expectErrorShape(xml, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('the actor cache (decision 54)', () => {
  let api: TestApi;
  let db: DataSource;
  let cache: ActorCache;
  beforeAll(async () => {
    api = await startApi('actor-cache');
    db = api.app.get(DataSource);
    cache = api.app.get(ActorCache);
  });
  afterAll(async () => api.close());
  afterEach(() => jest.restoreAllMocks());

  const listenerPid = async (): Promise<number | null> =>
    (await db.query<{ pid: number }[]>(`select pid from pg_stat_activity where application_name = $1 and datname = current_database()`, [ACTOR_CACHE_APPLICATION]))[0]?.pid ?? null;

  it('looks a login token\'s user up once, then serves it from memory', async () => {
    expect(cache.active).toBe(true);
    const token = await api.login('fgw.officer');
    const lookups = jest.spyOn(api.app.get(AccountsService), 'actorForUserId');
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/api/v1/tasks', { token })).status).toBe(200);
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('drops a user\'s actor when another process changes the user: roles, then deactivation', async () => {
    const token = await api.login('czt.officer');
    expectErrorShape(await api.request('GET', '/api/v1/users', { token }), 403, 'FORBIDDEN_ROLE');
    // As another API process (or an operator) would: straight in the database, not through this process.
    await db.query(`update users set roles = array['officer', 'auditor'] where username = 'czt.officer'`);
    await waitFor('the new role to apply', () => api.request('GET', '/api/v1/users', { token }), (r) => r.status === 200, 5000, 20);
    await db.query(`update users set active = false where username = 'czt.officer'`);
    const gone = await waitFor('the deactivation to apply', () => api.request('GET', '/api/v1/tasks', { token }), (r) => r.status === 401, 5000, 20);
    expectErrorShape(gone, 401, 'AUTH_USER_INACTIVE');
    await db.query(`update users set active = true, roles = array['officer'] where username = 'czt.officer'`);
    await waitFor('the restored user', () => api.request('GET', '/api/v1/users', { token }), (r) => r.status === 403, 5000, 20);
  });

  it('forgets every actor when a unit moves to another city', async () => {
    const token = await api.login('yingxian.officer');
    const before = (await api.request('GET', '/api/v1/me', { token })).body.cityId as string;
    const [{ id: other }] = await db.query<{ id: string }[]>(`select id from units where kind = 'city_government' and id <> $1 order by code limit 1`, [before]);
    const [{ unit_id: county }] = await db.query<{ unit_id: string }[]>(`select unit_id from users where username = 'yingxian.officer'`);
    await db.query(`update units set parent_id = $1 where id = $2`, [other, county]);
    try {
      await waitFor('the new city', () => api.request('GET', '/api/v1/me', { token }), (r) => r.body?.cityId === other, 5000, 20);
    } finally {
      await db.query(`update units set parent_id = $1 where id = $2`, [before, county]);
    }
    await waitFor('the old city again', () => api.request('GET', '/api/v1/me', { token }), (r) => r.body?.cityId === before, 5000, 20);
  });

  it('stops caching while its listening connection is down, and listens again', async () => {
    const token = await api.login('nynct.officer');
    expect((await api.request('GET', '/api/v1/tasks', { token })).status).toBe(200);
    const pid = await listenerPid();
    expect(pid).not.toBeNull();
    await db.query(`select pg_terminate_backend($1)`, [pid]);
    await waitFor('the cache to stop', async () => cache.active, (a) => !a, 5000, 20);
    // Nothing can tell this process of a change now, so every request reads the user afresh.
    const lookups = jest.spyOn(api.app.get(AccountsService), 'actorForUserId');
    await db.query(`update users set active = false where username = 'nynct.officer'`);
    expectErrorShape(await api.request('GET', '/api/v1/tasks', { token }), 401, 'AUTH_USER_INACTIVE');
    await db.query(`update users set active = true where username = 'nynct.officer'`);
    expect((await api.request('GET', '/api/v1/tasks', { token })).status).toBe(200);
    expect(lookups).toHaveBeenCalledTimes(2);
    await waitFor('the listener to come back', async () => cache.active, (a) => a, 10_000, 50);
    expect(await listenerPid()).not.toBe(pid);
    await db.query(`update users set active = false where username = 'nynct.officer'`);
    await waitFor('the deactivation to apply', () => api.request('GET', '/api/v1/tasks', { token }), (r) => r.status === 401, 5000, 20);
  });
});
