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
      await q(`insert into task_units (task_id, unit_id, role) select '${victim.task_id}', id, 'cooperating' from units where kind = 'county' and id <> '${other.id}' order by code limit 3`);
      expect(await driftedCounts(q)).toEqual([]);
      await q(`delete from tasks where id in (select id from tasks order by id limit 5)`); // cascades to task_units
      expect(await driftedCounts(q)).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await db.query(`select unit_id, tasks from task_counts order by unit_id`)).toEqual(before);
  });
});
