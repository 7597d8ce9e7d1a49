import { periodRange } from './tracking-filter';
import { score, targetShare } from './scoring';

const W = { weightOnTime: 60, weightTargets: 40, penaltyPerOverdueDay: 0.5, penaltyPerReturned: 2 };

describe('targetShare', () => {
  it('is (latest - baseline) / (target - baseline): 5 -> 8 with 6 reported is a third', () => {
    expect(targetShare({ baseline: 5, value: 8, comparator: '>=' }, 6)).toBeCloseTo(1 / 3, 12);
    expect(targetShare({ baseline: 5, value: 8, comparator: '>=' }, 9)).toBe(1);
    expect(targetShare({ baseline: 5, value: 8, comparator: '>=' }, 4)).toBe(0);
  });
  it('handles a falling target with a baseline, caps and missing values', () => {
    expect(targetShare({ baseline: 10, value: 4, comparator: '<=' }, 7)).toBeCloseTo(0.5, 12);
    expect(targetShare({ baseline: null, value: 4.5, comparator: '<=' }, 4)).toBe(1);
    expect(targetShare({ baseline: null, value: 4, comparator: '<=' }, 8)).toBe(0.5);
    expect(targetShare({ baseline: null, value: 96, comparator: '>=' }, 48)).toBe(0.5);
    expect(targetShare({ baseline: 5, value: 8, comparator: '>=' }, null)).toBeNull();
  });
});

describe('score (考核)', () => {
  it('weights the shares present and subtracts the penalties', () => {
    const s = score({ onTimeRate: 0.5, targetShare: 1, overdueWorkingDays: 4, returnedSubmissions: 1 }, W);
    expect(s).toEqual({ base: 70, onTimePoints: 30, targetPoints: 40, overduePenalty: 2, returnedPenalty: 2, score: 66 });
  });
  it('leaves out a share that does not apply instead of counting it as zero', () => {
    expect(score({ onTimeRate: 0.8, targetShare: null, overdueWorkingDays: 0, returnedSubmissions: 0 }, W)).toMatchObject({ base: 80, targetPoints: null, score: 80 });
    expect(score({ onTimeRate: null, targetShare: null, overdueWorkingDays: 10, returnedSubmissions: 0 }, W)).toMatchObject({ base: 100, score: 95 });
  });
  it('follows the configured weights', () => {
    expect(score({ onTimeRate: 1, targetShare: 0, overdueWorkingDays: 0, returnedSubmissions: 0 }, { ...W, weightTargets: 0 }).score).toBe(100);
  });
});

describe('periodRange', () => {
  it('covers years, halves, quarters and months', () => {
    expect(periodRange('2026')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodRange('2026-H2')).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(periodRange('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('2026-Q5')).toBeNull();
  });
});
