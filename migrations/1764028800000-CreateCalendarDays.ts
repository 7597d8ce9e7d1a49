import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The official working-day calendar. `calendar_years` says which years are known (a year without a
 * row has no data and is never guessed); `calendar_days` holds only holidays, make-up workdays and
 * explicit overrides, since any other day is a workday Mon–Fri and a weekend Sat/Sun.
 * `source` is `chinese-days@<version>` for the shipped data or `import:<label>` for an operator's
 * import, which a later seed never overwrites.
 */
export class CreateCalendarDays1764028800000 implements MigrationInterface {
  name = 'CreateCalendarDays1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table calendar_years (
        year integer primary key,
        source text not null,
        imported_at timestamptz not null default now(),
        constraint ck_calendar_years_year check (year between 1900 and 9999)
      )`);
    await q.query(`
      create table calendar_days (
        day date primary key,
        kind varchar(16) not null,
        name text,
        source text not null,
        constraint ck_calendar_days_kind check (kind in ('workday', 'weekend', 'holiday', 'makeup_workday')),
        -- 调休上班 is always a Saturday or Sunday; a weekday "make-up" is a data-entry mistake.
        constraint ck_calendar_days_makeup_on_weekend check (kind <> 'makeup_workday' or extract(isodow from day) in (6, 7))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table calendar_days`);
    await q.query(`drop table calendar_years`);
  }
}
