import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadline engine's rules: per-document and per-task overrides of the reminder ladder,
 * escalation thresholds and review limit; the working-day basis of every computed date (so a
 * provisional date can be recomputed once its year's calendar arrives); report periods' opening;
 * review chasing, each step once.
 */
export class AddDeadlineRules1764633600000 implements MigrationInterface {
  name = 'AddDeadlineRules1764633600000';

  async up(q: QueryRunner): Promise<void> {
    // Partial overrides ({} = inherit everything); validated by the domain before they are written.
    await q.query(`alter table documents add column deadline_settings jsonb not null default '{}'::jsonb`);
    await q.query(`
      alter table tasks
        add column deadline_settings jsonb not null default '{}'::jsonb,
        add column accept_due_basis date,
        add column accept_due_working_days smallint,
        add column due_on_basis date,
        add column due_on_working_days smallint`);
    await q.query(`
      alter table report_periods
        add column due_working_days smallint,
        add column opened_at timestamptz`);
    // The opener looks for periods that have started and are not opened yet.
    await q.query(`create index ix_report_periods_unopened on report_periods (starts_on) where opened_at is null`);
    // Provisional dates are few and looked for after each calendar import.
    await q.query(`create index ix_tasks_provisional on tasks (id) where accept_due_provisional or due_on_provisional`);
    await q.query(`create index ix_report_periods_provisional on report_periods (id) where due_provisional`);
    await q.query(`
      create table review_chases (
        id uuid primary key default gen_random_uuid(),
        submission_id uuid not null references report_submissions (id) on delete cascade,
        task_id uuid not null references tasks (id) on delete cascade,
        stage varchar(20) not null,
        step varchar(16) not null,
        waited_working_days integer not null,
        raised_at timestamptz not null,
        resolved_at timestamptz,
        constraint uq_review_chases unique (submission_id, stage, step),
        constraint ck_review_chases_stage check (stage in ('awaiting_signoff', 'submitted')),
        constraint ck_review_chases_step check (step in ('remind', 'escalate'))
      )`);
    await q.query(`create index ix_review_chases_open on review_chases (submission_id) where resolved_at is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table review_chases`);
    await q.query(`drop index ix_report_periods_provisional`);
    await q.query(`drop index ix_tasks_provisional`);
    await q.query(`drop index ix_report_periods_unopened`);
    await q.query(`alter table report_periods drop column opened_at, drop column due_working_days`);
    await q.query(`
      alter table tasks
        drop column due_on_working_days, drop column due_on_basis, drop column accept_due_working_days,
        drop column accept_due_basis, drop column deadline_settings`);
    await q.query(`alter table documents drop column deadline_settings`);
  }
}
