import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../libs/database/src/database-url';
import { freshDatabase, runId, TEST_SERVER_URL } from './support/test-db';
import { REPO_ROOT, TEST_REDIS_URL } from './support/test-app';

// These run the built apps (`npm test` builds first), as a deployment would.
const API = resolve(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js');
const WORKER = resolve(REPO_ROOT, 'dist/apps/worker/apps/worker/src/main.js');
const CLI = resolve(REPO_ROOT, 'dist/apps/cli/apps/cli/src/main.js');

function run(file: string, args: string[], env: Record<string, string>, timeoutMs = 30_000) {
  const started = Date.now();
  const res = spawnSync(process.execPath, [file, ...args], { env: { ...process.env, LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: timeoutMs, cwd: REPO_ROOT });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, ms: Date.now() - started };
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

describe('the built apps', () => {
  beforeAll(() => {
    for (const f of [API, WORKER, CLI]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build (npm test does it)`);
  });

  it.each([
    ['api', API],
    ['worker', WORKER],
  ])('%s stops at boot on malformed configuration, naming every bad variable', (_, file) => {
    const res = run(file, [], { DATABASE_URL: 'mysql://db/x', API_PORT: 'eighty', REDIS_URL: TEST_REDIS_URL });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('DATABASE_URL');
    expect(res.stderr).toContain('API_PORT');
  });

  it.each([
    ['api', API],
    ['worker', WORKER],
  ])('%s stops at boot, without hanging, when a store is unreachable', (_, file) => {
    const db = run(file, [], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/duban', REDIS_URL: TEST_REDIS_URL, SERVICE_CONNECT_TIMEOUT_MS: '2000' });
    expect(db.status).toBe(1);
    expect(db.stderr).toContain('DATABASE_URL');
    expect(db.ms).toBeLessThan(25_000);
    const redis = run(file, [], { DATABASE_URL: withDatabase(TEST_SERVER_URL, 'postgres'), REDIS_URL: 'redis://127.0.0.1:1', SERVICE_CONNECT_TIMEOUT_MS: '2000' });
    expect(redis.status).toBe(1);
    expect(redis.stderr).toContain('REDIS_URL');
  });

  it('migrate creates a missing database, goes down and up, and seed is idempotent', async () => {
    const name = `duban_t${runId()}_cli_${process.env.JEST_WORKER_ID ?? '0'}`;
    const admin = new Client({ connectionString: withDatabase(TEST_SERVER_URL, 'postgres') });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    const env = { DATABASE_URL: withDatabase(TEST_SERVER_URL, name) };
    const up = run(CLI, ['migrate'], env);
    expect(up.stdout).toContain(`已创建数据库 ${name}`);
    expect(up.status).toBe(0);
    expect(run(CLI, ['migrate', '--revert', '--all'], env).status).toBe(0);
    expect(run(CLI, ['migrate'], env).stdout).toMatch(/执行了 [1-9]\d* 个迁移/);
    const first = run(CLI, ['seed', '--demo'], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('coordinator');
    const again = run(CLI, ['seed'], env);
    expect(again.stdout).toMatch(/新增 0，更新 0，未变 \d+，新增别名 0/);
    const verify = run(CLI, ['audit:verify'], env);
    expect([verify.status, verify.stdout]).toEqual([0, expect.stringContaining('审计日志完整')]);
  });

  it('npm start runs the API and the worker: /health is ok with both stores and a beating worker, and SIGTERM stops both', async () => {
    const url = await freshDatabase('start');
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [resolve(REPO_ROOT, 'scripts/start-all.js')], {
      env: { ...process.env, DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'error', QUEUE_PREFIX: `t-start-${port}` },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    try {
      const deadline = Date.now() + 45_000;
      let health: any = null;
      while (Date.now() < deadline) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          health = await res.json();
          if (health.details?.postgres?.status === 'up' && health.details?.redis?.status === 'up' && health.details?.worker?.status === 'up') break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 300));
      }
      if (health?.details?.worker?.status !== 'up') throw new Error(`no healthy /health within 45 s; last: ${JSON.stringify(health)}\n${output}`);
      expect(health.details).toEqual(
        expect.objectContaining({ postgres: expect.objectContaining({ status: 'up' }), redis: expect.objectContaining({ status: 'up' }), worker: expect.objectContaining({ status: 'up' }) }),
      );
      // A degraded calendar (no holidays imported for this database) is reported, not fatal.
      expect(['ok', 'degraded']).toContain(health.status);
      const docs = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
      expect(docs.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<string>((ok) => setTimeout(() => ok('timeout'), 20_000).unref())]);
    expect(code).toBe(0);
  });
});
