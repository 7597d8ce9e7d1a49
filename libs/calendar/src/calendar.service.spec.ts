import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@duban/database';
import { freshDatabase } from '../../../test/support/test-db';
import { CalendarCsvError, CalendarDataMissingError } from './calendar.errors';
import { CalendarService } from './calendar.service';
import { ManualClock } from './clock';

/**
 * FICTIONAL 2027 notice, made up for this test: it is NOT the State Council's real arrangement for
 * 2027 (which was not published when this was written).
 */
const FICTIONAL_2027 = `date,kind,name
# 虚构的测试数据（FICTIONAL）：并非国务院办公厅的真实安排
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-20,makeup_workday,春节
`;

describe('CalendarService (real PostgreSQL)', () => {
  let ds: DataSource;
  let clock: ManualClock;
  let service: CalendarService;

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [row] = await ds.query<{ n: number }[]>(`select count(*)::int as n from (${sql}) as t`, params);
    return row.n;
  };

  beforeAll(async () => {
    const url = await freshDatabase('calendar_service');
    // logging off: one test makes PostgreSQL refuse a row on purpose.
    ds = new DataSource({ ...dataSourceOptions({ database: { url }, connectTimeoutMs: 5000 }, { entities: [], migrations: [] }), logging: false });
    await ds.initialize();
    const [t] = await ds.query<{ t: string | null }[]>(`select to_regclass('calendar_days')::text as t`);
    if (!t.t) throw new Error('calendar_days is missing from the test template: add CreateCalendarDays1764028800000 to migrations/index.ts');
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(async () => {
    await ds.query(`truncate calendar_days, calendar_years`);
    clock = new ManualClock('2026-11-23T03:00:00Z'); // 11:00 in Shanghai
    service = new CalendarService(ds, clock);
  });

  it('seeds the library idempotently', async () => {
    const first = await service.seedFromLibrary();
    expect(first.source).toBe('chinese-days@1.5.7');
    expect(first.years).toContain(2025);
    expect(first.years).toContain(2026);
    expect(first.years).not.toContain(2027);
    expect(first.written).toBe(first.days);
    const rows = await count(`select 1 from calendar_days`);
    expect(rows).toBe(first.days);

    const second = await service.seedFromLibrary();
    expect(second).toEqual({ ...first, written: 0 });
    expect(await count(`select 1 from calendar_days`)).toBe(rows);
    expect(await count(`select 1 from calendar_years`)).toBe(first.years.length);
  });

  it('loads 2026 as covered and 2027 as missing, and says so in status', async () => {
    await service.seedFromLibrary();
    const cal = await service.load();
    expect(cal.hasYear(2026)).toBe(true);
    expect(cal.kindOf('2026-02-14')).toBe('makeup_workday');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(() => cal.kindOf('2027-01-01')).toThrow(CalendarDataMissingError);
    expect(await service.today()).toBe('2026-11-23');
    expect(await service.status()).toMatchObject({ currentYear: 2026, nextYear: 2027, missing: [2027] });

    clock.set('2026-12-31T16:30:00Z'); // 00:30 on 1 January 2027 in Shanghai
    expect(await service.today()).toBe('2027-01-01');
    expect(await service.status()).toMatchObject({ currentYear: 2027, nextYear: 2028, missing: [2027, 2028] });
  });

  it('caches the calendar until reload()', async () => {
    await service.seedFromLibrary();
    const a = await service.load();
    expect(await service.load()).toBe(a);
    await ds.query(`insert into calendar_years (year, source) values (2030, 'test')`);
    expect((await service.load()).hasYear(2030)).toBe(false);
    service.reload();
    expect((await service.load()).hasYear(2030)).toBe(true);
  });

  it('imports a (fictional) 2027 notice and covers 2027', async () => {
    await service.seedFromLibrary();
    const report = await service.importCsv(FICTIONAL_2027, '测试用虚构通知');
    expect(report).toEqual({ written: true, years: [2027], days: 9, rejected: [] });

    const cal = await service.load(); // the import invalidated the cache
    expect(cal.coveredYears()).toContain(2027);
    expect(cal.kindOf('2027-01-01')).toBe('holiday');
    expect(cal.kindOf('2027-02-20')).toBe('makeup_workday');
    expect(cal.kindOf('2027-01-04')).toBe('workday'); // no row: a Monday
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(await service.status()).toMatchObject({ missing: [] });
    const [year] = await ds.query<{ source: string }[]>(`select source from calendar_years where year = 2027`);
    expect(year.source).toBe('import:测试用虚构通知');
  });

  it('rejects a bad CSV row by row and writes nothing', async () => {
    await service.seedFromLibrary();
    const before = await count(`select 1 from calendar_days`);
    const text = ['date,kind,name', '2028-01-01,holiday,元旦', '2028-02-30,holiday,春节', '2028-01-04,makeup_workday,元旦', '2028-01-05,rest,', '2028-01-01,holiday,元旦'].join('\n');
    const report = await service.importCsv(text, 'bad');
    expect(report.written).toBe(false);
    expect(report.years).toEqual([]);
    expect(report.days).toBe(0);
    expect(report.rejected.map((r) => r.row)).toEqual([3, 4, 5, 6]);
    expect(report.rejected[2].reason).toContain('类型未知');
    expect(await count(`select 1 from calendar_days`)).toBe(before);
    expect(await count(`select 1 from calendar_years where year = 2028`)).toBe(0);
    await expect(service.importCsv('day,kind\n2028-01-01,holiday\n', 'bad')).rejects.toThrow(CalendarCsvError);
    await expect(service.importCsv(FICTIONAL_2027, '  ')).rejects.toMatchObject({ code: 'CALENDAR_DATA_INVALID' });
  });

  it('never overwrites an operator import with a later seed', async () => {
    await service.seedFromLibrary();
    // A (made-up) correction of 2026: Oct 7 declared a workday.
    await service.importCsv('date,kind,name\n2026-10-07,workday,虚构更正\n', '虚构更正');
    // And an operator row in a year the library still owns (e.g. entered before a partial import).
    await ds.query(`insert into calendar_days (day, kind, name, source) values ('2025-05-05', 'workday', '人工', 'import:人工') on conflict (day) do update set kind = excluded.kind, name = excluded.name, source = excluded.source`);

    const report = await service.seedFromLibrary();
    expect(report.keptYears).toEqual([2026]);
    const rows = await ds.query<{ day: string; kind: string; source: string }[]>(
      `select to_char(day, 'YYYY-MM-DD') as day, kind, source from calendar_days where day in ('2026-10-07', '2025-05-05') order by day`,
    );
    expect(rows).toEqual([
      { day: '2025-05-05', kind: 'workday', source: 'import:人工' },
      { day: '2026-10-07', kind: 'workday', source: 'import:虚构更正' },
    ]);
    const [year] = await ds.query<{ source: string }[]>(`select source from calendar_years where year = 2026`);
    expect(year.source).toBe('import:虚构更正');
    const cal = await service.load();
    expect(cal.isWorkday('2026-10-07')).toBe(true);
    expect(cal.kindOf('2026-10-06')).toBe('holiday'); // the library's other 2026 rows are still there
  });

  it('a seed removes rows an older library version had and this one does not', async () => {
    await service.seedFromLibrary();
    await ds.query(`insert into calendar_days (day, kind, name, source) values ('2026-03-03', 'holiday', '旧数据', 'chinese-days@1.5.6')`);
    const report = await service.seedFromLibrary();
    expect(report.written).toBe(1);
    expect(await count(`select 1 from calendar_days where day = '2026-03-03'`)).toBe(0);
  });

  it('with replace, a corrected notice is the whole truth for its years', async () => {
    await service.importCsv(FICTIONAL_2027, 'v1');
    const corrected = FICTIONAL_2027.replace('2027-02-12,holiday,春节\n', '');
    expect(await service.importCsv(corrected, 'v2')).toMatchObject({ written: true, days: 8 });
    expect((await service.load()).kindOf('2027-02-12')).toBe('holiday'); // plain upsert keeps the old row
    await service.importCsv(corrected, 'v3', { replace: true });
    expect((await service.load()).kindOf('2027-02-12')).toBe('workday');
    expect(await count(`select 1 from calendar_days where extract(year from day) = 2027`)).toBe(8);
  });

  it('the database refuses a make-up workday on a weekday', async () => {
    await expect(ds.query(`insert into calendar_days (day, kind, source) values ('2026-03-03', 'makeup_workday', 'test')`)).rejects.toThrow(
      /ck_calendar_days_makeup_on_weekend/,
    );
  });
});
