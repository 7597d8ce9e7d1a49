import { addCalendarDays, weekdayOf } from './calendar-dates';
import { CalendarDataMissingError } from './calendar.errors';
import type { WorkingCalendar } from './working-calendar';

/** A date computed in working days; `provisional` when it crossed a year with no official calendar. */
export interface WorkingDate {
  date: string;
  provisional: boolean;
}

/** Whether a day is a working day, counting Monday-Friday in a year without an official calendar. */
function isWorkdayFlagged(cal: WorkingCalendar, day: string): boolean {
  try {
    return cal.isWorkday(day);
  } catch (e) {
    if (e instanceof CalendarDataMissingError) return weekdayOf(day) >= 1 && weekdayOf(day) <= 5;
    throw e;
  }
}

/**
 * `date` plus `n` working days. Where the official calendar of a year is not imported yet, the
 * answer counts Monday-Friday as working days and is flagged provisional (STACK-NOTES: flag any
 * deadline that reaches a year with no data), so work can be dispatched and the date fixed later.
 */
export function addWorkingDaysFlagged(cal: WorkingCalendar, date: string, n: number): WorkingDate {
  try {
    return { date: cal.addWorkingDays(date, n), provisional: false };
  } catch (e) {
    if (!(e instanceof CalendarDataMissingError)) throw e;
  }
  let d = date;
  let left = n;
  const isWork = (day: string): boolean => isWorkdayFlagged(cal, day);
  if (left === 0) {
    while (!isWork(d)) d = addCalendarDays(d, 1);
    return { date: d, provisional: true };
  }
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isWork(d)) left--;
  }
  return { date: d, provisional: true };
}

/** Working days in (from, to], counting Monday-Friday in years without an official calendar. */
export function workingDaysBetweenFlagged(cal: WorkingCalendar, from: string, to: string): WorkingDate & { days: number } {
  try {
    return { days: cal.workingDaysBetween(from, to), date: to, provisional: false };
  } catch (e) {
    if (!(e instanceof CalendarDataMissingError)) throw e;
  }
  let days = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (isWorkdayFlagged(cal, d)) days++;
  }
  return { days, date: to, provisional: true };
}

/**
 * Every date of [from, to] with the number of working days in (from - 1, date]: a running count, so
 * "working days in (a, b]" is cum(b) - cum(a) for any two dates of the range. SQL joins these
 * arrays (unnest) to count working days for a whole table in one statement. Years without an
 * official calendar count Monday-Friday (flagged elsewhere as provisional).
 */
export function cumulativeWorkingDays(cal: WorkingCalendar, from: string, to: string): { days: string[]; cum: number[] } {
  const days: string[] = [];
  const cum: number[] = [];
  let n = 0;
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) {
    if (isWorkdayFlagged(cal, d)) n++;
    days.push(d);
    cum.push(n);
  }
  return { days, cum };
}
