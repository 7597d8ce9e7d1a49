import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AuditService } from '@duban/domain';
import { Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/page.dto';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['task', 'document', 'submission', 'extension', 'user', 'unit'] })
  @IsOptional()
  @IsIn(['task', 'document', 'submission', 'extension', 'user', 'unit'])
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({ example: 'task.accept' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

class AuditRowDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorUnitId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorUsername: string | null;
  @ApiProperty() action: string;
  @ApiProperty() entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) before: unknown;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) after: unknown;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

class AuditPageDto {
  @ApiProperty({ type: [AuditRowDto] }) items: AuditRowDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

class AuditVerifyDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() checked: number;
  @ApiProperty({ nullable: true, type: String }) brokenAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

/** The append-only audit log. */
@ApiTags('审计 audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '审计日志（按对象、操作人、操作、时间筛选），最新在前' })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@Query() q: AuditQueryDto): Promise<AuditPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.audit.list({ ...q, limit, offset })), limit, offset };
  }

  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: '校验哈希链：任何改动、删除或插入都会被发现' })
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(): Promise<AuditVerifyDto> {
    return this.audit.verify();
  }
}
