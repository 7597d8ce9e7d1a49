/**
 * The pure arithmetic of tracking: target shares and the 考核 score. Documented in docs/tracking.md;
 * the e2e tests recompute both from raw rows.
 */

/**
 * Share of a target done, 0..1: (latest - baseline) / (target - baseline), so 5 -> 8 with 6 reported
 * is 1/3. It works for a falling target too (a cap with a baseline). Without a baseline a rising
 * target counts from zero (latest / target) and a cap (<=, <) is done (1) when met, else target / latest.
 * Null when nothing approved yet.
 */
export function targetShare(t: { baseline: number | null; value: number; comparator: string }, latest: number | null): number | null {
  if (latest === null) return null;
  let share: number;
  if (t.baseline !== null && t.value !== t.baseline) share = (latest - t.baseline) / (t.value - t.baseline);
  else if (t.baseline !== null) share = latest === t.value ? 1 : 0;
  else if (t.comparator === '<=' || t.comparator === '<') share = latest <= t.value ? 1 : latest > 0 ? t.value / latest : 0;
  else share = t.value === 0 ? 1 : latest / t.value;
  return Math.min(1, Math.max(0, share));
}

export interface RankingWeights {
  weightOnTime: number;
  weightTargets: number;
  penaltyPerOverdueDay: number;
  penaltyPerReturned: number;
}

export interface ScoreInput {
  /** On-time reports / reports due; null when none was due. */
  onTimeRate: number | null;
  /** Mean share done of the targets the unit answers for; null when it has none. */
  targetShare: number | null;
  /** Working days overdue, summed over its overdue open tasks. */
  overdueWorkingDays: number;
  returnedSubmissions: number;
}

export interface ScoreBreakdown {
  /** 0-100: the weighted mean of the shares present (a unit with no report due and no target gets 100). */
  base: number;
  onTimePoints: number | null;
  targetPoints: number | null;
  overduePenalty: number;
  returnedPenalty: number;
  score: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * score = 100 x (wOnTime x onTimeRate + wTargets x targetShare) / (wOnTime + wTargets)
 *         - penaltyPerOverdueDay x overdueWorkingDays - penaltyPerReturned x returnedSubmissions.
 * A share that does not apply (null) drops out of both sums, so a unit is not punished for having
 * no target. The score may go below zero.
 */
export function score(input: ScoreInput, w: RankingWeights): ScoreBreakdown {
  const parts: [number, number | null][] = [
    [w.weightOnTime, input.onTimeRate],
    [w.weightTargets, input.targetShare],
  ];
  const present = parts.filter((p): p is [number, number] => p[1] !== null && p[0] > 0);
  const weight = present.reduce((a, [wt]) => a + wt, 0);
  const base = weight === 0 ? 100 : (100 * present.reduce((a, [wt, x]) => a + wt * x, 0)) / weight;
  const points = (wt: number, x: number | null): number | null => (x === null || weight === 0 ? null : round1((100 * wt * x) / weight));
  const overduePenalty = round1(w.penaltyPerOverdueDay * input.overdueWorkingDays);
  const returnedPenalty = round1(w.penaltyPerReturned * input.returnedSubmissions);
  return {
    base: round1(base),
    onTimePoints: points(w.weightOnTime, input.onTimeRate),
    targetPoints: points(w.weightTargets, input.targetShare),
    overduePenalty,
    returnedPenalty,
    score: round1(base - w.penaltyPerOverdueDay * input.overdueWorkingDays - w.penaltyPerReturned * input.returnedSubmissions),
  };
}
