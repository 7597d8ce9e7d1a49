import type { ReportingCycle } from '../documents/measure.entity';

export interface PeriodSpec {
  periodKey: string;
  startsOn: string;
  endsOn: string;
  dueOn: string;
}

const MAX_PERIODS = 120;
const pad = (n: number): string => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

/** Months per period and the key of the period that starts in (year, month). */
const CYCLES: Record<Exclude<ReportingCycle, 'none' | 'custom'>, { months: number; key: (y: number, m: number) => string }> = {
  monthly: { months: 1, key: (y, m) => `${y}-${pad(m)}` },
  quarterly: { months: 3, key: (y, m) => `${y}-Q${(m + 2) / 3}` },
  semiannual: { months: 6, key: (y, m) => `${y}-H${m === 1 ? 1 : 2}` },
  annual: { months: 12, key: (y) => `${y}` },
};

/**
 * The report periods of a task (月报/季报/半年报/年报) from the period containing `from` up to the one
 * containing `until` (at least one). Each is due `dueAfter(endsOn)` (e.g. the 5th working day after
 * the period ends). Pure: the caller supplies the working-day arithmetic.
 */
export function reportPeriods(cycle: ReportingCycle, from: string, until: string | null, dueAfter: (endsOn: string) => string, customDates: string[] = []): PeriodSpec[] {
  if (cycle === 'none') return [];
  if (cycle === 'custom') return customPeriods(from, customDates);
  const def = CYCLES[cycle];
  const [fy, fm] = from.split('-').map(Number);
  let year = fy;
  let month = Math.floor((fm - 1) / def.months) * def.months + 1;
  const last = until && until > from ? until : from;
  const out: PeriodSpec[] = [];
  while (out.length < MAX_PERIODS) {
    const startsOn = `${year}-${pad(month)}-01`;
    if (startsOn > last) break;
    const endMonth = month + def.months - 1;
    const endsOn = lastDayOfMonth(year, endMonth);
    const due = dueAfter(endsOn);
    out.push({ periodKey: def.key(year, month), startsOn, endsOn, dueOn: due < endsOn ? endsOn : due });
    month += def.months;
    if (month > 12) {
      month -= 12;
      year++;
    }
  }
  return out;
}

/** Custom cycle: one period per listed date from `from` on, each ending and due on its date. */
function customPeriods(from: string, dates: string[]): PeriodSpec[] {
  const upcoming = [...new Set(dates)].sort().filter((d) => d >= from).slice(0, MAX_PERIODS);
  return upcoming.map((dueOn, i) => {
    const prev = i === 0 ? null : new Date(`${upcoming[i - 1]}T00:00:00Z`);
    if (prev) prev.setUTCDate(prev.getUTCDate() + 1);
    return { periodKey: dueOn, startsOn: prev ? prev.toISOString().slice(0, 10) : from, endsOn: dueOn, dueOn };
  });
}
