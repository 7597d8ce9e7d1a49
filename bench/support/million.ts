/**
 * The 1M-task benchmark dataset (issues 6 and 8), built once and reused.
 *
 * `ensureMillionDataset()` returns the URL of a dedicated database (`duban_bench_1m` by default) that
 * holds, with the project's real schema (MIGRATIONS, pending ones applied on reuse), the real
 * registry (SeedService + data/registry/units.json: 199 units, 117 counties), the working-day
 * calendar (CalendarService.seedFromLibrary) and the demo users, plus:
 *   - 100 published documents (issued over the 400 days before `today`), 30 measures each (3,000);
 *     every third measure has a numeric target (half of them per county, 每县);
 *   - 1,000,000 tasks, ~333 per measure: one task for each of the 199 active units alone (counties
 *     first, then departments, bodies, city governments, city bureaus, the bureau), then tasks led
 *     jointly by a county and a provincial department. Half the county tasks have 省财政厅 as
 *     cooperating unit, so the finance department sees ~180k tasks (a heavy officer); a county
 *     sees ~6.5k, a city bureau its whole city (~40-60k);
 *   - states by due date: for tasks already due, 55% closed, 25% in progress (overdue), 8% accepted,
 *     4% assigned (never accepted), 6% completion requested, 2% suspended; for tasks still to come,
 *     15% assigned, 25% accepted, 50% in progress, 5% completion requested, 3% closed, 2% suspended.
 *     Due dates run from publish + 90 days to publish + 455 days (past and coming months);
 *   - report periods as publish makes them (quarterly 70%, semiannual 15%, annual 10%, none 5%; due
 *     the 5th working day after the period ends, from the calendar table);
 *   - for periods already due of accepted tasks: 60% approved, 10% submitted (awaiting review), 5%
 *     returned, 25% nothing (missed); approved reports on measures with a target carry a value;
 *   - escalations (levels 1-3, `task_due` and `accept`) for open tasks past their dates.
 * Pseudo-random choices come from `hashint8`, so the same options build the same data.
 *
 * Users to log in as (password `Duban@2026`): the demo users (admin, coordinator, czt.officer,
 * shuozhou.officer, yingxian.officer, ... see libs/domain/src/accounts/demo-users.ts) and one
 * officer per unit, `bench.<unit code>` (e.g. `bench.prov.czt`, `bench.county.140622`,
 * `bench.citybureau.140600`). `czt.officer` is the heavy department officer, `yingxian.officer` a
 * county, `shuozhou.officer` a city bureau (city scope of decision 17).
 *
 * The database carries a marker (its COMMENT) written last: a database without a complete marker
 * for the same options is rebuilt. A build goes into `<name>_build` and is renamed at the end, under
 * an advisory lock, so concurrent callers wait for one build and readers never see half a dataset.
 *
 * CLI: `node dist/bench/bench/support/million.js [--tasks 1000000] [--documents 100] [--name duban_bench_1m] [--rebuild]`.
 */
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { CalendarService } from '../../libs/calendar/src';
import { dataSourceOptions } from '../../libs/database/src/data-source-options';
import { withDatabase } from '../../libs/database/src/database-url';
import { SeedService } from '../../libs/domain/src';
import { toChineseNumeral } from '../../libs/policy-parser/src';
import { MIGRATIONS } from '../../migrations';
import { registryFile, withAppContext, withClient } from './bench-context';
import type { Client } from 'pg';

/** Bump when the generated data changes: older datasets are rebuilt. */
const GENERATOR_VERSION = 1;

export interface MillionOptions {
  /** Tasks to load (default 1,000,000). */
  tasks?: number;
  /** Published documents (default 100). */
  documents?: number;
  /** Measures per document (default 30). */
  measuresPerDocument?: number;
  /** Database name (default `duban_bench_1m`). */
  databaseName?: string;
  /** Server URL (any database name); default BENCH_DATABASE_URL, TEST_DATABASE_URL or the local server. */
  serverUrl?: string;
  /** Rebuild even when a complete dataset exists. */
  rebuild?: boolean;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

export interface MillionCounts {
  units: number;
  users: number;
  documents: number;
  measures: number;
  tasks: number;
  taskUnits: number;
  reportPeriods: number;
  submissions: number;
  submissionValues: number;
  escalations: number;
}

export interface MillionDataset {
  databaseUrl: string;
  databaseName: string;
  counts: MillionCounts;
  /** The Asia/Shanghai date the states and due dates were generated against (YYYY-MM-DD). */
  today: string;
  /** True when this call built the data, false when it reused it. */
  built: boolean;
  /** Build time in seconds (of this call's build, or of the one that made the reused data). */
  buildSeconds: number;
}

interface Marker {
  generator: number;
  tasks: number;
  documents: number;
  measuresPerDocument: number;
  today: string;
  counts: MillionCounts;
  buildSeconds: number;
}

const DEFAULTS = { tasks: 1_000_000, documents: 100, measuresPerDocument: 30, databaseName: 'duban_bench_1m' };

/** Builds the dataset, or reuses it when a complete one with the same options exists. */
export async function ensureMillionDataset(opts: MillionOptions = {}): Promise<MillionDataset> {
  const o = { ...DEFAULTS, ...withoutUndefined(opts) };
  const log = opts.log ?? ((line: string) => console.log(line));
  const server = opts.serverUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const adminUrl = withDatabase(server, 'postgres');
  const url = withDatabase(server, o.databaseName);
  const buildName = `${o.databaseName}_build`;
  return withClient(adminUrl, async (admin) => {
    await admin.query(`select pg_advisory_lock(hashtext($1))`, [`duban-bench-dataset:${o.databaseName}`]);
    try {
      if (!opts.rebuild && (await databaseExists(admin, o.databaseName))) {
        await migrate(url); // a dataset made before a new migration gets it
        const marker = await readMarker(admin, o.databaseName);
        if (marker && marker.generator === GENERATOR_VERSION && marker.tasks === o.tasks && marker.documents === o.documents && marker.measuresPerDocument === o.measuresPerDocument) {
          log(`dataset ${o.databaseName}: reused (${marker.counts.tasks.toLocaleString('en-US')} tasks, generated for ${marker.today})`);
          return { databaseUrl: url, databaseName: o.databaseName, counts: marker.counts, today: marker.today, built: false, buildSeconds: marker.buildSeconds };
        }
        log(`dataset ${o.databaseName}: incomplete or made with other options; rebuilding`);
      }
      const t0 = performance.now();
      await admin.query(`drop database if exists "${buildName}" with (force)`);
      await admin.query(`create database "${buildName}"`);
      const buildUrl = withDatabase(server, buildName);
      await migrate(buildUrl);
      const today = shanghaiToday();
      await withAppContext(buildUrl, new Date().toISOString(), async (app) => {
        await app.get(SeedService).seedRegistry(registryFile());
        await app.get(CalendarService).seedFromLibrary();
        await app.get(SeedService).seedDemoUsers();
      });
      log(`dataset ${buildName}: migrated, registry, calendar and demo users seeded`);
      const counts = await withClient(buildUrl, (c) => load(c, { ...o, today }, log));
      const buildSeconds = Math.round((performance.now() - t0) / 1000);
      const marker: Marker = { generator: GENERATOR_VERSION, tasks: o.tasks, documents: o.documents, measuresPerDocument: o.measuresPerDocument, today, counts, buildSeconds };
      await admin.query(`comment on database "${buildName}" is ${quoteLiteral(JSON.stringify(marker))}`);
      await admin.query(`drop database if exists "${o.databaseName}" with (force)`);
      await admin.query(`alter database "${buildName}" rename to "${o.databaseName}"`);
      log(`dataset ${o.databaseName}: built in ${buildSeconds} s`);
      return { databaseUrl: url, databaseName: o.databaseName, counts, today, built: true, buildSeconds };
    } finally {
      await admin.query(`select pg_advisory_unlock(hashtext($1))`, [`duban-bench-dataset:${o.databaseName}`]);
    }
  });
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function quoteLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

async function databaseExists(admin: Client, name: string): Promise<boolean> {
  return (await admin.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1;
}

async function readMarker(admin: Client, name: string): Promise<Marker | null> {
  const r = await admin.query<{ c: string | null }>(`select shobj_description(oid, 'pg_database') as c from pg_database where datname = $1`, [name]);
  try {
    return r.rows[0]?.c ? (JSON.parse(r.rows[0].c) as Marker) : null;
  } catch {
    return null; // not our marker: rebuild
  }
}

/** Applies the pending migrations (all of them on a new database). */
async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions({ database: { url }, connectTimeoutMs: 5000 }, { entities: [], migrations: MIGRATIONS }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** A pseudo-random integer in [0, n) from a seed expression, stable across runs. */
function rnd(seedSql: string, n: number): string {
  return `mod(hashint8(${seedSql})::bigint + 2147483648, ${n})::int`;
}

/** Shanghai wall-clock time on a date, as timestamptz. */
function at(dateSql: string, time: string): string {
  return `((${dateSql})::timestamp + time '${time}') at time zone 'Asia/Shanghai'`;
}

interface LoadOptions {
  tasks: number;
  documents: number;
  measuresPerDocument: number;
  today: string;
}

async function load(c: Client, o: LoadOptions, log: (line: string) => void): Promise<MillionCounts> {
  const step = async (label: string, sql: string, params: unknown[] = []): Promise<void> => {
    const t0 = performance.now();
    const r = await c.query(sql, params);
    log(`  ${label}: ${r.rowCount ?? 0} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  await c.query(`set synchronous_commit = off`);
  // Foreign-key triggers cost more than the rows themselves; the generator builds consistent rows (checked below).
  await c.query(`set session_replication_role = replica`);
  await c.query(`set work_mem = '256MB'`);
  await c.query(`set maintenance_work_mem = '512MB'`);

  const czt = (await c.query<{ id: string }>(`select id from units where code = 'prov.czt'`)).rows[0]?.id;
  if (!czt) throw new Error('registry has no 省财政厅 (prov.czt)');
  const hash = (await c.query<{ h: string }>(`select password_hash as h from users where username = 'czt.officer'`)).rows[0].h;
  const coordinator = (await c.query<{ id: string }>(`select id from users where username = 'coordinator'`)).rows[0].id;

  // Units in fan-out order; counties and provincial departments (finance excluded) for joint tasks.
  await c.query(`
    create temp table bu as
      select (row_number() over (order by case kind when 'county' then 0 when 'provincial_department' then 1 when 'provincial_body' then 2
                                                  when 'city_government' then 3 when 'city_bureau' then 4 else 5 end, admin_code nulls last, code) - 1)::int as n,
             id, kind
        from units where active`);
  await c.query(`create temp table bcounty as select (row_number() over (order by n) - 1)::int as n, id from bu where kind = 'county'`);
  await c.query(`create temp table bdept as select (row_number() over (order by n) - 1)::int as n, id from bu where kind in ('provincial_department', 'provincial_body') and id <> $1`, [czt]);
  const sizes = (await c.query<{ u: number; cn: number; d: number }>(`select (select count(*) from bu)::int as u, (select count(*) from bcounty)::int as cn, (select count(*) from bdept)::int as d`)).rows[0];
  const totalMeasures = o.documents * o.measuresPerDocument;
  const perMeasure = Math.floor(o.tasks / totalMeasures);
  const extra = o.tasks % totalMeasures;
  const maxPerMeasure = sizes.u + sizes.cn * sizes.d;
  if (perMeasure + (extra ? 1 : 0) > maxPerMeasure) throw new Error(`${o.tasks} tasks need more than ${maxPerMeasure} tasks a measure; add documents`);

  await step(
    'users (bench.<unit code>)',
    `insert into users (unit_id, username, display_name, password_hash, roles)
     select id, 'bench.' || code, short_name || '经办（基准）', $1, '{officer}' from units where active`,
    [hash],
  );

  // Documents, issued over the 400 days before today.
  await step(
    'documents',
    `insert into documents (doc_number, title, issuer, issued_on, parsed, cleaned_text, source_type, source_sha256, source_bytes, status, published_at, published_by, created_at, updated_at)
     select format('晋基准〔%s〕%s号', extract(year from x.pub)::int, d + 1), format('关于印发第%s批乡村振兴重点任务清单的通知', d + 1),
            '山西省乡村振兴局', x.pub, '{"measures": []}'::jsonb, '', 'text', encode(sha256(convert_to('bench-' || d, 'UTF8')), 'hex'), 0,
            'published', ${at('x.pub', '09:30')}, $3, ${at('x.pub', '09:00')}, ${at('x.pub', '09:30')}
       from generate_series(0, $1 - 1) d, lateral (select ($2::date - 400 + (d * 400 / $1))::date as pub) x`,
    [o.documents, o.today, coordinator],
  );
  await c.query(`create temp table bdoc as select (row_number() over (order by issued_on, doc_number) - 1)::int as d, id, issued_on as pub from documents`);

  const labels = Array.from({ length: o.measuresPerDocument }, (_, i) => `（${toChineseNumeral(i + 1)}）`);
  const cycles = [...Array<string>(14).fill('quarterly'), ...Array<string>(3).fill('semiannual'), ...Array<string>(2).fill('annual'), 'none'];
  await step(
    'measures',
    `insert into measures (document_id, no, label, printed_no, section_no, section_heading, title, body, span_start, span_end, lead_mode, reporting_cycle, targets)
     select d.id, k, ($2::text[])[k], k, 1 + (k - 1) / 10, format('第%s部分', 1 + (k - 1) / 10), format('第%s项重点工作', k),
            format('%s第%s项重点工作。（各县（市、区）人民政府牵头负责）', ($2::text[])[k], k), 0, 40, 'respective',
            ($3::text[])[1 + mod(d.d * $1 + k, 20)],
            case when k % 3 = 0 then jsonb_build_array(jsonb_build_object(
                   'text', format('指标%s达到%s个', k, 10 + k % 7), 'indicator', format('重点指标%s', k), 'baseline', 2 + k % 5, 'value', 10 + k % 7,
                   'unit', '个', 'comparator', '>=', 'year', extract(year from d.pub)::int + 1,
                   'perUnit', case when k % 6 = 0 then '县' end, 'recurrence', null))
                 else '[]'::jsonb end
       from bdoc d cross join generate_series(1, $1) k`,
    [o.measuresPerDocument, labels, cycles],
  );
  await c.query(`
    create temp table bmeasure as
      select (row_number() over (order by d.d, m.no) - 1)::int as mi, m.id, m.document_id, d.pub, m.reporting_cycle, m.targets, m.label || m.title as title
        from measures m join bdoc d on d.id = m.document_id`);

  // The plan: one row per task, with its lead unit(s), cooperating unit and seed.
  await step(
    'plan',
    `create temp table bplan as
       select gen_random_uuid() as id, p.*, coalesce(u.id, cn.id) as lead1, dd.id as lead2,
              case when p.j < $4 and ${rnd('p.i * 8 + 1', 2)} = 0 then $5::uuid end as coop
         from (select m.mi, m.id as measure_id, m.document_id, m.pub, m.reporting_cycle, m.targets, m.title, j, m.mi::bigint * 8192 + j as i
                 from bmeasure m cross join lateral generate_series(0, $1 - 1 + case when m.mi < $2 then 1 else 0 end) j) p
         left join bu u on p.j < $3 and u.n = p.j
         left join bcounty cn on p.j >= $3 and cn.n = (p.j - $3) % $4
         left join bdept dd on p.j >= $3 and dd.n = ((p.j - $3) / $4 + p.mi) % $6`,
    [perMeasure, extra, sizes.u, sizes.cn, czt, sizes.d],
  );
  await c.query(`
    alter table bplan add column due date, add column h int;
    update bplan set due = pub + 90 + ${rnd('i * 8 + 2', 366)}::int, h = ${rnd('i * 8 + 3', 100)}::int;
    alter table bplan add column status text;
    update bplan set status = case when due < '${o.today}'::date then
        case when h < 55 then 'closed' when h < 80 then 'in_progress' when h < 88 then 'accepted' when h < 92 then 'assigned' when h < 98 then 'completion_requested' else 'suspended' end
      else
        case when h < 15 then 'assigned' when h < 40 then 'accepted' when h < 90 then 'in_progress' when h < 95 then 'completion_requested' when h < 97 then 'closed' else 'suspended' end
      end;
    analyze bplan`);

  await step(
    'tasks',
    `insert into tasks (id, document_id, measure_id, assignment_key, title, status, due_on, reporting_cycle, priority, targets, version, created_at, updated_at,
                        accept_due_on, accepted_at, accepted_by, started_at, completion_requested_at, completion_note, closed_at, closed_by,
                        suspended_from, suspended_at, suspend_reason)
     select b.id, b.document_id, b.measure_id,
            encode(sha256(convert_to(case when b.lead2 is null then b.lead1::text else least(b.lead1, b.lead2)::text || ',' || greatest(b.lead1, b.lead2)::text end, 'UTF8')), 'hex'),
            b.title, b.status, b.due, b.reporting_cycle, case when b.h % 10 = 0 then 'high' when b.h % 10 = 9 then 'low' else 'normal' end, b.targets,
            case b.status when 'assigned' then 1 when 'accepted' then 2 when 'in_progress' then 3 when 'completion_requested' then 4 else 5 end,
            ${at('b.pub', '09:30')}, ${at('b.pub', '09:30')},
            b.pub + 7,
            case when b.status <> 'assigned' then ${at('b.pub + 1 + b.h % 5', '10:00')} end, null,
            case when b.status not in ('assigned', 'accepted') then ${at('b.pub + 3 + b.h % 5', '10:00')} end,
            case when b.status in ('completion_requested', 'closed') then ${at('least(b.due, $1::date) - 2', '16:00')} end,
            case when b.status in ('completion_requested', 'closed') then '已按要求完成，申请销号。' end,
            case when b.status = 'closed' then ${at('least(b.due, $1::date) - 1', '17:00')} end,
            case when b.status = 'closed' then $2::uuid end,
            case when b.status = 'suspended' then 'in_progress' end,
            case when b.status = 'suspended' then ${at('b.pub + 20', '10:00')} end,
            case when b.status = 'suspended' then '等待上级政策调整' end
       from bplan b`,
    [o.today, coordinator],
  );
  // due_on is written here: the load runs without the trigger that copies it from the task.
  await step(
    'task_units',
    `insert into task_units (task_id, unit_id, role, due_on)
     select id, lead1, 'lead', due from bplan
     union all select id, lead2, 'lead', due from bplan where lead2 is not null
     union all select id, coop, 'cooperating', due from bplan where coop is not null`,
  );

  // Every period a task's cycle has between the publish date and the due date, due the 5th working day after it ends.
  await c.query(`
    create temp table bperiod as
      select 'quarterly'::text as cycle, to_char(s, 'YYYY') || '-Q' || extract(quarter from s) as key, s::date as starts_on, (s + interval '3 months' - interval '1 day')::date as ends_on
        from generate_series(date_trunc('year', $1::date - 400), $1::date + 900, interval '3 months') s
      union all
      select 'semiannual', to_char(s, 'YYYY') || '-H' || (1 + extract(month from s)::int / 7), s::date, (s + interval '6 months' - interval '1 day')::date
        from generate_series(date_trunc('year', $1::date - 400), $1::date + 900, interval '6 months') s
      union all
      select 'annual', to_char(s, 'YYYY'), s::date, (s + interval '1 year' - interval '1 day')::date
        from generate_series(date_trunc('year', $1::date - 400), $1::date + 900, interval '1 year') s`,
    [o.today],
  );
  await c.query(`
    alter table bperiod add column due_on date, add column due_provisional boolean;
    update bperiod p set
      due_on = (select d::date from generate_series(p.ends_on + 1, p.ends_on + 40, interval '1 day') d
                  left join calendar_days cd on cd.day = d::date
                 where coalesce(cd.kind in ('workday', 'makeup_workday'), extract(isodow from d) < 6)
                 order by d offset 4 limit 1),
      due_provisional = not exists (select 1 from calendar_years y where y.year = extract(year from p.ends_on + 10))`);
  await step(
    'report_periods',
    `insert into report_periods (task_id, period_key, starts_on, ends_on, due_on, due_provisional, created_at)
     select b.id, p.key, p.starts_on, p.ends_on, p.due_on, p.due_provisional, ${at('b.pub', '09:30')}
       from bplan b join bperiod p on p.cycle = b.reporting_cycle and p.ends_on >= b.pub and p.starts_on <= b.due`,
  );

  // Reports on periods already due, by the lead unit's bench officer; reviewed by the coordinator.
  await c.query(`create temp table bofficer as select unit_id, id as user_id from users where username like 'bench.%'`);
  await step(
    'report_submissions',
    `insert into report_submissions (period_id, task_id, revision, unit_id, status, progress, problems, next_steps, submitted_by, submitted_at,
                                     reviewed_by, reviewed_at, review_comment)
     select x.period_id, x.task_id, 1, x.lead1, x.st, format('%s进展：按计划推进，完成阶段目标。', x.key), '', '下一阶段继续推进。', o.user_id,
            ${at('x.due_on - 1 - x.h % 4', '15:00')},
            case when x.st <> 'submitted' then $2::uuid end,
            case when x.st <> 'submitted' then ${at('x.due_on + 1', '11:00')} end,
            case when x.st = 'returned' then '请补充具体数据。' end
       from (select y.*, case when y.h < 60 then 'approved' when y.h < 70 then 'submitted' when y.h < 75 then 'returned' end as st
               from (select rp.id as period_id, rp.task_id, rp.period_key as key, rp.due_on, b.lead1,
                            ${rnd('b.i * 64 + extract(epoch from rp.ends_on)::bigint / 86400', 100)} as h
                       from report_periods rp join bplan b on b.id = rp.task_id
                      where rp.due_on < $1::date and b.status <> 'assigned') y) x
       join bofficer o on o.unit_id = x.lead1
      where x.st is not null`,
    [o.today, coordinator],
  );
  await step(
    'submission_values',
    `insert into submission_values (submission_id, indicator, unit_id, value)
     select s.id, tg->>'indicator', case when tg->>'perUnit' is not null then s.unit_id end,
            round(((tg->>'baseline')::numeric + ((tg->>'value')::numeric - (tg->>'baseline')::numeric) * ${rnd('hashtext(s.id::text)', 120)} / 100.0)::numeric, 1)
       from report_submissions s join tasks t on t.id = s.task_id cross join lateral jsonb_array_elements(t.targets) tg
      where s.status = 'approved' and jsonb_array_length(t.targets) > 0`,
  );

  // 督办: levels 1-3 at 1, 3 and 10 working days overdue (calendar days approximated as 7/5 of them).
  await step(
    'escalations',
    `insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at)
     select o.type, o.task_id, o.task_id, l.level, o.due_on, l.wd, ${at('o.due_on + ceil(l.wd * 7 / 5.0)::int', '09:05')}
       from (select 'task_due' as type, id as task_id, due as due_on from bplan where status in ('assigned', 'accepted', 'in_progress') and due < $1::date
             union all
             select 'accept', id, pub + 7 from bplan where status = 'assigned' and pub + 7 < $1::date) o
       join (values (1, 1), (2, 3), (3, 10)) l(level, wd) on o.due_on + ceil(l.wd * 7 / 5.0)::int <= $1::date`,
    [o.today],
  );

  await c.query(`set session_replication_role = origin`);
  await checkForeignKeys(c);
  // Counters that triggers keep (the load ran without triggers): recount them.
  if ((await c.query(`select to_regclass('task_counts') as t`)).rows[0].t) {
    await c.query(`delete from task_counts`);
    await c.query(`insert into task_counts (unit_id, tasks) select unit_id, count(*) from task_units group by unit_id
                   union all select '00000000-0000-0000-0000-000000000000', count(*) from tasks`);
  }
  const t0 = performance.now();
  // Loaded without triggers: the tracking read model knows nothing of these rows (decision 51).
  if ((await c.query(`select to_regclass('tracking_state') as t`)).rows[0].t) await c.query(`update tracking_state set needs_rebuild = true`);
  await c.query(`vacuum (analyze)`);
  log(`  vacuum analyze: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return countRows(c);
}

/** The loaded rows reference existing rows (the load ran without foreign-key triggers). */
async function checkForeignKeys(c: Client): Promise<void> {
  const checks = [
    `select count(*) from tasks t where not exists (select 1 from measures m where m.id = t.measure_id and m.document_id = t.document_id)`,
    `select count(*) from task_units tu where not exists (select 1 from tasks t where t.id = tu.task_id) or not exists (select 1 from units u where u.id = tu.unit_id)`,
    `select count(*) from report_periods p where not exists (select 1 from tasks t where t.id = p.task_id)`,
    `select count(*) from report_submissions s where not exists (select 1 from report_periods p where p.id = s.period_id and p.task_id = s.task_id)
        or not exists (select 1 from users u where u.id = s.submitted_by)`,
    `select count(*) from escalations e where not exists (select 1 from tasks t where t.id = e.task_id)`,
  ];
  for (const sql of checks) {
    const n = Number((await c.query<{ count: string }>(sql)).rows[0].count);
    if (n !== 0) throw new Error(`dataset has ${n} dangling references: ${sql}`);
  }
}

async function countRows(c: Client): Promise<MillionCounts> {
  const tables: Record<keyof MillionCounts, string> = {
    units: 'units',
    users: 'users',
    documents: 'documents',
    measures: 'measures',
    tasks: 'tasks',
    taskUnits: 'task_units',
    reportPeriods: 'report_periods',
    submissions: 'report_submissions',
    submissionValues: 'submission_values',
    escalations: 'escalations',
  };
  const r = await c.query<Record<string, string>>(`select ${Object.entries(tables).map(([k, t]) => `(select count(*) from ${t}) as "${k}"`).join(', ')}`);
  return Object.fromEntries(Object.keys(tables).map((k) => [k, Number(r.rows[0][k])])) as unknown as MillionCounts;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tasks: { type: 'string' }, documents: { type: 'string' }, name: { type: 'string' }, rebuild: { type: 'boolean' } },
  });
  const dataset = await ensureMillionDataset({
    tasks: values.tasks ? Number(values.tasks) : undefined,
    documents: values.documents ? Number(values.documents) : undefined,
    databaseName: values.name,
    rebuild: values.rebuild,
  });
  console.log(JSON.stringify(dataset, null, 2));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
