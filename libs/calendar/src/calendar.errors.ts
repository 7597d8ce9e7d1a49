/**
 * Errors raised by the working-day calendar. Each has a stable `code` (an API contract: the API's
 * filter maps codes to statuses) and a Chinese message an operator can act on. No HTTP types here.
 */
export type CalendarErrorCode =
  | 'CALENDAR_DATA_MISSING'
  | 'CALENDAR_DATA_INVALID'
  | 'CALENDAR_DATE_INVALID'
  | 'CALENDAR_CSV_MALFORMED'
  | 'CALENDAR_CSV_BAD_HEADER'
  | 'CALENDAR_CSV_EMPTY';

/** Base class of every error the calendar throws on purpose. */
export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A date falls in a year whose holidays and make-up workdays have not been imported. Never guessed:
 * treating an unknown year as plain Mon–Fri would put deadlines on Spring Festival.
 */
export class CalendarDataMissingError extends CalendarError {
  declare readonly code: 'CALENDAR_DATA_MISSING';
  constructor(readonly year: number) {
    super(
      'CALENDAR_DATA_MISSING',
      `${year} 年的工作日历尚未导入（节假日与调休安排），无法计算工作日。` +
        `请在国务院办公厅发布 ${year} 年节假日安排通知后，用 calendar:import 导入该年的 CSV。`,
    );
  }
}

/** A string that is not a real calendar date in the form YYYY-MM-DD (or a bad working-hours value). */
export class InvalidCalendarDateError extends CalendarError {
  declare readonly code: 'CALENDAR_DATE_INVALID';
  constructor(readonly value: string) {
    super('CALENDAR_DATE_INVALID', `日期无效：${value}（应为 YYYY-MM-DD 格式的真实日期）`);
  }
}

/** Calendar rows that contradict each other (the same day twice, an unknown kind). */
export class CalendarDataInvalidError extends CalendarError {
  declare readonly code: 'CALENDAR_DATA_INVALID';
  constructor(message: string) {
    super('CALENDAR_DATA_INVALID', message);
  }
}

/** A calendar CSV that cannot be read at all (as opposed to single bad rows, which are reported). */
export class CalendarCsvError extends CalendarError {
  constructor(code: 'CALENDAR_CSV_MALFORMED' | 'CALENDAR_CSV_BAD_HEADER' | 'CALENDAR_CSV_EMPTY', message: string) {
    super(code, message);
  }
}
