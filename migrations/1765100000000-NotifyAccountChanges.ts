import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API keeps the actors of recent requests in memory (decision 54). These triggers tell every
 * API process, by `pg_notify('duban_accounts', …)`, when a cached actor may be stale: a user row
 * changed or went (its id), or a unit's kind or parent changed, or either table was truncated
 * (`*`: forget every actor). A
 * notification is delivered at commit, so no listener hears of a change that was rolled back.
 */
export class NotifyAccountChanges1765100000000 implements MigrationInterface {
  name = 'NotifyAccountChanges1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create function duban_notify_user_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('duban_accounts', old.id::text);
        return null;
      end $$`);
    await q.query(`create trigger trg_users_notify after update or delete on users for each row execute function duban_notify_user_changed()`);
    await q.query(`
      create function duban_notify_units_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('duban_accounts', '*');
        return null;
      end $$`);
    await q.query(`create trigger trg_units_notify after update of kind, parent_id or delete on units for each statement execute function duban_notify_units_changed()`);
    await q.query(`create trigger trg_units_notify_truncate after truncate on units for each statement execute function duban_notify_units_changed()`);
    await q.query(`create trigger trg_users_notify_truncate after truncate on users for each statement execute function duban_notify_units_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop trigger trg_users_notify_truncate on users`);
    await q.query(`drop trigger trg_units_notify_truncate on units`);
    await q.query(`drop trigger trg_units_notify on units`);
    await q.query(`drop function duban_notify_units_changed()`);
    await q.query(`drop trigger trg_users_notify on users`);
    await q.query(`drop function duban_notify_user_changed()`);
  }
}
