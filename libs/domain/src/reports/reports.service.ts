import { extname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { Clock, shanghaiDate } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { isPgError, PG_UNIQUE_VIOLATION } from '@duban/database';
import { hasRole, type Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, PayloadTooLargeError, UnsupportedMediaError, ValidationFailedError, type FieldProblem } from '../common/domain.errors';
import { UnitEntity } from '../organizations/unit.entity';
import { FileStorage } from '../storage/file-storage';
import { stale, TaskWorkflowService } from '../tasks/task-workflow.service';
import type { ScopedTask } from '../tasks/tasks-query.repository';
import { EvidenceFileEntity } from './evidence-file.entity';
import { ReportPeriodEntity } from './report-period.entity';
import { ReportSubmissionEntity, type SubmissionStatus } from './report-submission.entity';
import { SubmissionValueEntity } from './submission-value.entity';

export type PeriodStatus = SubmissionStatus | 'missed' | 'open' | 'upcoming';

export interface PeriodView {
  id: string;
  periodKey: string;
  startsOn: string;
  endsOn: string;
  dueOn: string;
  /** The due date crossed a year whose official calendar is not imported yet. */
  dueProvisional: boolean;
  /** Derived at query time from the latest revision and today's date; never stored. */
  status: PeriodStatus;
  late: boolean;
  revisions: number;
  latestSubmissionId: string | null;
}

export interface SubmissionInput {
  progress: string;
  problems?: string;
  nextSteps?: string;
  values?: { indicator: string; unitId?: string | null; value: number }[];
  evidenceIds?: string[];
}

export interface SubmissionView {
  id: string;
  taskId: string;
  periodId: string;
  periodKey: string;
  revision: number;
  unitId: string;
  status: SubmissionStatus;
  progress: string;
  problems: string;
  nextSteps: string;
  submittedBy: string;
  submittedAt: string;
  signedOffAt: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  version: number;
  values: { indicator: string; unitId: string | null; value: number }[];
  evidence: { id: string; filename: string; mimeType: string; sizeBytes: number; sha256: string }[];
}

export interface ReviewQueueItem {
  submissionId: string;
  taskId: string;
  taskTitle: string;
  unit: string;
  periodKey: string;
  revision: number;
  waitingSince: string;
  version: number;
}

/** File types accepted as evidence, by extension, with the magic bytes the content must start with. */
const EVIDENCE_TYPES: Record<string, { mime: string; magic: Buffer | null }> = {
  '.pdf': { mime: 'application/pdf', magic: Buffer.from('%PDF') },
  '.docx': { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: Buffer.from('PK') },
  '.xlsx': { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: Buffer.from('PK') },
  '.jpg': { mime: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  '.jpeg': { mime: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  '.png': { mime: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  '.txt': { mime: 'text/plain', magic: null },
};

/**
 * Progress reports: periods with derived status, submissions (revisions kept), the head's
 * sign-off where a unit requires it, coordinator review, indicator values and evidence files.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workflow: TaskWorkflowService,
    private readonly audit: AuditService,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async periods(actor: Actor, taskId: string): Promise<PeriodView[]> {
    await this.workflow.mustFind(actor, taskId);
    return this.periodViews(this.dataSource.manager, taskId);
  }

  async submit(actor: Actor, taskId: string, periodId: string, input: SubmissionInput): Promise<SubmissionView> {
    const id = await this.dataSource
      .transaction(async (manager) => {
        const scoped = await this.workflow.mustFind(actor, taskId, manager, true);
        this.workflow.authorize(actor, scoped, 'report');
        const period = await manager.findOne(ReportPeriodEntity, { where: { id: periodId, taskId } });
        if (!period) throw new NotFoundError('PERIOD_NOT_FOUND', '报送期次不存在');
        const today = shanghaiDate(this.clock.now());
        if (period.startsOn > today) throw new IllegalStateError('PERIOD_NOT_OPEN', `报送期次 ${period.periodKey} 尚未开始（${period.startsOn} 起）`);
        const latest = await manager.findOne(ReportSubmissionEntity, { where: { periodId }, order: { revision: 'DESC' }, lock: { mode: 'pessimistic_write' } });
        if (latest && latest.status !== 'returned') {
          throw new IllegalStateError('SUBMISSION_EXISTS', latest.status === 'approved' ? '本期报送已审核通过' : '本期报送正在审核中，退回后才能重新报送');
        }
        const values = await this.checkValues(manager, scoped, input.values ?? []);
        const lead = scoped.units.find((u) => u.unitId === actor.unitId);
        const needsSignoff = !!lead?.requiresSignoff && !hasRole(actor, 'unit_head');
        const now = this.clock.now();
        const saved = await manager.save(
          manager.create(ReportSubmissionEntity, {
            periodId,
            taskId,
            revision: (latest?.revision ?? 0) + 1,
            unitId: actor.unitId,
            status: needsSignoff ? 'awaiting_signoff' : 'submitted',
            progress: input.progress,
            problems: input.problems ?? '',
            nextSteps: input.nextSteps ?? '',
            submittedBy: actor.userId,
            submittedAt: now,
            signedOffBy: needsSignoff || !lead?.requiresSignoff ? null : actor.userId,
            signedOffAt: needsSignoff || !lead?.requiresSignoff ? null : now,
          }),
        );
        if (values.length) await manager.insert(SubmissionValueEntity, values.map((v) => ({ ...v, submissionId: saved.id, value: String(v.value) })));
        await this.attachEvidence(manager, actor, taskId, saved.id, input.evidenceIds ?? []);
        if (scoped.task.status === 'accepted') {
          scoped.task.status = 'in_progress';
          scoped.task.startedAt = now;
          await manager.save(scoped.task);
        }
        await this.audit.record(manager, actor, {
          action: 'report.submitted',
          entityType: 'submission',
          entityId: saved.id,
          after: { taskId, periodKey: period.periodKey, revision: saved.revision, status: saved.status, values },
        });
        return saved.id;
      })
      .catch((e: unknown) => {
        if (isPgError(e, PG_UNIQUE_VIOLATION)) throw new ConflictError('SUBMISSION_EXISTS', '本期报送刚被他人提交，请刷新');
        throw e;
      });
    return this.submission(actor, id);
  }

  /** The unit head signs a submission off; only then it reaches the province. */
  async signOff(actor: Actor, submissionId: string, version: number): Promise<SubmissionView> {
    await this.dataSource.transaction(async (manager) => {
      const sub = await this.lockSubmission(manager, actor, submissionId, version);
      if (sub.unitId !== actor.unitId || !hasRole(actor, 'unit_head')) throw new ForbiddenError('SUBMISSION_FORBIDDEN', '只有报送单位的负责人可以审签');
      if (sub.status !== 'awaiting_signoff') throw new IllegalStateError('SUBMISSION_NOT_AWAITING_SIGNOFF', '该报送不在待审签状态');
      sub.status = 'submitted';
      sub.signedOffBy = actor.userId;
      sub.signedOffAt = this.clock.now();
      await manager.save(sub);
      await this.audit.record(manager, actor, { action: 'report.signedOff', entityType: 'submission', entityId: sub.id, after: { status: sub.status } });
    });
    return this.submission(actor, submissionId);
  }

  /** A coordinator approves or returns (with comments) a submission. Of two reviewers, exactly one wins. */
  async review(actor: Actor, submissionId: string, version: number, decision: 'approve' | 'return', comment: string | null): Promise<SubmissionView> {
    if (!hasRole(actor, 'coordinator')) throw new ForbiddenError('FORBIDDEN_ROLE', '只有省级协调员可以审核报送');
    if (decision === 'return' && !comment?.trim()) throw new ValidationFailedError('退回时必须填写意见', [{ field: 'comment', message: '必填' }]);
    await this.dataSource.transaction(async (manager) => {
      const sub = await this.lockSubmission(manager, actor, submissionId, version);
      if (sub.status !== 'submitted') throw new IllegalStateError('SUBMISSION_NOT_REVIEWABLE', '该报送不在待审核状态（可能已被他人审核）');
      sub.status = decision === 'approve' ? 'approved' : 'returned';
      sub.reviewedBy = actor.userId;
      sub.reviewedAt = this.clock.now();
      sub.reviewComment = comment;
      await manager.save(sub);
      await this.audit.record(manager, actor, { action: decision === 'approve' ? 'report.approved' : 'report.returned', entityType: 'submission', entityId: sub.id, after: { status: sub.status, comment } });
    });
    return this.submission(actor, submissionId);
  }

  async reviewQueue(actor: Actor, limit: number, offset: number): Promise<{ items: ReviewQueueItem[]; total: number }> {
    if (!hasRole(actor, 'coordinator', 'auditor', 'admin')) throw new ForbiddenError('FORBIDDEN_ROLE', '只有省级协调员可以查看审核队列');
    const total: { n: string }[] = await this.dataSource.query(`select count(*) as n from report_submissions where status = 'submitted'`);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select s.id, s.task_id, t.title, u.short_name, p.period_key, s.revision, coalesce(s.signed_off_at, s.submitted_at) as since, s.version
         from report_submissions s join tasks t on t.id = s.task_id join units u on u.id = s.unit_id join report_periods p on p.id = s.period_id
        where s.status = 'submitted' order by since, s.id limit $1 offset $2`,
      [limit, offset],
    );
    return {
      total: Number(total[0].n),
      items: rows.map((r) => ({
        submissionId: r.id as string,
        taskId: r.task_id as string,
        taskTitle: r.title as string,
        unit: r.short_name as string,
        periodKey: r.period_key as string,
        revision: r.revision as number,
        waitingSince: new Date(r.since as string).toISOString(),
        version: r.version as number,
      })),
    };
  }

  async submission(actor: Actor, submissionId: string): Promise<SubmissionView> {
    const sub = await this.dataSource.manager.findOne(ReportSubmissionEntity, { where: { id: submissionId } });
    if (!sub) throw new NotFoundError('SUBMISSION_NOT_FOUND', '报送不存在');
    await this.workflow.mustFind(actor, sub.taskId).catch(() => {
      throw new NotFoundError('SUBMISSION_NOT_FOUND', '报送不存在');
    });
    const period = await this.dataSource.manager.findOneOrFail(ReportPeriodEntity, { where: { id: sub.periodId } });
    const values = await this.dataSource.manager.find(SubmissionValueEntity, { where: { submissionId } });
    const evidence = await this.dataSource.manager.find(EvidenceFileEntity, { where: { submissionId } });
    return {
      id: sub.id,
      taskId: sub.taskId,
      periodId: sub.periodId,
      periodKey: period.periodKey,
      revision: sub.revision,
      unitId: sub.unitId,
      status: sub.status,
      progress: sub.progress,
      problems: sub.problems,
      nextSteps: sub.nextSteps,
      submittedBy: sub.submittedBy,
      submittedAt: sub.submittedAt.toISOString(),
      signedOffAt: sub.signedOffAt?.toISOString() ?? null,
      reviewedAt: sub.reviewedAt?.toISOString() ?? null,
      reviewComment: sub.reviewComment,
      version: sub.version,
      values: values.map((v) => ({ indicator: v.indicator, unitId: v.unitId, value: Number(v.value) })),
      evidence: evidence.map((e) => ({ id: e.id, filename: e.filename, mimeType: e.mimeType, sizeBytes: e.sizeBytes, sha256: e.sha256 })),
    };
  }

  /** Every revision of a task's reports, newest first. */
  async submissionsOf(actor: Actor, taskId: string): Promise<SubmissionView[]> {
    await this.workflow.mustFind(actor, taskId);
    const subs = await this.dataSource.manager.find(ReportSubmissionEntity, { where: { taskId }, order: { submittedAt: 'DESC', revision: 'DESC' } });
    return Promise.all(subs.map((s) => this.submission(actor, s.id)));
  }

  async uploadEvidence(actor: Actor, taskId: string, file: { buffer: Buffer; filename: string }): Promise<EvidenceFileEntity> {
    const ext = extname(file.filename).toLowerCase();
    const type = EVIDENCE_TYPES[ext];
    if (!type) throw new UnsupportedMediaError('EVIDENCE_TYPE', `不支持的附件类型“${ext || '无扩展名'}”，可上传：${Object.keys(EVIDENCE_TYPES).join(' ')}`);
    if (file.buffer.length === 0) throw new ValidationFailedError('附件为空', [{ field: 'file', message: '空文件' }], 'EVIDENCE_EMPTY');
    if (file.buffer.length > this.config.storage.uploadMaxBytes) throw new PayloadTooLargeError('EVIDENCE_TOO_LARGE', '附件过大');
    if (type.magic && !file.buffer.subarray(0, type.magic.length).equals(type.magic)) {
      throw new ValidationFailedError(`文件内容与扩展名 ${ext} 不符`, [{ field: 'file', message: '内容与类型不符' }], 'EVIDENCE_CONTENT_MISMATCH');
    }
    const scoped = await this.workflow.mustFind(actor, taskId);
    if (scoped.relation !== 'lead' || !hasRole(actor, 'officer', 'unit_head')) throw new ForbiddenError('TASK_FORBIDDEN', '只有牵头单位可以上传佐证材料');
    const stored = await this.storage.put(file.buffer);
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(EvidenceFileEntity, {
          taskId,
          unitId: actor.unitId,
          uploadedBy: actor.userId,
          filename: file.filename.slice(0, 255),
          mimeType: type.mime,
          sizeBytes: file.buffer.length,
          sha256: stored.sha256,
          storageKey: stored.key,
        }),
      );
      await this.audit.record(manager, actor, { action: 'evidence.uploaded', entityType: 'task', entityId: taskId, after: { evidenceId: saved.id, filename: saved.filename, sha256: saved.sha256 } });
      return saved;
    });
  }

  async downloadEvidence(actor: Actor, evidenceId: string): Promise<{ file: EvidenceFileEntity; bytes: Buffer }> {
    const file = await this.dataSource.manager.findOne(EvidenceFileEntity, { where: { id: evidenceId } });
    if (!file) throw new NotFoundError('EVIDENCE_NOT_FOUND', '附件不存在');
    await this.workflow.mustFind(actor, file.taskId).catch(() => {
      throw new NotFoundError('EVIDENCE_NOT_FOUND', '附件不存在');
    });
    return { file, bytes: await this.storage.get(file.storageKey) };
  }

  private async lockSubmission(manager: EntityManager, actor: Actor, id: string, version: number): Promise<ReportSubmissionEntity> {
    const sub = await manager.findOne(ReportSubmissionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!sub) throw new NotFoundError('SUBMISSION_NOT_FOUND', '报送不存在');
    await this.workflow.mustFind(actor, sub.taskId, manager).catch(() => {
      throw new NotFoundError('SUBMISSION_NOT_FOUND', '报送不存在');
    });
    if (sub.version !== version) throw stale(sub.version, version);
    return sub;
  }

  private async checkValues(manager: EntityManager, scoped: ScopedTask, values: NonNullable<SubmissionInput['values']>): Promise<{ indicator: string; unitId: string | null; value: number }[]> {
    const targets = new Map(scoped.task.targets.map((t) => [t.indicator, t]));
    const problems: FieldProblem[] = [];
    const unitIds = values.map((v) => v.unitId).filter((u): u is string => !!u);
    const units = unitIds.length ? await manager.find(UnitEntity, { where: { id: In(unitIds) } }) : [];
    const byId = new Map(units.map((u) => [u.id, u]));
    const seen = new Set<string>();
    values.forEach((v, i) => {
      const field = `values.${i}`;
      const target = targets.get(v.indicator);
      if (!target) {
        problems.push({ field: `${field}.indicator`, message: `“${v.indicator}”不是该任务的指标；可填：${[...targets.keys()].join('、') || '（该任务没有量化指标）'}` });
        return;
      }
      if (!Number.isFinite(v.value) || v.value < 0) problems.push({ field: `${field}.value`, message: '必须是非负数' });
      if (target.perUnit) {
        const unit = v.unitId ? byId.get(v.unitId) : undefined;
        if (!unit || unit.kind !== 'county' || !unit.keyAssisted) problems.push({ field: `${field}.unitId`, message: `该指标按县填报（每${target.perUnit}），须指定一个重点帮扶县` });
      } else if (v.unitId) {
        problems.push({ field: `${field}.unitId`, message: '该指标为全省总数，不按县填报' });
      }
      const key = `${v.indicator}/${v.unitId ?? ''}`;
      if (seen.has(key)) problems.push({ field, message: '同一指标重复填报' });
      seen.add(key);
    });
    if (problems.length) throw new ValidationFailedError('指标值有误', problems, 'SUBMISSION_VALUES_INVALID');
    return values.map((v) => ({ indicator: v.indicator, unitId: v.unitId ?? null, value: v.value }));
  }

  private async attachEvidence(manager: EntityManager, actor: Actor, taskId: string, submissionId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const files = await manager.find(EvidenceFileEntity, { where: { id: In(ids), taskId, unitId: actor.unitId, submissionId: IsNull() } });
    const missing = ids.filter((id) => !files.some((f) => f.id === id));
    if (missing.length) throw new ValidationFailedError('佐证材料不存在、不属于本任务或已被其他报送使用', missing.map((id) => ({ field: 'evidenceIds', message: id })), 'EVIDENCE_NOT_ATTACHABLE');
    await manager.update(EvidenceFileEntity, { id: In(ids) }, { submissionId });
  }

  private async periodViews(manager: EntityManager, taskId: string): Promise<PeriodView[]> {
    const today = shanghaiDate(this.clock.now());
    const rows: Record<string, unknown>[] = await manager.query(
      `select p.id, p.period_key, p.starts_on::text as starts_on, p.ends_on::text as ends_on, p.due_on::text as due_on, p.due_provisional,
              s.id as sub_id, s.status, s.revision, f.first_at
         from report_periods p
         left join lateral (select id, status, revision from report_submissions where period_id = p.id order by revision desc limit 1) s on true
         left join lateral (select min(submitted_at) as first_at from report_submissions where period_id = p.id) f on true
        where p.task_id = $1 order by p.starts_on`,
      [taskId],
    );
    return rows.map((r) => {
      const dueOn = r.due_on as string;
      const status: PeriodStatus = r.status
        ? (r.status as SubmissionStatus)
        : today > dueOn
          ? 'missed'
          : today >= (r.starts_on as string)
            ? 'open'
            : 'upcoming';
      const firstAt = r.first_at ? shanghaiDate(new Date(r.first_at as string)) : null;
      return {
        id: r.id as string,
        periodKey: r.period_key as string,
        startsOn: r.starts_on as string,
        endsOn: r.ends_on as string,
        dueOn,
        dueProvisional: r.due_provisional as boolean,
        status,
        late: firstAt ? firstAt > dueOn : status === 'missed',
        revisions: (r.revision as number | null) ?? 0,
        latestSubmissionId: (r.sub_id as string | null) ?? null,
      };
    });
  }
}
