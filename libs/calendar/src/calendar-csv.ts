import { parse } from 'csv-parse/sync';
import { CalendarCsvError } from './calendar.errors';
import { isIsoDate, weekdayOf } from './calendar-dates';
import type { CalendarDay, DayKind } from './working-calendar';

/** Columns of a calendar CSV: `date` and `kind` required, `name` optional. */
export const CALENDAR_CSV_COLUMNS = ['date', 'kind', 'name'] as const;

/** Kinds a calendar CSV may use. `workday` is an explicit override of a weekday (e.g. a holiday cancelled). */
export const CALENDAR_CSV_KINDS = ['holiday', 'makeup_workday', 'workday'] as const satisfies readonly DayKind[];

/** A CSV row that was not accepted: its line in the file (header = line 1) and why. */
export interface CalendarCsvRejection {
  row: number;
  reason: string;
}

/** What a calendar CSV holds. */
export interface ParsedCalendarCsv {
  /** Accepted rows, ascending by day. */
  days: CalendarDay[];
  /** Years of the accepted rows, ascending: the years the file declares covered. */
  years: number[];
  rejected: CalendarCsvRejection[];
}

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/**
 * Reads a calendar CSV (a State Council holiday notice, one row per holiday or make-up workday):
 * UTF-8 with or without BOM, a header row, columns {@link CALENDAR_CSV_COLUMNS}; blank lines and
 * lines starting with `#` are skipped. A file that cannot be read at all throws
 * {@link CalendarCsvError}; each bad row is returned in `rejected` with its line and reason.
 *
 * ```csv
 * date,kind,name
 * 2027-01-01,holiday,元旦
 * 2027-02-06,makeup_workday,春节
 * ```
 */
export function parseCalendarCsv(text: string): ParsedCalendarCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // LF only: csv-parse counts a CRLF inside a quoted field as two lines, which skews line numbers.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      comment: '#',
      comment_no_infix: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new CalendarCsvError('CALENDAR_CSV_MALFORMED', `日历 CSV 无法解析：${e instanceof Error ? e.message : String(e)}`);
  }
  const [head, ...body] = records;
  if (!head) throw new CalendarCsvError('CALENDAR_CSV_EMPTY', '日历 CSV 为空（需要表头 date,kind,name 和至少一行数据）');
  const header = head.record.map((h) => h.trim().toLowerCase());
  const known: readonly string[] = CALENDAR_CSV_COLUMNS;
  const unknown = header.filter((h) => !known.includes(h));
  const missing = ['date', 'kind'].filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    throw new CalendarCsvError(
      'CALENDAR_CSV_BAD_HEADER',
      [
        unknown.length ? `未知的列：${unknown.join('、')}` : '',
        missing.length ? `缺少必需的列：${missing.join('、')}` : '',
        repeated.length ? `重复的列：${repeated.join('、')}` : '',
        `表头应为：${CALENDAR_CSV_COLUMNS.join(',')}`,
      ]
        .filter(Boolean)
        .join('；'),
    );
  }
  if (body.length === 0) throw new CalendarCsvError('CALENDAR_CSV_EMPTY', '日历 CSV 只有表头，没有数据行');

  const col = (cells: string[], name: string): string => (cells[header.indexOf(name)] ?? '').trim();
  const seen = new Map<string, number>();
  const result: ParsedCalendarCsv = { days: [], years: [], rejected: [] };
  for (const { record: cells, info } of body) {
    // info.lines is the record's last line; a quoted multi-line name starts earlier.
    const row = info.lines - (cells.join('').match(/\n/g)?.length ?? 0);
    const reject = (reason: string): void => void result.rejected.push({ row, reason });
    if (cells.length > header.length) {
      reject(`该行有 ${cells.length} 列，表头只有 ${header.length} 列`);
      continue;
    }
    const date = col(cells, 'date');
    const kind = col(cells, 'kind');
    const name = col(cells, 'name') || null;
    if (!isIsoDate(date)) {
      reject(date ? `日期无效：“${date}”（应为 YYYY-MM-DD 格式的真实日期）` : '日期为空');
      continue;
    }
    if (!isCsvKind(kind)) {
      reject(`类型未知：“${kind}”（可用：${CALENDAR_CSV_KINDS.join('、')}）`);
      continue;
    }
    const weekday = weekdayOf(date);
    const weekend = weekday === 0 || weekday === 6;
    if (kind === 'makeup_workday' && !weekend) {
      reject(`${date} 是${WEEKDAY_NAMES[weekday]}，调休上班日（makeup_workday）只能是周六或周日`);
      continue;
    }
    if (kind === 'workday' && weekend) {
      reject(`${date} 是${WEEKDAY_NAMES[weekday]}，周末上班请用 makeup_workday`);
      continue;
    }
    const first = seen.get(date);
    if (first !== undefined) {
      reject(`日期 ${date} 重复（第 ${first} 行已有）`);
      continue;
    }
    seen.set(date, row);
    result.days.push({ day: date, kind, name });
  }
  result.days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  result.years = [...new Set(result.days.map((d) => Number(d.day.slice(0, 4))))].sort((a, b) => a - b);
  return result;
}

function isCsvKind(value: string): value is (typeof CALENDAR_CSV_KINDS)[number] {
  return (CALENDAR_CSV_KINDS as readonly string[]).includes(value);
}
