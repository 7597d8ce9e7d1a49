import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task workflow: task lifecycle columns, the hash-chained audit log, comments, extension
 * requests, report periods, submissions with indicator values, and evidence files.
 */
export class CreateWorkflow1764115200000 implements MigrationInterface {
  name = 'CreateWorkflow1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table units add column requires_signoff boolean not null default false`);
    await q.query(`
      alter table tasks
        add column accept_due_on date,
        add column accepted_at timestamptz,
        add column accepted_by uuid references users (id) on delete set null,
        add column started_at timestamptz,
        add column completion_requested_at timestamptz,
        add column completion_note text,
        add column closed_at timestamptz,
        add column closed_by uuid references users (id) on delete set null,
        add column suspended_from varchar(24),
        add column suspended_at timestamptz,
        add column suspend_reason text,
        add column remaining_working_days integer,
        add column accept_due_provisional boolean not null default false,
        add column due_on_provisional boolean not null default false,
        add constraint ck_tasks_suspension check ((status = 'suspended') = (suspended_from is not null))`);
    // The open tasks' due dates drive overdue lists and reminders.
    await q.query(`create index ix_tasks_open_due_on on tasks (due_on) where status not in ('closed', 'suspended')`);

    await q.query(`
      create table audit_log (
        id bigint generated always as identity primary key,
        at timestamptz not null,
        actor_user_id uuid,
        actor_unit_id uuid,
        actor_username varchar(64),
        action varchar(64) not null,
        entity_type varchar(32) not null,
        entity_id varchar(64) not null,
        before jsonb,
        after jsonb,
        prev_hash char(64) not null,
        hash char(64) not null,
        constraint uq_audit_log_hash unique (hash)
      )`);
    await q.query(`create index ix_audit_log_entity on audit_log (entity_type, entity_id, id)`);
    await q.query(`create index ix_audit_log_actor on audit_log (actor_user_id, id)`);
    await q.query(`create index ix_audit_log_at on audit_log (at)`);
    // Append-only: rows can be added, never changed or removed (tampering must go around the database).
    await q.query(`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only';
      end $$`);
    await q.query(`create trigger trg_audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only()`);
    await q.query(`create trigger trg_audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`);

    await q.query(`
      create table task_comments (
        id uuid primary key default gen_random_uuid(),
        task_id uuid not null references tasks (id) on delete cascade,
        author_id uuid not null references users (id) on delete restrict,
        unit_id uuid not null references units (id) on delete restrict,
        body text not null,
        created_at timestamptz not null default now(),
        constraint ck_task_comments_body check (length(body) between 1 and 5000)
      )`);
    await q.query(`create index ix_task_comments_task on task_comments (task_id, created_at)`);

    await q.query(`
      create table extension_requests (
        id uuid primary key default gen_random_uuid(),
        task_id uuid not null references tasks (id) on delete cascade,
        requested_by uuid not null references users (id) on delete restrict,
        unit_id uuid not null references units (id) on delete restrict,
        current_due_on date not null,
        requested_due_on date not null,
        reason text not null,
        status varchar(16) not null default 'pending',
        decided_by uuid references users (id) on delete set null,
        decided_at timestamptz,
        decision_note text,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint ck_extension_requests_status check (status in ('pending', 'approved', 'refused')),
        constraint ck_extension_requests_dates check (requested_due_on > current_due_on)
      )`);
    // At most one pending request per task.
    await q.query(`create unique index uq_extension_requests_pending on extension_requests (task_id) where status = 'pending'`);

    await q.query(`
      create table report_periods (
        id uuid primary key default gen_random_uuid(),
        task_id uuid not null references tasks (id) on delete cascade,
        period_key varchar(16) not null,
        starts_on date not null,
        ends_on date not null,
        due_on date not null,
        -- computed across a year whose official calendar was not imported yet (Mon-Fri assumed)
        due_provisional boolean not null default false,
        created_at timestamptz not null default now(),
        constraint uq_report_periods_task_key unique (task_id, period_key),
        constraint ck_report_periods_dates check (starts_on <= ends_on and ends_on <= due_on)
      )`);
    await q.query(`create index ix_report_periods_due_on on report_periods (due_on)`);

    await q.query(`
      create table report_submissions (
        id uuid primary key default gen_random_uuid(),
        period_id uuid not null references report_periods (id) on delete cascade,
        task_id uuid not null references tasks (id) on delete cascade,
        revision integer not null,
        unit_id uuid not null references units (id) on delete restrict,
        status varchar(20) not null,
        progress text not null,
        problems text not null default '',
        next_steps text not null default '',
        submitted_by uuid not null references users (id) on delete restrict,
        submitted_at timestamptz not null,
        signed_off_by uuid references users (id) on delete set null,
        signed_off_at timestamptz,
        reviewed_by uuid references users (id) on delete set null,
        reviewed_at timestamptz,
        review_comment text,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_report_submissions_revision unique (period_id, revision),
        constraint ck_report_submissions_status check (status in ('awaiting_signoff', 'submitted', 'approved', 'returned'))
      )`);
    await q.query(`create index ix_report_submissions_review_queue on report_submissions (submitted_at) where status = 'submitted'`);
    await q.query(`create index ix_report_submissions_task on report_submissions (task_id, period_id, revision)`);

    await q.query(`
      create table submission_values (
        id uuid primary key default gen_random_uuid(),
        submission_id uuid not null references report_submissions (id) on delete cascade,
        indicator varchar(200) not null,
        unit_id uuid references units (id) on delete restrict,
        value numeric not null,
        constraint uq_submission_values unique nulls not distinct (submission_id, indicator, unit_id)
      )`);

    await q.query(`
      create table evidence_files (
        id uuid primary key default gen_random_uuid(),
        task_id uuid not null references tasks (id) on delete cascade,
        submission_id uuid references report_submissions (id) on delete set null,
        unit_id uuid not null references units (id) on delete restrict,
        uploaded_by uuid not null references users (id) on delete restrict,
        filename varchar(255) not null,
        mime_type varchar(127) not null,
        size_bytes integer not null,
        sha256 char(64) not null,
        storage_key varchar(255) not null,
        created_at timestamptz not null default now()
      )`);
    await q.query(`create index ix_evidence_files_task on evidence_files (task_id)`);
    await q.query(`create index ix_evidence_files_submission on evidence_files (submission_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table evidence_files`);
    await q.query(`drop table submission_values`);
    await q.query(`drop table report_submissions`);
    await q.query(`drop table report_periods`);
    await q.query(`drop table extension_requests`);
    await q.query(`drop table task_comments`);
    await q.query(`drop table audit_log`);
    await q.query(`drop function audit_log_append_only()`);
    await q.query(`drop index ix_tasks_open_due_on`);
    await q.query(`
      alter table tasks
        drop constraint ck_tasks_suspension,
        drop column due_on_provisional, drop column accept_due_provisional, drop column remaining_working_days, drop column suspend_reason, drop column suspended_at, drop column suspended_from,
        drop column closed_by, drop column closed_at, drop column completion_note, drop column completion_requested_at,
        drop column started_at, drop column accepted_by, drop column accepted_at, drop column accept_due_on`);
    await q.query(`alter table units drop column requires_signoff`);
  }
}
