import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { addOutboxEvents, ApiProcess, count, expectExactlyOnce, prepareDatabase, sql, startWorker, type Stores } from './support/chaos';
import { AppProcess, BUILT, PrivateCluster, PrivateRedis, waitFor } from './support/processes';
import { clearQueues, TEST_REDIS_URL } from './support/test-app';
import { freshDatabase } from './support/test-db';

/**
 * Nothing lost, nothing twice, for real: the built API and worker run as child processes against
 * real stores, and a store or the worker is broken in the middle of a run. Each test publishes
 * documents (351 county tasks nobody accepts, so each owes a reminder and three escalation levels
 * today), adds 1,000 outbox events, breaks something while the worker is busy, and ends with every
 * due reminder, escalation and inbox row there exactly once, counted from PostgreSQL against the
 * recipients the rules name (test/support/chaos.ts). Redis and PostgreSQL are private servers
 * started here when a test flushes or restarts them; the shared ones are never touched.
 */
const DOCUMENTS = 3;
const MEASURES = 1;
const OUTBOX_EVENTS = 1000;

const prefix = (label: string): string => `t-chaos-${label}-${randomBytes(3).toString('hex')}`;

describe('chaos: the built worker and API against broken stores', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  const apps: AppProcess[] = [];
  const track = <T extends AppProcess>(app: T): T => {
    apps.push(app);
    return app;
  };

  // One seeded database (registry, calendar, demo users, an officer per county); each test runs on a copy.
  let seeded: string;
  beforeAll(async () => {
    for (const f of Object.values(BUILT)) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build (npm test does it)`);
    seeded = await freshDatabase('chaos_seeded');
    await prepareDatabase(seeded);
  }, 60_000);
  const copyOfSeeded = (label: string): Promise<string> => freshDatabase(label, new URL(seeded).pathname.slice(1));
  // Child processes and private servers go even when a test fails.
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** Publishes documents through the API, as the coordinator (the commands write the outbox); returns how many succeeded. */
  async function load(api: ApiProcess, token: string, from = 1, n = DOCUMENTS): Promise<number> {
    let published = 0;
    for (let no = from; no < from + n; no++) if (await api.publish(token, no, MEASURES)) published++;
    return published;
  }

  /**
   * A copy of the seeded database and a queue prefix of its own (shared servers), the API running
   * on it, DOCUMENTS published through it and OUTBOX_EVENTS outbox events added.
   */
  async function loadedCopy(label: string): Promise<Stores> {
    const stores: Stores = { databaseUrl: await copyOfSeeded(`chaos_${label}`), redisUrl: TEST_REDIS_URL, queuePrefix: prefix(label) };
    cleanups.push(() => clearQueues(stores.queuePrefix));
    await loadInto(stores);
    return stores;
  }

  /** The API started on `stores`, DOCUMENTS published through it and OUTBOX_EVENTS outbox events added. */
  async function loadInto(stores: Stores): Promise<{ api: ApiProcess; token: string }> {
    const api = await ApiProcess.start(stores);
    apps.push(api.app);
    const token = await api.login('coordinator');
    expect(await load(api, token)).toBe(DOCUMENTS);
    await addOutboxEvents(stores.databaseUrl, OUTBOX_EVENTS);
    return { api, token };
  }

  it('a Redis that loses everything mid-run (FLUSHALL, then a restart) loses nothing and repeats nothing', async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const stores: Stores = { databaseUrl: await copyOfSeeded('chaos_redis'), redisUrl: redis.url, queuePrefix: prefix('redis') };
    const { api, token } = await loadInto(stores);
    const worker = track(startWorker(stores));
    // In the middle: some events handled, many relayed into Redis and not yet handled.
    await waitFor(
      'the worker to be part-way through the outbox, with events relayed into Redis and not yet handled',
      () => sql<{ done: string; queued: string }>(stores.databaseUrl, `select count(processed_at) as done, count(*) filter (where relayed_at is not null and processed_at is null) as queued from outbox`),
      ([v]) => Number(v.done) > 0 && Number(v.queued) > 0,
      30_000,
      20,
    );
    await redis.flushAll();
    // More committed work while Redis is empty, then the server itself dies and comes back empty.
    expect(await load(api, token, DOCUMENTS + 1, 1)).toBe(1);
    await redis.restart();
    const t = await expectExactlyOnce(stores.databaseUrl, apps);
    expect(worker.output).toContain('Redis lost the job schedulers');
    expect(t.overdueTasks).toBe((DOCUMENTS + 1) * MEASURES * 117);
    expect(worker.running).toBe(true);
  }, 120_000);

  it('a worker killed with SIGKILL in the middle of a batch, then a new worker: nothing lost, nothing twice', async () => {
    const stores = await loadedCopy('kill');
    const first = track(startWorker(stores, 'worker-1'));
    // Killed while the fan-out of the outbox is half done (the sweep may be running too: it raises
    // every escalation in one statement, so it has either committed all of them or none).
    const mid = await waitFor(
      'the first worker to be part-way through the outbox',
      async () => ({
        processed: await count(stores.databaseUrl, `select count(*) as n from outbox where processed_at is not null`),
        unprocessed: await count(stores.databaseUrl, `select count(*) as n from outbox where processed_at is null`),
      }),
      (v) => v.processed > 0,
      30_000,
      20,
    );
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const total = 3 * DOCUMENTS * MEASURES * 117;
    expect(mid.unprocessed).toBeGreaterThan(0); // it really died in the middle
    expect([0, total]).toContain(await count(stores.databaseUrl, `select count(*) as n from escalations`));
    const second = track(startWorker(stores, 'worker-2'));
    const t = await expectExactlyOnce(stores.databaseUrl, apps, 50_000);
    expect(t.escalations).toBe(total);
    expect(second.running).toBe(true);
  }, 120_000);

  it('a worker whose start fails on the database keeps running and installs its schedules once the database answers again', async () => {
    const stores = await loadedCopy('start');
    // The outbox is out of reach while the worker starts: its start-up reconciliation fails (as it
    // does when PostgreSQL restarts at that moment), deterministically.
    await sql(stores.databaseUrl, `alter table outbox rename to outbox_away`);
    const worker = track(startWorker(stores));
    await waitFor('the worker to report the failed start', async () => worker.output, (out) => out.includes('could not install the job schedulers at start'), 30_000);
    expect(worker.running).toBe(true);
    await sql(stores.databaseUrl, `alter table outbox_away rename to outbox`);
    const t = await expectExactlyOnce(stores.databaseUrl, apps, 50_000);
    expect(t.overdueTasks).toBe(DOCUMENTS * MEASURES * 117);
    expect(worker.output).toContain('job schedulers installed after a failed start');
    expect(worker.running).toBe(true);
  }, 120_000);

  it('PostgreSQL restarted under load (immediate, like a crash): the worker and the API carry on, nothing lost or doubled', async () => {
    const cluster = await PrivateCluster.start();
    cleanups.push(() => cluster.stop());
    const stores: Stores = { databaseUrl: cluster.copyFrom(seeded, 'duban_chaos'), redisUrl: TEST_REDIS_URL, queuePrefix: prefix('pg') };
    cleanups.push(() => clearQueues(stores.queuePrefix));
    const { api, token } = await loadInto(stores);
    const worker = track(startWorker(stores));
    await waitFor('the worker to be part-way through', () => count(stores.databaseUrl, `select count(*) as n from escalations`), (n) => n > 0, 30_000, 20);
    // Publishing goes on while the server restarts: some requests fail, none is half-written.
    const publishing = load(api, token, DOCUMENTS + 1, 2);
    await cluster.restart();
    await publishing;
    const t = await expectExactlyOnce(stores.databaseUrl, apps, 50_000);
    // Each document is published whole or not at all, whatever the HTTP client saw.
    const documents = await count(stores.databaseUrl, `select count(*) as n from documents where status = 'published'`);
    expect(documents).toBeGreaterThanOrEqual(DOCUMENTS);
    expect(t.overdueTasks).toBe(documents * MEASURES * 117);
    expect(worker.running).toBe(true);
    const health = await waitFor('the API to report PostgreSQL up again', () => api.request('GET', '/health', null), (r) => r.body?.details?.postgres?.status === 'up', 20_000);
    expect(health.body.details.worker.status).toBe('up');
  }, 120_000);
});
