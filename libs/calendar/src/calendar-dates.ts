import { InvalidCalendarDateError } from './calendar.errors';

/**
 * Date arithmetic on 'YYYY-MM-DD' strings. Everything goes through UTC midnight of the string's own
 * date, so the process time zone never shifts a day (a UTC server and a Shanghai laptop agree).
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Asia/Shanghai is UTC+8 all year: China has had no daylight saving time since 1991, so a fixed
 * offset is exact for every date this system handles and needs no time-zone database.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' string; throws {@link InvalidCalendarDateError}. */
export function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new InvalidCalendarDateError(date);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Years before 1900 are not calendar data this system can have (and Date.UTC maps 0-99 to 19xx).
  if (y < 1900) throw new InvalidCalendarDateError(date);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March: a round trip catches every impossible date.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new InvalidCalendarDateError(date);
  }
  return ms / DAY_MS;
}

/** The 'YYYY-MM-DD' string of a day number (days since 1970-01-01). */
export function formatDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** True when the string is a real calendar date written 'YYYY-MM-DD' (year 1900 or later). */
export function isIsoDate(value: string): boolean {
  try {
    dayNumber(value);
    return true;
  } catch {
    return false; // the only failure dayNumber has is "not a date"
  }
}

/** The date `days` calendar days after (negative: before) `date`. */
export function addCalendarDays(date: string, days: number): string {
  return formatDayNumber(dayNumber(date) + days);
}

/** Day of the week of a date: 0 = Sunday … 6 = Saturday (as `Date#getUTCDay`). */
export function weekdayOf(date: string): number {
  return weekdayOfNumber(dayNumber(date));
}

/** Day of the week of a day number: 1970-01-01 was a Thursday (4). */
export function weekdayOfNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/** The year of a day number. */
export function yearOfNumber(n: number): number {
  return new Date(n * DAY_MS).getUTCFullYear();
}

/** Day number of 1 January of a year. */
export function yearStartNumber(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

function assertValidDate(d: Date): void {
  if (Number.isNaN(d.getTime())) throw new InvalidCalendarDateError(String(d));
}

/** The calendar date in Asia/Shanghai of an instant, whatever the process time zone is. */
export function shanghaiDate(d: Date): string {
  return shanghaiTime(d).date;
}

/** The Asia/Shanghai wall-clock date and minutes since 00:00 of an instant. */
export function shanghaiTime(d: Date): { date: string; minutes: number } {
  assertValidDate(d);
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return { date: local.toISOString().slice(0, 10), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** The instant of a Shanghai wall-clock time: `date` at `minutes` past 00:00 Asia/Shanghai. */
export function shanghaiMoment(date: string, minutes = 0): Date {
  return new Date(dayNumber(date) * DAY_MS + minutes * 60_000 - SHANGHAI_OFFSET_MS);
}
