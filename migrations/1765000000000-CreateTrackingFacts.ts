import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tracking read model (decision 51): one fact row per task (its group keys and its figures as
 * of `tracking_state.as_of`), its report figures per month, and roll-ups of those facts per group.
 * Writes only append the changed task's id to `tracking_dirty` (statement-level triggers); the
 * worker folds dirty tasks into the facts and roll-ups. Reads add, for the dirty tasks and for the
 * tasks whose dates fall between `as_of` and today, the live figures minus the stored ones, so
 * they are exact whatever the worker's lag.
 */
export class CreateTrackingFacts1765000000000 implements MigrationInterface {
  name = 'CreateTrackingFacts1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // needs_rebuild: the facts do not describe the tasks (a database that had tasks before this
    // migration, a calendar change, a bulk load without triggers); reads use the base tables until
    // the worker has rebuilt everything.
    await q.query(`
      create table tracking_state (
        id boolean primary key default true,
        as_of date not null,
        warn_until date not null,
        needs_rebuild boolean not null,
        refreshed_at timestamptz,
        constraint ck_tracking_state_single check (id)
      )`);
    await q.query(`
      insert into tracking_state (as_of, warn_until, needs_rebuild)
      select (now() at time zone 'Asia/Shanghai')::date, (now() at time zone 'Asia/Shanghai')::date, exists (select 1 from tasks)`);
    await q.query(`create table tracking_dirty (id bigserial primary key, task_id uuid not null)`);
    await q.query(`create index ix_tracking_dirty_task on tracking_dirty (task_id)`);

    // Working days from 2000-01-01 up to each day: a span's working days are a difference of two
    // ordinals, so figures can carry sums of ordinals. Regenerated whenever the calendar changes.
    await q.query(`create table tracking_day_ordinals (day date primary key, ord integer not null)`);
    await q.query(`
      create function tracking_fill_ordinals() returns void language sql as $$
        delete from tracking_day_ordinals;
        insert into tracking_day_ordinals (day, ord)
        select g.day, (sum(case when cd.kind in ('workday', 'makeup_workday') then 1
                                when cd.kind in ('holiday', 'weekend') then 0
                                when extract(isodow from g.day) < 6 then 1 else 0 end) over (order by g.day))::integer
          from (select d::date as day from generate_series(date '2000-01-01', date '2100-12-31', interval '1 day') d) g
          left join calendar_days cd on cd.day = g.day;
      $$`);
    await q.query(`select tracking_fill_ordinals()`);
    // A calendar change moves ordinals: every stored figure is then rebuilt (reads use the base tables meanwhile).
    await q.query(`
      create function tracking_calendar_changed() returns trigger language plpgsql as $$
      begin
        perform tracking_fill_ordinals();
        update tracking_state set needs_rebuild = true where exists (select 1 from tasks);
        return null;
      end $$`);
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`create trigger trg_calendar_days_tracking_${op} after ${op} on calendar_days for each statement execute function tracking_calendar_changed()`);
    }

    await q.query(`
      create table task_facts (
        task_id uuid primary key,
        document_id uuid not null,
        measure_id uuid,
        section_no integer,
        origin varchar(8) not null,
        lead_units uuid[] not null,
        lead_zones uuid[] not null,
        scope_units uuid[] not null,
        scope_zones uuid[] not null,
        status varchar(24) not null,
        due_on date,
        closed_on date,
        light smallint not null,
        overdue boolean not null,
        due_ord integer,
        start_ord integer,
        close_ord integer,
        open_esc integer not null,
        rep_due integer not null,
        rep_on_time integer not null,
        rep_missed integer not null,
        returned integer not null
      )`);
    await q.query(`create index ix_task_facts_document on task_facts (document_id)`);
    await q.query(`create index ix_task_facts_lead_units on task_facts using gin (lead_units)`);
    await q.query(`create index ix_task_facts_lead_zones on task_facts using gin (lead_zones)`);
    await q.query(`create index ix_task_facts_scope_units on task_facts using gin (scope_units)`);
    await q.query(`create index ix_task_facts_scope_zones on task_facts using gin (scope_zones)`);
    await q.query(`
      create table task_period_facts (
        task_id uuid not null,
        month date not null,
        rep_due integer not null,
        rep_on_time integer not null,
        rep_missed integer not null,
        returned integer not null,
        primary key (task_id, month)
      )`);

    const figures = `tasks integer not null default 0,
        st_assigned integer not null default 0, st_accepted integer not null default 0, st_in_progress integer not null default 0,
        st_completion_requested integer not null default 0, st_closed integer not null default 0, st_suspended integer not null default 0,
        green integer not null default 0, yellow integer not null default 0, red integer not null default 0,
        overdue integer not null default 0, due_ord_sum bigint not null default 0, open_esc integer not null default 0`;
    const monthly = `rep_due integer not null default 0, rep_on_time integer not null default 0, rep_missed integer not null default 0,
        returned integer not null default 0, closed integer not null default 0, start_ord_sum bigint not null default 0, close_ord_sum bigint not null default 0`;
    // dim: m (each task once, k1 = measure or the zero id), u (k1 = lead unit), c (k1 = city of a
    // lead unit), cu (k1 = city of a lead unit, k2 = lead unit), s (k1 = city of any unit of the
    // task), su (k1 = that city, k2 = lead unit).
    await q.query(`
      create table tracking_rollup (
        dim varchar(2) not null, k1 uuid not null, k2 uuid not null, document_id uuid not null,
        ${figures}, ${monthly},
        primary key (dim, k1, k2, document_id)
      )`);
    // Reads name a dimension and a document (the zero id for all documents), often a first key.
    await q.query(`create index ix_tracking_rollup_doc on tracking_rollup (dim, document_id, k1)`);
    // Groups whose last task left are deleted after each batch, found through this.
    await q.query(`create index ix_tracking_rollup_empty on tracking_rollup (dim) where tasks = 0`);
    await q.query(`
      create table tracking_rollup_month (
        dim varchar(2) not null, k1 uuid not null, k2 uuid not null, month date not null, document_id uuid not null,
        ${monthly},
        primary key (dim, month, k1, k2, document_id)
      )`);
    await q.query(`create index ix_tracking_rollup_month_doc on tracking_rollup_month (dim, document_id, month, k1)`);

    // Target progress: per task, indicator and unit (the zero id for a whole-province value), the
    // latest approved value and when it was approved, and whether any submission gave a value;
    // per measure, indicator and unit the province's latest of those, and how many tasks reported.
    await q.query(`
      create table task_value_facts (
        task_id uuid not null,
        measure_id uuid not null,
        indicator varchar(200) not null,
        unit_id uuid not null,
        value numeric,
        reviewed_at timestamptz,
        submitted_at timestamptz,
        reported boolean not null,
        primary key (task_id, indicator, unit_id)
      )`);
    await q.query(`create index ix_task_value_facts_group on task_value_facts (measure_id, indicator, unit_id)`);
    await q.query(`
      create table tracking_target_values (
        measure_id uuid not null,
        indicator varchar(200) not null,
        unit_id uuid not null,
        value numeric,
        reviewed_at timestamptz,
        submitted_at timestamptz,
        reported_tasks integer not null,
        primary key (measure_id, indicator, unit_id)
      )`);

    // Dirty marking: the ids of the tasks a statement touched, nothing else.
    await q.query(`
      create function tracking_mark_dirty() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'tasks' then
          if tg_op = 'UPDATE' then
            insert into tracking_dirty (task_id)
            select n.id from new_rows n join old_rows o on o.id = n.id
             where (n.status, n.due_on, n.closed_at, n.document_id, n.measure_id) is distinct from (o.status, o.due_on, o.closed_at, o.document_id, o.measure_id);
          elsif tg_op = 'INSERT' then
            insert into tracking_dirty (task_id) select id from new_rows;
          else
            insert into tracking_dirty (task_id) select id from old_rows;
          end if;
        elsif tg_table_name = 'documents' then
          insert into tracking_dirty (task_id)
          select t.id from tasks t join new_rows n on n.id = t.document_id join old_rows o on o.id = n.id
           where n.published_at is distinct from o.published_at;
        elsif tg_table_name = 'submission_values' then
          if tg_op in ('INSERT', 'UPDATE') then
            insert into tracking_dirty (task_id)
            select distinct rs.task_id from report_submissions rs where rs.id in (select submission_id from new_rows);
          end if;
          if tg_op in ('DELETE', 'UPDATE') then
            insert into tracking_dirty (task_id)
            select distinct rs.task_id from report_submissions rs where rs.id in (select submission_id from old_rows);
          end if;
        elsif tg_table_name = 'units' then
          insert into tracking_dirty (task_id)
          select tu.task_id from task_units tu join new_rows n on n.id = tu.unit_id join old_rows o on o.id = n.id
           where (n.parent_id, n.kind) is distinct from (o.parent_id, o.kind);
        -- Updates count only when a column the figures read changed: opening a period, a sign-off
        -- or copying a due date changes nothing.
        elsif tg_op = 'UPDATE' and tg_table_name = 'report_periods' then
          insert into tracking_dirty (task_id)
          select task_id from (select task_id, id, starts_on, ends_on, due_on from new_rows except select task_id, id, starts_on, ends_on, due_on from old_rows) c
          union select task_id from (select task_id, id, starts_on, ends_on, due_on from old_rows except select task_id, id, starts_on, ends_on, due_on from new_rows) c;
        elsif tg_op = 'UPDATE' and tg_table_name = 'report_submissions' then
          insert into tracking_dirty (task_id)
          select task_id from (select task_id, id, period_id, status, submitted_at, reviewed_at from new_rows except select task_id, id, period_id, status, submitted_at, reviewed_at from old_rows) c
          union select task_id from (select task_id, id, period_id, status, submitted_at, reviewed_at from old_rows except select task_id, id, period_id, status, submitted_at, reviewed_at from new_rows) c;
        elsif tg_op = 'UPDATE' and tg_table_name = 'escalations' then
          insert into tracking_dirty (task_id)
          select task_id from (select task_id, id, level, resolved_at, obligation_type, obligation_id from new_rows except select task_id, id, level, resolved_at, obligation_type, obligation_id from old_rows) c
          union select task_id from (select task_id, id, level, resolved_at, obligation_type, obligation_id from old_rows except select task_id, id, level, resolved_at, obligation_type, obligation_id from new_rows) c;
        elsif tg_op = 'UPDATE' and tg_table_name = 'task_units' then
          insert into tracking_dirty (task_id)
          select task_id from (select task_id, unit_id, role from new_rows except select task_id, unit_id, role from old_rows) c
          union select task_id from (select task_id, unit_id, role from old_rows except select task_id, unit_id, role from new_rows) c;
        elsif tg_op = 'DELETE' then
          insert into tracking_dirty (task_id) select distinct task_id from old_rows;
        elsif tg_op = 'INSERT' then
          -- Rows written with their task (publish): the task is already marked in this transaction.
          insert into tracking_dirty (task_id)
          select distinct n.task_id from new_rows n
           where not exists (select 1 from tracking_dirty d where d.task_id = n.task_id and d.xmin = pg_current_xact_id()::xid);
        else
          insert into tracking_dirty (task_id) select distinct task_id from new_rows union select task_id from old_rows;
        end if;
        return null;
      end $$`);
    for (const table of ['tasks', 'task_units', 'report_periods', 'report_submissions', 'escalations']) {
      await q.query(`create trigger trg_${table}_tracking_insert after insert on ${table} referencing new table as new_rows for each statement execute function tracking_mark_dirty()`);
      await q.query(`create trigger trg_${table}_tracking_update after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function tracking_mark_dirty()`);
      await q.query(`create trigger trg_${table}_tracking_delete after delete on ${table} referencing old table as old_rows for each statement execute function tracking_mark_dirty()`);
    }
    // Values change with their submission's row, except when edited alone: covered here.
    await q.query(`create trigger trg_submission_values_tracking_update after update on submission_values referencing old table as old_rows new table as new_rows for each statement execute function tracking_mark_dirty()`);
    await q.query(`create trigger trg_submission_values_tracking_delete after delete on submission_values referencing old table as old_rows for each statement execute function tracking_mark_dirty()`);
    await q.query(`create trigger trg_submission_values_tracking_insert after insert on submission_values referencing new table as new_rows for each statement execute function tracking_mark_dirty()`);
    for (const table of ['documents', 'units']) {
      await q.query(`create trigger trg_${table}_tracking_update after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function tracking_mark_dirty()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['documents', 'units']) await q.query(`drop trigger trg_${table}_tracking_update on ${table}`);
    for (const op of ['insert', 'update', 'delete']) await q.query(`drop trigger trg_submission_values_tracking_${op} on submission_values`);
    for (const table of ['tasks', 'task_units', 'report_periods', 'report_submissions', 'escalations']) {
      for (const op of ['insert', 'update', 'delete']) await q.query(`drop trigger trg_${table}_tracking_${op} on ${table}`);
    }
    await q.query(`drop function tracking_mark_dirty()`);
    for (const op of ['insert', 'update', 'delete']) await q.query(`drop trigger trg_calendar_days_tracking_${op} on calendar_days`);
    await q.query(`drop function tracking_calendar_changed()`);
    await q.query(`drop function tracking_fill_ordinals()`);
    for (const t of ['tracking_target_values', 'task_value_facts', 'tracking_rollup_month', 'tracking_rollup', 'task_period_facts', 'task_facts', 'tracking_day_ordinals', 'tracking_dirty', 'tracking_state']) await q.query(`drop table ${t}`);
  }
}
