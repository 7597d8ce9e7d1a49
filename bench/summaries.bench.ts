/**
 * Tracking summaries at 1,000,000 tasks (issue 6): p50/p95 of each summary endpoint and of a
 * 100,000-row ledger export (with the process's peak memory while it streams), through the real
 * API in the same process, over a real socket (HTTP keep-alive; the whole response is read). The baseline, measured in
 * the same run on the same data, is the plain count-by-state query (`select status, count(*) from
 * tasks group by status`) through `pg`. Prints figures only; asserts nothing.
 *
 * Data: bench/support/million.ts (100 documents, 3,000 measures, 1M tasks, 3.3M report periods,
 * 1M submissions, 680k escalations), built once into `duban_bench_1m` and reused.
 * BENCH_RUNS (default 20) requests per endpoint after BENCH_WARMUP (default 2) warm-ups; BENCH_ONLY=<regular expression>
 * runs only the matching endpoints; BENCH_EXPORT_RUNS (default 3) ledger exports per format.
 * The large answers (by measure, grid, targets, rankings, bulletin) are also timed in process:
 * `TrackingService` alone, then the encoding of its answer, so the HTTP figure's parts show.
 * The export is also timed in parts, in-process: the cursor alone (the SQL, rows mapped, nothing
 * written) and the .xlsx writer to a stream that discards its bytes (no HTTP), so the writer's share
 * shows.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../apps/api/src/bootstrap';
import { ManualClock } from '../libs/calendar/src';
import { encodeAnswer, LedgerService, TrackingAnswerCache, TrackingRefreshService, TrackingService, type Actor } from '../libs/domain/src';
import { benchConfig, withClient } from './support/bench-context';
import { ensureMillionDataset } from './support/million';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const fmt = (ms: number): string => ms.toFixed(1).padStart(8);

async function timeIt(runs: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const data = await ensureMillionDataset();
  const app: NestFastifyApplication = await createApiApp(benchConfig(data.databaseUrl, `bench-summ-${process.pid}`), { clock: new ManualClock(`${data.today}T02:00:00Z`), logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // The tracking read model (decision 51): a dataset loaded without triggers, or one that just got
  // the migration, is rebuilt from the base tables first, as the worker would do.
  const refresher = app.get(TrackingRefreshService);
  const t0 = performance.now();
  const refreshed = await refresher.refresh();
  console.log(`read model: ${refreshed.rebuilt ? 'rebuilt' : 'up to date'}, ${refreshed.folded} dirty tasks folded, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const login = async (username: string): Promise<string> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'Duban@2026' } });
    return JSON.parse(res.body).accessToken as string;
  };
  const coordinator = await login('coordinator');
  const county = await login('yingxian.officer');
  const city = await login('shuozhou.officer');
  const docs: { id: string }[] = await withClient(data.databaseUrl, async (c) => (await c.query(`select id from documents order by doc_number limit 1`)).rows);
  const cityId: string = await withClient(data.databaseUrl, async (c) => (await c.query(`select id from units where code = 'city.140600'`)).rows[0].id);
  // Over a real socket (keep-alive), as the board and users call it: the whole response is read.
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const get = async (url: string, token: string): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  };

  console.log(`dataset: ${data.counts.tasks.toLocaleString('en-US')} tasks, ${data.counts.reportPeriods.toLocaleString('en-US')} report periods, ${data.counts.submissions.toLocaleString('en-US')} submissions; today ${data.today}; ${RUNS} runs each\n`);
  const baseline = await withClient(data.databaseUrl, (c) => timeIt(RUNS, async () => void (await c.query(`select status, count(*) from tasks group by status`))));
  const rows: [string, number[]][] = [['baseline: count by state (pg)', baseline]];
  const cases: [string, string, string][] = [
    ['summary all (coordinator)', '/api/v1/tracking/summaries/all', coordinator],
    ['summary by document', '/api/v1/tracking/summaries/document', coordinator],
    ['summary by measure', '/api/v1/tracking/summaries/measure', coordinator],
    ['summary by unit', '/api/v1/tracking/summaries/unit', coordinator],
    ['summary by city', '/api/v1/tracking/summaries/city', coordinator],
    ['summary by county', '/api/v1/tracking/summaries/county', coordinator],
    ['summary by unit, one document', `/api/v1/tracking/summaries/unit?documentId=${docs[0].id}`, coordinator],
    ['summary by county, one city', `/api/v1/tracking/summaries/county?cityId=${cityId}`, coordinator],
    ['summary by unit, period 2026-Q3', '/api/v1/tracking/summaries/unit?period=2026-Q3', coordinator],
    ['summary all (county officer)', '/api/v1/tracking/summaries/all', county],
    ['summary by county (city bureau)', '/api/v1/tracking/summaries/county', city],
    ['grid, one document', `/api/v1/tracking/grid?documentId=${docs[0].id}`, coordinator],
    ['targets', '/api/v1/tracking/targets', coordinator],
    ['rankings', '/api/v1/tracking/rankings', coordinator],
    ['overdue list (100)', '/api/v1/tracking/overdue', coordinator],
    ['bulletin 2026-Q3 (json)', '/api/v1/tracking/bulletin?period=2026-Q3', coordinator],
  ];
  const only = process.env.BENCH_ONLY;
  // Each case twice: computed (the answer cache emptied before every request, so each one reads
  // the version, computes, serializes and stores), then as the board's repeated polls get it
  // (decision 55: served from the cache while nothing changed; the overdue list and the bulletin
  // are never cached, so both figures are computed ones there).
  const answers = app.get(TrackingAnswerCache);
  for (const [name, url, token] of cases) {
    if (only && !new RegExp(only).test(name)) continue;
    const xs = await timeIt(RUNS, async () => {
      answers.clear();
      await get(url, token);
    });
    rows.push([name, xs]);
    const hits0 = answers.hits;
    const ys = await timeIt(RUNS, () => get(url, token));
    const hits = answers.hits - hits0;
    rows.push([`${name}, repeated (${hits ? 'cached' : 'not cached'})`, ys]);
    console.log(
      `${name.padEnd(36)} computed p50 ${fmt(percentile(xs, 50))} ms  p95 ${fmt(percentile(xs, 95))} ms | repeated p50 ${fmt(percentile(ys, 50))} ms  p95 ${fmt(percentile(ys, 95))} ms (${hits} cache hits)`,
    );
  }

  const actor: Actor = await withClient(data.databaseUrl, async (c) => {
    const u = (await c.query(`select u.id, u.unit_id, u.roles, n.kind from users u join units n on n.id = u.unit_id where u.username = 'coordinator'`)).rows[0];
    return { userId: u.id, username: 'coordinator', unitId: u.unit_id, unitKind: u.kind, cityId: null, roles: u.roles };
  });

  // The large answers in process, split in two: `TrackingService` alone (no HTTP, nothing
  // encoded), then the encoding the answer cache does on a miss (JSON, UTF-8 bytes, gzip).
  const tracking = app.get(TrackingService);
  const inProcess: [string, () => Promise<unknown>][] = [
    ['summary by measure', () => tracking.summary(actor, 'measure', {})],
    ['grid, one document', () => tracking.grid(actor, { documentId: docs[0].id })],
    ['targets', () => tracking.targets(actor, {})],
    ['rankings', () => tracking.ranking(actor, {})],
    ['bulletin 2026-Q3 (json)', () => tracking.bulletin(actor, { period: '2026-Q3' })],
  ];
  for (const [name, call] of inProcess) {
    if (only && !new RegExp(only).test(name)) continue;
    let answer: unknown = null;
    const xs = await timeIt(RUNS, async () => void (answer = await call()));
    let bytes = 0;
    const ys = await timeIt(RUNS, async () => void (bytes = encodeAnswer(answer).json.length));
    rows.push([`${name}, in process: computed, not encoded`, xs], [`${name}, in process: encoding its answer (${(bytes / 1e6).toFixed(1)} MB)`, ys]);
    console.log(`${name.padEnd(36)} in process: computed p50 ${fmt(percentile(xs, 50))} ms  p95 ${fmt(percentile(xs, 95))} ms | encoded p50 ${fmt(percentile(ys, 50))} ms (${(bytes / 1e6).toFixed(1)} MB)`);
  }

  // The ledger export: the tasks led in 运城 (city.141000, ~108,000 rows), streamed over a real socket.
  const bigCity: string = await withClient(data.databaseUrl, async (c) => (await c.query(`select id from units where code = 'city.141000'`)).rows[0].id);
  const ledgerUrl = `http://127.0.0.1:${port}/api/v1/tracking/ledger?cityId=${bigCity}&format=`;
  const exportRuns = Number(process.env.BENCH_EXPORT_RUNS ?? 3);
  for (const format of ['csv', 'xlsx']) {
    const times: number[] = [];
    let peakRss = 0;
    let bytes = 0;
    let lines = 0;
    for (let i = 0; i < exportRuns; i++) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss - rssBefore)), 20);
      const t0 = performance.now();
      const res = await fetch(`${ledgerUrl}${format}`, { headers: { authorization: `Bearer ${coordinator}` } });
      bytes = 0;
      lines = 0;
      await pipeline(
        res.body as unknown as NodeJS.ReadableStream,
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            bytes += chunk.length;
            if (format === 'csv') for (const b of chunk) if (b === 10) lines++;
            cb();
          },
        }),
      );
      times.push(performance.now() - t0);
      clearInterval(timer);
    }
    if (times.length) rows.push([`ledger export ${format}`, times]);
    if (times.length) console.log(`ledger ${format}: ${(bytes / 1e6).toFixed(1)} MB${format === 'csv' ? `, ${lines - 1} rows` : ''}, p50 ${fmt(percentile(times, 50))} ms, peak RSS growth ${(peakRss / 1e6).toFixed(0)} MB`);
  }

  // The same export in parts: the cursor alone, then the .xlsx writer into a stream that drops the bytes.
  const ledger = app.get(LedgerService);
  const parts: [string, () => Promise<number>][] = [
    [
      'ledger cursor only (no writer)',
      async () => {
        let n = 0;
        for await (const batch of ledger.rows(actor, { cityId: bigCity })) n += batch.length;
        return n;
      },
    ],
    [
      'ledger xlsx writer, no HTTP',
      async () =>
        ledger.writeXlsx(
          actor,
          { cityId: bigCity },
          new Writable({
            write(_chunk: Buffer, _enc, cb) {
              cb();
            },
          }),
        ),
    ],
  ];
  for (const [name, fn] of parts) {
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < exportRuns; i++) {
      const t0 = performance.now();
      n = await fn();
      times.push(performance.now() - t0);
    }
    if (times.length === 0) continue; // BENCH_EXPORT_RUNS=0
    rows.push([name, times]);
    console.log(`${name}: ${n} rows, p50 ${fmt(percentile(times, 50))} ms`);
  }
  await app.close();

  console.log('\n| measurement | p50 ms | p95 ms | p95 / baseline p95 |');
  console.log('|---|---:|---:|---:|');
  const b95 = percentile(baseline, 95);
  for (const [name, xs] of rows) console.log(`| ${name} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} | ${(percentile(xs, 95) / b95).toFixed(2)} |`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
