import type { DeadlineRules } from '@duban/config';
import { ValidationFailedError, type FieldProblem } from '../common/domain.errors';

/** A partial override of the deadline rules, as stored on a document or a task ({} inherits all). */
export type DeadlineOverride = { -readonly [K in keyof DeadlineRules]?: DeadlineRules[K] };

/** Every key of {@link DeadlineRules}, in display order (persisted contract: jsonb keys). */
export const DEADLINE_KEYS = ['reminderDaysBefore', 'remindOnDay', 'overdueRepeatEveryDays', 'escalationThresholds', 'reviewLimitDays', 'reviewEscalationDays'] as const;

const LIMITS = { before: 30, overdueEvery: 30, threshold: 250, review: 60 };

/** What each level of settings says and the result: shown on the task view and the settings routes. */
export interface DeadlineSettingsView {
  defaults: DeadlineRules;
  document: DeadlineOverride;
  task?: DeadlineOverride;
  effective: DeadlineRules;
}

/** Defaults, overridden by the document's settings, overridden by the task's. */
export function effectiveRules(defaults: DeadlineRules, ...overrides: DeadlineOverride[]): DeadlineRules {
  return Object.assign({}, defaults, ...overrides) as DeadlineRules;
}

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Applies a patch (a key set to null goes back to inheriting) to an override and checks the
 * result. Each key is complete on its own, so any merge of valid overrides is valid: the ladder strictly decreasing, thresholds
 * strictly increasing, every number a whole number of working days in range. Throws 400 with a
 * Chinese message naming each bad field; nothing is written by the caller in that case.
 */
export function applyOverridePatch(current: DeadlineOverride, patch: Record<string, unknown>): DeadlineOverride {
  const problems: FieldProblem[] = [];
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!(DEADLINE_KEYS as readonly string[]).includes(key)) continue; // the DTO rejects unknown fields
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  const o = next as DeadlineOverride;
  if (o.reminderDaysBefore !== undefined) {
    const d = o.reminderDaysBefore;
    if (!Array.isArray(d) || d.length > 10 || !d.every((x) => isInt(x, 1, LIMITS.before))) {
      problems.push({ field: 'reminderDaysBefore', message: `提前提醒天数必须是 1 到 ${LIMITS.before} 之间的整数（工作日），最多 10 个` });
    } else if (d.some((x, i) => i > 0 && x >= d[i - 1])) {
      problems.push({ field: 'reminderDaysBefore', message: `提前提醒天数必须从大到小排列且互不重复，例如 [5, 2]（收到的是 [${d.join(', ')}]）` });
    }
  }
  if (o.remindOnDay !== undefined && typeof o.remindOnDay !== 'boolean') problems.push({ field: 'remindOnDay', message: '必须是 true 或 false' });
  if (o.overdueRepeatEveryDays !== undefined && !isInt(o.overdueRepeatEveryDays, 0, LIMITS.overdueEvery)) {
    problems.push({ field: 'overdueRepeatEveryDays', message: `逾期后重复提醒间隔必须是 0 到 ${LIMITS.overdueEvery} 之间的整数（工作日，0 表示不重复）` });
  }
  if (o.escalationThresholds !== undefined) {
    const t = o.escalationThresholds;
    if (!Array.isArray(t) || t.length !== 3 || !t.every((x) => isInt(x, 1, LIMITS.threshold))) {
      problems.push({ field: 'escalationThresholds', message: `督办阈值必须是三个 1 到 ${LIMITS.threshold} 之间的整数（一级、二级、三级，逾期工作日数）` });
    } else if (!(t[0] < t[1] && t[1] < t[2])) {
      problems.push({ field: 'escalationThresholds', message: `督办阈值必须从小到大排列：一级 < 二级 < 三级（收到的是 [${t.join(', ')}]）` });
    }
  }
  for (const key of ['reviewLimitDays', 'reviewEscalationDays'] as const) {
    if (o[key] !== undefined && !isInt(o[key], 1, LIMITS.review)) {
      problems.push({ field: key, message: `${key === 'reviewLimitDays' ? '审核时限' : '审核超时升级间隔'}必须是 1 到 ${LIMITS.review} 之间的整数（工作日）` });
    }
  }
  if (problems.length > 0) throw new ValidationFailedError(`督办规则设置无效：${problems.map((p) => p.message).join('；')}`, problems, 'DEADLINE_SETTINGS_INVALID');
  return o;
}
