import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Policy documents, their measures and the units each measure names, and the tasks published from them. */
export class CreateDocumentsAndTasks1763942400000 implements MigrationInterface {
  name = 'CreateDocumentsAndTasks1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table documents (
        id uuid primary key default gen_random_uuid(),
        doc_number varchar(64),
        title text,
        enclosed_title text,
        issuer text,
        issued_on date,
        addressees jsonb not null default '[]'::jsonb,
        cc jsonb not null default '[]'::jsonb,
        requests jsonb not null default '[]'::jsonb,
        sections jsonb not null default '[]'::jsonb,
        forms jsonb not null default '[]'::jsonb,
        warnings jsonb not null default '[]'::jsonb,
        parsed jsonb not null,
        cleaned_text text not null,
        source_filename varchar(255),
        source_type varchar(8) not null,
        source_sha256 char(64) not null,
        source_bytes integer not null,
        status varchar(16) not null default 'draft',
        published_at timestamptz,
        published_by uuid references users (id) on delete set null,
        created_by uuid references users (id) on delete set null,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint ck_documents_status check (status in ('draft', 'published')),
        constraint ck_documents_source_type check (source_type in ('txt', 'docx', 'pdf', 'text'))
      )`);
    // A 文号 identifies one document; documents without one may repeat.
    await q.query(`create unique index uq_documents_doc_number on documents (doc_number) where doc_number is not null`);
    await q.query(`create index ix_documents_status on documents (status, created_at desc)`);
    await q.query(`
      create table measures (
        id uuid primary key default gen_random_uuid(),
        document_id uuid not null references documents (id) on delete cascade,
        no integer not null,
        label varchar(32) not null,
        printed_no integer not null,
        section_no integer,
        section_heading text,
        title text not null,
        body text not null,
        span_start integer not null,
        span_end integer not null,
        lead_mode varchar(16),
        deadlines jsonb not null default '[]'::jsonb,
        targets jsonb not null default '[]'::jsonb,
        places jsonb not null default '[]'::jsonb,
        due_on date,
        reporting_cycle varchar(16) not null default 'quarterly',
        dispatch boolean not null default true,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_measures_document_no unique (document_id, no),
        constraint ck_measures_lead_mode check (lead_mode in ('single', 'joint', 'respective')),
        constraint ck_measures_reporting_cycle check (reporting_cycle in ('none', 'monthly', 'quarterly', 'semiannual', 'annual'))
      )`);
    // Each printed name of a measure: resolved to a unit, a collective (各市 -> every city), or unresolved.
    await q.query(`
      create table measure_units (
        id uuid primary key default gen_random_uuid(),
        measure_id uuid not null references measures (id) on delete cascade,
        role varchar(16) not null,
        position integer not null,
        printed_name varchar(128) not null,
        unit_id uuid references units (id) on delete restrict,
        collective varchar(32),
        constraint uq_measure_units_name unique (measure_id, role, printed_name),
        constraint ck_measure_units_role check (role in ('lead', 'cooperating')),
        constraint ck_measure_units_target check (unit_id is null or collective is null)
      )`);
    await q.query(`create index ix_measure_units_measure_id on measure_units (measure_id)`);
    await q.query(`
      create table tasks (
        id uuid primary key default gen_random_uuid(),
        document_id uuid not null references documents (id) on delete restrict,
        measure_id uuid not null references measures (id) on delete restrict,
        assignment_key char(64) not null,
        title text not null,
        status varchar(24) not null default 'assigned',
        due_on date,
        reporting_cycle varchar(16) not null,
        priority varchar(8) not null default 'normal',
        targets jsonb not null default '[]'::jsonb,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_tasks_measure_assignment unique (measure_id, assignment_key),
        constraint ck_tasks_status check (status in ('assigned', 'accepted', 'in_progress', 'completion_requested', 'closed', 'suspended')),
        constraint ck_tasks_priority check (priority in ('high', 'normal', 'low')),
        constraint ck_tasks_reporting_cycle check (reporting_cycle in ('none', 'monthly', 'quarterly', 'semiannual', 'annual'))
      )`);
    await q.query(`create index ix_tasks_document_id on tasks (document_id)`);
    await q.query(`create index ix_tasks_status_due_on on tasks (status, due_on)`);
    await q.query(`
      create table task_units (
        task_id uuid not null references tasks (id) on delete cascade,
        unit_id uuid not null references units (id) on delete restrict,
        role varchar(16) not null,
        constraint pk_task_units primary key (task_id, unit_id),
        constraint ck_task_units_role check (role in ('lead', 'cooperating'))
      )`);
    // An officer's task list starts from their unit.
    await q.query(`create index ix_task_units_unit_role on task_units (unit_id, role, task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table task_units`);
    await q.query(`drop table tasks`);
    await q.query(`drop table measure_units`);
    await q.query(`drop table measures`);
    await q.query(`drop table documents`);
  }
}
