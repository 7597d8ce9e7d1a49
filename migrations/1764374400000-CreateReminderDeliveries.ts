import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per reminder sent: the unique key is what makes each rung fire once per obligation. */
export class CreateReminderDeliveries1764374400000 implements MigrationInterface {
  name = 'CreateReminderDeliveries1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table reminder_deliveries (
        id uuid primary key default gen_random_uuid(),
        obligation_type varchar(16) not null,
        obligation_id uuid not null,
        task_id uuid not null references tasks (id) on delete cascade,
        rung varchar(24) not null,
        due_on date not null,
        sent_at timestamptz not null,
        constraint uq_reminder_deliveries unique (obligation_type, obligation_id, rung),
        constraint ck_reminder_deliveries_type check (obligation_type in ('accept', 'task_due', 'period_due'))
      )`);
    await q.query(`create index ix_reminder_deliveries_task on reminder_deliveries (task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table reminder_deliveries`);
  }
}
