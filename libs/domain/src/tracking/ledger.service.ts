import type { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { workingDaysBetweenFlagged, type WorkingCalendar } from '@duban/calendar';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { IllegalStateError } from '../common/domain.errors';
import { TASK_STATUS_LABELS } from '../tasks/task-states';
import type { TaskStatus } from '../tasks/task.entity';
import { periodRange, SqlParams, trackingWhere, type TrackingFilter } from './tracking-filter';
import { LIGHT_LABELS, TrackingService, type Light } from './tracking.service';

/** The ledger's (台账) columns: header and the row field, in order. */
export const LEDGER_COLUMNS = [
  ['文号', 'docNumber'],
  ['文件标题', 'docTitle'],
  ['来源', 'origin'],
  ['篇章', 'section'],
  ['举措序号', 'measureLabel'],
  ['任务', 'title'],
  ['牵头单位', 'leads'],
  ['配合单位', 'cooperating'],
  ['状态', 'status'],
  ['截止日期', 'dueOn'],
  ['信号灯', 'light'],
  ['逾期工作日', 'overdueWorkingDays'],
  ['应报期数', 'reportsDue'],
  ['按时报送期数', 'reportsOnTime'],
  ['未报期数', 'missedReports'],
  ['退回次数', 'returnedSubmissions'],
  ['督办级别', 'escalationLevel'],
  ['销号日期', 'closedOn'],
] as const;

type LedgerField = (typeof LEDGER_COLUMNS)[number][1];
export type LedgerRow = Record<LedgerField, string | number | null>;

/** Where a task comes from (`tasks.origin`, decision 40), as the 来源 column says it. */
export const LEDGER_ORIGIN_LABELS = { measure: '举措', form: '报表征集', visit: '结对互访' } as const;
type Origin = keyof typeof LEDGER_ORIGIN_LABELS;

/** Rows fetched from the cursor at a time: memory stays at a batch or two whatever the export's size. */
const BATCH = 1000;

/** Uncompressed sheet XML the .xlsx writer lets exceljs' zip fall behind by before it waits (see `zipTookSheet`). */
const ZIP_BACKLOG = 4 * 1024 * 1024;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The scoped tasks, into a temporary table: one statement, so the scope and the filter are evaluated
 * once, and analyzed, so the planner knows how many tasks there are (it sizes the joins below on it:
 * hash joins over whole tables for a city's 100,000 tasks, index probes for one county's few thousand).
 * `trackingWhere` reads `tasks t` and `measures m`; a task without a measure (a form campaign's, an
 * annual visit's) has no `m` row, so a section filter leaves it out.
 */
const SCOPE_SQL = (where: string): string => `
  create temp table ledger_scope on commit drop as
  select t.id, t.document_id, t.measure_id, t.origin, t.form_campaign_id, t.pairing_id, t.title, t.status, t.due_on,
         (t.closed_at at time zone 'Asia/Shanghai')::date as closed_day
    from tasks t left join measures m on m.id = t.measure_id
   where ${where}`;

/**
 * One ledger row per scoped task, set-based: each figure is one grouped join over the scoped tasks
 * (never a subquery per row). The definitions are docs/tracking.md's, as `reportFiguresSql` and
 * `lightSql` (tracking-filter.ts) write them per task:
 * - sub: per report period of a scoped task, the first submission's Shanghai date and the returned
 *   revisions (`report_submissions.task_id` is always its period's task);
 * - rep: per task, over its periods that did not start after its close-out (and end in the filter's
 *   period, when given): due (due date before today), on time (due, first submission on or before the
 *   due date), missed (due, nothing submitted), returned revisions;
 * - esc: the highest open 督办 level; level 2 or above turns an open task red;
 * - tu: lead and cooperating units' ids (named in TypeScript: a hash aggregate, no sort per task).
 */
const LEDGER_SQL = (today: string, warnUntil: string, periodCond: string): string => `
  with sub as (
    select rs.period_id, (min(rs.submitted_at) at time zone 'Asia/Shanghai')::date as first_day,
           count(*) filter (where rs.status = 'returned') as returned
      from report_submissions rs join ledger_scope s on s.id = rs.task_id
     group by rs.period_id
  ), rep as (
    select rp.task_id,
           count(*) filter (where rp.due_on < ${today}::date) as due,
           count(*) filter (where rp.due_on < ${today}::date and sub.first_day <= rp.due_on) as on_time,
           count(*) filter (where rp.due_on < ${today}::date and sub.first_day is null) as missed,
           coalesce(sum(sub.returned), 0) as returned
      from ledger_scope s join report_periods rp on rp.task_id = s.id
      left join sub on sub.period_id = rp.id
     where (s.closed_day is null or rp.starts_on <= s.closed_day) ${periodCond}
     group by rp.task_id
  ), esc as (
    select e.task_id, max(e.level) as level
      from escalations e join ledger_scope s on s.id = e.task_id
     where e.resolved_at is null
     group by e.task_id
  ), tu as (
    select l.task_id,
           array_agg(l.unit_id) filter (where l.role = 'lead') as leads,
           array_agg(l.unit_id) filter (where l.role = 'cooperating') as cooperating
      from ledger_scope s join task_units l on l.task_id = s.id
     group by l.task_id
  )
  select d.doc_number, d.title as doc_title, s.origin, m.section_heading, m.label, fc.title as campaign_title,
         pc.short_name as pairing_city, ph.short_name as pairing_helper, pa.short_name as pairing_assisted,
         s.title, s.status, s.due_on::text as due_on,
         case when s.status in ('closed', 'suspended') then 0
              when s.due_on < ${today}::date then 2
              when esc.level >= 2 then 2
              when s.due_on <= ${warnUntil}::date then 1 else 0 end as light,
         s.closed_day::text as closed_on, tu.leads, tu.cooperating,
         rep.due, rep.on_time, rep.missed, rep.returned, esc.level as escalation_level
    from ledger_scope s
    join documents d on d.id = s.document_id
    left join measures m on m.id = s.measure_id
    left join form_campaigns fc on fc.id = s.form_campaign_id
    left join pairings p on p.id = s.pairing_id
    left join units pc on pc.id = p.city_id
    left join units ph on ph.id = p.helper_id
    left join units pa on pa.id = p.assisted_id
    left join rep on rep.task_id = s.id
    left join esc on esc.task_id = s.id
    left join tu on tu.task_id = s.id
   order by d.doc_number nulls last, s.document_id, m.no nulls last, s.origin, fc.title, case when s.origin = 'visit' then s.title end, s.id`;

/**
 * The task ledger (台账) as .xlsx (exceljs' streaming writer) or CSV, filtered like the summaries and
 * read from a PostgreSQL cursor in batches, so a 100,000-row export holds a batch or two in memory.
 * Every task is a row: a measure's, a form campaign's and an annual visit's (来源 says which).
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tracking: TrackingService,
  ) {}

  /** Batches of ledger rows, in document / measure order, from a server-side cursor. */
  async *rows(actor: Actor, filter: TrackingFilter): AsyncGenerator<LedgerRow[]> {
    const { today, warnUntil, cal } = await this.tracking.dates();
    const scope = new SqlParams();
    const where = trackingWhere(actor, filter, scope);
    const params = new SqlParams();
    const t = params.add(today);
    const w = params.add(warnUntil);
    const range = filter.period ? periodRange(filter.period) : null;
    const periodCond = range ? `and rp.ends_on between ${params.add(range.from)}::date and ${params.add(range.to)}::date` : '';
    const overdueDays = overdueDaysOf(cal, today);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One snapshot for the scope table and the cursor, so both see the same tasks.
      await runner.startTransaction('REPEATABLE READ');
      // Planned for the whole result, not its first rows (a cursor's default), and without JIT,
      // which spends seconds compiling this statement's many expressions. The tables it reads are
      // cached or on SSD, where a random read costs about a sequential one: with the server's
      // default random_page_cost of 4 the planner scanned whole tables even for one county's 6,000
      // tasks (twice the CPU of index probes); a city's 100,000 still get hash joins.
      await runner.query(`set local cursor_tuple_fraction = 1`);
      await runner.query(`set local jit = off`);
      await runner.query(`set local work_mem = '64MB'`);
      await runner.query(`set local random_page_cost = 1.1`);
      await runner.query(SCOPE_SQL(where), scope.values);
      await runner.query(`analyze ledger_scope`);
      const units = new Map(((await runner.query(`select id, short_name from units`)) as { id: string; short_name: string }[]).map((u) => [u.id, u.short_name]));
      const namesOf = (ids: string[] | null): string => (ids ?? []).map((id) => units.get(id) ?? '').sort().join('、');
      await runner.query(`declare ledger no scroll cursor for ${LEDGER_SQL(t, w, periodCond)}`, params.values);
      for (;;) {
        const batch = (await runner.query(`fetch ${BATCH} from ledger`)) as Record<string, unknown>[];
        if (batch.length === 0) break;
        yield batch.map((r) => toLedgerRow(r, overdueDays, namesOf));
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** Writes the ledger as CSV (UTF-8 with BOM, so Excel reads the Chinese) and ends `out`. */
  async writeCsv(actor: Actor, filter: TrackingFilter, out: Writable): Promise<number> {
    let n = 0;
    await write(out, '\ufeff' + LEDGER_COLUMNS.map(([h]) => h).join(',') + '\r\n');
    for await (const batch of ahead(this.rows(actor, filter))) {
      await write(out, batch.map((r) => LEDGER_COLUMNS.map(([, f]) => csvField(r[f])).join(',') + '\r\n').join(''));
      n += batch.length;
    }
    out.end();
    return n;
  }

  /** Writes the ledger as .xlsx through exceljs' streaming WorkbookWriter and ends `out`. */
  async writeXlsx(actor: Actor, filter: TrackingFilter, out: Writable): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = LEDGER_COLUMNS.map(([header, key]) => ({ header, key, width: key === 'title' || key === 'docTitle' || key === 'measureLabel' ? 40 : 14 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let n = 0;
    for await (const batch of ahead(this.rows(actor, filter))) {
      for (const r of batch) {
        const row = sheet.addRow(LEDGER_COLUMNS.map(([, f]) => r[f]));
        // exceljs gives each cell a new empty style object, and its style registry serializes every
        // new object to find its id (more than half the writer's CPU); one shared object is looked up once.
        row.eachCell({ includeEmpty: true }, (cell) => (cell.style = PLAIN_STYLE));
        row.commit();
      }
      n += batch.length;
      await zipTookSheet(sheet, out);
      await drained(out);
    }
    await drained(out);
    sheet.commit();
    await unlessAborted(out, workbook.commit());
    return n;
  }
}

/** The style of every data cell: exceljs' default (no font, fill or format). */
const PLAIN_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/** Working days from a due date to today, once per distinct due date (a provisional Monday–Friday count beyond the imported calendar). */
function overdueDaysOf(cal: WorkingCalendar, today: string): (due: string) => number {
  const seen = new Map<string, number>();
  return (due) => {
    let n = seen.get(due);
    if (n === undefined) seen.set(due, (n = workingDaysBetweenFlagged(cal, due, today).days));
    return n;
  };
}

/** The 举措序号 of a task: its measure's label, its campaign's title, or its pairing. */
function measureLabelOf(r: Record<string, unknown>): string {
  switch (r.origin as Origin) {
    case 'measure':
      return r.label as string;
    case 'form':
      return (r.campaign_title as string | null) ?? '';
    case 'visit':
      return r.pairing_helper ? `${r.pairing_city as string}：${r.pairing_helper as string}结对帮扶${r.pairing_assisted as string}` : '';
  }
}

function toLedgerRow(r: Record<string, unknown>, overdueDays: (due: string) => number, namesOf: (ids: string[] | null) => string): LedgerRow {
  const light = (['green', 'yellow', 'red'] as Light[])[Number(r.light)];
  const due = r.due_on as string | null;
  return {
    docNumber: (r.doc_number as string | null) ?? '',
    docTitle: (r.doc_title as string | null) ?? '',
    origin: LEDGER_ORIGIN_LABELS[r.origin as Origin],
    section: (r.section_heading as string | null) ?? '',
    measureLabel: measureLabelOf(r),
    title: r.title as string,
    leads: namesOf(r.leads as string[] | null),
    cooperating: namesOf(r.cooperating as string[] | null),
    status: TASK_STATUS_LABELS[r.status as TaskStatus],
    dueOn: due ?? '',
    light: LIGHT_LABELS[light],
    overdueWorkingDays: light === 'red' && due ? overdueDays(due) : 0,
    reportsDue: Number(r.due ?? 0),
    reportsOnTime: Number(r.on_time ?? 0),
    missedReports: Number(r.missed ?? 0),
    returnedSubmissions: Number(r.returned ?? 0),
    escalationLevel: r.escalation_level === null ? '' : Number(r.escalation_level),
    closedOn: (r.closed_on as string | null) ?? '',
  };
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed) throw aborted();
  out.write(chunk);
  await drained(out);
}

const aborted = (): IllegalStateError => new IllegalStateError('LEDGER_DOWNLOAD_ABORTED', '台账下载已中断：接收方已断开');

/** `work` (which ends when `out` finishes), or the abort if `out` is destroyed first: it would never finish. */
function unlessAborted<T>(out: Writable, work: Promise<T>): Promise<T> {
  if (out.destroyed && !out.writableFinished) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const onClose = (): void => {
      if (!out.writableFinished) reject(aborted());
    };
    out.on('close', onClose);
    void work.then(resolve, reject).finally(() => out.off('close', onClose));
  });
}

/**
 * Resolves when `out` can take more; rejects when its reader went away (the stream was destroyed),
 * which a destroyed stream never signals with `drain`: the export stops, and the cursor's transaction
 * and connection are given back instead of waiting forever.
 */
function drained(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(aborted());
  return out.writableNeedDrain ? drainOrAbort(out, out) : Promise.resolve();
}

/** The part of exceljs 4.4's streaming worksheet this relies on: its sheet stream and the zip entry it pipes into. */
interface SheetStream {
  stream?: { pipes?: (EventEmitter & { _writableState?: { length?: number } })[] };
}

/**
 * exceljs' streaming worksheet hands its XML to the zip through its own buffer stream, which ignores
 * backpressure: rows written faster than the compressor gets event-loop turns pile up in memory (the
 * whole sheet, 70 MB for 100,000 rows) and reach `out` only at the end. So once the zip entry holds
 * more than `ZIP_BACKLOG`, wait until it has taken it all (its `drain`): memory stays bounded, and
 * the compressor keeps working while the next batches are fetched. A no-op should exceljs'
 * internals change shape (then the sheet is buffered again, as before).
 */
function zipTookSheet(sheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const entry = (sheet as unknown as SheetStream).stream?.pipes?.[0];
  if (out.destroyed) return Promise.reject(aborted());
  return entry && (entry._writableState?.length ?? 0) > ZIP_BACKLOG ? drainOrAbort(entry, out) : Promise.resolve();
}

type Settled<T> = { ok: true; result: IteratorResult<T> } | { ok: false; error: unknown };

/**
 * `batches`, one batch ahead: the next batch is fetched while the caller writes this one (two batches
 * in memory), so the database and the writer work at the same time. The fetch in flight is settled
 * at once (a failure is rethrown when its turn comes, never left unhandled).
 */
async function* ahead<T>(batches: AsyncGenerator<T>): AsyncGenerator<T> {
  const fetchNext = (): Promise<Settled<T>> =>
    batches.next().then(
      (result): Settled<T> => ({ ok: true, result }),
      (error: unknown): Settled<T> => ({ ok: false, error }),
    );
  let next = fetchNext();
  try {
    for (;;) {
      const settled = await next;
      if (!settled.ok) throw settled.error;
      if (settled.result.done) return;
      next = fetchNext();
      yield settled.result.value;
    }
  } finally {
    // Also when the caller stops early (the reader went away): the fetch in flight ends, then the
    // generator's own cleanup rolls back and gives the connection back.
    await next;
    await batches.return(undefined);
  }
}

/** Resolves on `emitter`'s next `drain`; rejects if `out` is destroyed first. */
function drainOrAbort(emitter: EventEmitter, out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error): void => {
      emitter.off('drain', onDrain);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onClose = (): void => settle(aborted());
    emitter.on('drain', onDrain);
    out.on('close', onClose);
  });
}
