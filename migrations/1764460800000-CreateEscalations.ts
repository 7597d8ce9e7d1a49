import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 督办升级: each level fires once per obligation; resolved when the work is done, history kept. */
export class CreateEscalations1764460800000 implements MigrationInterface {
  name = 'CreateEscalations1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table escalations (
        id uuid primary key default gen_random_uuid(),
        obligation_type varchar(16) not null,
        obligation_id uuid not null,
        task_id uuid not null references tasks (id) on delete cascade,
        level smallint not null,
        due_on date not null,
        overdue_working_days integer not null,
        raised_at timestamptz not null,
        resolved_at timestamptz,
        constraint uq_escalations unique (obligation_type, obligation_id, level),
        constraint ck_escalations_level check (level between 1 and 3)
      )`);
    await q.query(`create index ix_escalations_open on escalations (level, raised_at) where resolved_at is null`);
    await q.query(`create index ix_escalations_task on escalations (task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table escalations`);
  }
}
