/**
 * `@duban/calendar`: the injected clock and the official working-day calendar (holidays and make-up
 * workdays, 调休) of mainland China. Each export is documented where it is declared.
 */

/** The source of "now" ({@link Clock}), the real one and the one tests move by hand. */
export { Clock, ManualClock, OffsetClock, SystemClock, clockFromConfig } from './clock';
/** Provides Clock and CalendarService to every module of an app. */
export { CalendarModule } from './calendar.module';

/** The pure calendar: day kinds, rows, working-day arithmetic and office-hours helpers. */
export {
  DAY_KINDS,
  DEFAULT_WORKING_HOURS,
  WorkingCalendar,
  isWithinWorkingHours,
  nextWorkingMoment,
  type CalendarDay,
  type DayKind,
  type WorkingHours,
} from './working-calendar';
/** 'YYYY-MM-DD' arithmetic and Asia/Shanghai dates, independent of the process time zone. */
export { addCalendarDays, isIsoDate, shanghaiDate, shanghaiMoment, shanghaiTime, weekdayOf } from './calendar-dates';
/** Errors with stable codes and Chinese messages. */
export {
  CalendarCsvError,
  CalendarDataInvalidError,
  CalendarDataMissingError,
  CalendarError,
  InvalidCalendarDateError,
  type CalendarErrorCode,
} from './calendar.errors';
/** The data shipped in the `chinese-days` package, read directly. */
export { officialDaysFromLibrary, type OfficialDays } from './official-days';
/** Reading a State Council notice as CSV (`date,kind,name`). */
export { CALENDAR_CSV_COLUMNS, CALENDAR_CSV_KINDS, parseCalendarCsv, type CalendarCsvRejection, type ParsedCalendarCsv } from './calendar-csv';
/** The calendar kept in PostgreSQL: load (cached), seed from the library, import a year, status. */
export {
  CALENDAR_CACHE_TTL_MS,
  CalendarService,
  IMPORT_SOURCE_PREFIX,
  missingCalendarNotice,
  type CalendarImportReport,
  type CalendarSeedReport,
  type CalendarStatus,
} from './calendar.service';
/** Working-day arithmetic that flags, rather than refuses, dates in years without an official calendar. */
export { addWorkingDaysFlagged, cumulativeWorkingDays, workingDaysBetweenFlagged, type WorkingDate } from './flagged-working-days';
