import { CalendarDataInvalidError, CalendarDataMissingError } from './calendar.errors';
import {
  dayNumber,
  formatDayNumber,
  shanghaiMoment,
  shanghaiTime,
  weekdayOfNumber,
  yearOfNumber,
  yearStartNumber,
} from './calendar-dates';

/**
 * What a day is. Persisted in `calendar_days.kind` (persisted contract: do not rename without a
 * migration). `workday`/`weekend` rows are explicit overrides; a day without a row is a workday
 * Mon–Fri and a weekend Sat/Sun.
 */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

/** Every {@link DayKind}, for validation. */
export const DAY_KINDS: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup_workday'];

/** One row of the calendar: a holiday, a make-up workday (调休上班) or an explicit override. */
export interface CalendarDay {
  /** 'YYYY-MM-DD' */
  day: string;
  kind: DayKind;
  /** The festival's Chinese name (春节, 国庆节, …); for a make-up workday, the festival it serves. */
  name: string | null;
}

/** Office hours in Asia/Shanghai wall-clock time, 'HH:MM'; `end` is exclusive. */
export interface WorkingHours {
  start: string;
  end: string;
}

/** 09:00–18:00, the usual hours of a Chinese government office. */
export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = Object.freeze({ start: '09:00', end: '18:00' });

function isWorkingKind(kind: DayKind): boolean {
  return kind === 'workday' || kind === 'makeup_workday';
}

/**
 * The official working-day calendar (holidays and make-up workdays, 调休), pure: no Nest, no database.
 *
 * Coverage is declared, never inferred: a year is covered only when it is in `coveredYears` (in the
 * database, a `calendar_years` row). A stray row for an undeclared year does not make that year
 * covered, because half a year's notice would silently turn its other holidays into workdays. Any
 * question about a day of an uncovered year throws {@link CalendarDataMissingError}.
 *
 * All dates are 'YYYY-MM-DD' strings meaning the date in China; the process time zone plays no part.
 */
export class WorkingCalendar {
  private readonly rows = new Map<number, CalendarDay>();
  private readonly years: ReadonlySet<number>;
  /** Per covered year: prefix[i] = working days among the year's first i days (so counts are O(1)). */
  private readonly prefix = new Map<number, Uint16Array>();

  constructor(days: readonly CalendarDay[], coveredYears: readonly number[]) {
    for (const row of days) {
      if (!DAY_KINDS.includes(row.kind)) throw new CalendarDataInvalidError(`日历数据无效：${row.day} 的类型 ${String(row.kind)} 未知`);
      const n = dayNumber(row.day);
      if (this.rows.has(n)) throw new CalendarDataInvalidError(`日历数据无效：${row.day} 出现了不止一次`);
      this.rows.set(n, { day: row.day, kind: row.kind, name: row.name });
    }
    for (const y of coveredYears) {
      if (!Number.isInteger(y) || y < 1900 || y > 9999) throw new CalendarDataInvalidError(`日历数据无效：年份 ${y}`);
    }
    this.years = new Set(coveredYears);
    for (const y of this.years) this.prefix.set(y, this.buildPrefix(y));
  }

  /** The covered years, ascending. */
  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** The stored rows (holidays, make-up workdays, overrides) of a year, ascending; [] for a year without rows. */
  rowsOf(year: number): CalendarDay[] {
    const first = yearStartNumber(year);
    const next = yearStartNumber(year + 1);
    return [...this.rows.entries()]
      .filter(([n]) => n >= first && n < next)
      .sort(([a], [b]) => a - b)
      .map(([, row]) => ({ ...row }));
  }

  /** Whether the year's holidays and make-up workdays are known. */
  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  /** Years, from the given ones, that have no data, ascending and without repeats (health check, coordinator notice). */
  missingYears(years: readonly number[]): number[] {
    return [...new Set(years)].filter((y) => !this.years.has(y)).sort((a, b) => a - b);
  }

  /** What the day is; throws {@link CalendarDataMissingError} for an uncovered year. */
  kindOf(date: string): DayKind {
    return this.kindOfNumber(dayNumber(date));
  }

  /** The day with its kind and name (name null for ordinary days). Throws for an uncovered year. */
  describe(date: string): CalendarDay {
    const n = dayNumber(date);
    const kind = this.kindOfNumber(n);
    return { day: formatDayNumber(n), kind, name: this.rows.get(n)?.name ?? null };
  }

  /** True on an ordinary weekday and on a make-up workday (调休上班); false on weekends and holidays. */
  isWorkday(date: string): boolean {
    return isWorkingKind(this.kindOf(date));
  }

  /**
   * The n-th working day after `date` (n >= 1), `date` itself not counted and not required to be a
   * workday; n = 0 returns `date` itself if it is a workday, else the next workday. Throws
   * {@link CalendarDataMissingError} as soon as the walk reaches an uncovered year, so a deadline is
   * never computed from a guess; RangeError for a negative or fractional n.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日天数必须是非负整数：${n}`);
    let d = dayNumber(date);
    if (n === 0) {
      while (!this.isWorkdayNumber(d)) d++;
      return formatDayNumber(d);
    }
    for (let left = n; left > 0; ) {
      d++;
      if (this.isWorkdayNumber(d)) left--;
    }
    return formatDayNumber(d);
  }

  /** Next working day on or after `date` (same as `addWorkingDays(date, 0)`). */
  nextWorkday(date: string): string {
    return this.addWorkingDays(date, 0);
  }

  /**
   * Working days in (from, to]: `from` excluded, `to` included. Never negative: 0 when to <= from, so
   * "remaining working days" is workingDaysBetween(today, due) and "overdue by N working days" is
   * workingDaysBetween(due, today). Only the years of the days counted must be covered.
   */
  workingDaysBetween(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    let count = 0;
    for (let start = a + 1; start <= b; ) {
      const year = yearOfNumber(start);
      const first = yearStartNumber(year);
      const end = Math.min(b, yearStartNumber(year + 1) - 1);
      const prefix = this.prefixOf(year);
      count += prefix[end - first + 1] - prefix[start - first];
      start = end + 1;
    }
    return count;
  }

  private kindOfNumber(n: number): DayKind {
    const year = yearOfNumber(n);
    if (!this.years.has(year)) throw new CalendarDataMissingError(year);
    const row = this.rows.get(n);
    if (row) return row.kind;
    const weekday = weekdayOfNumber(n);
    return weekday === 0 || weekday === 6 ? 'weekend' : 'workday';
  }

  private isWorkdayNumber(n: number): boolean {
    return isWorkingKind(this.kindOfNumber(n));
  }

  private prefixOf(year: number): Uint16Array {
    const prefix = this.prefix.get(year);
    if (!prefix) throw new CalendarDataMissingError(year);
    return prefix;
  }

  private buildPrefix(year: number): Uint16Array {
    const first = yearStartNumber(year);
    const length = yearStartNumber(year + 1) - first;
    const prefix = new Uint16Array(length + 1);
    for (let i = 0; i < length; i++) prefix[i + 1] = prefix[i] + (this.isWorkdayNumber(first + i) ? 1 : 0);
    return prefix;
  }
}

function parseClock(value: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new RangeError(`工作时间无效：${value}（应为 HH:MM）`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function hoursInMinutes(hours: WorkingHours): { start: number; end: number } {
  const start = parseClock(hours.start);
  const end = parseClock(hours.end);
  if (end <= start) throw new RangeError(`工作时间无效：${hours.start}–${hours.end}（结束须晚于开始）`);
  return { start, end };
}

/**
 * True when the instant is on a working day (in Asia/Shanghai) and inside office hours
 * ([start, end)). Throws {@link CalendarDataMissingError} for a day of an uncovered year.
 */
export function isWithinWorkingHours(cal: WorkingCalendar, d: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const { start, end } = hoursInMinutes(hours);
  const now = shanghaiTime(d);
  return now.minutes >= start && now.minutes < end && cal.isWorkday(now.date);
}

/**
 * `d` itself when it is within working hours; otherwise the start of office hours on the next
 * working day (today's start if today is a workday and office has not opened yet). Used to hold a
 * reminder that falls at night, on a weekend or in a holiday until officers are at their desks.
 */
export function nextWorkingMoment(cal: WorkingCalendar, d: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  const { start, end } = hoursInMinutes(hours);
  const now = shanghaiTime(d);
  if (cal.isWorkday(now.date)) {
    if (now.minutes >= start && now.minutes < end) return d;
    if (now.minutes < start) return shanghaiMoment(now.date, start);
  }
  return shanghaiMoment(cal.addWorkingDays(now.date, 1), start);
}
