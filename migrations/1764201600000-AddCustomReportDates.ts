import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A "custom" reporting cycle: report periods due on dates the coordinator lists. */
export class AddCustomReportDates1764201600000 implements MigrationInterface {
  name = 'AddCustomReportDates1764201600000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['measures', 'tasks']) {
      await q.query(`alter table ${table} drop constraint ck_${table}_reporting_cycle`);
      await q.query(
        `alter table ${table} add constraint ck_${table}_reporting_cycle check (reporting_cycle in ('none', 'monthly', 'quarterly', 'semiannual', 'annual', 'custom'))`,
      );
      await q.query(`alter table ${table} add column custom_report_dates jsonb not null default '[]'::jsonb`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['tasks', 'measures']) {
      await q.query(`update ${table} set reporting_cycle = 'none' where reporting_cycle = 'custom'`);
      await q.query(`alter table ${table} drop column custom_report_dates`);
      await q.query(`alter table ${table} drop constraint ck_${table}_reporting_cycle`);
      await q.query(`alter table ${table} add constraint ck_${table}_reporting_cycle check (reporting_cycle in ('none', 'monthly', 'quarterly', 'semiannual', 'annual'))`);
    }
  }
}
