import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shanghaiDate, Clock } from '@duban/calendar';
import {
  DeadlineSettingsService,
  ReportsService,
  TASK_STATUS_LABELS,
  TasksQueryRepository,
  TaskWorkflowService,
  ValidationFailedError,
  type Actor,
  type ExtensionRequestEntity,
  type TaskEntity,
} from '@duban/domain';
import { CurrentActor } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import { toDeadlineSettingsDto } from '../deadlines/deadline-settings.controller';
import {
  CommentDto,
  CommentViewDto,
  CompletionRequestDto,
  EvidenceDto,
  ExtensionDto,
  ExtensionRequestDto,
  ListTasksQueryDto,
  PeriodDto,
  PriorityDto,
  ReasonDto,
  ReassignDto,
  SubmissionDto,
  SubmitReportDto,
  TaskDto,
  TaskPageDto,
  VersionDto,
} from './tasks.dto';

/** Tasks as their units and coordinators work them. Every route is scoped to what the user may see. */
@ApiTags('任务 tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksQueryRepository,
    private readonly workflow: TaskWorkflowService,
    private readonly reports: ReportsService,
    private readonly settings: DeadlineSettingsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: '我能看到的任务（本单位牵头或配合；市级用户为本市；省级为全部）',
    description: '按截止日期、再按任务编号排序。翻页请用上一页的 nextCursor 作 after（游标分页，快）；offset 仍可用，但越往后越慢。',
  })
  @ApiOkResponse({ type: TaskPageDto })
  async list(@CurrentActor() actor: Actor, @Query() q: ListTasksQueryDto): Promise<TaskPageDto> {
    if (q.after !== undefined && q.offset !== undefined) {
      throw new ValidationFailedError('after 与 offset 不能同时使用', [{ field: 'offset', message: '按游标翻页时不能再指定 offset' }], 'TASK_CURSOR_WITH_OFFSET');
    }
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const overdueOn = q.overdue === 'true' ? shanghaiDate(this.clock.now()) : undefined;
    const page = await this.tasks.list(actor, { status: q.status, documentId: q.documentId, unitId: q.unitId, overdueOn, limit, offset, after: q.after });
    return { items: page.items, total: page.total, limit, offset: q.after === undefined ? offset : null, nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: '任务详情' })
  @ApiOkResponse({ type: TaskDto })
  async get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<TaskDto> {
    const scoped = await this.workflow.mustFind(actor, id);
    const rules = toDeadlineSettingsDto(await this.settings.forTask(actor, id)).effective;
    return { ...toTaskDto(scoped.task, scoped.units, scoped.relation), deadlineRules: rules };
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: '签收（牵头单位）' })
  @ApiOkResponse({ type: TaskDto })
  accept(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: VersionDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.accept(actor, id, b.version));
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: '开始办理（牵头单位；首次报送也会自动开始）' })
  @ApiOkResponse({ type: TaskDto })
  start(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: VersionDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.start(actor, id, b.version));
  }

  @Post(':id/completion-request')
  @HttpCode(200)
  @ApiOperation({ summary: '申请办结（牵头单位）' })
  @ApiOkResponse({ type: TaskDto })
  requestCompletion(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: CompletionRequestDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.requestCompletion(actor, id, b.version, b.note));
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '确认销号（省级协调员）' })
  @ApiOkResponse({ type: TaskDto })
  close(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: VersionDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.confirmClose(actor, id, b.version));
  }

  @Post(':id/close-refusal')
  @HttpCode(200)
  @ApiOperation({ summary: '退回办结申请（省级协调员，需说明理由），任务回到办理中' })
  @ApiOkResponse({ type: TaskDto })
  refuseClose(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ReasonDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.refuseClose(actor, id, b.version, b.reason));
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: '挂起（省级协调员）：暂停计时，保留剩余工作日' })
  @ApiOkResponse({ type: TaskDto })
  suspend(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ReasonDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.suspend(actor, id, b.version, b.reason));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: '恢复（省级协调员）：按剩余工作日重新计算完成时限' })
  @ApiOkResponse({ type: TaskDto })
  resume(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: VersionDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.resume(actor, id, b.version));
  }

  @Post(':id/priority')
  @HttpCode(200)
  @ApiOperation({ summary: '调整优先级（省级协调员）' })
  @ApiOkResponse({ type: TaskDto })
  priority(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: PriorityDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.setPriority(actor, id, b.version, b.priority));
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @ApiOperation({ summary: '改派（省级协调员）：把任务从一个牵头单位转给另一个，需说明理由' })
  @ApiOkResponse({ type: TaskDto })
  reassign(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ReassignDto): Promise<TaskDto> {
    return this.after(actor, this.workflow.reassign(actor, id, b.version, b.fromUnitId, b.toUnitId, b.reason));
  }

  @Get(':id/comments')
  @ApiOperation({ summary: '任务评论' })
  @ApiOkResponse({ type: [CommentViewDto] })
  async comments(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CommentViewDto[]> {
    return (await this.workflow.comments(actor, id)).map((c) => ({ id: c.id, body: c.body, author: c.author, unit: c.unit, createdAt: c.createdAt.toISOString() }));
  }

  @Post(':id/comments')
  @ApiOperation({ summary: '发表评论（牵头、配合单位、所在市、省级协调员）' })
  @ApiCreatedResponse({ type: CommentViewDto })
  async comment(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: CommentDto): Promise<CommentViewDto> {
    const c = await this.workflow.comment(actor, id, b.body);
    return { id: c.id, body: c.body, author: actor.username, unit: actor.unitId, createdAt: c.createdAt.toISOString() };
  }

  @Get(':id/extension-requests')
  @ApiOperation({ summary: '延期申请记录' })
  @ApiOkResponse({ type: [ExtensionDto] })
  async extensions(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ExtensionDto[]> {
    return (await this.workflow.extensions(actor, id)).map(toExtensionDto);
  }

  @Post(':id/extension-requests')
  @ApiOperation({ summary: '申请延期（牵头单位，须在完成时限前）' })
  @ApiCreatedResponse({ type: ExtensionDto })
  async requestExtension(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ExtensionRequestDto): Promise<ExtensionDto> {
    return toExtensionDto(await this.workflow.requestExtension(actor, id, b.newDueOn, b.reason));
  }

  @Get(':id/periods')
  @ApiOperation({ summary: '报送期次及其状态（逾期未报在查询时推算）' })
  @ApiOkResponse({ type: [PeriodDto] })
  periods(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PeriodDto[]> {
    return this.reports.periods(actor, id);
  }

  @Get(':id/submissions')
  @ApiOperation({ summary: '全部报送（每次退回后的重新报送均保留）' })
  @ApiOkResponse({ type: [SubmissionDto] })
  submissions(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SubmissionDto[]> {
    return this.reports.submissionsOf(actor, id);
  }

  @Post(':id/periods/:periodId/submissions')
  @ApiOperation({ summary: '报送本期进展（牵头单位）：进展、问题、计划、指标值、佐证材料' })
  @ApiCreatedResponse({ type: SubmissionDto })
  submit(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Param('periodId', UuidParam) periodId: string, @Body() b: SubmitReportDto): Promise<SubmissionDto> {
    return this.reports.submit(actor, id, periodId, b);
  }

  @Post(':id/evidence')
  @ApiOperation({ summary: '上传佐证材料（multipart 的 file 字段：pdf/docx/xlsx/jpg/png/txt）' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: EvidenceDto })
  async upload(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Req() req: FastifyRequest): Promise<EvidenceDto> {
    if (!req.isMultipart()) throw new ValidationFailedError('请以 multipart/form-data 上传 file 字段', [{ field: 'file', message: '必填' }], 'EVIDENCE_FILE_REQUIRED');
    const file = await req.file();
    if (!file) throw new ValidationFailedError('请在 file 字段上传文件', [{ field: 'file', message: '必填' }], 'EVIDENCE_FILE_REQUIRED');
    const saved = await this.reports.uploadEvidence(actor, id, { buffer: await file.toBuffer(), filename: file.filename || 'upload' });
    return { id: saved.id, filename: saved.filename, mimeType: saved.mimeType, sizeBytes: saved.sizeBytes, sha256: saved.sha256 };
  }

  private async after(actor: Actor, done: Promise<TaskEntity>): Promise<TaskDto> {
    const task = await done;
    const scoped = await this.workflow.mustFind(actor, task.id);
    return toTaskDto(scoped.task, scoped.units, scoped.relation);
  }
}

/** Evidence download, scoped like its task. */
@ApiTags('任务 tasks')
@ApiBearerAuth()
@Controller('evidence')
export class EvidenceController {
  constructor(private readonly reports: ReportsService) {}

  @Get(':id')
  @ApiOperation({ summary: '下载佐证材料' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { file, bytes } = await this.reports.downloadEvidence(actor, id);
    await reply
      .header('content-type', file.mimeType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('x-content-sha256', file.sha256)
      .send(bytes);
  }
}

export function toTaskDto(t: TaskEntity, units: { unitId: string; role: string; name: string; shortName: string; kind: string }[], relation: string): TaskDto {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    statusLabel: TASK_STATUS_LABELS[t.status],
    dueOn: t.dueOn,
    acceptDueOn: t.acceptDueOn,
    reportingCycle: t.reportingCycle,
    customReportDates: t.customReportDates,
    priority: t.priority,
    targets: t.targets,
    documentId: t.documentId,
    measureId: t.measureId,
    origin: t.origin,
    formCampaignId: t.formCampaignId,
    units: units.map((u) => ({ unitId: u.unitId, role: u.role, name: u.name, shortName: u.shortName, kind: u.kind })),
    relation,
    suspendedFrom: t.suspendedFrom,
    remainingWorkingDays: t.remainingWorkingDays,
    completionNote: t.completionNote,
    version: t.version,
  };
}

export function toExtensionDto(e: ExtensionRequestEntity): ExtensionDto {
  return { id: e.id, taskId: e.taskId, currentDueOn: e.currentDueOn, requestedDueOn: e.requestedDueOn, reason: e.reason, status: e.status, decisionNote: e.decisionNote, version: e.version };
}
