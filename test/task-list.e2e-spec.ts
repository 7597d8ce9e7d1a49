import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../libs/calendar/src';
import { REPO_ROOT, startApi, type TestApi } from './support/test-app';

const SEED_000 = readFileSync(resolve(REPO_ROOT, 'libs/policy-parser/test/fixtures/000_a562abd291d0ca74.txt'), 'utf8');
const ALL = '00000000-0000-0000-0000-000000000000';
/** Two measures that fan out to every county (117 tasks each), so counties and cities have tasks too. */
const COUNTY_DOC = ['测试〔2026〕7号', '关于分页测试的通知', '一、任务', '（一）第一项工作。（各县（市、区）人民政府牵头负责）', '（二）第二项工作。（各县（市、区）人民政府牵头，省财政厅配合）'].join('\n\n');

/** The list's totals (task_counts, decision 46) and its pages, against counts computed here from the rows. */
describe('GET /api/v1/tasks: totals and pages', () => {
  const clock = new ManualClock('2026-11-23T02:00:00Z');
  let api: TestApi;
  let db: DataSource;

  /** Counters that disagree with the rows: [] when task_counts is right. */
  const driftedCounts = async (q: (sql: string) => Promise<any[]> = (sql) => db.query(sql)): Promise<unknown[]> =>
    q(`select coalesce(c.unit_id, e.unit_id) as unit_id, c.tasks, e.n
         from task_counts c
         full join (select unit_id, count(*)::int as n from task_units group by unit_id
                    union all select '${ALL}', count(*)::int from tasks) e on e.unit_id = c.unit_id
        where coalesce(c.tasks, 0) <> coalesce(e.n, 0)`);

  beforeAll(async () => {
    api = await startApi('tasklist', { clock });
    db = api.app.get(DataSource);
    const coordinator = await api.login('coordinator');
    for (const text of [SEED_000, COUNTY_DOC]) {
      const draft = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text } });
      expect(draft.status).toBe(201);
      const published = await api.request('POST', `/api/v1/documents/${draft.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
      expect(published.status).toBe(200);
    }
    // Spread the due dates (most tasks got the same default) so the order is tested; the trigger carries them to task_units.
    await db.query(`update tasks set due_on = due_on - (abs(hashtext(id::text)) % 90)`);
  });
  afterAll(async () => api.close());

  it('keeps task_counts equal to the rows after publish', async () => {
    expect(Number((await db.query(`select count(*) as n from tasks`))[0].n)).toBeGreaterThan(250);
    expect(await driftedCounts()).toEqual([]);
  });

  it.each([
    ['coordinator', `select count(*) as n from tasks`],
    ['auditor', `select count(*) as n from tasks`],
    ['czt.officer', `select count(*) as n from task_units tu join users s on s.unit_id = tu.unit_id where s.username = 'czt.officer'`],
    ['yingxian.officer', `select count(*) as n from task_units tu join users s on s.unit_id = tu.unit_id where s.username = 'yingxian.officer'`],
    [
      'shuozhou.officer',
      `select count(distinct tu.task_id) as n from task_units tu join units u on u.id = tu.unit_id
        where u.id = (select c.parent_id from users s join units c on c.id = s.unit_id where s.username = 'shuozhou.officer')
           or u.parent_id = (select c.parent_id from users s join units c on c.id = s.unit_id where s.username = 'shuozhou.officer')`,
    ],
  ])('gives %s the total of its scope, and the same total with a filter that matches everything', async (username, sql) => {
    const token = await api.login(username);
    const expected = Number((await db.query(sql))[0].n);
    expect(expected).toBeGreaterThan(0);
    const plain = await api.request('GET', '/api/v1/tasks?limit=1', { token });
    expect(plain.status).toBe(200);
    expect(plain.body.total).toBe(expected);
    // Every task is 'assigned' after publish: the filtered (exactly counted) total is the same.
    const filtered = await api.request('GET', '/api/v1/tasks?limit=1&status=assigned', { token });
    expect(filtered.body.total).toBe(expected);
  });

  it.each(['coordinator', 'czt.officer', 'shuozhou.officer'])('pages %s through the list in due-date order without gaps or repeats', async (username) => {
    const token = await api.login(username);
    const whole = await api.request('GET', '/api/v1/tasks?limit=500', { token });
    expect(whole.body.total).toBeLessThanOrEqual(500);
    expect(whole.body.total).toBeGreaterThan(5);
    expect(whole.body.items.length).toBe(whole.body.total);
    const paged: any[] = [];
    for (let offset = 0; offset < whole.body.total; offset += 5) {
      paged.push(...(await api.request('GET', `/api/v1/tasks?limit=5&offset=${offset}`, { token })).body.items);
    }
    expect(paged.map((t) => t.id)).toEqual(whole.body.items.map((t: any) => t.id));
    const dues = whole.body.items.map((t: any) => t.dueOn ?? '9999-12-31');
    expect(dues).toEqual([...dues].sort());
    expect(whole.body.items.every((t: any) => Array.isArray(t.leads) && t.leads.length > 0)).toBe(true);
  });

  it("keeps each task_units row's due date its task's, through due-date changes and reassignment", async () => {
    const drifted = async (q: (sql: string) => Promise<any[]>) =>
      Number((await q(`select count(*) as n from task_units tu join tasks t on t.id = tu.task_id where tu.due_on is distinct from t.due_on`))[0].n);
    expect(await drifted((sql) => db.query(sql))).toBe(0);
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const q = (sql: string) => runner.query(sql);
      await q(`update tasks set due_on = due_on + 30 where id in (select id from tasks order by id limit 20)`);
      await q(`update task_units set due_on = '2000-01-01' where task_id in (select id from tasks order by id desc limit 3)`); // ignored: copied from the task
      const [row] = await q(`select task_id, unit_id from task_units order by task_id limit 1`);
      await q(`delete from task_units where task_id = '${row.task_id}' and unit_id = '${row.unit_id}'`);
      await q(`insert into task_units (task_id, unit_id, role) values ('${row.task_id}', '${row.unit_id}', 'lead')`);
      expect(await drifted(q)).toBe(0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('keeps task_counts right through unit changes and deletions, and rolls back with them', async () => {
    const before = await db.query(`select unit_id, tasks from task_counts order by unit_id`);
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const q = (sql: string) => runner.query(sql);
      const [victim] = await q(`select task_id, unit_id from task_units order by task_id limit 1`);
      const [other] = await q(`select id from units where id not in (select unit_id from task_units where task_id = '${victim.task_id}') order by code limit 1`);
      await q(`update task_units set unit_id = '${other.id}' where task_id = '${victim.task_id}' and unit_id = '${victim.unit_id}'`);
      expect(await driftedCounts(q)).toEqual([]);
      await q(`insert into task_units (task_id, unit_id, role) select '${victim.task_id}', id, 'cooperating' from units where kind = 'county' and id not in (select unit_id from task_units where task_id = '${victim.task_id}') order by code limit 3`);
      expect(await driftedCounts(q)).toEqual([]);
      await q(`delete from tasks where id in (select id from tasks order by id limit 5)`); // cascades to task_units
      expect(await driftedCounts(q)).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await db.query(`select unit_id, tasks from task_counts order by unit_id`)).toEqual(before);
  });

  describe('cursor paging (after=nextCursor)', () => {
    /** The kinds of scope the list has: all tasks, one unit's (provincial, county), one city's. */
    const USERS = ['coordinator', 'czt.officer', 'yingxian.officer', 'shuozhou.officer'];

    /** The user's tasks in the list's order, from the rows (the rule of taskScopeSql, written out here), with an optional condition on `t`. */
    const expected = async (username: string, condition = 'true', params: unknown[] = []): Promise<string[]> => {
      const rows: { id: string }[] = await db.query(
        `select t.id from tasks t, users s join units c on c.id = s.unit_id
          where s.username = $1 and (${condition})
            and ('coordinator' = any(s.roles)
                 or (c.kind = 'city_bureau' and exists (select 1 from task_units tu join units u on u.id = tu.unit_id
                                                         where tu.task_id = t.id and (u.id = c.parent_id or u.parent_id = c.parent_id)))
                 or (c.kind <> 'city_bureau' and exists (select 1 from task_units tu where tu.task_id = t.id and tu.unit_id = c.id)))
          order by t.due_on nulls last, t.id`,
        [username, ...params],
      );
      return rows.map((r) => r.id);
    };

    /** (due date, nulls last; id): the list's order. */
    const before = (a: { dueOn: string | null; id: string }, b: { dueOn: string | null; id: string }): boolean =>
      (a.dueOn ?? '\uffff') < (b.dueOn ?? '\uffff') || ((a.dueOn ?? '\uffff') === (b.dueOn ?? '\uffff') && a.id < b.id);

    /** Walks a list by nextCursor, calling `between` after each page; returns every page. */
    const walk = async (token: string, query: string, limit: number, between: (page: any, n: number, pages: any[]) => Promise<void> = async () => undefined): Promise<any[]> => {
      const pages: any[] = [];
      let cursor: string | null = null;
      do {
        const res = await api.request('GET', `/api/v1/tasks?limit=${limit}${query}${cursor ? `&after=${cursor}` : ''}`, { token });
        expect(res.status).toBe(200);
        expect(res.body.offset).toBe(cursor ? null : 0);
        pages.push(res.body);
        cursor = res.body.nextCursor;
        if (cursor) {
          expect(res.body.items).toHaveLength(limit);
          await between(res.body, pages.length, pages);
        }
        expect(pages.length).toBeLessThan(500);
      } while (cursor);
      return pages;
    };

    beforeAll(async () => {
      // Some tasks without a due date (they come last), at least two in each scope, so the cursor crosses into them.
      await db.query(`update tasks set due_on = null where abs(hashtext(id::text || 'dateless')) % 12 = 0`);
      for (const username of USERS) await db.query(`update tasks set due_on = null where id = any($1)`, [(await expected(username)).slice(0, 2)]);
    });

    it.each(USERS)('walks every task of %s exactly once, in due-date order, with dateless tasks last', async (username) => {
      const token = await api.login(username);
      const want = await expected(username);
      const limit = want.length > 40 ? 7 : 1;
      expect(want.length).toBeGreaterThan(limit);
      const pages = await walk(token, '', limit);
      const items = pages.flatMap((p) => p.items);
      expect(items.map((t: any) => t.id)).toEqual(want);
      expect(pages.every((p) => p.total === want.length)).toBe(true);
      expect(items.filter((t: any) => t.dueOn === null).length).toBeGreaterThanOrEqual(2);
      expect(pages[pages.length - 1].nextCursor).toBeNull();
      // The offset path gives the same list.
      const byOffset: string[] = [];
      for (let offset = 0; offset < want.length; offset += 50) {
        byOffset.push(...(await api.request('GET', `/api/v1/tasks?limit=50&offset=${offset}`, { token })).body.items.map((t: any) => t.id));
      }
      expect(byOffset).toEqual(want);
    });

    it('gives a cursor on an offset page too, and none on the last page', async () => {
      const token = await api.login('czt.officer');
      const total = (await expected('czt.officer')).length;
      const page = await api.request('GET', `/api/v1/tasks?limit=5&offset=10`, { token });
      const next = await api.request('GET', `/api/v1/tasks?limit=5&after=${page.body.nextCursor}`, { token });
      const same = await api.request('GET', `/api/v1/tasks?limit=5&offset=15`, { token });
      expect(next.body.items.map((t: any) => t.id)).toEqual(same.body.items.map((t: any) => t.id));
      expect((await api.request('GET', `/api/v1/tasks?limit=5&offset=${total - 5}`, { token })).body.nextCursor).toBeNull();
      expect((await api.request('GET', `/api/v1/tasks?limit=5&offset=${total - 6}`, { token })).body.nextCursor).toEqual(expect.any(String));
      expect((await api.request('GET', `/api/v1/tasks?limit=5&offset=${total}`, { token })).body).toMatchObject({ items: [], nextCursor: null, total });
    });

    it.each(['coordinator', 'czt.officer', 'shuozhou.officer'].map((u, i) => [u, i] as const))(
      'neither skips nor repeats unchanged tasks of %s while tasks are published, changed, moved and deleted between pages',
      async (username, i) => {
        const coordinator = await api.login('coordinator');
        const token = await api.login(username);
        const start = await expected(username);
        expect(start.length).toBeGreaterThanOrEqual(30);
        const limit = Math.max(3, Math.floor(start.length / 8));
        const moved = new Set<string>();
        const deletedSeen: string[] = [];
        const deletedAhead: string[] = [];
        const added: { id: string; after: boolean }[] = [];
        const pages = await walk(token, '', limit, async (page, n, walked) => {
          const last = page.items[page.items.length - 1];
          const seenSoFar = new Set<string>(walked.flatMap((p) => p.items.map((t: any) => t.id)));
          const untouched = (id: string): boolean => !moved.has(id) && !deletedSeen.includes(id) && !deletedAhead.includes(id);
          const ahead = start.filter((id) => !seenSoFar.has(id) && untouched(id));
          const behind = start.filter((id) => seenSoFar.has(id) && untouched(id));
          if (n === 2) {
            // New tasks in scope, half with a due date before the cursor's, half after.
            const text = COUNTY_DOC.replace('测试〔2026〕7号', `测试〔2026〕${20 + i}号`);
            const draft = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text } });
            const published = await api.request('POST', `/api/v1/documents/${draft.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
            expect(published.status).toBe(200);
            const mine = await expected(username, 't.document_id = $2', [draft.body.id]);
            expect(mine.length).toBeGreaterThanOrEqual(2);
            for (const [k, id] of mine.entries()) {
              const dueOn = k % 2 ? '2027-03-01' : '2025-06-01';
              await db.query(`update tasks set due_on = $2 where id = $1`, [id, dueOn]);
              added.push({ id, after: before(last, { dueOn, id }) });
            }
            expect(added.some((a) => a.after) && added.some((a) => !a.after)).toBe(true);
          }
          if (n === 3) {
            expect(ahead.length).toBeGreaterThan(10);
            expect(behind.length).toBeGreaterThan(4);
            // Changes that keep a task's place: it is still seen exactly once.
            await db.query(`update tasks set title = title || '（已修改）', status = 'accepted', version = version + 1 where id = any($1)`, [[...ahead.slice(0, 3), ...behind.slice(0, 3)]]);
            // Tasks that move across the cursor, either way, or lose their due date: not checked.
            const movers = [ahead[5], ahead[ahead.length - 1], behind[0], behind[behind.length - 1], ahead[7]];
            movers.forEach((id) => moved.add(id));
            await db.query(`update tasks set due_on = date '2025-06-01' where id = any($1)`, [[ahead[5], ahead[ahead.length - 1]]]);
            await db.query(`update tasks set due_on = date '2027-06-30' where id = any($1)`, [[behind[0], behind[behind.length - 1]]]);
            await db.query(`update tasks set due_on = null where id = $1`, [ahead[7]]);
            // The cursor's own task is deleted, and one ahead: the walk goes on from the cursor's place.
            deletedSeen.push(last.id);
            deletedAhead.push(ahead[9]);
            await db.query(`delete from tasks where id = any($1)`, [[last.id, ahead[9]]]);
          }
        });
        expect(pages.length).toBeGreaterThan(4);
        const items = pages.flatMap((p) => p.items);
        // Every answer comes after the one before it in the list's order (as it was when read).
        for (let k = 1; k < items.length; k++) expect([k, before(items[k - 1], items[k])]).toEqual([k, true]);
        const count = (id: string): number => items.filter((t: any) => t.id === id).length;
        expect(start.filter((id) => !moved.has(id) && !deletedAhead.includes(id) && count(id) !== 1)).toEqual([]);
        expect(deletedSeen.map(count)).toEqual([1]);
        expect(deletedAhead.map(count)).toEqual([0]);
        expect(added.filter((a) => count(a.id) !== (a.after ? 1 : 0))).toEqual([]);
        expect(moved.size).toBe(5);
      },
    );

    it.each([
      ['coordinator', (ids: Record<string, string>) => `&documentId=${ids.countyDoc}&overdue=true`, `t.document_id = $2 and t.status not in ('closed', 'suspended') and t.due_on < '2026-11-23'`, (ids: Record<string, string>) => [ids.countyDoc]],
      ['czt.officer', () => '&status=accepted', `t.status = 'accepted'`, () => []],
      ['shuozhou.officer', (ids: Record<string, string>) => `&unitId=${ids.yingxian}`, `exists (select 1 from task_units f where f.task_id = t.id and f.unit_id = $2)`, (ids: Record<string, string>) => [ids.yingxian]],
    ] as const)('combines the filters of %s with the cursor', async (username, query, condition, params) => {
      const [doc] = await db.query(`select id from documents where doc_number = '测试〔2026〕7号'`);
      const [county] = await db.query(`select u.id from users s join units u on u.id = s.unit_id where s.username = 'yingxian.officer'`);
      const ids = { countyDoc: doc.id as string, yingxian: county.id as string };
      await db.query(`update tasks set status = 'accepted' where status = 'assigned' and abs(hashtext(id::text || 'accepted')) % 4 = 0`);
      const token = await api.login(username);
      const want = await expected(username, condition, params(ids));
      expect(want.length).toBeGreaterThan(1);
      const pages = await walk(token, query(ids), Math.max(1, Math.min(4, Math.floor(want.length / 3))));
      expect(pages.flatMap((p) => p.items).map((t: any) => t.id)).toEqual(want);
      expect(pages.every((p) => p.total === want.length)).toBe(true);
    });

    it('answers 400 with a Chinese message to a malformed cursor, a foreign one, or a cursor with an offset', async () => {
      const czt = await api.login('czt.officer');
      const coordinator = await api.login('coordinator');
      const datong = await api.login('datong.officer');
      const shuozhou = await api.login('shuozhou.officer');
      const cursorOf = async (token: string, query = ''): Promise<string> => (await api.request('GET', `/api/v1/tasks?limit=3${query}`, { token })).body.nextCursor;
      const good = await cursorOf(czt);
      const text = Buffer.from(good, 'base64url').toString('utf8');
      const [, dueOn, id, key] = text.split('.');
      const remade = (t: string): string => Buffer.from(t, 'utf8').toString('base64url');
      const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      expect(text.length % 3).not.toBe(0);
      expect(remade(`1.${dueOn}.${id}.${key}`)).toBe(good);
      expect((await api.request('GET', `/api/v1/tasks?limit=3&after=${remade(`1.${dueOn}.${id}.${key}`)}`, { token: czt })).status).toBe(200);

      const invalid = [
        'not-a-cursor!',
        '%E6%B8%B8%E6%A0%87',
        remade('hello'),
        remade(`2.${dueOn}.${id}.${key}`),
        remade(`1.2026-02-30.${id}.${key}`),
        remade(`1.26-2-3.${id}.${key}`),
        remade(`1.${dueOn}.${id.toUpperCase()}.${key}`),
        remade(`1.${dueOn}.not-a-uuid.${key}`),
        remade(`1.${dueOn}.${id}.${key}.x`),
        remade(`1.${dueOn}.${id}`),
        `${good}=`,
        // The last character with a padding bit flipped: decodes to the same text, but is not its encoding.
        `${good.slice(0, -1)}${B64[B64.indexOf(good[good.length - 1]) ^ 1]}`,
      ];
      for (const after of invalid) {
        const res = await api.request('GET', `/api/v1/tasks?limit=3&after=${after}`, { token: czt });
        expect([after, res.status, res.body.code]).toEqual([after, 400, 'TASK_CURSOR_INVALID']);
        expect(res.body.message).toMatch(/游标/);
        expect(res.body.errors).toEqual([{ field: 'after', message: expect.stringMatching(/[\u4e00-\u9fff]/) }]);
      }
      for (const after of ['', 'x'.repeat(201)]) {
        const res = await api.request('GET', `/api/v1/tasks?limit=3&after=${after}`, { token: czt });
        expect([res.status, res.body.code, res.body.errors[0].field]).toEqual([400, 'VALIDATION_FAILED', 'after']);
      }

      const foreign: [string, string, string][] = [
        [good, coordinator, ''], // another scope
        [good, czt, '&status=assigned'], // another filter
        [await cursorOf(czt, '&status=accepted'), czt, '&status=assigned'],
        [await cursorOf(czt, '&overdue=true'), czt, ''],
        [await cursorOf(shuozhou), datong, ''], // another city
        [remade(`1.${dueOn}.${id}.AAAAAAAAAAA`), czt, ''],
      ];
      for (const [after, token, query] of foreign) {
        const res = await api.request('GET', `/api/v1/tasks?limit=3&after=${after}${query}`, { token });
        expect([res.status, res.body.code]).toEqual([400, 'TASK_CURSOR_FOREIGN']);
        expect(res.body.message).toBe('分页游标不属于当前列表');
      }
      // Another user of the same unit walks the same list.
      expect((await api.request('GET', `/api/v1/tasks?limit=3&after=${good}`, { token: await api.login('czt.head') })).status).toBe(200);

      const both = await api.request('GET', `/api/v1/tasks?limit=3&offset=0&after=${good}`, { token: czt });
      expect([both.status, both.body.code, both.body.message]).toEqual([400, 'TASK_CURSOR_WITH_OFFSET', 'after 与 offset 不能同时使用']);
    });
  });
});
