/**
 * Task-list benchmark (issue 8): `GET /api/v1/tasks` for an officer at 1,000,000 tasks, under 10 and
 * 100 connections (autocannon), against a ceiling measured in the same run: a bare Fastify route
 * running one indexed query through pg that returns the same page (bench/support/bare-task-list.ts).
 *
 * The dataset is bench/support/million.ts (built once, reused). The officer is `czt.officer`
 * (省财政厅, which leads or cooperates on ~180k tasks; BENCH_USER picks another demo or bench user).
 * Both servers run as child processes, so autocannon's load generator does not share their event
 * loop; the API is the built app (`dist/apps/api/apps/api/src/main.js`) with its production defaults
 * (LOG_LEVEL info, JSON request logs to /dev/null) and a private QUEUE_PREFIX.
 * Requests walk the first BENCH_PAGES pages (default 20) of 50 tasks, each connection in turn. By
 * default a page after the first is asked for by its cursor (`?after=`, keyset paging, the fast
 * path): the cursors are collected by walking the API's `nextCursor` before measuring, and the bare
 * route gets the same positions (the previous page's last due date and id) for the same keyset
 * query. Every page of both is checked to be the same before measuring. BENCH_PAGING=offset asks
 * by `?offset=` instead, the old way, for comparison.
 * Each run measures, per connection count, the API then the ceiling (the order alternates between
 * runs), after a warm-up of each. Prints figures only; asserts nothing.
 *
 * Environment: BENCH_RUNS (3), BENCH_DURATION seconds per measurement (10), BENCH_USER, BENCH_PAGES,
 * BENCH_PAGING (keyset | offset), BENCH_TASKS (1,000,000), BENCH_LOG_LEVEL (the API's LOG_LEVEL, default info).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_PASSWORD } from '../libs/domain/src/accounts/demo-users';
import { median, withClient } from './support/bench-context';
import { ensureMillionDataset } from './support/million';

// autocannon 9 ships no types; the part of its result this benchmark reads.
interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; headers?: Record<string, string>; requests?: AutocannonRequest[] }) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const ROOT = process.cwd();
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');
const BARE_MAIN = join(__dirname, 'support', 'bare-task-list.js');
const PAGE = 50;
const CONNECTIONS = [10, 100];

function intFrom(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

interface Child {
  proc: ChildProcess;
  url: string;
}

/** Starts a server process and waits until `ready` answers 200 (or the process dies). */
async function startChild(label: string, script: string, env: Record<string, string>, port: number, readyPath: string): Promise<Child> {
  const proc = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr }).on('line', (l) => stderr.push(l));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${label} exited with ${proc.exitCode}:\n${stderr.join('\n')}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) return { proc, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill('SIGTERM');
  throw new Error(`${label} did not answer ${readyPath} within 60 s:\n${stderr.join('\n')}`);
}

async function stopChild(child: Child): Promise<void> {
  if (child.proc.exitCode !== null) return;
  child.proc.kill('SIGTERM');
  await Promise.race([once(child.proc, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
}

/** A request list that walks the given pages' paths, each request the next page. */
function pagedRequests(paths: string[]): AutocannonRequest[] {
  let n = 0;
  return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }) }];
}

interface ListPage {
  items: { id: string; dueOn: string | null }[];
  total: number;
  nextCursor: string | null;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, connections: number, duration: number, requests: AutocannonRequest[], headers: Record<string, string> = {}): Promise<Figures> {
  const r = await autocannon({ url, connections, duration, headers, requests });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

function spread(xs: number[], digits = 0): string {
  return `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
}

async function main(): Promise<void> {
  const wall0 = performance.now();
  const runs = intFrom('BENCH_RUNS', 3);
  const duration = intFrom('BENCH_DURATION', 10);
  const pages = intFrom('BENCH_PAGES', 20);
  const paging = process.env.BENCH_PAGING === 'offset' ? 'offset' : 'keyset';
  const username = process.env.BENCH_USER ?? 'czt.officer';
  const dataset = await ensureMillionDataset({ tasks: intFrom('BENCH_TASKS', 1_000_000) });
  const { unitId, unitName, visible, pgVersion } = await withClient(dataset.databaseUrl, async (c) => {
    const u = (await c.query<{ id: string; name: string }>(`select u.id, u.name from users s join units u on u.id = s.unit_id where s.username = $1`, [username])).rows[0];
    if (!u) throw new Error(`no user ${username} in ${dataset.databaseName}`);
    const n = (await c.query<{ n: string }>(`select count(*) as n from task_units where unit_id = $1`, [u.id])).rows[0].n;
    const v = (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0].v;
    return { unitId: u.id, unitName: u.name, visible: Number(n), pgVersion: v };
  });

  const apiPort = await freePort();
  const api = await startChild(
    'API',
    API_MAIN,
    {
      NODE_ENV: 'production',
      DATABASE_URL: dataset.databaseUrl,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `bench-tasklist-${process.pid}`,
      JWT_SECRET: 'bench-secret-with-enough-length',
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    },
    apiPort,
    '/health',
  );
  const barePort = await freePort();
  const bare = await startChild('bare route', BARE_MAIN, { DATABASE_URL: dataset.databaseUrl, PORT: String(barePort), UNIT_ID: unitId }, barePort, '/tasks?limit=1');
  try {
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login as ${username} answered ${login.status}: ${await login.text()}`);
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };

    // The pages' paths: walk the API's cursors once; the bare route gets each page's position as
    // the previous page's last (due date, id). Both must answer the same ids in the same order on
    // every page (the API also counts the total).
    const apiPaths: string[] = [];
    const barePaths: string[] = [];
    let cursor: string | null = null;
    let previous: ListPage | null = null;
    for (let page = 0; page < pages; page++) {
      if (paging === 'offset') {
        apiPaths.push(`/api/v1/tasks?limit=${PAGE}&offset=${page * PAGE}`);
        barePaths.push(`/tasks?limit=${PAGE}&offset=${page * PAGE}`);
      } else if (page === 0) {
        apiPaths.push(`/api/v1/tasks?limit=${PAGE}`);
        barePaths.push(`/tasks?limit=${PAGE}`);
      } else {
        if (!cursor || !previous) throw new Error(`the API gave no nextCursor after page ${page} of ${visible} tasks`);
        const last = previous.items[previous.items.length - 1];
        apiPaths.push(`/api/v1/tasks?limit=${PAGE}&after=${cursor}`);
        barePaths.push(`/tasks?limit=${PAGE}&afterDue=${last.dueOn ?? ''}&afterId=${last.id}`);
      }
      const apiPage: ListPage = await getJson<ListPage>(api.url + apiPaths[page], auth);
      const barePage = await getJson<{ items: { id: string }[] }>(bare.url + barePaths[page]);
      const ids = apiPage.items.map((i) => i.id).join();
      if (apiPage.total !== visible || apiPage.items.length !== PAGE || ids !== barePage.items.map((i) => i.id).join()) {
        throw new Error(`the API and the bare route disagree: total ${apiPage.total} vs ${visible}, page ${page + 1} ids differ`);
      }
      if (previous && previous.items.some((i) => ids.includes(i.id))) throw new Error(`page ${page + 1} repeats a task of page ${page}`);
      cursor = apiPage.nextCursor;
      previous = apiPage;
    }

    console.log(
      `machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB, ${platform()} ${release()}; node ${process.version}; PostgreSQL ${pgVersion}; load average at start ${loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `dataset ${dataset.databaseName}: ${dataset.counts.tasks.toLocaleString('en-US')} tasks, ${dataset.counts.taskUnits.toLocaleString('en-US')} task_units, ${dataset.counts.reportPeriods.toLocaleString('en-US')} report periods (${dataset.built ? `built now in ${dataset.buildSeconds} s` : 'reused'})`,
    );
    console.log(`API LOG_LEVEL ${process.env.BENCH_LOG_LEVEL ?? 'info'}; user ${username} (${unitName}) sees ${visible.toLocaleString('en-US')} tasks; pages 1-${pages} of ${PAGE} by ${paging === 'offset' ? '?offset=' : 'cursor (?after=)'}; ${runs} runs of ${duration} s per figure`);

    const apiRequests = pagedRequests(apiPaths);
    const bareRequests = pagedRequests(barePaths);
    const results = new Map<number, { api: Figures[]; bare: Figures[] }>(CONNECTIONS.map((c) => [c, { api: [], bare: [] }]));
    for (const c of CONNECTIONS) {
      await load(api.url, c, 3, apiRequests, auth); // warm-up: JIT, pools, caches
      await load(bare.url, c, 3, bareRequests);
    }
    for (let run = 1; run <= runs; run++) {
      for (const c of CONNECTIONS) {
        const slot = results.get(c)!;
        const measure = async (which: 'api' | 'bare'): Promise<void> => {
          const f = which === 'api' ? await load(api.url, c, duration, apiRequests, auth) : await load(bare.url, c, duration, bareRequests);
          slot[which].push(f);
        };
        if (run % 2) {
          await measure('api');
          await measure('bare');
        } else {
          await measure('bare');
          await measure('api');
        }
        const a = slot.api[slot.api.length - 1];
        const b = slot.bare[slot.bare.length - 1];
        console.log(
          `run ${run}/${runs}, ${c} connections: API ${a.rps.toFixed(0)} req/s p50 ${a.p50} ms p99 ${a.p99} ms (non-2xx ${a.non2xx}, errors ${a.errors});` +
            ` bare ${b.rps.toFixed(0)} req/s p50 ${b.p50} ms p99 ${b.p99} ms (non-2xx ${b.non2xx}, errors ${b.errors}); ratio ${(a.rps / b.rps).toFixed(2)}x`,
        );
      }
    }

    console.log('');
    console.log('| connections | API req/s (median, spread) | API p50 | API p99 | bare route req/s | bare p50 | bare p99 | ratio (target ≥ 0.6×) | API p99 target |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const c of CONNECTIONS) {
      const { api: a, bare: b } = results.get(c)!;
      const ratios = a.map((f, i) => f.rps / b[i].rps);
      console.log(
        `| ${c} | ${median(a.map((f) => f.rps)).toFixed(0)} (${spread(a.map((f) => f.rps))}) | ${median(a.map((f) => f.p50))} ms | ${median(a.map((f) => f.p99))} ms (${spread(a.map((f) => f.p99))}) |` +
          ` ${median(b.map((f) => f.rps)).toFixed(0)} (${spread(b.map((f) => f.rps))}) | ${median(b.map((f) => f.p50))} ms | ${median(b.map((f) => f.p99))} ms |` +
          ` ${median(ratios).toFixed(2)}× (${spread(ratios, 2)}) | ${c === 10 ? `< 50 ms: ${median(a.map((f) => f.p99)) < 50 ? 'met' : 'missed'}` : '–'} |`,
      );
    }
    console.log('');
    console.log(`Wall time (dataset check and warm-up included): ${((performance.now() - wall0) / 1000).toFixed(0)} s; load average at the end ${loadavg()[0].toFixed(1)}.`);
  } finally {
    await stopChild(api);
    await stopChild(bare);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
