import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { hasRole, type Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError } from '../common/domain.errors';
import { DocumentEntity } from '../documents/document.entity';
import { stale, TaskWorkflowService } from '../tasks/task-workflow.service';
import { applyOverridePatch, effectiveRules, type DeadlineOverride, type DeadlineSettingsView } from './deadline-settings';

/**
 * The deadline rules as people see and set them: defaults from configuration, overridden per
 * document, overridden per task. The sweep reads the same three levels in SQL.
 */
@Injectable()
export class DeadlineSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workflow: TaskWorkflowService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forDocument(actor: Actor, documentId: string): Promise<DeadlineSettingsView & { version: number }> {
    if (!hasRole(actor, 'coordinator', 'admin', 'auditor')) throw new ForbiddenError('FORBIDDEN_ROLE', '只有省级协调员、管理员和审计员可以查看文件的督办规则');
    const doc = await this.dataSource.manager.findOne(DocumentEntity, { where: { id: documentId } });
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
    return { ...this.view(doc.deadlineSettings), version: doc.version };
  }

  /** The task's settings at every level; scoped like the task (404 outside the actor's scope). */
  async forTask(actor: Actor, taskId: string): Promise<DeadlineSettingsView & { version: number }> {
    const { task } = await this.workflow.mustFind(actor, taskId);
    const [doc] = await this.dataSource.query<{ s: DeadlineOverride }[]>(`select deadline_settings as s from documents where id = $1`, [task.documentId]);
    return { ...this.view(doc.s, task.deadlineSettings), version: task.version };
  }

  /** A coordinator changes a document's override; every task of the document inherits it. */
  async setForDocument(actor: Actor, documentId: string, version: number, patch: Record<string, unknown>): Promise<DeadlineSettingsView & { version: number }> {
    if (!hasRole(actor, 'coordinator')) throw new ForbiddenError('FORBIDDEN_ROLE', '只有省级协调员可以设置督办规则');
    const saved = await this.dataSource.transaction(async (m) => {
      const doc = await m.findOne(DocumentEntity, { where: { id: documentId }, lock: { mode: 'pessimistic_write' } });
      if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
      if (doc.version !== version) throw stale(doc.version, version);
      const before = doc.deadlineSettings;
      doc.deadlineSettings = applyOverridePatch(before, patch);
      const out = await m.save(doc);
      await this.audit.record(m, actor, { action: 'document.deadlineSettingsChanged', entityType: 'document', entityId: documentId, before: { deadlineSettings: before }, after: { deadlineSettings: doc.deadlineSettings } });
      return out;
    });
    return { ...this.view(saved.deadlineSettings), version: saved.version };
  }

  async setForTask(actor: Actor, taskId: string, version: number, patch: Record<string, unknown>): Promise<DeadlineSettingsView & { version: number }> {
    await this.workflow.setDeadlineSettings(actor, taskId, version, patch);
    return this.forTask(actor, taskId);
  }

  private view(document: DeadlineOverride, task?: DeadlineOverride): DeadlineSettingsView {
    const defaults = this.config.deadlines;
    return { defaults, document, ...(task ? { task } : {}), effective: effectiveRules(defaults, document, task ?? {}) };
  }
}
