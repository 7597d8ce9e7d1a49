import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task list at a million tasks (decision 46): indexes in the list's order (tasks by due date, and
 * each unit's tasks by due date through a copy of `due_on` in `task_units`, kept by triggers), and
 * task counts per unit (plus one row, the nil uuid, for all tasks) kept by statement-level triggers,
 * so an unfiltered list's total is one row read instead of a count over the unit's tasks.
 */
export class AddTaskListPaging1764700000000 implements MigrationInterface {
  name = 'AddTaskListPaging1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index ix_tasks_due_on_id on tasks (due_on, id)`);
    await q.query(`alter table task_units add column due_on date`);
    await q.query(`update task_units tu set due_on = t.due_on from tasks t where t.id = tu.task_id and t.due_on is not null`);
    await q.query(`create index ix_task_units_unit_due on task_units (unit_id, due_on, task_id)`);
    // task_units.due_on is always its task's: copied on insert, and followed when the task's due date moves.
    await q.query(`
      create function task_units_copy_due_on() returns trigger language plpgsql as $$
      begin
        select t.due_on into new.due_on from tasks t where t.id = new.task_id;
        return new;
      end $$`);
    await q.query(`create trigger trg_task_units_due_on before insert or update of task_id, due_on on task_units for each row execute function task_units_copy_due_on()`);
    await q.query(`
      create function tasks_follow_due_on() returns trigger language plpgsql as $$
      begin
        update task_units set due_on = new.due_on where task_id = new.id;
        return null;
      end $$`);
    await q.query(
      `create trigger trg_tasks_due_on after update of due_on on tasks for each row when (old.due_on is distinct from new.due_on) execute function tasks_follow_due_on()`,
    );
    await q.query(`
      create table task_counts (
        unit_id uuid primary key,
        tasks integer not null,
        constraint ck_task_counts_tasks check (tasks >= 0)
      )`);
    await q.query(`comment on table task_counts is 'Tasks per unit (task_units rows) and, under the nil uuid, all tasks; kept by triggers'`);
    // One function for every event: INSERT adds new_rows, DELETE subtracts old_rows, UPDATE does both.
    // Rows are locked in unit order, so two writers never wait on each other in opposite orders.
    await q.query(`
      create function task_counts_apply() returns trigger language plpgsql as $$
      begin
        if tg_op in ('INSERT', 'UPDATE') then
          if tg_table_name = 'tasks' then
            insert into task_counts (unit_id, tasks) select '00000000-0000-0000-0000-000000000000', count(*) from new_rows having count(*) > 0
              on conflict (unit_id) do update set tasks = task_counts.tasks + excluded.tasks;
          else
            insert into task_counts (unit_id, tasks) select unit_id, count(*) from new_rows group by unit_id order by unit_id
              on conflict (unit_id) do update set tasks = task_counts.tasks + excluded.tasks;
          end if;
        end if;
        if tg_op in ('DELETE', 'UPDATE') then
          if tg_table_name = 'tasks' then
            update task_counts c set tasks = c.tasks - (select count(*) from old_rows) where c.unit_id = '00000000-0000-0000-0000-000000000000';
          else
            update task_counts c set tasks = c.tasks - d.n
              from (select unit_id, count(*) as n from old_rows group by unit_id order by unit_id) d where c.unit_id = d.unit_id;
          end if;
        end if;
        return null;
      end $$`);
    await q.query(`create trigger trg_task_units_count_insert after insert on task_units referencing new table as new_rows for each statement execute function task_counts_apply()`);
    await q.query(`create trigger trg_task_units_count_delete after delete on task_units referencing old table as old_rows for each statement execute function task_counts_apply()`);
    await q.query(
      `create trigger trg_task_units_count_update after update on task_units referencing old table as old_rows new table as new_rows for each statement execute function task_counts_apply()`,
    );
    await q.query(`create trigger trg_tasks_count_insert after insert on tasks referencing new table as new_rows for each statement execute function task_counts_apply()`);
    await q.query(`create trigger trg_tasks_count_delete after delete on tasks referencing old table as old_rows for each statement execute function task_counts_apply()`);
    await q.query(`
      insert into task_counts (unit_id, tasks)
      select unit_id, count(*) from task_units group by unit_id
      union all select '00000000-0000-0000-0000-000000000000', count(*) from tasks`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop trigger trg_tasks_count_delete on tasks`);
    await q.query(`drop trigger trg_tasks_count_insert on tasks`);
    await q.query(`drop trigger trg_task_units_count_update on task_units`);
    await q.query(`drop trigger trg_task_units_count_delete on task_units`);
    await q.query(`drop trigger trg_task_units_count_insert on task_units`);
    await q.query(`drop function task_counts_apply()`);
    await q.query(`drop table task_counts`);
    await q.query(`drop trigger trg_tasks_due_on on tasks`);
    await q.query(`drop function tasks_follow_due_on()`);
    await q.query(`drop trigger trg_task_units_due_on on task_units`);
    await q.query(`drop function task_units_copy_due_on()`);
    await q.query(`alter table task_units drop column due_on`);
    await q.query(`drop index ix_tasks_due_on_id`);
  }
}
