import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
import { REPORTING_CYCLES, type ReportingCycle } from '@duban/domain';
import { PageQueryDto } from '../common/page.dto';
import { toBool } from '../common/query-transforms';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateDocumentDto {
  @ApiProperty({ description: '文件全文（纯文本）；上传文件请改用 multipart/form-data 的 file 字段' })
  @IsString()
  @IsNotEmpty()
  text: string;

  @ApiPropertyOptional({ example: '晋乡振发〔2022〕11号.txt' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

export class ListDocumentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '包含草稿（仅协调员、管理员、审计）' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeDrafts?: boolean;
}

export class TargetDto {
  @ApiProperty({ example: '力争到2025年重点帮扶县国家级龙头企业数量由现在的5家增长到8家以上' })
  @IsString()
  @MaxLength(2000)
  text: string;

  @ApiProperty({ example: '国家级龙头企业数量' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  indicator: string;

  @ApiProperty({ nullable: true, type: Number, example: 5 })
  @IsOptional()
  @IsNumber()
  baseline: number | null;

  @ApiProperty({ example: 8 })
  @IsNumber()
  value: number;

  @ApiProperty({ nullable: true, type: String, example: '家' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  unit: string | null;

  @ApiProperty({ enum: ['>=', '<=', '>', '<', '=', '~'] })
  @IsIn(['>=', '<=', '>', '<', '=', '~'])
  comparator: '>=' | '<=' | '>' | '<' | '=' | '~';

  @ApiProperty({ nullable: true, type: Number, example: 2025 })
  @IsOptional()
  @IsInt()
  year: number | null;

  @ApiProperty({ nullable: true, type: String, example: '县', description: '每县/每个重点帮扶县' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  perUnit: string | null;

  @ApiProperty({ nullable: true, type: String, enum: ['annual', 'semiannual', 'quarterly', 'monthly'] })
  @IsOptional()
  @IsIn(['annual', 'semiannual', 'quarterly', 'monthly'])
  recurrence: 'annual' | 'semiannual' | 'quarterly' | 'monthly' | null;
}

export class UpdateMeasureDto {
  @ApiProperty({ description: '您看到的版本号（乐观锁）', example: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ type: [String], example: ['省发展改革委', '省财政厅'], description: '牵头单位（名称或别名，可用“各市”等集合名称）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(128, { each: true })
  leads?: string[];

  @ApiPropertyOptional({ enum: ['single', 'joint', 'respective'] })
  @IsOptional()
  @IsIn(['single', 'joint', 'respective'])
  leadMode?: 'single' | 'joint' | 'respective';

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(128, { each: true })
  cooperating?: string[];

  @ApiPropertyOptional({ example: '2026-12-31', nullable: true, type: String })
  @IsOptional()
  @Matches(DATE, { message: '必须是 YYYY-MM-DD 日期' })
  @IsISO8601({ strict: true }, { message: '不是有效日期' })
  dueOn?: string | null;

  @ApiPropertyOptional({ enum: REPORTING_CYCLES })
  @IsOptional()
  @IsIn(REPORTING_CYCLES)
  reportingCycle?: ReportingCycle;

  @ApiPropertyOptional({ type: [String], example: ['2027-01-10', '2027-07-10'], description: 'reportingCycle 为 custom 时的报送日期' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(120)
  @Matches(DATE, { each: true, message: '必须是 YYYY-MM-DD 日期' })
  @IsISO8601({ strict: true }, { each: true, message: '不是有效日期' })
  customReportDates?: string[];

  @ApiPropertyOptional({ type: [TargetDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets?: TargetDto[];

  @ApiPropertyOptional({ description: 'false：该条不交办（如基本原则、背景说明）' })
  @IsOptional()
  @IsBoolean()
  dispatch?: boolean;
}

export class MapNameDto {
  @ApiProperty({ example: '有关部门', description: '文件中印出的名称' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  unitId: string;
}

export class PublishDocumentDto {
  @ApiPropertyOptional({ example: '2026-12-31', description: '没有完成时限的举措使用此默认时限' })
  @IsOptional()
  @Matches(DATE, { message: '必须是 YYYY-MM-DD 日期' })
  @IsISO8601({ strict: true }, { message: '不是有效日期' })
  defaultDueOn?: string;
}

export class NameUnitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() shortName: string;
  @ApiProperty() kind: string;
}

export class CollectiveDto {
  @ApiProperty({ example: 'all_city_governments' }) kind: string;
  @ApiProperty({ example: '各市人民政府（11 个市）' }) label: string;
  @ApiProperty({ example: 11 }) count: number;
}

export class NameViewDto {
  @ApiProperty({ example: '省发展改革委' }) printedName: string;
  @ApiProperty({ enum: ['resolved', 'collective', 'unresolved'] }) status: 'resolved' | 'collective' | 'unresolved';
  @ApiProperty({ type: NameUnitDto, nullable: true }) unit: NameUnitDto | null;
  @ApiProperty({ type: CollectiveDto, nullable: true }) collective: CollectiveDto | null;
}

export class SpanDto {
  @ApiProperty() start: number;
  @ApiProperty() end: number;
}

export class DeadlineDto {
  @ApiProperty({ example: '到2025年' }) text: string;
  @ApiProperty({ nullable: true, type: String, example: '2025-12-31' }) date: string | null;
  @ApiProperty({ enum: ['point', 'period', 'recurring'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) start: string | null;
  @ApiProperty({ nullable: true, type: String }) recurrence: string | null;
}

export class MeasureProgressDto {
  @ApiProperty() tasks: number;
  @ApiProperty() closed: number;
  @ApiProperty({ enum: ['not_published', 'open', 'closed'], description: '全部任务销号后举措才算办结' }) status: string;
}

export class MeasureViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 2 }) no: number;
  @ApiProperty({ example: '（二）' }) label: string;
  @ApiProperty() printedNo: number;
  @ApiProperty({ nullable: true, type: Number }) sectionNo: number | null;
  @ApiProperty({ nullable: true, type: String }) sectionHeading: string | null;
  @ApiProperty({ example: '加大金融资本支持力度' }) title: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: SpanDto, description: '该举措在清洗后全文中的字符区间 [start, end)' }) span: SpanDto;
  @ApiProperty({ nullable: true, enum: ['single', 'joint', 'respective'] }) leadMode: string | null;
  @ApiProperty({ type: [NameViewDto] }) leads: NameViewDto[];
  @ApiProperty({ type: [NameViewDto] }) cooperating: NameViewDto[];
  @ApiProperty({ type: [DeadlineDto] }) deadlines: DeadlineDto[];
  @ApiProperty({ type: [TargetDto] }) targets: TargetDto[];
  @ApiProperty({ type: [String] }) places: string[];
  @ApiProperty({ nullable: true, type: String }) dueOn: string | null;
  @ApiProperty({ enum: REPORTING_CYCLES }) reportingCycle: string;
  @ApiProperty({ type: [String] }) customReportDates: string[];
  @ApiProperty() dispatch: boolean;
  @ApiProperty() version: number;
  @ApiProperty({ type: MeasureProgressDto }) progress: MeasureProgressDto;
}

export class RequestDto {
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String, example: '2021-08-23' }) date: string | null;
  @ApiProperty({ type: [String], example: ['各市'] }) addressees: string[];
  @ApiProperty({ type: [String] }) emails: string[];
  @ApiProperty({ type: [String] }) attachments: string[];
}

export class SectionDto {
  @ApiProperty() no: number;
  @ApiProperty({ example: '一、' }) label: string;
  @ApiProperty({ example: '加大资金项目支持力度' }) heading: string;
}

export class FormDto {
  @ApiProperty({ example: '全省市域内县际结对帮扶情况统计表' }) title: string;
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({ type: [String] }) headerFields: string[];
  @ApiProperty({ type: [String] }) footerFields: string[];
}

export class DocumentSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: '晋乡振发〔2022〕11号' }) docNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ nullable: true, type: String }) issuer: string | null;
  @ApiProperty({ nullable: true, type: String }) issuedOn: string | null;
  @ApiProperty({ enum: ['draft', 'published'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
}

export class DocumentPageDto {
  @ApiProperty({ type: [DocumentSummaryDto] }) items: DocumentSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class DocumentViewDto extends DocumentSummaryDto {
  @ApiProperty({ nullable: true, type: String }) enclosedTitle: string | null;
  @ApiProperty({ type: [String] }) addressees: string[];
  @ApiProperty({ type: [String] }) cc: string[];
  @ApiProperty({ type: [RequestDto] }) requests: RequestDto[];
  @ApiProperty({ type: [SectionDto] }) sections: SectionDto[];
  @ApiProperty({ type: [FormDto] }) forms: FormDto[];
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ nullable: true, type: String }) sourceFilename: string | null;
  @ApiProperty({ enum: ['txt', 'docx', 'pdf', 'text'] }) sourceType: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: [MeasureViewDto] }) measures: MeasureViewDto[];
  @ApiProperty({ type: [String], description: '未能对应到注册表单位的名称' }) unresolvedNames: string[];
  @ApiProperty({ type: [String], description: '发布前必须解决的问题' }) problems: string[];
  @ApiProperty() taskCount: number;
}

export class MeasureTextDto {
  @ApiProperty({ example: '（一）' }) label: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: SpanDto }) span: SpanDto;
}

export class PublishResultDto {
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiProperty({ description: '本次新建的任务数' }) created: number;
  @ApiProperty({ description: '已存在（未重复创建）的任务数' }) existing: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: [String] }) warnings: string[];
}
