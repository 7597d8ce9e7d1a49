/**
 * Publish fan-out benchmark (issue 8): times `DocumentsService.publish` on a synthetic document of
 * 100 measures, each led by 各县（市、区）人民政府, at two sizes:
 *   - province: the shipped registry's counties (117) -> ~11,700 tasks;
 *   - national: the registry plus 2,800 synthetic counties -> ~280,000 tasks.
 * Each size is set up once in its own database (registry, calendar, the draft), and each run gets a
 * fresh copy of it (CREATE DATABASE ... TEMPLATE). The ceiling is measured in the same run on the
 * same server: a raw multi-row INSERT (1,000 rows a statement, via `pg`) of the same number of rows
 * into `tasks` + `task_units` in one transaction, on another fresh copy. Publish also writes
 * report_periods, the acceptance deadline and an audit row, and does the calendar work; the ceiling
 * does none of that. Prints figures only; asserts nothing.
 *
 * Runs: 3 per size (about 6 minutes in all on 2 cores); BENCH_NATIONAL_RUNS=1 and BENCH_PROVINCE_RUNS
 * shorten it. The synthetic counties get no unit_aliases rows: publish reaches them through the
 * collective (kind 'county'), never by name.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import type { INestApplicationContext } from '@nestjs/common';
import { CalendarService } from '../libs/calendar/src';
import { withDatabase } from '../libs/database/src/database-url';
import { DocumentsService, SeedService } from '../libs/domain/src';
import { assignmentKeyOf } from '../libs/domain/src/tasks/assignment-key';
import { parseDocument, toChineseNumeral } from '../libs/policy-parser/src';
import { buildTemplate, dropRunDatabases, freshDatabase, runId, TEST_SERVER_URL } from '../test/support/test-db';
import { median, registryFile, withAppContext, withClient } from './support/bench-context';

// test-db reads DUBAN_TEST_RUN when its functions are called: the bench's databases never clash with a test run's.
process.env.DUBAN_TEST_RUN ??= `bench${process.pid}`;

const REGISTRY_FILE = registryFile();
const NOW = '2026-11-23T02:00:00Z';
const DEFAULT_DUE_ON = '2026-12-31';
const MEASURES = 100;
const LEAD = '各县（市、区）人民政府';
const ROWS_PER_STATEMENT = 1000;

interface Size {
  label: string;
  extraCounties: number;
  runs: number;
}

interface RunFigures {
  publishMs: number;
  tasks: number;
  taskUnits: number;
  reportPeriods: number;
  rssMb: number;
  rawMs: number;
  rawTasks: number;
  rawTaskUnits: number;
}

function documentText(): string {
  const parts = ['基准〔2026〕1号', '关于基准测试的通知', '一、任务'];
  for (let i = 1; i <= MEASURES; i++) parts.push(`（${toChineseNumeral(i)}）第${i}项工作。（${LEAD}牵头负责）`);
  return parts.join('\n\n');
}

function checkDocument(text: string): void {
  const parsed = parseDocument(text);
  const bad = parsed.measures.filter((m) => m.leads.length !== 1 || m.leads[0] !== LEAD);
  if (parsed.measures.length !== MEASURES || bad.length) {
    throw new Error(`synthetic document parsed to ${parsed.measures.length} measures, ${bad.length} with other leads (first: ${JSON.stringify(bad[0]?.leads)})`);
  }
}

function withApp<T>(url: string, fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  return withAppContext(url, NOW, fn);
}

/** Base database of one size: registry (+ synthetic counties), calendar, and the draft. Returns its URL and the draft's id. */
async function prepareBase(size: Size, text: string): Promise<{ url: string; name: string; documentId: string }> {
  const url = await freshDatabase(`${size.label}_base`);
  const documentId = await withApp(url, async (app) => {
    await app.get(SeedService).seedRegistry(REGISTRY_FILE);
    await app.get(CalendarService).seedFromLibrary();
    if (size.extraCounties > 0) await addCounties(url, size.extraCounties);
    return (await app.get(DocumentsService).createDraft({ text }, null)).id;
  });
  return { url, name: new URL(url).pathname.slice(1), documentId };
}

/** 2,800 synthetic counties under the 11 city governments, in multi-row INSERTs. */
async function addCounties(url: string, n: number): Promise<void> {
  await withClient(url, async (c) => {
    const cities = (await c.query<{ id: string }>(`select id from units where kind = 'city_government' order by code`)).rows.map((r) => r.id);
    if (cities.length === 0) throw new Error('no city governments in the registry');
    for (let i = 0; i < n; i += ROWS_PER_STATEMENT) {
      const values: string[] = [];
      const params: unknown[] = [];
      for (let k = i; k < Math.min(n, i + ROWS_PER_STATEMENT); k++) {
        const no = String(k + 1).padStart(4, '0');
        const p = params.length;
        values.push(`($${p + 1}, $${p + 2}, $${p + 3}, 'county', $${p + 4})`);
        params.push(`bench.county.${no}`, `基准县${no}人民政府`, `基准县${no}`, cities[k % cities.length]);
      }
      await c.query(`insert into units (code, name, short_name, kind, parent_id) values ${values.join(', ')}`, params);
    }
  });
}

let copies = 0;
/** A fresh copy of a base database, named so dropRunDatabases finds it. */
async function copyOf(base: string): Promise<string> {
  const name = `duban_t${runId()}_copy${++copies}`;
  await withClient(withDatabase(TEST_SERVER_URL, 'postgres'), async (c) => {
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.query(`create database "${name}" template "${base}"`);
  });
  return withDatabase(TEST_SERVER_URL, name);
}

async function counts(url: string): Promise<{ tasks: number; taskUnits: number; reportPeriods: number }> {
  return withClient(url, async (c) => {
    const r = (
      await c.query<{ t: string; tu: string; rp: string }>(
        `select (select count(*) from tasks) as t, (select count(*) from task_units) as tu, (select count(*) from report_periods) as rp`,
      )
    ).rows[0];
    return { tasks: Number(r.t), taskUnits: Number(r.tu), reportPeriods: Number(r.rp) };
  });
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timePublish(baseName: string, documentId: string): Promise<Pick<RunFigures, 'publishMs' | 'tasks' | 'taskUnits' | 'reportPeriods' | 'rssMb'>> {
  const url = await copyOf(baseName);
  const { ms } = await withApp(url, async (app) => {
    const docs = app.get(DocumentsService);
    gc();
    const t0 = performance.now();
    const result = await docs.publish(documentId, null, { defaultDueOn: DEFAULT_DUE_ON });
    const elapsed = performance.now() - t0;
    if (result.created !== result.total) throw new Error(`publish created ${result.created} of ${result.total}`);
    return { ms: elapsed };
  });
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  const c = await counts(url);
  return { publishMs: ms, ...c, rssMb };
}

/**
 * The ceiling: the same number of tasks (same columns as TasksRepository.insertNew writes) and
 * task_units rows, in multi-row INSERT ... VALUES statements of 1,000 rows, one transaction.
 */
async function timeRawInsert(baseName: string, documentId: string): Promise<Pick<RunFigures, 'rawMs' | 'rawTasks' | 'rawTaskUnits'>> {
  const url = await copyOf(baseName);
  return withClient(url, async (c) => {
    const measures = (await c.query<{ id: string; label: string; title: string }>(`select id, label, title from measures where document_id = $1 order by no`, [documentId])).rows;
    const counties = (await c.query<{ id: string }>(`select id from units where kind = 'county' and active order by admin_code, code`)).rows.map((r) => r.id);
    const specs = measures.flatMap((m) => counties.map((u) => ({ measureId: m.id, unitId: u, key: assignmentKeyOf([u]), title: `${m.label}${m.title}` })));
    gc();
    const t0 = performance.now();
    await c.query('begin');
    let taskUnits = 0;
    for (let i = 0; i < specs.length; i += ROWS_PER_STATEMENT) {
      const chunk = specs.slice(i, i + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const values = chunk.map((s) => {
        const p = params.length;
        params.push(documentId, s.measureId, s.key, s.title, DEFAULT_DUE_ON, 'quarterly', '[]');
        return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7})`;
      });
      const rows = (
        await c.query<{ id: string; measure_id: string; assignment_key: string }>(
          `insert into tasks (document_id, measure_id, assignment_key, title, due_on, reporting_cycle, targets) values ${values.join(', ')}
           returning id, measure_id, assignment_key`,
          params,
        )
      ).rows;
      const unitOf = new Map(chunk.map((s) => [`${s.measureId}/${s.key}`, s.unitId]));
      const tuParams: unknown[] = [];
      const tuValues = rows.map((r) => {
        const p = tuParams.length;
        tuParams.push(r.id, unitOf.get(`${r.measure_id}/${r.assignment_key}`), 'lead');
        return `($${p + 1}, $${p + 2}, $${p + 3})`;
      });
      await c.query(`insert into task_units (task_id, unit_id, role) values ${tuValues.join(', ')}`, tuParams);
      taskUnits += rows.length;
    }
    await c.query('commit');
    const rawMs = performance.now() - t0;
    return { rawMs, rawTasks: specs.length, rawTaskUnits: taskUnits };
  });
}

function runsFrom(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

async function main(): Promise<void> {
  const wall0 = performance.now();
  const text = documentText();
  checkDocument(text);
  const sizes: Size[] = [
    { label: 'province', extraCounties: 0, runs: runsFrom('BENCH_PROVINCE_RUNS', 3) },
    { label: 'national', extraCounties: 2800, runs: runsFrom('BENCH_NATIONAL_RUNS', 3) },
  ];
  const pgVersion = await withClient(withDatabase(TEST_SERVER_URL, 'postgres'), async (c) => (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0].v);
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB, ${platform()} ${release()}; node ${process.version}; PostgreSQL ${pgVersion}`,
  );
  console.log(`document: ${MEASURES} measures, each led by ${LEAD}; defaultDueOn ${DEFAULT_DUE_ON}; cycle quarterly; clock ${NOW}`);
  const results: { size: Size; runs: RunFigures[] }[] = [];
  try {
    await buildTemplate();
    for (const size of sizes) {
      const base = await prepareBase(size, text);
      const runs: RunFigures[] = [];
      for (let i = 0; i < size.runs; i++) {
        const pub = await timePublish(base.name, base.documentId);
        const raw = await timeRawInsert(base.name, base.documentId);
        const run = { ...pub, ...raw };
        runs.push(run);
        console.log(
          `${size.label} run ${i + 1}/${size.runs}: publish ${run.tasks} tasks, ${run.taskUnits} task_units, ${run.reportPeriods} report_periods in ${(run.publishMs / 1000).toFixed(2)} s` +
            ` (${Math.round(run.tasks / (run.publishMs / 1000))} tasks/s), rss after publish ${run.rssMb.toFixed(0)} MB;` +
            ` raw INSERT ${run.rawTasks} tasks + ${run.rawTaskUnits} task_units in ${(run.rawMs / 1000).toFixed(2)} s (${Math.round(run.rawTasks / (run.rawMs / 1000))} tasks/s); ratio ${(run.rawMs / run.publishMs).toFixed(2)}x`,
        );
        await withClient(withDatabase(TEST_SERVER_URL, 'postgres'), async (c) => {
          // Copies are done with: drop them now so 280k-row databases do not pile up.
          const names = (await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`duban_t${runId()}\\_copy%`])).rows;
          for (const r of names) await c.query(`drop database if exists "${r.datname}" with (force)`);
        });
      }
      results.push({ size, runs });
    }
  } finally {
    await dropRunDatabases();
  }
  console.log('');
  console.log('| size | runs | tasks | task_units | report_periods | publish time (median) | publish tasks/s | raw INSERT tasks/s | ratio (target >= 0.5x) | rss after publish (max) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const { size, runs } of results) {
    const pubMs = median(runs.map((r) => r.publishMs));
    const rawMs = median(runs.map((r) => r.rawMs));
    const tasks = runs[0].tasks;
    const pubRate = tasks / (pubMs / 1000);
    const rawRate = runs[0].rawTasks / (rawMs / 1000);
    console.log(
      `| ${size.label} (${MEASURES} measures × ${tasks / MEASURES} counties) | ${runs.length} | ${tasks.toLocaleString('en-US')} | ${runs[0].taskUnits.toLocaleString('en-US')} | ${runs[0].reportPeriods.toLocaleString('en-US')} |` +
        ` ${(pubMs / 1000).toFixed(2)} s | ${Math.round(pubRate).toLocaleString('en-US')} | ${Math.round(rawRate).toLocaleString('en-US')} | ${(pubRate / rawRate).toFixed(2)}x | ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB |`,
    );
  }
  console.log('');
  console.log(
    `Machine: ${cpus().length} CPUs, node ${process.version}, PostgreSQL ${pgVersion}. Times are medians over the runs shown, and the ratio is publish tasks/s over raw INSERT tasks/s from those medians (per-run ratios above); ` +
      `the raw INSERT writes only tasks + task_units (1,000 rows a statement, one transaction) while publish also writes one report_periods row per task ` +
      `(quarterly, ${NOW.slice(0, 10)} to ${DEFAULT_DUE_ON}), sets the acceptance deadline (an UPDATE of every task), computes working days from the calendar, and writes an audit row. ` +
      `Wall time of the whole benchmark (setup included): ${((performance.now() - wall0) / 1000).toFixed(1)} s.`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
