import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addWorkingDaysFlagged, CalendarService, Clock, shanghaiDate, workingDaysBetweenFlagged } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { isPgError, PG_UNIQUE_VIOLATION } from '@duban/database';
import { hasRole, type Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, ValidationFailedError } from '../common/domain.errors';
import { UnitEntity } from '../organizations/unit.entity';
import { ExtensionRequestEntity } from './extension-request.entity';
import { TaskCommentEntity } from './task-comment.entity';
import { TASK_COMMANDS, TASK_STATUS_LABELS, type TaskCommand } from './task-states';
import { TaskUnitEntity } from './task-unit.entity';
import type { TaskEntity, TaskPriority, TaskStatus } from './task.entity';
import { TasksQueryRepository, type ScopedTask } from './tasks-query.repository';
import { assignmentKeyOf } from './assignment-key';
import { applyOverridePatch } from '../deadlines/deadline-settings';

/**
 * Everything officers and coordinators do to a task. One transaction per command: the task row is
 * locked, the version the caller saw is checked (409 when stale), the rule is checked (409 for an
 * illegal transition, 403 for the wrong party), the change and its audit row are written together.
 */
@Injectable()
export class TaskWorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TasksQueryRepository,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  accept(actor: Actor, taskId: string, version: number): Promise<TaskEntity> {
    return this.transition(actor, taskId, version, 'accept', (t) => {
      t.status = 'accepted';
      t.acceptedAt = this.clock.now();
      t.acceptedBy = actor.userId;
    });
  }

  start(actor: Actor, taskId: string, version: number): Promise<TaskEntity> {
    return this.transition(actor, taskId, version, 'start', (t) => {
      t.status = 'in_progress';
      t.startedAt = this.clock.now();
    });
  }

  requestCompletion(actor: Actor, taskId: string, version: number, note: string): Promise<TaskEntity> {
    return this.transition(actor, taskId, version, 'requestCompletion', (t) => {
      t.status = 'completion_requested';
      t.completionRequestedAt = this.clock.now();
      t.completionNote = note;
    });
  }

  confirmClose(actor: Actor, taskId: string, version: number): Promise<TaskEntity> {
    return this.transition(actor, taskId, version, 'confirmClose', (t) => {
      t.status = 'closed';
      t.closedAt = this.clock.now();
      t.closedBy = actor.userId;
    });
  }

  refuseClose(actor: Actor, taskId: string, version: number, reason: string): Promise<TaskEntity> {
    return this.transition(actor, taskId, version, 'refuseClose', (t) => {
      t.status = 'in_progress';
      t.completionNote = `${t.completionNote ?? ''}\n【退回】${reason}`.trim();
      t.completionRequestedAt = null;
    }, { reason });
  }

  setPriority(actor: Actor, taskId: string, version: number, priority: TaskPriority): Promise<TaskEntity> {
    return this.transition(actor, taskId, version, 'setPriority', (t) => {
      t.priority = priority;
    }, { priority });
  }

  /** 挂起: the task's clock stops; the working days left until the due date are kept. */
  async suspend(actor: Actor, taskId: string, version: number, reason: string): Promise<TaskEntity> {
    const cal = await this.calendar.load();
    const today = shanghaiDate(this.clock.now());
    return this.transition(actor, taskId, version, 'suspend', (t) => {
      t.suspendedFrom = t.status;
      t.status = 'suspended';
      t.suspendedAt = this.clock.now();
      t.suspendReason = reason;
      t.remainingWorkingDays = t.dueOn ? (t.dueOn > today ? workingDaysBetweenFlagged(cal, today, t.dueOn).days : 0) : null;
    }, { reason });
  }

  /** 恢复: back to the state it was in, with the same number of working days left from today. */
  async resume(actor: Actor, taskId: string, version: number): Promise<TaskEntity> {
    const cal = await this.calendar.load();
    const today = shanghaiDate(this.clock.now());
    return this.transition(actor, taskId, version, 'resume', (t) => {
      t.status = t.suspendedFrom ?? 'in_progress';
      if (t.remainingWorkingDays !== null && t.dueOn && t.remainingWorkingDays > 0) {
        const due = addWorkingDaysFlagged(cal, today, t.remainingWorkingDays);
        t.dueOn = due.date;
        t.dueOnProvisional = due.provisional;
        t.dueOnBasis = today;
        t.dueOnWorkingDays = t.remainingWorkingDays;
      }
      t.suspendedFrom = null;
      t.suspendedAt = null;
      t.suspendReason = null;
      t.remainingWorkingDays = null;
    });
  }

  /** 改派: a coordinator moves the task from one lead unit to another, with a reason. */
  async reassign(actor: Actor, taskId: string, version: number, fromUnitId: string, toUnitId: string, reason: string): Promise<TaskEntity> {
    return this.command(actor, taskId, version, 'reassign', async (manager, scoped) => {
      const leads = scoped.units.filter((u) => u.role === 'lead').map((u) => u.unitId);
      if (!leads.includes(fromUnitId)) throw new ValidationFailedError('原牵头单位不是该任务的牵头单位', [{ field: 'fromUnitId', message: '不是牵头单位' }]);
      if (leads.includes(toUnitId)) throw new ValidationFailedError('新单位已是该任务的牵头单位', [{ field: 'toUnitId', message: '已是牵头单位' }]);
      const target = await manager.findOne(UnitEntity, { where: { id: toUnitId } });
      if (!target) throw new ValidationFailedError('新单位不存在', [{ field: 'toUnitId', message: '单位不存在' }]);
      const newLeads = leads.filter((l) => l !== fromUnitId).concat(toUnitId);
      await manager.delete(TaskUnitEntity, { taskId, unitId: fromUnitId });
      await manager.delete(TaskUnitEntity, { taskId, unitId: toUnitId }); // it may have been cooperating
      await manager.insert(TaskUnitEntity, { taskId, unitId: toUnitId, role: 'lead' });
      const t = scoped.task;
      t.assignmentKey = assignmentKeyOf(newLeads);
      // The new unit has not signed for it yet.
      if (t.status !== 'suspended') t.status = 'assigned';
      else t.suspendedFrom = 'assigned';
      t.acceptedAt = null;
      t.acceptedBy = null;
      return { before: { leads }, after: { leads: newLeads, reason } };
    }).catch((e: unknown) => {
      if (isPgError(e, PG_UNIQUE_VIOLATION)) throw new ConflictError('TASK_DUPLICATE_ASSIGNMENT', '该举措已有由这些单位牵头的任务');
      throw e;
    });
  }

  async comment(actor: Actor, taskId: string, body: string): Promise<TaskCommentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const scoped = await this.mustFind(actor, taskId, manager);
      if (!['coordinator', 'lead', 'cooperating', 'city'].includes(scoped.relation) || !canWrite(actor)) {
        throw new ForbiddenError('TASK_FORBIDDEN', '只有牵头单位、配合单位、所在市和省级协调员可以评论');
      }
      const saved = await manager.save(manager.create(TaskCommentEntity, { taskId, authorId: actor.userId, unitId: actor.unitId, body }));
      await this.audit.record(manager, actor, { action: 'task.commented', entityType: 'task', entityId: taskId, after: { commentId: saved.id, body } });
      return saved;
    });
  }

  async comments(actor: Actor, taskId: string): Promise<(TaskCommentEntity & { author: string; unit: string })[]> {
    await this.mustFind(actor, taskId);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select c.id, c.task_id, c.author_id, c.unit_id, c.body, c.created_at, us.display_name as author, u.short_name as unit
         from task_comments c join users us on us.id = c.author_id join units u on u.id = c.unit_id
        where c.task_id = $1 order by c.created_at, c.id`,
      [taskId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      taskId: r.task_id as string,
      authorId: r.author_id as string,
      unitId: r.unit_id as string,
      body: r.body as string,
      createdAt: new Date(r.created_at as string),
      author: r.author as string,
      unit: r.unit as string,
    }));
  }

  /** 延期申请: before the due date, at most one pending, at most N approved per task. */
  async requestExtension(actor: Actor, taskId: string, requestedDueOn: string, reason: string): Promise<ExtensionRequestEntity> {
    const today = shanghaiDate(this.clock.now());
    return this.dataSource.transaction(async (manager) => {
      const scoped = await this.mustFind(actor, taskId, manager, true);
      this.authorize(actor, scoped, 'requestExtension');
      const t = scoped.task;
      if (!t.dueOn) throw new IllegalStateError('TASK_NO_DUE_DATE', '该任务没有完成时限，无需延期');
      if (today > t.dueOn) throw new IllegalStateError('EXTENSION_TOO_LATE', `完成时限 ${t.dueOn} 已过，不能再申请延期`);
      if (requestedDueOn <= t.dueOn) throw new ValidationFailedError('新的完成时限必须晚于当前时限', [{ field: 'newDueOn', message: `须晚于 ${t.dueOn}` }]);
      const approved = await manager.count(ExtensionRequestEntity, { where: { taskId, status: 'approved' } });
      const max = this.config.workflow.maxExtensionsPerTask;
      if (approved >= max) throw new IllegalStateError('EXTENSION_LIMIT', `每个任务最多可延期 ${max} 次，已用完`);
      try {
        const saved = await manager.save(
          manager.create(ExtensionRequestEntity, { taskId, requestedBy: actor.userId, unitId: actor.unitId, currentDueOn: t.dueOn, requestedDueOn, reason, status: 'pending' }),
        );
        await this.audit.record(manager, actor, { action: 'extension.requested', entityType: 'task', entityId: taskId, after: { extensionId: saved.id, requestedDueOn, reason } });
        return saved;
      } catch (e) {
        if (isPgError(e, PG_UNIQUE_VIOLATION)) throw new ConflictError('EXTENSION_PENDING', '该任务已有待审批的延期申请');
        throw e;
      }
    });
  }

  /** A coordinator approves (the due date moves) or refuses an extension request. */
  async decideExtension(actor: Actor, extensionId: string, version: number, approve: boolean, note: string | null): Promise<ExtensionRequestEntity> {
    if (!hasRole(actor, 'coordinator')) throw new ForbiddenError('FORBIDDEN_ROLE', '只有省级协调员可以审批延期申请');
    return this.dataSource.transaction(async (manager) => {
      const ext = await manager.findOne(ExtensionRequestEntity, { where: { id: extensionId }, lock: { mode: 'pessimistic_write' } });
      if (!ext) throw new NotFoundError('EXTENSION_NOT_FOUND', '延期申请不存在');
      if (ext.version !== version) throw stale(ext.version, version);
      if (ext.status !== 'pending') throw new IllegalStateError('EXTENSION_DECIDED', '该延期申请已审批');
      const scoped = await this.mustFind(actor, ext.taskId, manager, true);
      ext.status = approve ? 'approved' : 'refused';
      ext.decidedBy = actor.userId;
      ext.decidedAt = this.clock.now();
      ext.decisionNote = note;
      await manager.save(ext);
      if (approve) {
        const before = scoped.task.dueOn;
        scoped.task.dueOn = ext.requestedDueOn;
        // An explicit date: nothing left to recompute when a calendar arrives.
        scoped.task.dueOnProvisional = false;
        scoped.task.dueOnBasis = null;
        scoped.task.dueOnWorkingDays = null;
        await manager.save(scoped.task);
        await this.audit.record(manager, actor, { action: 'task.dueDateExtended', entityType: 'task', entityId: ext.taskId, before: { dueOn: before }, after: { dueOn: ext.requestedDueOn } });
      }
      await this.audit.record(manager, actor, { action: approve ? 'extension.approved' : 'extension.refused', entityType: 'extension', entityId: ext.id, after: { status: ext.status, note } });
      return ext;
    });
  }

  /** A coordinator changes this task's override of the deadline rules (validated, audited, version-checked). */
  setDeadlineSettings(actor: Actor, taskId: string, version: number, patch: Record<string, unknown>): Promise<TaskEntity> {
    return this.command(actor, taskId, version, 'setDeadlineSettings', async (_m, scoped) => {
      const before = scoped.task.deadlineSettings;
      scoped.task.deadlineSettings = applyOverridePatch(before, patch);
      return { before: { deadlineSettings: before }, after: { deadlineSettings: scoped.task.deadlineSettings } };
    });
  }

  extensions(actor: Actor, taskId: string): Promise<ExtensionRequestEntity[]> {
    return this.mustFind(actor, taskId).then(() => this.dataSource.manager.find(ExtensionRequestEntity, { where: { taskId }, order: { createdAt: 'ASC' } }));
  }

  async mustFind(actor: Actor, taskId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<ScopedTask> {
    const scoped = await this.tasks.findForActor(actor, taskId, manager, lock);
    if (!scoped) throw new NotFoundError('TASK_NOT_FOUND', '任务不存在');
    return scoped;
  }

  /** Checks party and state for a command; throws 403 or 409 in Chinese. */
  authorize(actor: Actor, scoped: ScopedTask, command: TaskCommand): void {
    const rule = TASK_COMMANDS[command];
    if (!canWrite(actor)) throw new ForbiddenError('TASK_FORBIDDEN', '只读账号不能修改任务');
    if (rule.by === 'coordinator' && scoped.relation !== 'coordinator') {
      throw new ForbiddenError('TASK_FORBIDDEN', `只有省级协调员可以${rule.label}`);
    }
    if (rule.by === 'lead' && (scoped.relation !== 'lead' || !hasRole(actor, 'officer', 'unit_head'))) {
      throw new ForbiddenError('TASK_FORBIDDEN', `只有牵头单位的经办人或负责人可以${rule.label}`);
    }
    if (!(rule.from as readonly TaskStatus[]).includes(scoped.task.status)) {
      throw new IllegalStateError('TASK_ILLEGAL_TRANSITION', `任务当前状态为“${TASK_STATUS_LABELS[scoped.task.status]}”，不能${rule.label}`);
    }
  }

  private transition(actor: Actor, taskId: string, version: number, command: TaskCommand, apply: (t: TaskEntity) => void, extra: Record<string, unknown> = {}): Promise<TaskEntity> {
    return this.command(actor, taskId, version, command, async (_m, scoped) => {
      const before = { status: scoped.task.status, dueOn: scoped.task.dueOn };
      apply(scoped.task);
      return { before, after: { status: scoped.task.status, dueOn: scoped.task.dueOn, ...extra } };
    });
  }

  private async command(
    actor: Actor,
    taskId: string,
    version: number,
    command: TaskCommand,
    change: (manager: EntityManager, scoped: ScopedTask) => Promise<{ before: unknown; after: unknown }>,
  ): Promise<TaskEntity> {
    return this.dataSource.transaction(async (manager) => {
      const scoped = await this.mustFind(actor, taskId, manager, true);
      if (scoped.task.version !== version) throw stale(scoped.task.version, version);
      this.authorize(actor, scoped, command);
      const diff = await change(manager, scoped);
      const saved = await manager.save(scoped.task);
      await this.audit.record(manager, actor, { action: `task.${command}`, entityType: 'task', entityId: taskId, ...diff });
      return saved;
    });
  }
}

function canWrite(actor: Actor): boolean {
  return hasRole(actor, 'coordinator', 'unit_head', 'officer');
}

export function stale(current: number, given: number): ConflictError {
  return new ConflictError('STALE_VERSION', `数据已被他人修改（当前版本 ${current}，您提交的是 ${given}），请刷新后重试`);
}
