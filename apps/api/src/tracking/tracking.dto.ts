import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { SUMMARY_DIMENSIONS } from '@duban/domain';

const PERIOD = /^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/;
const PERIOD_MESSAGE = '统计期格式应为 2026、2026-H1、2026-Q3 或 2026-07';

/** The filters every tracking route takes (the period apart). */
class TrackingScopeQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: '文件' })
  @IsOptional()
  @IsUUID()
  documentId?: string;

  @ApiPropertyOptional({ minimum: 1, description: '篇章序号（一、→ 1），须同时给出 documentId' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(99)
  section?: number;

  @ApiPropertyOptional({ format: 'uuid', description: '牵头单位' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '市（市人民政府的单位 id）：该市政府、市乡村振兴局及其县牵头的任务' })
  @IsOptional()
  @IsUUID()
  cityId?: string;
}

/** The filters every tracking route takes. */
export class TrackingQueryDto extends TrackingScopeQueryDto {
  @ApiPropertyOptional({ example: '2026-Q4', description: '统计期：报送按该期内结束的报送期统计，销号按该期内销号的任务统计' })
  @IsOptional()
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period?: string;
}

export class SummaryParamsDto {
  @ApiProperty({ enum: SUMMARY_DIMENSIONS })
  @IsIn(SUMMARY_DIMENSIONS)
  by: (typeof SUMMARY_DIMENSIONS)[number];
}

/** A tracking list (overdue tasks, escalations): the filters and how many rows at most. */
export class TrackingListQueryDto extends TrackingQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class BulletinQueryDto extends TrackingScopeQueryDto {
  @ApiProperty({ example: '2026-Q4', description: '通报期' })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period: string;

  @ApiPropertyOptional({ enum: ['json', 'md', 'docx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'md', 'docx'])
  format?: 'json' | 'md' | 'docx';
}

export class LedgerQueryDto extends TrackingQueryDto {
  @ApiPropertyOptional({ enum: ['xlsx', 'csv'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx', 'csv'])
  format?: 'xlsx' | 'csv';
}

const LIGHT = { enum: ['green', 'yellow', 'red'], description: 'green 正常推进；yellow 临近截止（预警窗口内）；red 逾期，或有二级以上督办未解除' };

class ByStateDto {
  @ApiProperty() assigned: number;
  @ApiProperty() accepted: number;
  @ApiProperty() in_progress: number;
  @ApiProperty() completion_requested: number;
  @ApiProperty() closed: number;
  @ApiProperty() suspended: number;
}

class LightCountsDto {
  @ApiProperty() green: number;
  @ApiProperty() yellow: number;
  @ApiProperty() red: number;
}

export class SummaryRowDto {
  @ApiProperty({ description: '分组键：单位、举措或文件的 id；all 为合计' }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: String, nullable: true }) detail: string | null;
  @ApiProperty() tasks: number;
  @ApiProperty({ type: ByStateDto }) byState: ByStateDto;
  @ApiProperty({ type: LightCountsDto }) lights: LightCountsDto;
  @ApiProperty(LIGHT) light: string;
  @ApiProperty() overdueTasks: number;
  @ApiProperty({ description: '截止已过且未报送的报送期次' }) missedReports: number;
  @ApiProperty() openEscalations: number;
  @ApiProperty() reportsDue: number;
  @ApiProperty() reportsOnTime: number;
  @ApiProperty({ type: Number, nullable: true, description: '按时报送率 0..1' }) onTimeRate: number | null;
  @ApiProperty() closedTasks: number;
  @ApiProperty({ type: Number, nullable: true, description: '从下达到销号的平均工作日' }) avgCloseWorkingDays: number | null;
  @ApiProperty() overdueWorkingDays: number;
  @ApiProperty() returnedSubmissions: number;
}

export class SummaryDto {
  @ApiProperty({ enum: SUMMARY_DIMENSIONS }) by: string;
  @ApiProperty({ example: '2026-11-23' }) today: string;
  @ApiProperty({ description: '预警窗口的最后一天' }) warnUntil: string;
  @ApiProperty({ type: [SummaryRowDto] }) rows: SummaryRowDto[];
}

class GridMeasureDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) docNumber: string | null;
  @ApiProperty(LIGHT) light: string;
}

class GridUnitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class GridCellDto {
  @ApiProperty({ format: 'uuid' }) measureId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty(LIGHT) light: string;
  @ApiProperty() tasks: number;
  @ApiProperty() overdueTasks: number;
}

export class GridDto {
  @ApiProperty() today: string;
  @ApiProperty({ type: [GridMeasureDto] }) measures: GridMeasureDto[];
  @ApiProperty({ type: [GridUnitDto] }) units: GridUnitDto[];
  @ApiProperty({ type: [GridCellDto] }) cells: GridCellDto[];
}

class CountyProgressDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: Number, nullable: true }) latest: number | null;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
}

export class TargetProgressDto {
  @ApiProperty({ format: 'uuid' }) measureId: string;
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiProperty({ type: String, nullable: true }) docNumber: string | null;
  @ApiProperty() measureLabel: string;
  @ApiProperty() measureTitle: string;
  @ApiProperty() indicator: string;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
  @ApiProperty() comparator: string;
  @ApiProperty({ type: Number, nullable: true }) baseline: number | null;
  @ApiProperty() target: number;
  @ApiProperty({ type: Number, nullable: true }) year: number | null;
  @ApiProperty({ description: '按县考核（每个重点帮扶县）' }) perCounty: boolean;
  @ApiProperty({ type: Number, nullable: true, description: '最近一次审核通过的值' }) latest: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '完成度 0..1：(最新值-基数)/(目标-基数)' }) share: number | null;
  @ApiProperty({ type: [CountyProgressDto] }) counties: CountyProgressDto[];
  @ApiProperty({ type: [String], description: '从未填报该指标的县' }) silentCounties: string[];
}

class ScoreBreakdownDto {
  @ApiProperty() base: number;
  @ApiProperty({ type: Number, nullable: true }) onTimePoints: number | null;
  @ApiProperty({ type: Number, nullable: true }) targetPoints: number | null;
  @ApiProperty() overduePenalty: number;
  @ApiProperty() returnedPenalty: number;
  @ApiProperty() score: number;
}

export class RankingRowDto {
  @ApiProperty() rank: number;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() name: string;
  @ApiProperty() tasks: number;
  @ApiProperty() reportsDue: number;
  @ApiProperty() reportsOnTime: number;
  @ApiProperty({ type: Number, nullable: true }) onTimeRate: number | null;
  @ApiProperty() overdueTasks: number;
  @ApiProperty() overdueWorkingDays: number;
  @ApiProperty({ type: Number, nullable: true }) targetShare: number | null;
  @ApiProperty() returnedSubmissions: number;
  @ApiProperty({ type: ScoreBreakdownDto }) breakdown: ScoreBreakdownDto;
  @ApiProperty() score: number;
}

export class OverdueTaskDto {
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() title: string;
  @ApiProperty() status: string;
  @ApiProperty() dueOn: string;
  @ApiProperty({ type: String, nullable: true }) docNumber: string | null;
  @ApiProperty() measureLabel: string;
  @ApiProperty({ type: [String] }) leads: string[];
}

export class TrackingEscalationDto {
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) docNumber: string | null;
  @ApiProperty() measureLabel: string;
  @ApiProperty({ type: [String] }) leads: string[];
  @ApiProperty({ enum: ['accept', 'task_due', 'period_due'] }) obligationType: string;
  @ApiProperty() level: number;
  @ApiProperty() dueOn: string;
  @ApiProperty() overdueWorkingDays: number;
  @ApiProperty({ type: String, format: 'date-time' }) raisedAt: string;
}

class RankingWeightsDto {
  @ApiProperty() weightOnTime: number;
  @ApiProperty() weightTargets: number;
  @ApiProperty() penaltyPerOverdueDay: number;
  @ApiProperty() penaltyPerReturned: number;
}

export class BulletinDto {
  @ApiProperty() period: string;
  @ApiProperty() generatedOn: string;
  @ApiProperty({ type: SummaryRowDto }) totals: SummaryRowDto;
  @ApiProperty({ type: [SummaryRowDto] }) laggingUnits: SummaryRowDto[];
  @ApiProperty({ type: [TrackingEscalationDto], description: '未解除的三级督办，截止日期最早的至多 200 项' }) escalations: TrackingEscalationDto[];
  @ApiProperty({ description: '未解除的三级督办总数' }) escalationsTotal: number;
  @ApiProperty({ type: [RankingRowDto] }) ranking: RankingRowDto[];
  @ApiProperty({ type: RankingWeightsDto }) weights: RankingWeightsDto;
}
