import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * County pairing assistance (县际结对帮扶) and statistics forms: templates, collection campaigns,
 * submissions; pairings, their work records and annual assessments. Tasks may now come from a
 * form campaign or a pairing's annual visit obligation, not only from a measure.
 */
export class CreatePairingsAndForms1764806400000 implements MigrationInterface {
  name = 'CreatePairingsAndForms1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table form_templates (
        id uuid primary key default gen_random_uuid(),
        title text not null,
        kind varchar(16) not null default 'generic',
        columns jsonb not null,
        header_fields jsonb not null default '[]'::jsonb,
        footer_fields jsonb not null default '[]'::jsonb,
        unique_by jsonb not null default '[]'::jsonb,
        source_document_id uuid references documents (id) on delete set null,
        created_by uuid references users (id) on delete set null,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint ck_form_templates_kind check (kind in ('generic', 'pairing'))
      )`);
    await q.query(`
      create table form_campaigns (
        id uuid primary key default gen_random_uuid(),
        template_id uuid not null references form_templates (id) on delete restrict,
        document_id uuid not null references documents (id) on delete restrict,
        title text not null,
        due_on date not null,
        status varchar(8) not null default 'open',
        closed_at timestamptz,
        created_by uuid references users (id) on delete set null,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint ck_form_campaigns_status check (status in ('open', 'closed'))
      )`);
    await q.query(`
      create table pairings (
        id uuid primary key default gen_random_uuid(),
        city_id uuid not null references units (id) on delete restrict,
        assisted_id uuid not null references units (id) on delete restrict,
        helper_id uuid not null references units (id) on delete restrict,
        responsible_person varchar(64) not null,
        responsible_title varchar(128) not null,
        contact_phone varchar(32) not null,
        remarks text not null default '',
        starts_on date not null,
        ends_on date,
        created_by uuid references users (id) on delete set null,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_pairings_assisted_helper unique (assisted_id, helper_id),
        constraint ck_pairings_distinct check (assisted_id <> helper_id),
        constraint ck_pairings_dates check (ends_on is null or ends_on >= starts_on)
      )`);
    await q.query(`create index ix_pairings_city on pairings (city_id)`);
    await q.query(`create index ix_pairings_helper on pairings (helper_id)`);
    await q.query(`
      create table form_submissions (
        id uuid primary key default gen_random_uuid(),
        campaign_id uuid not null references form_campaigns (id) on delete cascade,
        unit_id uuid not null references units (id) on delete restrict,
        task_id uuid not null references tasks (id) on delete restrict,
        revision integer not null,
        status varchar(12) not null default 'submitted',
        source varchar(8) not null,
        header jsonb not null,
        rows jsonb not null,
        late boolean not null,
        submitted_at timestamptz not null,
        submitted_by uuid references users (id) on delete set null,
        reviewed_at timestamptz,
        reviewed_by uuid references users (id) on delete set null,
        review_comment text,
        applied_at timestamptz,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_form_submissions_revision unique (campaign_id, unit_id, revision),
        constraint ck_form_submissions_status check (status in ('submitted', 'accepted', 'returned')),
        constraint ck_form_submissions_source check (source in ('json', 'xlsx'))
      )`);
    await q.query(`create index ix_form_submissions_status on form_submissions (status, submitted_at)`);
    await q.query(`
      create table pairing_work_records (
        id uuid primary key default gen_random_uuid(),
        pairing_id uuid not null references pairings (id) on delete cascade,
        year integer not null,
        area varchar(16) not null,
        occurred_on date not null,
        metrics jsonb not null default '{}'::jsonb,
        note text not null default '',
        created_by uuid references users (id) on delete set null,
        created_at timestamptz not null default now(),
        constraint ck_pairing_work_records_area check (area in ('industry', 'labour', 'talent', 'funds', 'social', 'meeting', 'visit'))
      )`);
    await q.query(`create index ix_pairing_work_records_pairing_year on pairing_work_records (pairing_id, year)`);
    await q.query(`
      create table pairing_assessments (
        id uuid primary key default gen_random_uuid(),
        pairing_id uuid not null references pairings (id) on delete cascade,
        year integer not null,
        grade varchar(8) not null,
        score numeric(5, 1),
        comment text not null default '',
        assessed_by uuid references users (id) on delete set null,
        assessed_at timestamptz not null,
        version integer not null default 1,
        constraint uq_pairing_assessments_year unique (pairing_id, year),
        constraint ck_pairing_assessments_grade check (grade in ('优秀', '良好', '一般', '较差'))
      )`);
    // Tasks from a form campaign or a pairing's annual mutual visit have no measure.
    await q.query(`alter table tasks alter column measure_id drop not null`);
    await q.query(`alter table tasks add column origin varchar(8) not null default 'measure'`);
    await q.query(`alter table tasks add column form_campaign_id uuid references form_campaigns (id) on delete restrict`);
    await q.query(`alter table tasks add column pairing_id uuid references pairings (id) on delete set null`);
    await q.query(`alter table tasks add constraint ck_tasks_origin check (origin in ('measure', 'form', 'visit') and ((origin = 'measure') = (measure_id is not null)) and (origin <> 'form' or form_campaign_id is not null))`);
    await q.query(`create unique index uq_tasks_campaign_assignment on tasks (form_campaign_id, assignment_key) where form_campaign_id is not null`);
    await q.query(`create unique index uq_tasks_visit_assignment on tasks (assignment_key) where origin = 'visit'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index uq_tasks_visit_assignment`);
    await q.query(`drop index uq_tasks_campaign_assignment`);
    await q.query(`alter table tasks drop constraint ck_tasks_origin`);
    await q.query(`drop table form_submissions`);
    // Tasks without a measure cannot survive the old schema (their periods, reminders and escalations cascade).
    await q.query(`delete from tasks where measure_id is null`);
    await q.query(`alter table tasks drop column pairing_id`);
    await q.query(`alter table tasks drop column form_campaign_id`);
    await q.query(`alter table tasks drop column origin`);
    await q.query(`alter table tasks alter column measure_id set not null`);
    await q.query(`drop table pairing_assessments`);
    await q.query(`drop table pairing_work_records`);
    await q.query(`drop table pairings`);
    await q.query(`drop table form_campaigns`);
    await q.query(`drop table form_templates`);
  }
}
