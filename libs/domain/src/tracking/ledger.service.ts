import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { TASK_STATUS_LABELS } from '../tasks/task-states';
import type { TaskStatus } from '../tasks/task.entity';
import { lightSql, reportFiguresSql, SqlParams, trackingWhere, type TrackingFilter } from './tracking-filter';
import { LIGHT_LABELS, TrackingService, type Light } from './tracking.service';

/** The ledger's (台账) columns: header and the row field, in order. */
export const LEDGER_COLUMNS = [
  ['文号', 'docNumber'],
  ['文件标题', 'docTitle'],
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

/** Rows fetched from the cursor at a time: memory stays at one batch whatever the export's size. */
const BATCH = 1000;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The task ledger (台账) as .xlsx (exceljs' streaming writer) or CSV, filtered like the summaries and
 * read from a PostgreSQL cursor in batches, so a 100,000-row export holds one batch in memory.
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
    const params = new SqlParams();
    const where = trackingWhere(actor, filter, params);
    const t = params.add(today);
    const w = params.add(warnUntil);
    const sql = `
      select d.doc_number, d.title as doc_title, m.section_heading, m.label, t.title, t.status, t.due_on::text as due_on,
             ${lightSql('t', t, w)} as light,
             (t.closed_at at time zone 'Asia/Shanghai')::date::text as closed_on,
             (select string_agg(u.short_name, '、' order by u.short_name) from task_units l join units u on u.id = l.unit_id where l.task_id = t.id and l.role = 'lead') as leads,
             (select string_agg(u.short_name, '、' order by u.short_name) from task_units l join units u on u.id = l.unit_id where l.task_id = t.id and l.role = 'cooperating') as cooperating,
             r.due, r.on_time, r.missed, r.returned,
             (select max(e.level) from escalations e where e.task_id = t.id and e.resolved_at is null) as escalation_level
        from tasks t join measures m on m.id = t.measure_id join documents d on d.id = t.document_id
        left join lateral (${reportFiguresSql('t', t)}) r on true
       where ${where}
       order by d.doc_number nulls last, t.document_id, m.no, t.id`;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`declare ledger no scroll cursor for ${sql}`, params.values);
      for (;;) {
        const batch = (await runner.query(`fetch ${BATCH} from ledger`)) as Record<string, unknown>[];
        if (batch.length === 0) break;
        yield batch.map((r) => {
          const light = (['green', 'yellow', 'red'] as Light[])[Number(r.light)];
          const due = r.due_on as string | null;
          return {
            docNumber: (r.doc_number as string | null) ?? '',
            docTitle: (r.doc_title as string | null) ?? '',
            section: (r.section_heading as string | null) ?? '',
            measureLabel: r.label as string,
            title: r.title as string,
            leads: (r.leads as string | null) ?? '',
            cooperating: (r.cooperating as string | null) ?? '',
            status: TASK_STATUS_LABELS[r.status as TaskStatus],
            dueOn: due ?? '',
            light: LIGHT_LABELS[light],
            overdueWorkingDays: light === 'red' && due ? cal.workingDaysBetween(due, today) : 0,
            reportsDue: Number(r.due ?? 0),
            reportsOnTime: Number(r.on_time ?? 0),
            missedReports: Number(r.missed ?? 0),
            returnedSubmissions: Number(r.returned ?? 0),
            escalationLevel: r.escalation_level === null ? '' : Number(r.escalation_level),
            closedOn: (r.closed_on as string | null) ?? '',
          };
        });
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
    for await (const batch of this.rows(actor, filter)) {
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
    sheet.columns = LEDGER_COLUMNS.map(([header, key]) => ({ header, key, width: key === 'title' || key === 'docTitle' ? 40 : 14 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let n = 0;
    for await (const batch of this.rows(actor, filter)) {
      for (const r of batch) sheet.addRow(r).commit();
      n += batch.length;
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
    return n;
  }
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
