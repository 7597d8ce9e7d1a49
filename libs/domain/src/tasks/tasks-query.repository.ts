import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { decodeTaskListCursor, encodeTaskListCursor, taskListKey } from './task-list-cursor';
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
  /** Rows to skip before the page (walked in the index: the slow path for deep pages). */
  offset: number;
  /** A `nextCursor` of this list: the page starts after its row (keyset paging); offset is then 0. */
  after?: string;
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

  /**
   * A page of the actor's tasks in due-date order (nulls last, then id), the list's total, and the
   * cursor of the next page (null on the last). With `after`, the page is the next range of the
   * list's index after that cursor's row (keyset paging, the fast path): rows that stay put are
   * neither skipped nor repeated while others are added, changed or removed. Without it, `offset`
   * rows are skipped (walked) first.
   */
  async list(actor: Actor, filter: TaskListFilter): Promise<{ items: TaskListRow[]; total: number; nextCursor: string | null }> {
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
    const listKey = taskListKey([source.key, filter.status ?? '', filter.documentId ?? '', filter.unitId ?? '', filter.overdueOn ? 'overdue' : '']);
    const after = filter.after === undefined ? null : decodeTaskListCursor(filter.after, listKey);
    const clause = where.join(' and ');
    const from = where.length > 1 ? source.fromWithTasks : source.from;
    // The total: one row of task_counts when the list is the actor's whole scope (no filter) and a
    // counter covers it (decision 46), else an exact count.
    const countKey = where.length === 1 ? taskScopeCountKey(actor) : null;
    const total = countKey
      ? `coalesce((select c.tasks from task_counts c where c.unit_id = $${params.push(countKey)}), 0)`
      : `(select count(*) from ${from} where ${clause})`;
    // The page's ids, one more than the page to tell whether a next page exists.
    const take = filter.limit + 1;
    const rows = `select ${source.id} as id, ${source.dueOn} as due_on from ${from} where ${clause}`;
    const order = `order by ${source.dueOn} nulls last, ${source.id}`;
    let ids: string;
    if (!after) {
      ids = `${rows} ${order} limit ${take} offset ${filter.offset}`;
    } else if (after.dueOn === null) {
      ids = `${rows} and ${source.dueOn} is null and ${source.id} > $${params.push(after.id)}::uuid ${order} limit ${take}`;
    } else {
      // Tasks without a due date come last. A row comparison is one index range but never matches
      // a null, and an OR with "is null" would walk the index from the start, so the dateless
      // tasks are a second range, merged in order.
      const key = `($${params.push(after.dueOn)}::date, $${params.push(after.id)}::uuid)`;
      ids = `select * from ((${rows} and (${source.dueOn}, ${source.id}) > ${key} ${order} limit ${take})
                            union all (${rows} and ${source.dueOn} is null ${order} limit ${take})) k
              order by k.due_on nulls last, k.id limit ${take}`;
    }
    // One round trip: the total, left-joined to the page. The page's ids come first, from the list's
    // order alone (an index-only scan when no filter needs a task column); rows and lead units' names
    // only for those ids (each name by the units primary key: cheaper than a join per task). The
    // sort key stays in SQL (not parsed into a Date for nothing).
    const found: Record<string, unknown>[] = await this.dataSource.query(
      `select n.total, p.id, p.title, p.status, p.due_on, p.document_id, p.measure_id, p.version, p.leads
         from (select ${total} as total) n
         left join lateral (
           select t.id, t.title, t.status, t.due_on::text as due_on, k.due_on as due_sort, t.document_id, t.measure_id, t.version,
                  array(select (select u.short_name from units u where u.id = l.unit_id) as name from task_units l
                         where l.task_id = t.id and l.role = 'lead' order by name) as leads
             from (${ids}) k
             join tasks t on t.id = k.id) p on true
        order by p.due_sort nulls last, p.id`,
      params,
    );
    const items: TaskListRow[] = found
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
      }));
    const more = items.length > filter.limit;
    if (more) items.length = filter.limit;
    const last = items[items.length - 1];
    return { total: Number(found[0].total), items, nextCursor: more ? encodeTaskListCursor({ dueOn: last.dueOn, id: last.id }, listKey) : null };
  }
}
