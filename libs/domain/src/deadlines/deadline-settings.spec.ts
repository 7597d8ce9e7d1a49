import { applyOverridePatch, effectiveRules } from './deadline-settings';

const DEFAULTS = { reminderDaysBefore: [5, 2], remindOnDay: true, overdueRepeatEveryDays: 1, escalationThresholds: [1, 3, 10] as const, reviewLimitDays: 3, reviewEscalationDays: 3 };

describe('deadline settings', () => {
  it('merges defaults, then the document, then the task', () => {
    const doc = { reminderDaysBefore: [3], escalationThresholds: [2, 4, 6] as [number, number, number] };
    const task = { reminderDaysBefore: [1] };
    expect(effectiveRules(DEFAULTS, doc, task)).toEqual({ ...DEFAULTS, reminderDaysBefore: [1], escalationThresholds: [2, 4, 6] });
    expect(effectiveRules(DEFAULTS, {}, {})).toEqual(DEFAULTS);
  });

  it('applies a patch: keys set, null back to inheriting, absent keys kept', () => {
    const current = { remindOnDay: false, reviewLimitDays: 5 };
    expect(applyOverridePatch(current, { reviewLimitDays: null, overdueRepeatEveryDays: 0 })).toEqual({ remindOnDay: false, overdueRepeatEveryDays: 0 });
    expect(current).toEqual({ remindOnDay: false, reviewLimitDays: 5 }); // not mutated
  });

  it.each([
    [{ reminderDaysBefore: [2, 5] }, 'reminderDaysBefore', '从大到小'],
    [{ reminderDaysBefore: [5, 5] }, 'reminderDaysBefore', '互不重复'],
    [{ reminderDaysBefore: [0] }, 'reminderDaysBefore', '1 到 30'],
    [{ reminderDaysBefore: [2.5] }, 'reminderDaysBefore', '整数'],
    [{ escalationThresholds: [1, 1, 2] }, 'escalationThresholds', '一级 < 二级 < 三级'],
    [{ escalationThresholds: [1, 2, 3, 4] }, 'escalationThresholds', '三个'],
    [{ escalationThresholds: [-1, 2, 3] }, 'escalationThresholds', '三个'],
    [{ overdueRepeatEveryDays: 31 }, 'overdueRepeatEveryDays', '0 到 30'],
    [{ reviewLimitDays: 0 }, 'reviewLimitDays', '审核时限'],
    [{ reviewEscalationDays: 61 }, 'reviewEscalationDays', '审核超时升级间隔'],
    [{ remindOnDay: 'yes' }, 'remindOnDay', 'true 或 false'],
  ])('refuses %j with a Chinese message on %s', (patch, field, words) => {
    let error: unknown;
    try {
      applyOverridePatch({}, patch);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'DEADLINE_SETTINGS_INVALID', fields: [expect.objectContaining({ field, message: expect.stringContaining(words) })] });
  });

  it('accepts an empty ladder (no reminders before the day)', () => {
    expect(applyOverridePatch({}, { reminderDaysBefore: [] })).toEqual({ reminderDaysBefore: [] });
  });
});
