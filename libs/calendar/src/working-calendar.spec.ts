import fc from 'fast-check';
import { isWorkday as libraryIsWorkday } from 'chinese-days';
import { CalendarDataInvalidError, CalendarDataMissingError, InvalidCalendarDateError } from './calendar.errors';
import { addCalendarDays, dayNumber, formatDayNumber, shanghaiDate, shanghaiMoment, shanghaiTime } from './calendar-dates';
import { officialDaysFromLibrary } from './official-days';
import { isWithinWorkingHours, nextWorkingMoment, WorkingCalendar, type CalendarDay } from './working-calendar';

const lib = officialDaysFromLibrary();
const cal = new WorkingCalendar(lib.days, lib.years);

const LOCAL_GETTERS = ['getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getTimezoneOffset', 'toDateString', 'toTimeString', 'toLocaleDateString'] as const;

/**
 * Runs `fn` with every local-time-zone getter of Date throwing, which proves the code depends on
 * UTC only. (Changing TZ cannot be tested in-process: Jest gives each test file a copy of process.env.)
 */
function withoutLocalTime(fn: () => void): void {
  const saved = LOCAL_GETTERS.map((k) => [k, Object.getOwnPropertyDescriptor(Date.prototype, k)] as const);
  for (const k of LOCAL_GETTERS) {
    const value = (): never => {
      throw new Error(`Date#${k} depends on the process time zone`);
    };
    Object.defineProperty(Date.prototype, k, { configurable: true, writable: true, value });
  }
  try {
    fn();
  } finally {
    for (const [k, d] of saved) if (d) Object.defineProperty(Date.prototype, k, d);
  }
}

describe('officialDaysFromLibrary (chinese-days data read directly)', () => {
  it('covers exactly the years with holiday entries: 2004-2026, and not 2027', () => {
    expect(lib.source).toBe('chinese-days@1.5.7');
    expect(lib.years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(cal.hasYear(2027)).toBe(false);
  });

  it('agrees with the library on every day of every covered year', () => {
    // Local-midnight Dates: the library reads a Date with local getters, so this is right in any zone.
    const mismatches: string[] = [];
    for (const year of lib.years) {
      for (let d = dayNumber(`${year}-01-01`); d <= dayNumber(`${year}-12-31`); d++) {
        const day = formatDayNumber(d);
        const [y, m, dd] = day.split('-').map(Number);
        if (cal.isWorkday(day) !== libraryIsWorkday(new Date(y, m - 1, dd))) mismatches.push(day);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('stores make-up workdays only on weekends, with the festival name', () => {
    const makeups = lib.days.filter((d) => d.kind === 'makeup_workday');
    expect(makeups.length).toBeGreaterThan(100);
    expect(lib.days.filter((d) => d.kind === 'workday' || d.kind === 'weekend')).toEqual([]);
    expect(lib.days.find((d) => d.day === '2026-02-14')).toEqual({ day: '2026-02-14', kind: 'makeup_workday', name: '春节' });
  });
});

describe('WorkingCalendar with real 2025/2026 arrangements', () => {
  it('2026 Spring Festival: Feb 15-23 off, Sat Feb 14 and Sat Feb 28 are make-up workdays', () => {
    for (let d = 15; d <= 23; d++) expect(cal.kindOf(`2026-02-${d}`)).toBe('holiday');
    expect(cal.describe('2026-02-17')).toEqual({ day: '2026-02-17', kind: 'holiday', name: '春节' });
    expect(cal.kindOf('2026-02-14')).toBe('makeup_workday');
    expect(cal.kindOf('2026-02-28')).toBe('makeup_workday');
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true);
    expect(cal.isWorkday('2026-02-13')).toBe(true);
    expect(cal.isWorkday('2026-02-24')).toBe(true);
  });

  it('2025 National Day: Oct 1-8 off (Oct 6 is 中秋), Sun Sep 28 and Sat Oct 11 are make-up workdays', () => {
    for (let d = 1; d <= 8; d++) expect(cal.kindOf(`2025-10-0${d}`)).toBe('holiday');
    expect(cal.describe('2025-10-06').name).toBe('中秋');
    expect(cal.describe('2025-10-01').name).toBe('国庆节');
    expect(cal.kindOf('2025-09-28')).toBe('makeup_workday');
    expect(cal.kindOf('2025-10-11')).toBe('makeup_workday');
    expect(cal.kindOf('2025-10-09')).toBe('workday');
    expect(cal.kindOf('2025-10-12')).toBe('weekend');
  });

  it('a plain weekend is not a workday and has no name', () => {
    expect(cal.kindOf('2026-03-07')).toBe('weekend');
    expect(cal.kindOf('2026-03-08')).toBe('weekend');
    expect(cal.describe('2026-03-08')).toEqual({ day: '2026-03-08', kind: 'weekend', name: null });
    expect(cal.kindOf('2026-03-09')).toBe('workday');
  });

  it('addWorkingDays skips holidays and counts make-up Saturdays', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14'); // the make-up Saturday
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24'); // over the nine days off
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28'); // Sunday make-up day
    expect(cal.addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Fri -> Mon
    expect(cal.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09'); // from a Saturday
  });

  it('n = 0 and nextWorkday give the day itself when it is a workday, else the next one', () => {
    expect(cal.addWorkingDays('2026-02-14', 0)).toBe('2026-02-14');
    expect(cal.nextWorkday('2026-02-15')).toBe('2026-02-24');
    expect(cal.nextWorkday('2026-03-09')).toBe('2026-03-09');
    expect(() => cal.addWorkingDays('2026-03-09', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-03-09', 1.5)).toThrow(RangeError);
  });

  it('workingDaysBetween counts (from, to] and is never negative', () => {
    // Feb 10-13 (4) + Sat 14 (make-up) + Feb 24-27 (4) + Sat 28 (make-up) = 10
    expect(cal.workingDaysBetween('2026-02-09', '2026-02-28')).toBe(10);
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-14')).toBe(1);
    expect(cal.workingDaysBetween('2026-02-14', '2026-02-23')).toBe(0);
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
    expect(cal.workingDaysBetween('2026-03-10', '2026-03-09')).toBe(0);
    // Across a year boundary: 2025-12-31 (Wed) excluded; 2026-01-01..03 off, Sun 01-04 make-up, Mon 01-05.
    expect(cal.workingDaysBetween('2025-12-30', '2026-01-05')).toBe(3);
  });

  it('a full year has its known number of working days', () => {
    // 2026: 365 days, 104 weekend days, 33 holidays of which 14 fall on weekends, 6 make-up days.
    expect(cal.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(365 - 104 - (33 - 14) + 6);
  });
});

describe('missing years are never guessed', () => {
  it('any question about 2027 throws CalendarDataMissingError naming the year', () => {
    const error = captured(() => cal.kindOf('2027-01-01'));
    expect(error).toBeInstanceOf(CalendarDataMissingError);
    expect(error).toMatchObject({ code: 'CALENDAR_DATA_MISSING', year: 2027 });
    expect((error as Error).message).toContain('2027 年的工作日历尚未导入（节假日与调休安排）');
    expect(() => cal.isWorkday('2027-06-01')).toThrow(CalendarDataMissingError);
    expect(() => cal.addWorkingDays('2026-12-30', 5)).toThrow(CalendarDataMissingError); // walks into 2027
    expect(() => cal.workingDaysBetween('2026-12-01', '2027-01-05')).toThrow(CalendarDataMissingError);
    expect(() => cal.kindOf('2003-12-31')).toThrow(CalendarDataMissingError);
  });

  it('only the days that are counted need data', () => {
    expect(cal.addWorkingDays('2026-12-30', 1)).toBe('2026-12-31');
    expect(cal.workingDaysBetween('2003-12-31', '2004-01-05')).toBeGreaterThan(0);
  });

  it('missingYears lists the uncovered ones, sorted and once', () => {
    expect(cal.missingYears([2028, 2026, 2027, 2027])).toEqual([2027, 2028]);
    expect(cal.missingYears([2025, 2026])).toEqual([]);
  });

  it('coverage is declared: a stray row does not make its year covered', () => {
    const stray = new WorkingCalendar([{ day: '2027-01-01', kind: 'holiday', name: '元旦' }], [2026]);
    expect(stray.hasYear(2027)).toBe(false);
    expect(() => stray.kindOf('2027-01-01')).toThrow(CalendarDataMissingError);
    const declared = new WorkingCalendar([{ day: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027]);
    expect(declared.kindOf('2027-01-01')).toBe('holiday');
    expect(declared.kindOf('2027-01-04')).toBe('workday');
    expect(declared.coveredYears()).toEqual([2027]);
    expect(declared.rowsOf(2027)).toEqual([{ day: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(stray.rowsOf(2026)).toEqual([]);
    expect(cal.rowsOf(2026).filter((d) => d.kind === 'holiday')).toHaveLength(33);
  });
});

describe('input checks', () => {
  it('rejects impossible or badly written dates', () => {
    for (const bad of ['2026-02-30', '2026-2-3', '2026-13-01', '20260301', '', '1899-12-31']) {
      expect(() => cal.kindOf(bad)).toThrow(InvalidCalendarDateError);
    }
    expect(captured(() => cal.kindOf('2026-02-30'))).toMatchObject({ code: 'CALENDAR_DATE_INVALID' });
  });

  it('rejects the same day twice and unknown kinds', () => {
    const row: CalendarDay = { day: '2026-01-01', kind: 'holiday', name: null };
    expect(() => new WorkingCalendar([row, row], [2026])).toThrow(CalendarDataInvalidError);
    expect(() => new WorkingCalendar([{ ...row, kind: 'vacation' as CalendarDay['kind'] }], [2026])).toThrow(CalendarDataInvalidError);
  });
});

describe('Asia/Shanghai time helpers', () => {
  it('never reads the process time zone (shanghaiDate/Time/Moment, day arithmetic)', () => {
    const results: unknown[] = [];
    withoutLocalTime(() => {
      results.push(
        shanghaiDate(new Date('2026-02-13T16:30:00Z')),
        shanghaiDate(new Date('2026-02-13T15:59:59Z')),
        shanghaiTime(new Date('2026-02-13T16:30:00Z')),
        shanghaiMoment('2026-02-14', 9 * 60).toISOString(),
        cal.addWorkingDays('2026-02-13', 2),
        cal.workingDaysBetween('2025-12-30', '2026-01-05'),
        new WorkingCalendar(lib.days, lib.years).kindOf('2026-02-14'),
        nextWorkingMoment(cal, new Date('2026-02-13T10:00:00Z')).toISOString(),
      );
    });
    expect(results).toEqual([
      '2026-02-14',
      '2026-02-13',
      { date: '2026-02-14', minutes: 30 },
      '2026-02-14T01:00:00.000Z',
      '2026-02-24',
      3,
      'makeup_workday',
      '2026-02-14T01:00:00.000Z',
    ]);
  });

  it('isWithinWorkingHours: a working day and 09:00 <= time < 18:00 in Shanghai', () => {
    expect(isWithinWorkingHours(cal, new Date('2026-02-14T01:00:00Z'))).toBe(true); // Sat make-up day, 09:00
    expect(isWithinWorkingHours(cal, new Date('2026-02-14T00:59:00Z'))).toBe(false); // 08:59
    expect(isWithinWorkingHours(cal, new Date('2026-02-13T10:00:00Z'))).toBe(false); // Fri 18:00, end exclusive
    expect(isWithinWorkingHours(cal, new Date('2026-02-16T02:00:00Z'))).toBe(false); // Spring Festival, 10:00
    expect(isWithinWorkingHours(cal, new Date('2026-03-07T02:00:00Z'))).toBe(false); // plain Saturday
    expect(isWithinWorkingHours(cal, new Date('2026-03-09T00:45:00Z'), { start: '08:30', end: '17:30' })).toBe(true);
    expect(() => isWithinWorkingHours(cal, new Date('2026-03-09T02:00:00Z'), { start: '18:00', end: '09:00' })).toThrow(RangeError);
    expect(() => isWithinWorkingHours(cal, new Date('2026-03-09T02:00:00Z'), { start: '9:00', end: '18:00' })).toThrow(RangeError);
  });

  it('nextWorkingMoment holds night, weekend and holiday instants until office hours', () => {
    const at = (iso: string): string => nextWorkingMoment(cal, new Date(iso)).toISOString();
    expect(at('2026-03-09T02:00:00.000Z')).toBe('2026-03-09T02:00:00.000Z'); // Mon 10:00: now
    expect(at('2026-03-09T00:00:00.000Z')).toBe('2026-03-09T01:00:00.000Z'); // Mon 08:00 -> 09:00
    expect(at('2026-02-13T10:00:00.000Z')).toBe('2026-02-14T01:00:00.000Z'); // Fri 18:00 -> make-up Sat 09:00
    expect(at('2026-02-14T10:30:00.000Z')).toBe('2026-02-24T01:00:00.000Z'); // Sat 18:30 -> after the holiday
    expect(at('2026-02-15T01:00:00.000Z')).toBe('2026-02-24T01:00:00.000Z'); // in the holiday
    expect(at('2026-03-06T16:30:00.000Z')).toBe('2026-03-09T01:00:00.000Z'); // Sat 00:30 -> Mon
    expect(() => nextWorkingMoment(cal, new Date('2026-12-31T11:00:00Z'))).toThrow(CalendarDataMissingError); // next is 2027
  });
});

describe('properties', () => {
  const first = dayNumber('2004-01-01');
  const last = dayNumber('2026-10-31'); // leaves room for n working days inside covered years
  const anyDate = fc.integer({ min: first, max: last }).map(formatDayNumber);
  const n = fc.integer({ min: 1, max: 40 });

  it('addWorkingDays(d, n) is a workday after d, exactly n working days away', () => {
    fc.assert(
      fc.property(anyDate, n, (d, k) => {
        const r = cal.addWorkingDays(d, k);
        return r > d && cal.isWorkday(r) && cal.workingDaysBetween(d, r) === k;
      }),
    );
  });

  it('addWorkingDays is strictly increasing in n', () => {
    fc.assert(fc.property(anyDate, n, n, (d, a, b) => a === b || cal.addWorkingDays(d, Math.min(a, b)) < cal.addWorkingDays(d, Math.max(a, b))));
  });

  it('nextWorkday is the first workday on or after d', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const r = cal.nextWorkday(d);
        return cal.isWorkday(r) && r >= d && cal.workingDaysBetween(d, r) === (cal.isWorkday(d) ? 0 : 1);
      }),
    );
  });

  it('workingDaysBetween equals a day-by-day count and adds up over a split', () => {
    const range = fc.tuple(anyDate, fc.integer({ min: -30, max: 400 }), fc.integer({ min: 0, max: 400 }));
    fc.assert(
      fc.property(range, ([a, span, cut]) => {
        const b = addCalendarDays(a, span);
        if (b > '2026-12-31') return true;
        let naive = 0;
        for (let d = dayNumber(a) + 1; d <= dayNumber(b); d++) if (cal.isWorkday(formatDayNumber(d))) naive++;
        const mid = addCalendarDays(a, Math.min(cut, Math.max(span, 0)));
        return cal.workingDaysBetween(a, b) === naive && cal.workingDaysBetween(a, mid) + cal.workingDaysBetween(mid, b) === naive;
      }),
      { numRuns: 200 },
    );
  });

  it('shanghaiDate matches Intl for Asia/Shanghai', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    const instants = fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
    fc.assert(fc.property(instants, (d) => shanghaiDate(d) === fmt.format(d)));
  });

  it('nextWorkingMoment is within working hours, not before d, and d itself when d is', () => {
    const instants = fc.integer({ min: Date.UTC(2004, 0, 1), max: Date.UTC(2026, 9, 31) }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(instants, (d) => {
        const r = nextWorkingMoment(cal, d);
        return isWithinWorkingHours(cal, r) && r >= d && (isWithinWorkingHours(cal, d) ? r.getTime() === d.getTime() : shanghaiTime(r).minutes === 9 * 60);
      }),
    );
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
