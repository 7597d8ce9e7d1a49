import { readFileSync } from 'node:fs';
import { CalendarDataInvalidError } from './calendar.errors';
import { dayNumber, weekdayOfNumber } from './calendar-dates';
import type { CalendarDay } from './working-calendar';

/** The official days shipped in the `chinese-days` package, as calendar rows. */
export interface OfficialDays {
  /** Holidays and make-up workdays, ascending by day. */
  days: CalendarDay[];
  /** Years the package has holiday entries for, ascending: the only years it really knows. */
  years: number[];
  /** Where the rows came from, e.g. `chinese-days@1.5.7` (stored as `source`). */
  source: string;
}

let cached: OfficialDays | undefined;

/**
 * Reads the holiday and make-up workday tables of `chinese-days` directly (its
 * `dist/chinese-days.json`: `{ holidays: { 'YYYY-MM-DD': 'English,中文,n' }, workdays: {…} }`).
 *
 * The library's own `isWorkday(Date)` is not used: it judges a Date in the process time zone, and
 * it answers for any year, treating years it has no data for as plain Mon–Fri. Coverage therefore
 * comes from the presence of holiday entries, never from an answer for a date.
 */
export function officialDaysFromLibrary(): OfficialDays {
  cached ??= readLibrary();
  return { days: cached.days.map((d) => ({ ...d })), years: [...cached.years], source: cached.source };
}

function readLibrary(): OfficialDays {
  const pkg = readJson(require.resolve('chinese-days/package.json'));
  const data = readJson(require.resolve('chinese-days/dist/chinese-days.json'));
  const version = isRecord(pkg) && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  if (!isRecord(data) || !isRecord(data.holidays) || !isRecord(data.workdays)) {
    throw new CalendarDataInvalidError('chinese-days 的数据格式已变化（缺少 holidays/workdays），请检查该依赖的版本');
  }
  const days: CalendarDay[] = [];
  const years = new Set<number>();
  for (const [day, label] of Object.entries(data.holidays)) {
    days.push({ day, kind: 'holiday', name: chineseName(label) });
    years.add(Number(day.slice(0, 4)));
  }
  for (const [day, label] of Object.entries(data.workdays)) {
    if (Object.hasOwn(data.holidays, day)) throw new CalendarDataInvalidError(`chinese-days 数据矛盾：${day} 既是假日又是调休上班日`);
    const weekday = weekdayOfNumber(dayNumber(day));
    // The library lists only weekend days as workdays; a weekday entry would be a plain workday.
    days.push({ day, kind: weekday === 0 || weekday === 6 ? 'makeup_workday' : 'workday', name: chineseName(label) });
  }
  for (const d of days) dayNumber(d.day); // throws on a malformed key before anything is stored
  days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { days, years: [...years].sort((a, b) => a - b), source: `chinese-days@${version}` };
}

/** 'Spring Festival,春节,4' -> '春节'; anything else is kept as it is. */
function chineseName(label: unknown): string | null {
  if (typeof label !== 'string' || label.trim() === '') return null;
  const parts = label.split(',');
  return (parts.length >= 2 ? parts[1] : label).trim() || null;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
