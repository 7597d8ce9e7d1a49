import { isWithinWorkingHours, officialDaysFromLibrary, WorkingCalendar } from '@duban/calendar';
import { rungFor } from './reminders.service';

const official = officialDaysFromLibrary();
const cal = new WorkingCalendar(official.days, official.years);

describe('reminder ladder', () => {
  it('fires 5 and 2 working days before, on the day, then each day overdue', () => {
    // Due Friday 2026-11-27.
    expect(rungFor(cal, '2026-11-20', '2026-11-27')).toBe('before:5');
    expect(rungFor(cal, '2026-11-23', '2026-11-27')).toBeNull(); // 4 working days left
    expect(rungFor(cal, '2026-11-25', '2026-11-27')).toBe('before:2');
    expect(rungFor(cal, '2026-11-27', '2026-11-27')).toBe('day');
    expect(rungFor(cal, '2026-11-30', '2026-11-27')).toBe('overdue:2026-11-30');
  });

  it('counts the Spring Festival holiday and its make-up Saturday (2026)', () => {
    // Due Wed 2026-02-25. Feb 14 (Sat) is a make-up workday; Feb 15-23 are holidays.
    expect(rungFor(cal, '2026-02-13', '2026-02-25')).toBeNull(); // 3 working days: 14, 24, 25
    expect(rungFor(cal, '2026-02-14', '2026-02-25')).toBe('before:2');
    // Sends on the make-up Saturday, not on the holiday Monday, and only in working hours.
    expect(isWithinWorkingHours(cal, new Date('2026-02-14T02:00:00Z'))).toBe(true); // Sat 10:00 Shanghai
    expect(isWithinWorkingHours(cal, new Date('2026-02-16T02:00:00Z'))).toBe(false); // Mon, 春节
    expect(isWithinWorkingHours(cal, new Date('2026-02-13T11:00:00Z'))).toBe(false); // Fri 19:00
    expect(isWithinWorkingHours(cal, new Date('2026-02-13T00:30:00Z'))).toBe(false); // Fri 08:30
  });

  it('follows a configured ladder: no day reminder, overdue every 2 working days', () => {
    const rules = { reminderDaysBefore: [3], remindOnDay: false, overdueRepeatEveryDays: 2 };
    expect(rungFor(cal, '2026-11-20', '2026-11-27', rules)).toBeNull(); // 5 left, not in the ladder
    expect(rungFor(cal, '2026-11-24', '2026-11-27', rules)).toBe('before:3');
    expect(rungFor(cal, '2026-11-27', '2026-11-27', rules)).toBeNull();
    expect(rungFor(cal, '2026-11-30', '2026-11-27', rules)).toBe('overdue:2026-11-30'); // 1 day overdue
    expect(rungFor(cal, '2026-12-01', '2026-11-27', rules)).toBeNull(); // 2
    expect(rungFor(cal, '2026-12-02', '2026-11-27', rules)).toBe('overdue:2026-12-02'); // 3
    expect(rungFor(cal, '2026-12-02', '2026-11-27', { ...rules, overdueRepeatEveryDays: 0 })).toBeNull();
  });
});
