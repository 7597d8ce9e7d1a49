import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { UNIT_KINDS, type UnitKind } from '@duban/domain';
import { PageQueryDto } from '../common/page.dto';
import { toBool } from '../common/query-transforms';


export class ListUnitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @ApiPropertyOptional({ format: 'uuid', description: '上级单位（市）编号' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ description: '只看重点帮扶县' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  keyAssisted?: boolean;

  @ApiPropertyOptional({ description: '按名称或别名模糊查找' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;
}

export class UnitDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'county.140622' })
  code: string;

  @ApiProperty({ example: '应县人民政府' })
  name: string;

  @ApiProperty({ example: '应县' })
  shortName: string;

  @ApiProperty({ enum: UNIT_KINDS })
  kind: UnitKind;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  parentId: string | null;

  @ApiProperty({ example: '140622', nullable: true, type: String })
  adminCode: string | null;

  @ApiProperty({ description: '重点帮扶县' })
  keyAssisted: boolean;

  @ApiProperty({ nullable: true, type: Boolean, description: '原国定贫困县' })
  formerNationalPovertyCounty: boolean | null;

  @ApiProperty({ type: [String], description: '数据来源' })
  sources: string[];

  @ApiProperty({ description: '本单位的报送须经单位负责人审签后才报省里' })
  requiresSignoff: boolean;
}

export class UnitSettingsDto {
  @ApiProperty({ description: '报送是否需要单位负责人审签' })
  @IsBoolean()
  requiresSignoff: boolean;
}

export class UnitDetailDto extends UnitDto {
  @ApiProperty({ type: [String], description: '该单位的全部名称（规范化后），用于解析文件中的单位名' })
  aliases: string[];
}

export class UnitPageDto {
  @ApiProperty({ type: [UnitDto] })
  items: UnitDto[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;
}

export class ResolveUnitsDto {
  @ApiProperty({ type: [String], example: ['省发展改革委', '省地方金融监管局', '某某局'] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  names: string[];
}

export class ResolvedNameDto {
  @ApiProperty()
  name: string;

  @ApiProperty({ type: UnitDto, nullable: true })
  unit: UnitDto | null;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: '只检查不写入' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: '有被拒绝的行时仍写入其余有效行（默认：全部有效才写入）' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  partial?: boolean;
}

export class RejectedRowDto {
  @ApiProperty({ description: 'CSV 行号（表头为第 1 行）' })
  row: number;

  @ApiProperty({ nullable: true, type: String })
  code: string | null;

  @ApiProperty()
  reason: string;
}

export class ImportReportDto {
  @ApiProperty()
  created: number;

  @ApiProperty()
  updated: number;

  @ApiProperty()
  unchanged: number;

  @ApiProperty()
  aliasesAdded: number;

  @ApiProperty({ type: [RejectedRowDto] })
  rejected: RejectedRowDto[];

  @ApiProperty({ description: '为 true 时没有写入任何内容（试运行，或有被拒绝的行）' })
  rolledBack: boolean;
}
