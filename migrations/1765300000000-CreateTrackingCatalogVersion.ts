import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The versions cached tracking answers are keyed by (decision 55): the read model's generation, and
 * a version of what tracking answers read besides the read model: the names and
 * targets of documents and measures, and the units (names, kinds, parents, key-assisted flags).
 * Statement-level triggers on those tables bump it in the writing transaction, so a reader sees the
 * new version exactly when it sees the change. Writes to them are rare (imports, publishing, the
 * registry), so the one row is no point of contention.
 */
export class CreateTrackingCatalogVersion1765300000000 implements MigrationInterface {
  name = 'CreateTrackingCatalogVersion1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table tracking_catalog (
        id boolean primary key default true,
        version bigint not null default 0,
        constraint ck_tracking_catalog_single check (id)
      )`);
    await q.query(`insert into tracking_catalog (id, version) values (true, 0)`);
    // The read model's own version: bumped by the worker whenever a fold, a day's rollover or a
    // rebuild changes what the model holds (refreshed_at moves on every run, changed or not).
    await q.query(`alter table tracking_state add column generation bigint not null default 0`);
    await q.query(`comment on table tracking_catalog is 'Bumped by every write to documents, measures and units: part of the key of cached tracking answers'`);
    await q.query(`
      create function tracking_catalog_bump() returns trigger language plpgsql as $$
      begin
        update tracking_catalog set version = version + 1;
        return null;
      end $$`);
    for (const table of ['documents', 'measures', 'units']) {
      await q.query(`create trigger trg_${table}_catalog after insert or update or delete or truncate on ${table} for each statement execute function tracking_catalog_bump()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['documents', 'measures', 'units']) await q.query(`drop trigger trg_${table}_catalog on ${table}`);
    await q.query(`drop function tracking_catalog_bump()`);
    await q.query(`drop table tracking_catalog`);
    await q.query(`alter table tracking_state drop column generation`);
  }
}
