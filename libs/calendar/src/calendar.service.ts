import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarDataInvalidError } from './calendar.errors';
import { parseCalendarCsv, type CalendarCsvRejection } from './calendar-csv';
import { shanghaiDate } from './calendar-dates';
import { Clock } from './clock';
import { officialDaysFromLibrary } from './official-days';
import { DAY_KINDS, WorkingCalendar, type CalendarDay, type DayKind } from './working-calendar';

/** Prefix of `source` for rows an operator imported; a seed from the library never overwrites them. */
export const IMPORT_SOURCE_PREFIX = 'import:';

/**
 * How long a loaded calendar is reused. An import through the CLI runs in another process, so the
 * API and the worker see it after at most this long (or at once after `reload()`).
 */
export const CALENDAR_CACHE_TTL_MS = 5 * 60_000;

/** What `seedFromLibrary` did. */
export interface CalendarSeedReport {
  /** e.g. `chinese-days@1.5.7` */
  source: string;
  /** Years the library covers, ascending. */
  years: number[];
  /** Holiday and make-up workday rows the library has for those years. */
  days: number;
  /** Rows inserted, changed or removed by this run (0 when run again). */
  written: number;
  /** Years left alone because an operator imported them (their rows are the operator's). */
  keptYears: number[];
}

/** What `importCsv` did. Nothing is written when any row is rejected. */
export interface CalendarImportReport {
  written: boolean;
  /** Years now covered by this import (empty when nothing was written). */
  years: number[];
  /** Rows written (0 when nothing was written). */
  days: number;
  rejected: CalendarCsvRejection[];
}

/** Coverage of the current and the next year, for the health check and the coordinator notice. */
export interface CalendarStatus {
  coveredYears: number[];
  currentYear: number;
  nextYear: number;
  /** The current and/or next year when they have no data: reminders and deadlines there cannot be computed. */
  missing: number[];
}

/**
 * The Chinese warning to show when years are missing, or null when none are: "say so loudly" to the
 * coordinator, since deadlines in those years cannot be computed until the notice is imported.
 */
export function missingCalendarNotice(missing: readonly number[]): string | null {
  if (missing.length === 0) return null;
  const years = missing.map((y) => `${y} 年`).join('、');
  return (
    `警告：${years}的工作日历（节假日与调休安排）尚未导入。落在这些年份的截止日期、提醒和督办无法按工作日计算。` +
    `请在国务院办公厅发布节假日安排通知后，用 calendar:import 导入 CSV（date,kind,name）。`
  );
}

/**
 * The working-day calendar kept in PostgreSQL (`calendar_years`, `calendar_days`), seeded from the
 * `chinese-days` package and completed by operators' imports of each year's State Council notice.
 */
@Injectable()
export class CalendarService {
  private cache?: { at: number; calendar: Promise<WorkingCalendar> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The calendar, read once and reused for {@link CALENDAR_CACHE_TTL_MS}. */
  async load(): Promise<WorkingCalendar> {
    const cached = this.cache;
    if (cached && performance.now() - cached.at < CALENDAR_CACHE_TTL_MS) return cached.calendar;
    const pending = this.read();
    this.cache = { at: performance.now(), calendar: pending };
    try {
      return await pending;
    } catch (error) {
      // A failed read (database down) must not be served from the cache afterwards.
      if (this.cache?.calendar === pending) this.cache = undefined;
      throw error;
    }
  }

  /** Forgets the cached calendar; the next `load()` reads the tables again. */
  reload(): void {
    this.cache = undefined;
  }

  /**
   * Writes the library's holidays and make-up workdays (idempotent: a second run writes nothing).
   * Years an operator imported are left alone, and rows of an older library version that this one
   * no longer has are removed.
   */
  async seedFromLibrary(): Promise<CalendarSeedReport> {
    const lib = officialDaysFromLibrary();
    const report = await this.dataSource.transaction(async (m) => {
      const owned = await m.query<{ year: number }[]>(
        `select year from calendar_years where source like $1 || '%' and year = any($2::int[]) order by year`,
        [IMPORT_SOURCE_PREFIX, lib.years],
      );
      const keptYears = owned.map((r) => Number(r.year));
      const years = lib.years.filter((y) => !keptYears.includes(y));
      const days = lib.days.filter((d) => years.includes(Number(d.day.slice(0, 4))));
      let written = await this.upsertDays(m, days, lib.source, { overwriteImports: false });
      // A newer library may have corrected a day: drop library rows it no longer lists (never imports).
      const [removed] = await m.query<{ n: number }[]>(
        `with gone as (
           delete from calendar_days
            where source like 'chinese-days@%' and extract(year from day)::int = any($1::int[]) and not (day = any($2::date[]))
           returning 1)
         select count(*)::int as n from gone`,
        [years, days.map((d) => d.day)],
      );
      written += removed.n;
      await m.query(
        `insert into calendar_years (year, source) select y, $2 from unnest($1::int[]) as y
         on conflict (year) do update set source = excluded.source, imported_at = now()
          where calendar_years.source not like $3 || '%' and calendar_years.source is distinct from excluded.source`,
        [years, lib.source, IMPORT_SOURCE_PREFIX],
      );
      return { source: lib.source, years: lib.years, days: lib.days.length, written, keptYears };
    });
    this.reload();
    return report;
  }

  /**
   * Imports a calendar CSV (columns `date,kind,name`; see `parseCalendarCsv`), typically a year's
   * State Council notice. All or nothing, in one transaction: when any row is rejected nothing is
   * written and every rejected row is reported with its line. The years in the file become covered,
   * with source `import:<label>`, and belong to the operator from then on (a seed leaves them alone).
   * Rows are upserted day by day; with `replace`, the file is the whole truth for its years and
   * other rows of those years are removed (a corrected notice).
   */
  async importCsv(text: string, sourceLabel: string, options: { replace?: boolean } = {}): Promise<CalendarImportReport> {
    const label = sourceLabel.trim().replace(/^import:/, '');
    if (!label) throw new CalendarDataInvalidError('导入来源说明不能为空（例如通知文号：国办发明电〔2026〕X号）');
    const source = `${IMPORT_SOURCE_PREFIX}${label}`;
    const parsed = parseCalendarCsv(text);
    if (parsed.rejected.length > 0) return { written: false, years: [], days: 0, rejected: parsed.rejected };
    await this.dataSource.transaction(async (m) => {
      if (options.replace) {
        await m.query(`delete from calendar_days where extract(year from day)::int = any($1::int[])`, [parsed.years]);
      }
      await this.upsertDays(m, parsed.days, source, { overwriteImports: true });
      await m.query(
        `insert into calendar_years (year, source) select y, $2 from unnest($1::int[]) as y
         on conflict (year) do update set source = excluded.source, imported_at = now()`,
        [parsed.years, source],
      );
    });
    this.reload();
    return { written: true, years: parsed.years, days: parsed.days.length, rejected: [] };
  }

  /** Today's date in Asia/Shanghai by the injected clock. */
  async today(): Promise<string> {
    return shanghaiDate(this.clock.now());
  }

  /** Which years are covered, and whether the current or next year is missing. */
  async status(): Promise<CalendarStatus> {
    const calendar = await this.load();
    const currentYear = Number((await this.today()).slice(0, 4));
    return {
      coveredYears: calendar.coveredYears(),
      currentYear,
      nextYear: currentYear + 1,
      missing: calendar.missingYears([currentYear, currentYear + 1]),
    };
  }

  /** Reads both tables in one statement, so a concurrent import is seen whole or not at all. */
  private async read(): Promise<WorkingCalendar> {
    const [row] = await this.dataSource.query<{ years: unknown; days: unknown }[]>(
      `select
         (select coalesce(json_agg(year order by year), '[]'::json) from calendar_years) as years,
         (select coalesce(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'kind', kind, 'name', name) order by day), '[]'::json)
            from calendar_days) as days`,
    );
    return new WorkingCalendar(toDays(row.days), toYears(row.years));
  }

  /** Multi-row upsert; returns the rows inserted or changed (unchanged rows are not rewritten). */
  private async upsertDays(m: EntityManager, days: CalendarDay[], source: string, opts: { overwriteImports: boolean }): Promise<number> {
    if (days.length === 0) return 0;
    const [result] = await m.query<{ n: number }[]>(
      `with up as (
         insert into calendar_days (day, kind, name, source)
         select d, k, n, $4 from unnest($1::date[], $2::text[], $3::text[]) as t(d, k, n)
         on conflict (day) do update set kind = excluded.kind, name = excluded.name, source = excluded.source
          where ($5::boolean or calendar_days.source not like $6 || '%')
            and (calendar_days.kind, calendar_days.name, calendar_days.source) is distinct from (excluded.kind, excluded.name, excluded.source)
         returning 1)
       select count(*)::int as n from up`,
      [days.map((d) => d.day), days.map((d) => d.kind), days.map((d) => d.name), source, opts.overwriteImports, IMPORT_SOURCE_PREFIX],
    );
    return result.n;
  }
}

function toYears(value: unknown): number[] {
  if (!Array.isArray(value)) throw new CalendarDataInvalidError('calendar_years 读取结果格式异常');
  return value.map((y) => Number(y));
}

function toDays(value: unknown): CalendarDay[] {
  if (!Array.isArray(value)) throw new CalendarDataInvalidError('calendar_days 读取结果格式异常');
  return value.map((raw: unknown): CalendarDay => {
    const r = (raw ?? {}) as { day?: unknown; kind?: unknown; name?: unknown };
    if (typeof r.day !== 'string' || !isDayKind(r.kind)) throw new CalendarDataInvalidError(`calendar_days 中有无效的行：${JSON.stringify(raw)}`);
    return { day: r.day, kind: r.kind, name: typeof r.name === 'string' ? r.name : null };
  });
}

function isDayKind(value: unknown): value is DayKind {
  return typeof value === 'string' && (DAY_KINDS as readonly string[]).includes(value);
}
