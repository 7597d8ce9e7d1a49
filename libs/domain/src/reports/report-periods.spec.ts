import fc from 'fast-check';
import { reportPeriods } from './report-periods';

const plusFive = (d: string): string => {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 5);
  return t.toISOString().slice(0, 10);
};

describe('reportPeriods', () => {
  it('makes quarters from the publishing quarter to the due quarter', () => {
    expect(reportPeriods('quarterly', '2026-11-23', '2027-06-30', plusFive)).toEqual([
      { periodKey: '2026-Q4', startsOn: '2026-10-01', endsOn: '2026-12-31', dueOn: '2027-01-05' },
      { periodKey: '2027-Q1', startsOn: '2027-01-01', endsOn: '2027-03-31', dueOn: '2027-04-05' },
      { periodKey: '2027-Q2', startsOn: '2027-04-01', endsOn: '2027-06-30', dueOn: '2027-07-05' },
    ]);
  });

  it('handles months, half years, years, February and no cycle', () => {
    expect(reportPeriods('monthly', '2028-02-10', '2028-03-01', plusFive).map((p) => [p.periodKey, p.endsOn])).toEqual([
      ['2028-02', '2028-02-29'],
      ['2028-03', '2028-03-31'],
    ]);
    expect(reportPeriods('semiannual', '2026-07-01', '2027-01-01', plusFive).map((p) => p.periodKey)).toEqual(['2026-H2', '2027-H1']);
    expect(reportPeriods('annual', '2026-11-23', '2026-12-31', plusFive).map((p) => p.periodKey)).toEqual(['2026']);
    expect(reportPeriods('none', '2026-11-23', '2027-12-31', plusFive)).toEqual([]);
  });

  it('makes custom periods from the listed dates still ahead, each due on its date', () => {
    expect(reportPeriods('custom', '2026-11-23', '2027-06-30', plusFive, ['2027-03-15', '2026-10-01', '2026-12-20', '2026-12-20'])).toEqual([
      { periodKey: '2026-12-20', startsOn: '2026-11-23', endsOn: '2026-12-20', dueOn: '2026-12-20' },
      { periodKey: '2027-03-15', startsOn: '2026-12-21', endsOn: '2027-03-15', dueOn: '2027-03-15' },
    ]);
  });

  it('gives one period when the task is already past due, and never more than 120', () => {
    expect(reportPeriods('quarterly', '2026-11-23', '2025-12-31', plusFive).map((p) => p.periodKey)).toEqual(['2026-Q4']);
    expect(reportPeriods('monthly', '2026-01-01', '2099-12-31', plusFive)).toHaveLength(120);
  });

  it('tiles time: consecutive, non-overlapping, each due no earlier than it ends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('monthly' as const, 'quarterly' as const, 'semiannual' as const, 'annual' as const),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1500 }),
        (cycle, start, days) => {
          const from = start.toISOString().slice(0, 10);
          const until = new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10);
          const periods = reportPeriods(cycle, from, until, plusFive);
          expect(periods.length).toBeGreaterThan(0);
          expect(periods[0].startsOn <= from && from <= periods[0].endsOn).toBe(true);
          const lastP = periods[periods.length - 1];
          expect(lastP.startsOn <= until || periods.length === 1).toBe(true);
          expect(until <= lastP.endsOn || periods.length === 120).toBe(true);
          for (let i = 1; i < periods.length; i++) {
            const prevEnd = new Date(`${periods[i - 1].endsOn}T00:00:00Z`);
            prevEnd.setUTCDate(prevEnd.getUTCDate() + 1);
            expect(periods[i].startsOn).toBe(prevEnd.toISOString().slice(0, 10));
          }
          for (const p of periods) expect(p.dueOn >= p.endsOn).toBe(true);
          expect(new Set(periods.map((p) => p.periodKey)).size).toBe(periods.length);
        },
      ),
    );
  });
});
