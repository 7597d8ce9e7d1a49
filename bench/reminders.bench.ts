/**
 * Reminder burst benchmark (issue 5): 100,000 obligations (tasks not yet accepted) whose reminder
 * ("today is the day") falls due at the same instant. The built worker is started as a child
 * process, as deployed, with its clock at that instant; its first sweep sends every reminder. The
 * figure is the time from the sweep job's start (BullMQ's processedOn) until every inbox row is
 * committed in PostgreSQL (counted by polling), and the worker's peak RSS (VmHWM).
 *
 * The baseline, measured in the same run on the same Redis under another key prefix: a no-op
 * BullMQ worker (same concurrency as the Duban worker) processing 100,000 jobs queued with addBulk.
 * Target: the reminders' rate at least 0.8x the no-op rate.
 *
 * Data: the shipped registry plus synthetic counties up to 1,000, one officer each, and one
 * published document of 100 measures each led by 各县（市、区）人民政府: 100 x 1,000 tasks, each
 * acceptance due Thursday 2026-11-26 (published Monday the 23rd). Each run gets a fresh copy of
 * that database. BENCH_REMINDER_RUNS (default 3) sets the number of runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type {} from '@fastify/multipart';
import { Queue, Worker } from 'bullmq';
import { ApiModule } from '../apps/api/src/app.module';
import { CalendarService, ManualClock } from '../libs/calendar/src';
import { loadConfig } from '../libs/config/src';
import { withDatabase } from '../libs/database/src/database-url';
import { DocumentsService, SeedService } from '../libs/domain/src';
import { QUEUES, redisOptions } from '../libs/queue/src';
import { toChineseNumeral } from '../libs/policy-parser/src';
import { buildTemplate, dropRunDatabases, freshDatabase, runId, TEST_SERVER_URL } from '../test/support/test-db';
import { median, withClient } from './support/bench-context';

process.env.DUBAN_TEST_RUN ??= `bench${process.pid}`;

const ROOT = [join(__dirname, '..'), join(__dirname, '..', '..'), process.cwd()].find((d) => existsSync(join(d, 'data', 'registry', 'units.json'))) ?? process.cwd();
const WORKER = join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PUBLISHED_AT = '2026-11-23T02:00:00Z';
/** Thursday 10:00 in Shanghai: the acceptance of every task is due today. */
const DUE_INSTANT = '2026-11-26T10:00:00+08:00';
const MEASURES = 100;
const COUNTIES = 1000;
const OBLIGATIONS = MEASURES * COUNTIES;
const CONCURRENCY = 10;

interface RunFigures {
  reminderMs: number;
  sweepJobMs: number;
  rssPeakMb: number;
  noopMs: number;
  addBulkMs: number;
}

const scalar = async (url: string, text: string): Promise<number> => withClient(url, async (c) => Number((await c.query<{ n: string }>(text)).rows[0].n));

/** The base database: registry, calendar, counties up to 1,000 with an officer each, and the published document. */
async function prepareBase(): Promise<string> {
  const url = await freshDatabase('reminders_base');
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, REDIS_URL, QUEUE_PREFIX: 'bench-setup', JWT_SECRET: 'bench-secret-with-enough-length', LOG_LEVEL: 'silent' });
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(config, new ManualClock(PUBLISHED_AT)), { logger: false });
  try {
    await app.get(SeedService).seedRegistry(join(ROOT, 'data', 'registry', 'units.json'));
    await app.get(CalendarService).seedFromLibrary();
    await withClient(url, async (c) => {
      await c.query(
        `insert into units (code, name, short_name, kind, parent_id)
         select 'bench.county.' || lpad(g::text, 4, '0'), '基准县' || g || '人民政府', '基准县' || g, 'county',
                (select id from units where kind = 'city_government' order by code offset g % 11 limit 1)
           from generate_series(1, $1::int - (select count(*)::int from units where kind = 'county')) g`,
        [COUNTIES],
      );
      await c.query(
        `insert into users (unit_id, username, display_name, password_hash, roles)
         select id, 'bench.' || code, short_name || '联络员', 'not-a-login', array['officer'] from units where kind = 'county'`,
      );
    });
    const lines = ['提醒基准〔2026〕1号', '一、任务'];
    for (let i = 1; i <= MEASURES; i++) lines.push(`（${toChineseNumeral(i)}）第${i}项工作。（各县（市、区）人民政府牵头负责）`);
    const docs = app.get(DocumentsService);
    const draft = await docs.createDraft({ text: lines.join('\n\n') }, null);
    await docs.publish(draft.id, null, { defaultDueOn: '2026-12-31' });
  } finally {
    await app.close();
  }
  // The publish's own event is not part of the burst: mark it handled so the worker relays nothing.
  await scalar(url, `with u as (update outbox set processed_at = now() returning 1) select count(*) as n from u`);
  // Nor is the opening of the report periods that had started at publish (the worker opens them at start).
  await scalar(url, `with u as (update report_periods set opened_at = now() where starts_on <= '2026-11-26' returning 1) select count(*) as n from u`);
  // Statistics, as autovacuum keeps them on a live database; each copy inherits them with the catalog.
  await withClient(url, (c) => c.query('analyze'));
  const tasks = await scalar(url, `select count(*) as n from tasks where status = 'assigned' and accept_due_on = '2026-11-26'`);
  if (tasks !== OBLIGATIONS) throw new Error(`the base database has ${tasks} tasks due for acceptance on 2026-11-26, not ${OBLIGATIONS}`);
  return new URL(url).pathname.slice(1);
}

let copies = 0;
async function copyOf(base: string): Promise<string> {
  const name = `duban_t${runId()}_remcopy${++copies}`;
  await withClient(withDatabase(TEST_SERVER_URL, 'postgres'), async (c) => {
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.query(`create database "${name}" template "${base}"`);
  });
  return withDatabase(TEST_SERVER_URL, name);
}

async function dropCopy(url: string): Promise<void> {
  await withClient(withDatabase(TEST_SERVER_URL, 'postgres'), (c) => c.query(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`));
}

/** Peak resident set size of a process, from /proc (VmHWM), in MB. */
function rssPeakMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The built worker against a fresh copy; times its first sweep until every inbox row is committed. */
async function timeReminders(base: string, run: number): Promise<Pick<RunFigures, 'reminderMs' | 'sweepJobMs' | 'rssPeakMb'>> {
  const url = await copyOf(base);
  const prefix = `bench-rem-${process.pid}-${run}`;
  const worker = spawn(process.execPath, [WORKER], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      CLOCK_START: DUE_INSTANT,
      REMINDER_SWEEP_SECONDS: '3600',
      WORKER_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: 'warn',
    },
  });
  const exited = new Promise<void>((ok) => worker.once('exit', () => ok()));
  const queue = new Queue(QUEUES.reminders, { connection: redisOptions(REDIS_URL, false), prefix });
  try {
    const deadline = Date.now() + 10 * 60_000;
    let rows = 0;
    while (rows < OBLIGATIONS) {
      if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
      if (Date.now() > deadline) throw new Error(`only ${rows} of ${OBLIGATIONS} inbox rows after 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
      rows = await scalar(url, `select count(*) as n from notifications where kind = 'reminder.accept'`);
    }
    const allRowsAt = Date.now();
    const rssPeak = rssPeakMb(worker.pid ?? 0);
    let job = (await queue.getJobs(['completed', 'active'])).find((j) => j.name === 'ReminderSweep' && j.processedOn);
    for (let i = 0; i < 100 && !job?.finishedOn; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await queue.getJobs(['completed'])).find((j) => j.name === 'ReminderSweep' && j.finishedOn);
    }
    if (!job?.processedOn || !job.finishedOn) throw new Error('the sweep job was not found in Redis');
    // Exactly once, from PostgreSQL: one delivery row and one inbox row per obligation.
    const [deliveries, inbox] = [await scalar(url, `select count(*) as n from reminder_deliveries`), await scalar(url, `select count(*) as n from notifications where delivery_key like 'reminder-%'`)];
    if (deliveries !== OBLIGATIONS || inbox !== OBLIGATIONS) throw new Error(`${deliveries} deliveries and ${inbox} inbox rows for ${OBLIGATIONS} obligations`);
    return { reminderMs: allRowsAt - job.processedOn, sweepJobMs: job.finishedOn - job.processedOn, rssPeakMb: rssPeak };
  } finally {
    worker.kill('SIGTERM');
    await exited;
    await queue.obliterate({ force: true });
    await queue.close();
    await dropCopy(url);
  }
}

/** The ceiling: a no-op BullMQ worker, same Redis, same concurrency, 100,000 jobs queued with addBulk. */
async function timeNoop(run: number): Promise<Pick<RunFigures, 'noopMs' | 'addBulkMs'>> {
  const prefix = `bench-noop-${process.pid}-${run}`;
  const connection = redisOptions(REDIS_URL, true);
  const queue = new Queue('noop', { connection, prefix });
  const t0 = performance.now();
  for (let i = 0; i < OBLIGATIONS; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, OBLIGATIONS - i) }, (_, k) => ({ name: 'Noop', data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  const addBulkMs = performance.now() - t0;
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((ok) => (finished = ok));
  const t1 = performance.now();
  const worker = new Worker('noop', async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
  worker.on('completed', () => {
    if (++done === OBLIGATIONS) finished();
  });
  await all;
  const noopMs = performance.now() - t1;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { noopMs, addBulkMs };
}

const spread = (xs: number[], digits = 0): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
const perSecond = (ms: number): number => OBLIGATIONS / (ms / 1000);

async function main(): Promise<void> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: npm run bench builds it`);
  const envRuns = Number(process.env.BENCH_REMINDER_RUNS);
  const runs = Number.isInteger(envRuns) && envRuns > 0 ? envRuns : 3;
  console.log(`${OBLIGATIONS.toLocaleString('en-US')} obligations due at ${DUE_INSTANT}; worker concurrency ${CONCURRENCY}; ${cpus().length} CPUs; node ${process.version}; ${runs} runs`);
  const figures: RunFigures[] = [];
  try {
    await buildTemplate();
    const t = performance.now();
    const base = await prepareBase();
    console.log(`setup (registry, ${COUNTIES} counties with an officer each, publish of ${OBLIGATIONS.toLocaleString('en-US')} tasks): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (let run = 1; run <= runs; run++) {
      const rem = await timeReminders(base, run);
      const noop = await timeNoop(run);
      const f = { ...rem, ...noop };
      figures.push(f);
      console.log(
        `run ${run}/${runs}: every inbox row committed ${(f.reminderMs / 1000).toFixed(2)} s after the sweep started (${Math.round(perSecond(f.reminderMs))} reminders/s; sweep job ${(f.sweepJobMs / 1000).toFixed(2)} s), ` +
          `worker RSS peak ${f.rssPeakMb.toFixed(0)} MB; no-op BullMQ ${(f.noopMs / 1000).toFixed(2)} s (${Math.round(perSecond(f.noopMs))} jobs/s; addBulk ${Math.round(perSecond(f.addBulkMs))} jobs/s); ` +
          `ratio ${(f.noopMs / f.reminderMs).toFixed(2)}x`,
      );
    }
  } finally {
    await dropRunDatabases();
  }
  const ratios = figures.map((f) => f.noopMs / f.reminderMs);
  console.log('');
  console.log('| obligations | runs | all inbox rows committed (median, range) | reminders/s (median) | no-op BullMQ jobs/s (median, range) | ratio (median, range; target >= 0.8x) | worker RSS peak (max) |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| ${OBLIGATIONS.toLocaleString('en-US')} | ${figures.length} | ${(median(figures.map((f) => f.reminderMs)) / 1000).toFixed(2)} s (${spread(figures.map((f) => f.reminderMs / 1000), 2)} s) |` +
      ` ${Math.round(perSecond(median(figures.map((f) => f.reminderMs)))).toLocaleString('en-US')} |` +
      ` ${Math.round(perSecond(median(figures.map((f) => f.noopMs)))).toLocaleString('en-US')} (${spread(figures.map((f) => perSecond(f.noopMs)))}) |` +
      ` ${median(ratios).toFixed(2)}x (${spread(ratios, 2)}) | ${Math.max(...figures.map((f) => f.rssPeakMb)).toFixed(0)} MB |`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
