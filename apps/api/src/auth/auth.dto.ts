import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ROLES, type Role } from '@duban/domain';

export class LoginDto {
  @ApiProperty({ example: 'coordinator' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'Duban@2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}

export class UnitSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'prov.xczxj' })
  code: string;

  @ApiProperty({ example: '山西省乡村振兴局' })
  name: string;

  @ApiProperty({ example: '省乡村振兴局' })
  shortName: string;

  @ApiProperty({ example: 'provincial_bureau' })
  kind: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'coordinator' })
  username: string;

  @ApiProperty({ example: '王协调' })
  displayName: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles: Role[];

  @ApiProperty({ type: UnitSummaryDto })
  unit: UnitSummaryDto;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '市、县用户所属市的单位编号' })
  cityId: string | null;

  @ApiProperty({ type: [String], description: '需要当前用户注意的系统提示（如下一年度工作日历未导入）' })
  notices: string[];
}

export class LoginResponseDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ example: 28800, description: '有效期（秒）' })
  expiresIn: number;

  @ApiProperty({ type: MeDto })
  user: MeDto;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: '数据同步脚本' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiPropertyOptional({ example: 90, description: '有效天数；省略则长期有效' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'dbn_AbCdEf', description: '令牌前缀，便于识别' })
  prefix: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: '完整令牌，仅此一次返回，请妥善保存' })
  token: string;
}
