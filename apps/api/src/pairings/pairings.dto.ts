import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ASSESSMENT_GRADES, COLUMN_TYPES, PAIRING_ROLES, UNIT_KINDS, WORK_AREA_KEYS } from '@duban/domain';
import { VersionDto } from '../tasks/tasks.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = { message: '日期格式应为 YYYY-MM-DD' };

// ---- forms

export class FormColumnDto {
  @ApiProperty({ example: '联系方式' }) @IsString() @IsNotEmpty() @MaxLength(40) label: string;
  @ApiProperty({ enum: COLUMN_TYPES }) @IsIn(COLUMN_TYPES) type: (typeof COLUMN_TYPES)[number];
  @ApiProperty() @IsBoolean() required: boolean;
  @ApiPropertyOptional({ enum: UNIT_KINDS }) @IsOptional() @IsIn(UNIT_KINDS) unitKind?: (typeof UNIT_KINDS)[number];
  @ApiPropertyOptional({ description: '须为重点帮扶县' }) @IsOptional() @IsBoolean() keyAssisted?: boolean;
  @ApiPropertyOptional({ description: '须属于同一行该列所填的市' }) @IsOptional() @IsString() @MaxLength(40) sameCityAs?: string;
  @ApiPropertyOptional({ description: '须为报送单位所在的市' }) @IsOptional() @IsBoolean() ownCity?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) options?: string[];
  @ApiPropertyOptional({ enum: PAIRING_ROLES }) @IsOptional() @IsIn(PAIRING_ROLES) role?: (typeof PAIRING_ROLES)[number];
}

export class CreateFormTemplateDto {
  @ApiPropertyOptional({ format: 'uuid', description: '从该文件解析出的附件统计表生成' }) @IsOptional() @IsUUID() documentId?: string;
  @ApiPropertyOptional({ description: '文件中的第几张表（从 0 起）' }) @IsOptional() @IsInt() @Min(0) @Max(50) formIndex?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ type: [FormColumnDto] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => FormColumnDto) columns?: FormColumnDto[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) headerFields?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) footerFields?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) uniqueBy?: string[];
}

export class FormTemplateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['generic', 'pairing'] }) kind: string;
  @ApiProperty({ type: [FormColumnDto] }) columns: FormColumnDto[];
  @ApiProperty({ type: [String] }) headerFields: string[];
  @ApiProperty({ type: [String] }) footerFields: string[];
  @ApiProperty({ type: [String] }) uniqueBy: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sourceDocumentId: string | null;
  @ApiProperty() version: number;
}

export class CreateCampaignDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() templateId: string;
  @ApiPropertyOptional({ format: 'uuid', description: '下发统计表的文件（默认：模板来源文件）' }) @IsOptional() @IsUUID() documentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: '2021-08-23', description: '默认：文件中报送该表的时限' }) @IsOptional() @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) dueOn?: string;
  @ApiPropertyOptional({ type: [String], description: '默认：11 个市乡村振兴局' }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsUUID('all', { each: true }) unitIds?: string[];
}

export class CampaignUnitDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ enum: ['missing', 'submitted', 'accepted', 'returned'] }) status: string;
  @ApiProperty() late: boolean;
  @ApiProperty({ nullable: true, type: Number }) revision: number | null;
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) templateId: string;
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2021-08-23' }) dueOn: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty({ enum: ['generic', 'pairing'] }) kind: string;
  @ApiProperty({ type: [CampaignUnitDto], description: '被征集单位只看到自己' }) units: CampaignUnitDto[];
  @ApiProperty() version: number;
}

export class FormSubmissionBodyDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { 填报单位: '朔州市乡村振兴局', 填报时间: '2021-08-20', 填表人: '张三', 联系方式: '13900000000' } })
  @IsObject()
  header: Record<string, unknown>;

  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } }, description: '每行一个对象，键为列名' })
  @IsArray()
  @ArrayMaxSize(100000)
  @IsObject({ each: true })
  rows: Record<string, unknown>[];
}

export class CheckedRowDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) values: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', format: 'uuid' }, description: '单位列解析出的单位 id' }) units: Record<string, string>;
  @ApiProperty({ description: '来源行号（Excel 的行号，或 JSON 中的第几行）' }) sourceRow: number;
}

export class FormSubmissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() revision: number;
  @ApiProperty({ enum: ['submitted', 'accepted', 'returned'] }) status: string;
  @ApiProperty({ enum: ['json', 'xlsx'] }) source: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) header: Record<string, string>;
  @ApiProperty({ type: [CheckedRowDto] }) rows: CheckedRowDto[];
  @ApiProperty({ description: '晚于截止日报送' }) late: boolean;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ nullable: true, type: String }) reviewComment: string | null;
  @ApiProperty({ nullable: true, type: String, description: '已更新到结对登记的时间' }) appliedAt: string | null;
  @ApiProperty() version: number;
}

export class FormReviewDto extends VersionDto {
  @ApiProperty({ enum: ['accept', 'return'] }) @IsIn(['accept', 'return']) decision: 'accept' | 'return';
  @ApiPropertyOptional({ description: '退回时必填' }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class RollupUnitDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiPropertyOptional({ enum: ['submitted', 'returned'] }) status?: string;
}

export class RollupDto {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'string' } } }) rows: string[][];
  @ApiProperty({ type: [RollupUnitDto], description: '未报送的单位' }) missing: RollupUnitDto[];
  @ApiProperty({ type: [RollupUnitDto], description: '已报送但未通过（待审核或已退回）' }) pending: RollupUnitDto[];
}

// ---- pairings

export class CreatePairingDto {
  @ApiProperty({ format: 'uuid', description: '重点帮扶县' }) @IsUUID() assistedId: string;
  @ApiProperty({ format: 'uuid', description: '结对帮扶县（同一市）' }) @IsUUID() helperId: string;
  @ApiProperty({ example: '王五' }) @IsString() @IsNotEmpty() @MaxLength(64) responsiblePerson: string;
  @ApiProperty({ example: '朔城区人民政府 副区长' }) @IsString() @IsNotEmpty() @MaxLength(128) responsibleTitle: string;
  @ApiProperty({ example: '13900000000' }) @IsString() @IsNotEmpty() @MaxLength(32) contactPhone: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) remarks?: string;
  @ApiProperty({ example: '2021-09-01' }) @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) startsOn: string;
  @ApiPropertyOptional({ example: '2025-12-31', nullable: true, type: String }) @IsOptional() @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) endsOn?: string | null;
}

export class UpdatePairingDto extends VersionDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() helperId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) responsiblePerson?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) responsibleTitle?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(32) contactPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) remarks?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) startsOn?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) endsOn?: string | null;
}

export class PairingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) cityId: string;
  @ApiProperty() cityName: string;
  @ApiProperty({ format: 'uuid' }) assistedId: string;
  @ApiProperty() assistedName: string;
  @ApiProperty({ format: 'uuid' }) helperId: string;
  @ApiProperty() helperName: string;
  @ApiProperty() responsiblePerson: string;
  @ApiProperty() responsibleTitle: string;
  @ApiProperty() contactPhone: string;
  @ApiProperty() remarks: string;
  @ApiProperty() startsOn: string;
  @ApiProperty({ nullable: true, type: String }) endsOn: string | null;
  @ApiProperty() current: boolean;
  @ApiProperty({ enum: ['one_to_one', 'one_to_many', 'many_to_one'], nullable: true, type: String, description: '一对一、一对多、多对一（仅当前有效的结对）' }) mode: string | null;
  @ApiProperty() version: number;
}

export class ListPairingsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() cityId?: string;
  @ApiPropertyOptional({ description: 'true：只看当前有效的' }) @IsOptional() @IsIn(['true', 'false']) current?: 'true' | 'false';
}

export class DeletePairingQueryDto {
  @ApiProperty({ description: '您看到的版本号' }) @Type(() => Number) @IsInt() @Min(1) version: number;
}

export class CoverageCountyDto {
  @ApiProperty({ format: 'uuid' }) countyId: string;
  @ApiProperty() countyName: string;
  @ApiProperty({ type: [String] }) helpers: string[];
}

export class CoverageCityDto {
  @ApiProperty({ format: 'uuid' }) cityId: string;
  @ApiProperty() cityName: string;
  @ApiProperty({ type: [CoverageCountyDto] }) counties: CoverageCountyDto[];
  @ApiProperty({ type: [String] }) uncovered: string[];
}

export class CoverageDto {
  @ApiProperty({ description: '全省重点帮扶县应有数（配置）' }) expectedTotal: number;
  @ApiProperty({ description: '全省登记中已标记的重点帮扶县' }) flagged: number;
  @ApiProperty({ description: '全省尚未在登记中标记、无法判断覆盖的重点帮扶县数' }) unknown: number;
  @ApiProperty({ description: '可见范围内（市级用户为本市）已有帮扶县的重点帮扶县数' }) covered: number;
  @ApiProperty({ description: '可见范围内没有帮扶县的重点帮扶县数' }) uncovered: number;
  @ApiProperty({ type: [CoverageCityDto] }) cities: CoverageCityDto[];
}

export class PairingDiffRowDto {
  @ApiProperty() assistedName: string;
  @ApiProperty() helperName: string;
  @ApiProperty({ enum: ['add', 'change', 'end', 'unchanged'] }) action: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) pairingId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: '字段 -> [现值, 表中值]' }) changes: Record<string, [string, string]>;
}

export class PairingDiffDto {
  @ApiProperty({ format: 'uuid' }) submissionId: string;
  @ApiProperty() cityName: string;
  @ApiProperty({ description: '应用时原样传回；预览后登记有变化则 409' }) registryVersion: string;
  @ApiProperty({ type: [PairingDiffRowDto] }) rows: PairingDiffRowDto[];
}

export class ApplyPairingDiffDto {
  @ApiProperty({ description: '预览返回的 registryVersion' }) @IsString() @Matches(/^[0-9a-f]{64}$/, { message: '应为预览返回的 registryVersion' }) registryVersion: string;
}

export class WorkRecordDto {
  @ApiProperty({ enum: WORK_AREA_KEYS, description: 'industry 产业合作, labour 劳务协作, talent 人才支援, funds 资金支持, social 社会参与, meeting 联席会议, visit 主要领导互访' })
  @IsIn(WORK_AREA_KEYS)
  area: (typeof WORK_AREA_KEYS)[number];

  @ApiProperty({ example: '2021-10-15' }) @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) occurredOn: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, example: { projects: 2, investment: 1500 } })
  @IsOptional()
  @IsObject()
  metrics?: Record<string, number>;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class WorkRecordViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: WORK_AREA_KEYS }) area: string;
  @ApiProperty() year: number;
  @ApiProperty() occurredOn: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) metrics: Record<string, number>;
  @ApiProperty() note: string;
}

export class CreatedWorkRecordDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() year: number;
}

export class YearQueryDto {
  @ApiProperty({ example: 2021 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
}

export class WorkSummaryCityDto {
  @ApiProperty({ format: 'uuid' }) cityId: string;
  @ApiProperty() cityName: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) totals: Record<string, number>;
}

export class WorkSummaryPairingDto {
  @ApiProperty({ format: 'uuid' }) pairingId: string;
  @ApiProperty() cityName: string;
  @ApiProperty() assistedName: string;
  @ApiProperty() helperName: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) totals: Record<string, number>;
  @ApiProperty({ description: '本年度已开展主要领导互访' }) visited: boolean;
}

export class WorkSummaryDto {
  @ApiProperty() year: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: '键为 领域.指标（如 funds.amount），另有 meetings、visits 次数' }) province: Record<string, number>;
  @ApiProperty({ type: [WorkSummaryCityDto] }) cities: WorkSummaryCityDto[];
  @ApiProperty({ type: [WorkSummaryPairingDto] }) pairings: WorkSummaryPairingDto[];
}

export class VisitObligationsDto {
  @ApiProperty({ example: 2021 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ format: 'uuid', description: '提出互访要求的文件（晋乡振发〔2021〕29号）' }) @IsUUID() documentId: string;
  @ApiPropertyOptional({ example: '2021-12-31' }) @IsOptional() @Matches(DATE, DATE_MESSAGE) @IsISO8601({ strict: true }, { message: '不是有效日期' }) dueOn?: string;
}

export class VisitObligationsResultDto {
  @ApiProperty() created: number;
  @ApiProperty() existing: number;
}

export class AssessDto {
  @ApiProperty({ example: 2021 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ enum: ASSESSMENT_GRADES }) @IsIn(ASSESSMENT_GRADES) grade: (typeof ASSESSMENT_GRADES)[number];
  @ApiPropertyOptional({ example: 92.5 }) @IsOptional() @IsNumber() @Min(0) @Max(100) score?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) pairingId: string;
  @ApiProperty() year: number;
  @ApiProperty({ enum: ASSESSMENT_GRADES }) grade: string;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty() comment: string;
  @ApiProperty() cityName: string;
  @ApiProperty() assistedName: string;
  @ApiProperty() helperName: string;
  @ApiProperty() assessedAt: string;
}
