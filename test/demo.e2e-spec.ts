import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../libs/database/src/database-url';
import { runId, TEST_SERVER_URL } from './support/test-db';
import { clearQueues, REPO_ROOT, TEST_REDIS_URL } from './support/test-app';

// `npm run demo` as a user runs it (the built CLI), twice, against its own database and queue prefix.
const CLI = resolve(REPO_ROOT, 'dist/apps/cli/apps/cli/src/main.js');
const demoDb = `duban_t${runId()}_demo`;
const prefix = `t-demo-${runId()}`.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40);
const outDir = mkdtempSync(join(tmpdir(), 'duban-demo-'));
const env = {
  ...process.env,
  DATABASE_URL: withDatabase(TEST_SERVER_URL, `duban_t${runId()}_democli`),
  DEMO_DATABASE_URL: withDatabase(TEST_SERVER_URL, demoDb),
  DEMO_QUEUE_PREFIX: prefix,
  DEMO_OUTPUT_DIR: outDir,
  REDIS_URL: TEST_REDIS_URL,
  LOG_LEVEL: 'error',
};

function demo(extraEnv: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [CLI, 'demo', '--port', '0'], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 170_000, cwd: REPO_ROOT });
  return { status: res.status, out: res.stdout, err: res.stderr };
}

async function query<T>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(TEST_SERVER_URL, demoDb) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('npm run demo', () => {
  afterAll(async () => {
    await clearQueues(prefix);
    const admin = new Client({ connectionString: withDatabase(TEST_SERVER_URL, 'postgres') });
    await admin.connect();
    for (const db of [demoDb, `duban_t${runId()}_democli`]) await admin.query(`drop database if exists "${db}" with (force)`);
    await admin.end();
  });

  it('plays the month through the API and exits 0, twice', async () => {
    const outputs: string[] = [];
    for (const round of [1, 2]) {
      const res = demo();
      if (res.status !== 0) throw new Error(`round ${round} exited ${res.status}\n${res.out}\n${res.err}`);
      outputs.push(res.out);
    }
    // The second run starts from a recreated database and tells the same story.
    const month = (out: string) => out.slice(out.indexOf('== 2/4'), out.indexOf('== 3/4'));
    expect(month(outputs[1])).toBe(month(outputs[0]));
    const out = outputs[1];
    for (const line of ['退回（请补充企业名单及申报进度）', '签收任务 3 个（逾期签收）', '督办解除', '确认办结', '批准省财政厅延期申请', '审签', '演示完成']) expect(out).toContain(line);

    // And as stored: what the month did, once each.
    const [facts] = await query<Record<string, string>>(`
      select (select count(*) from report_submissions where status = 'returned') as returned,
             (select count(*) from report_submissions where status = 'approved') as approved,
             (select count(*) from extension_requests where status = 'approved') as extensions,
             (select count(*) from tasks where status = 'closed') as closed,
             (select count(*) from escalations where level = 3 and resolved_at is null) as level3,
             (select count(*) from escalations where obligation_type = 'accept' and resolved_at is not null) as resolvedAccept,
             (select count(*) from tasks where status = 'assigned') as unaccepted`);
    expect(facts).toEqual(expect.objectContaining({ returned: '1', approved: '5', extensions: '1', closed: '1', unaccepted: '0' }));
    expect(Number(facts.level3)).toBeGreaterThan(0);
    expect(Number(facts.resolvedaccept)).toBeGreaterThan(0);
  }, 600_000);

  it('says which store is missing and how to start it, and exits non-zero', () => {
    const res = demo({ REDIS_URL: 'redis://127.0.0.1:1', SERVICE_CONNECT_TIMEOUT_MS: '2000' });
    expect(res.status).not.toBe(0);
    expect(res.err).toContain('REDIS_URL');
    expect(res.err).toMatch(/docker compose up -d|redis-server/);
    expect(existsSync(outDir)).toBe(true);
  });
});
