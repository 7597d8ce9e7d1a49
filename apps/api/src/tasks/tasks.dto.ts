import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TASK_STATUSES, type TaskStatus } from '@duban/domain';
import { PageQueryDto } from '../common/page.dto';
import { DeadlineRulesDto } from '../deadlines/deadline-settings.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  documentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '某单位（牵头或配合）的任务' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ description: 'true：只看已逾期未办结的任务' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    description:
      '上一页返回的 nextCursor：从该页最后一条之后继续（游标分页，翻页的快速方式；期间任务增删改也不会漏掉或重复未变动的任务）。须与取得它时的筛选条件相同；不能与 offset 同时使用',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  after?: string;
}

export class VersionDto {
  @ApiProperty({ description: '您看到的版本号（乐观锁）', example: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class ReasonDto extends VersionDto {
  @ApiProperty({ example: '材料不全，请补充' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

export class PriorityDto extends VersionDto {
  @ApiProperty({ enum: ['high', 'normal', 'low'] })
  @IsIn(['high', 'normal', 'low'])
  priority: 'high' | 'normal' | 'low';
}

export class CompletionRequestDto extends VersionDto {
  @ApiProperty({ example: '各项工作已完成，特申请办结' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  note: string;
}

export class ReassignDto extends ReasonDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  fromUnitId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  toUnitId: string;
}

export class CommentDto {
  @ApiProperty({ example: '请配合提供本季度数据' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  body: string;
}

export class ExtensionRequestDto {
  @ApiProperty({ example: '2027-03-31' })
  @Matches(DATE, { message: '必须是 YYYY-MM-DD 日期' })
  @IsISO8601({ strict: true }, { message: '不是有效日期' })
  newDueOn: string;

  @ApiProperty({ example: '项目审批流程延后' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

export class ExtensionDecisionDto extends VersionDto {
  @ApiProperty({ description: 'true 批准，false 不批准' })
  @IsBoolean()
  approve: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ValueInputDto {
  @ApiProperty({ example: '国家级龙头企业数量' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  indicator: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: '按县填报的指标：重点帮扶县的单位编号' })
  @IsOptional()
  @IsUUID()
  unitId?: string | null;

  @ApiProperty({ example: 6 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value: number;
}

export class SubmitReportDto {
  @ApiProperty({ description: '本期进展' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  progress: string;

  @ApiPropertyOptional({ description: '存在问题' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  problems?: string;

  @ApiPropertyOptional({ description: '下步计划' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  nextSteps?: string;

  @ApiPropertyOptional({ type: [ValueInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ValueInputDto)
  values?: ValueInputDto[];

  @ApiPropertyOptional({ type: [String], description: '已上传的佐证材料编号' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
}

export class ReviewDto extends VersionDto {
  @ApiProperty({ enum: ['approve', 'return'] })
  @IsIn(['approve', 'return'])
  decision: 'approve' | 'return';

  @ApiPropertyOptional({ description: '退回时必填' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;
}

export class TaskUnitDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: ['lead', 'cooperating'] }) role: string;
  @ApiProperty() name: string;
  @ApiProperty() shortName: string;
  @ApiProperty() kind: string;
}

export class TaskListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) dueOn: string | null;
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '表单征集或年度互访任务为空' }) measureId: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: [String] }) leads: string[];
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskListItemDto] }) items: TaskListItemDto[];
  @ApiProperty({ description: '列表的任务总数（不是剩余条数）' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty({ nullable: true, type: Number, description: '按 offset 取页时为跳过的条数；按游标（after）取页时为空' }) offset: number | null;
  @ApiProperty({ nullable: true, type: String, description: '下一页的游标（传给 after）；没有下一页时为空' }) nextCursor: string | null;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ nullable: true, type: String }) dueOn: string | null;
  @ApiProperty({ nullable: true, type: String }) acceptDueOn: string | null;
  @ApiProperty() reportingCycle: string;
  @ApiProperty({ type: [String] }) customReportDates: string[];
  @ApiProperty({ enum: ['high', 'normal', 'low'] }) priority: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) targets: object[];
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '表单征集或年度互访任务为空' }) measureId: string | null;
  @ApiProperty({ enum: ['measure', 'form', 'visit'], description: '任务来源：举措、统计表征集、结对年度互访' }) origin: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) formCampaignId: string | null;
  @ApiProperty({ type: [TaskUnitDto] }) units: TaskUnitDto[];
  @ApiProperty({ enum: ['coordinator', 'auditor', 'lead', 'cooperating', 'city', 'none'], description: '当前用户与任务的关系' }) relation: string;
  @ApiProperty({ nullable: true, type: String }) suspendedFrom: string | null;
  @ApiProperty({ nullable: true, type: Number }) remainingWorkingDays: number | null;
  @ApiProperty({ nullable: true, type: String }) completionNote: string | null;
  @ApiPropertyOptional({ type: () => DeadlineRulesDto, description: '实际生效的督办规则（任务详情中给出）' }) deadlineRules?: DeadlineRulesDto;
  @ApiProperty() version: number;
}

export class CommentViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() body: string;
  @ApiProperty() author: string;
  @ApiProperty() unit: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class ExtensionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() currentDueOn: string;
  @ApiProperty() requestedDueOn: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['pending', 'approved', 'refused'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty() version: number;
}

export class PeriodDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-Q4' }) periodKey: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty() dueOn: string;
  @ApiProperty({ description: '时限跨入尚未导入官方日历的年份（按周一至周五估算）' }) dueProvisional: boolean;
  @ApiProperty({ enum: ['awaiting_signoff', 'submitted', 'approved', 'returned', 'missed', 'open', 'upcoming'], description: '查询时根据当前日期推算' }) status: string;
  @ApiProperty() late: boolean;
  @ApiProperty() revisions: number;
  @ApiProperty({ nullable: true, type: String }) latestSubmissionId: string | null;
}

export class ValueDto {
  @ApiProperty() indicator: string;
  @ApiProperty({ nullable: true, type: String }) unitId: string | null;
  @ApiProperty() value: number;
}

export class EvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() filename: string;
  @ApiProperty() mimeType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
}

export class SubmissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty() periodKey: string;
  @ApiProperty() revision: number;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: ['awaiting_signoff', 'submitted', 'approved', 'returned'] }) status: string;
  @ApiProperty() progress: string;
  @ApiProperty() problems: string;
  @ApiProperty() nextSteps: string;
  @ApiProperty({ format: 'uuid' }) submittedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) submittedAt: string;
  @ApiProperty({ nullable: true, type: String }) signedOffAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: [ValueDto] }) values: ValueDto[];
  @ApiProperty({ type: [EvidenceDto] }) evidence: EvidenceDto[];
}

export class ReviewQueueItemDto {
  @ApiProperty({ format: 'uuid' }) submissionId: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() taskTitle: string;
  @ApiProperty() unit: string;
  @ApiProperty() periodKey: string;
  @ApiProperty() revision: number;
  @ApiProperty({ type: String, format: 'date-time' }) waitingSince: string;
  @ApiProperty() version: number;
}

export class ReviewQueuePageDto {
  @ApiProperty({ type: [ReviewQueueItemDto] }) items: ReviewQueueItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
