import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { relationTo, taskListSourceSql, taskScopeCountKey, taskScopeSql, type TaskRelation } from './task-scope';
import { TaskEntity, type TaskStatus } from './task.entity';

export interface TaskUnitRow {
  unitId: string;
  role: 'lead' | 'cooperating';
  parentId: string | null;
  name: string;
  shortName: string;
  kind: string;
  requiresSignoff: boolean;
}

export interface ScopedTask {
  task: TaskEntity;
  units: TaskUnitRow[];
  relation: TaskRelation;
}

export interface TaskListFilter {
  status?: TaskStatus;
  documentId?: string;
  unitId?: string;
  /** Only open tasks whose due date is before this date (YYYY-MM-DD). */
  overdueOn?: string;
  limit: number;
  offset: number;
}

export interface TaskListRow {
  id: string;
  title: string;
  status: TaskStatus;
  dueOn: string | null;
  documentId: string;
  measureId: string | null;
  version: number;
  leads: string[];
}

/** Task reads, always within an actor's scope; out-of-scope tasks are simply not found. */
@Injectable()
export class TasksQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The task if the actor may see it (optionally locked for update), with its units and the actor's relation. */
  async findForActor(actor: Actor, taskId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<ScopedTask | null> {
    const scope = taskScopeSql(actor, 2);
    const ids: { id: string }[] = await manager.query(`select t.id from tasks t where t.id = $1 and ${scope.sql}`, [taskId, ...scope.params]);
    if (ids.length === 0) return null;
    const task = await manager.findOne(TaskEntity, { where: { id: taskId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!task) return null;
    const units = await this.unitsOf(manager, taskId);
    return { task, units, relation: relationTo(actor, units) };
  }

  async unitsOf(manager: EntityManager, taskId: string): Promise<TaskUnitRow[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select tu.unit_id, tu.role, u.parent_id, u.name, u.short_name, u.kind, u.requires_signoff
         from task_units tu join units u on u.id = tu.unit_id where tu.task_id = $1 order by tu.role desc, u.admin_code nulls last, u.code`,
      [taskId],
    );
    return rows.map((r) => ({
      unitId: r.unit_id as string,
      role: r.role as 'lead' | 'cooperating',
      parentId: (r.parent_id as string | null) ?? null,
      name: r.name as string,
      shortName: r.short_name as string,
      kind: r.kind as string,
      requiresSignoff: r.requires_signoff as boolean,
    }));
  }

  async list(actor: Actor, filter: TaskListFilter): Promise<{ items: TaskListRow[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const source = taskListSourceSql(actor, 1);
    params.push(...source.params);
    where.push(source.where);
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.status) add('t.status = ?', filter.status);
    if (filter.documentId) add('t.document_id = ?', filter.documentId);
    if (filter.unitId) add('exists (select 1 from task_units f where f.task_id = t.id and f.unit_id = ?)', filter.unitId);
    if (filter.overdueOn) add(`t.status not in ('closed', 'suspended') and t.due_on < ?`, filter.overdueOn);
    const clause = where.join(' and ');
    const from = where.length > 1 ? source.fromWithTasks : source.from;
    // The total: one row of task_counts when the list is the actor's whole scope (no filter) and a
    // counter covers it (decision 46), else an exact count.
    const countKey = where.length === 1 ? taskScopeCountKey(actor) : null;
    const total = countKey
      ? `coalesce((select c.tasks from task_counts c where c.unit_id = $${params.push(countKey)}), 0)`
      : `(select count(*) from ${from} where ${clause})`;
    // One round trip: the total, left-joined to the page. The page's ids come first, from the list's
    // order alone (an index-only scan when no filter needs a task column); rows and lead units' names
    // only for those ids.
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select n.total, p.*
         from (select ${total} as total) n
         left join lateral (
           select t.id, t.title, t.status, t.due_on::text as due_on, k.due_on as due_sort, t.document_id, t.measure_id, t.version,
                  array(select u.short_name from task_units l join units u on u.id = l.unit_id
                         where l.task_id = t.id and l.role = 'lead' order by u.short_name) as leads
             from (select ${source.id} as id, ${source.dueOn} as due_on from ${from} where ${clause}
                    order by ${source.dueOn} nulls last, ${source.id}
                    limit ${filter.limit} offset ${filter.offset}) k
             join tasks t on t.id = k.id) p on true
        order by p.due_sort nulls last, p.id`,
      params,
    );
    return {
      total: Number(rows[0].total),
      items: rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          id: r.id as string,
          title: r.title as string,
          status: r.status as TaskStatus,
          dueOn: (r.due_on as string | null) ?? null,
          documentId: r.document_id as string,
          measureId: (r.measure_id as string | null) ?? null,
          version: r.version as number,
          leads: r.leads as string[],
        })),
    };
  }
}
