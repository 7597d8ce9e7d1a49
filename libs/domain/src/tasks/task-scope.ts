import { hasRole, type Actor } from '../accounts/actor';

/** How an actor stands to a task. Decides what they may see and do. */
export type TaskRelation = 'coordinator' | 'auditor' | 'lead' | 'cooperating' | 'city' | 'none';

/** Sees every task of the province: the bureau's coordinators, admins and auditors. */
export function seesAllTasks(actor: Actor): boolean {
  return hasRole(actor, 'coordinator', 'admin', 'auditor');
}

/**
 * SQL condition restricting alias `t` (tasks) to what the actor may see, with its parameters
 * numbered from `firstParam`. Every task query takes it: a query without a scope does not exist.
 */
export function taskScopeSql(actor: Actor, firstParam: number, alias = 't'): { sql: string; params: unknown[] } {
  if (seesAllTasks(actor)) return { sql: 'true', params: [] };
  if (actor.cityId && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government')) {
    // City bureau users oversee every unit of their city: the city government, its bureau, its counties.
    return {
      sql: `exists (select 1 from task_units tu join units u on u.id = tu.unit_id
                     where tu.task_id = ${alias}.id and (u.id = $${firstParam} or u.parent_id = $${firstParam}))`,
      params: [actor.cityId],
    };
  }
  return { sql: `exists (select 1 from task_units tu where tu.task_id = ${alias}.id and tu.unit_id = $${firstParam})`, params: [actor.unitId] };
}

/** Rows a task list reads (`from`, with the scope in `where`) and its order, by due date then id. */
export interface TaskListSource {
  /** The rows, without `tasks t` when the scope does not need it. */
  from: string;
  /** The rows joined to `tasks t`, for conditions on task columns. */
  fromWithTasks: string;
  where: string;
  params: unknown[];
  /** Columns holding the task's id and due date in `from`, for the page's keys and order. */
  id: string;
  dueOn: string;
  /** Names the scope (all tasks, one unit's, one city's), for the list key in page cursors. */
  key: string;
}

/**
 * The task list's row source for the actor. For an actor scoped to one unit it is that unit's
 * `task_units` rows joined to their tasks (exactly the tasks `taskScopeSql` admits, one row each by
 * the primary key), ordered through `task_units.due_on` so a page is a range of one index
 * (decision 46). City users' lists are driven by the distinct tasks of their city's units' rows.
 * For everyone else, it is `tasks t` under `taskScopeSql`.
 */
export function taskListSourceSql(actor: Actor, firstParam: number): TaskListSource {
  const key = taskScopeCountKey(actor);
  if (!key && actor.cityId) {
    // The city's tasks are the distinct tasks of its units' task_units rows: the condition of
    // taskScopeSql, read from the index on task_units instead of tested on every task.
    // (An array of the city's units, so the planner reads their index ranges instead of joining every row.)
    const from = `(select distinct s.task_id, s.due_on from task_units s
                    where s.unit_id = any(array(select u.id from units u where u.id = $${firstParam} or u.parent_id = $${firstParam}))) s`;
    return { from, fromWithTasks: `${from} join tasks t on t.id = s.task_id`, where: 'true', params: [actor.cityId], id: 's.task_id', dueOn: 's.due_on', key: `city:${actor.cityId}` };
  }
  if (key && key !== ALL_TASKS_COUNT_KEY) {
    return { from: 'task_units s', fromWithTasks: 'task_units s join tasks t on t.id = s.task_id', where: `s.unit_id = $${firstParam}`, params: [key], id: 's.task_id', dueOn: 's.due_on', key: `unit:${key}` };
  }
  const scope = taskScopeSql(actor, firstParam);
  return { from: 'tasks t', fromWithTasks: 'tasks t', where: scope.sql, params: scope.params, id: 't.id', dueOn: 't.due_on', key: key === ALL_TASKS_COUNT_KEY ? 'all' : `scope:${actor.unitId}` };
}

/** The `task_counts` key under which all tasks are counted. */
export const ALL_TASKS_COUNT_KEY = '00000000-0000-0000-0000-000000000000';

/**
 * The `task_counts` row holding the number of tasks in the actor's whole scope, or null when no
 * counter covers it (city users: a task may involve several units of one city). The same rule as
 * `taskScopeSql`: all tasks, or the tasks of the actor's unit.
 */
/** What an actor's task scope is, as a key: everything, a city's units, or one unit. Equal keys see the same tasks. */
export function taskScopeKey(actor: Actor): string {
  if (seesAllTasks(actor)) return 'all';
  if (actor.cityId && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government')) return `city:${actor.cityId}`;
  return `unit:${actor.unitId}`;
}

export function taskScopeCountKey(actor: Actor): string | null {
  if (seesAllTasks(actor)) return ALL_TASKS_COUNT_KEY;
  if (actor.cityId && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government')) return null;
  return actor.unitId;
}

/** The actor's relation to a task, from its units (unit id -> role, and each unit's parent). */
export function relationTo(actor: Actor, units: { unitId: string; role: 'lead' | 'cooperating'; parentId: string | null }[]): TaskRelation {
  if (hasRole(actor, 'coordinator')) return 'coordinator';
  const own = units.find((u) => u.unitId === actor.unitId);
  if (own) return own.role;
  if (hasRole(actor, 'admin', 'auditor')) return 'auditor';
  if (actor.cityId && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government')) {
    if (units.some((u) => u.unitId === actor.cityId || u.parentId === actor.cityId)) return 'city';
  }
  return 'none';
}
