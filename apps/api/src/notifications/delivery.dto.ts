import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, IsUUID, IsUrl, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../common/page.dto';

export class KindChannelsDto {
  @ApiProperty({ description: '是否发送邮件（日报模式下汇入日报）' })
  @IsBoolean()
  email: boolean;

  @ApiProperty({ description: '是否推送到本人订阅的 webhook' })
  @IsBoolean()
  webhook: boolean;
}

const kind = (description: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ type: KindChannelsDto, description }), IsDefined(), IsObject(), ValidateNested(), Type(() => KindChannelsDto));

export class KindsDto {
  @kind('到期提醒 reminder.*') reminder: KindChannelsDto;
  @kind('督办升级 escalation.*') escalation: KindChannelsDto;
  @kind('审核催办（review / chase）') review: KindChannelsDto;
  @kind('报送期开始 period.*') period: KindChannelsDto;
  @kind('其他通知（报送退回、延期批复……）') generic: KindChannelsDto;
}

export class PutPreferencesDto {
  @ApiProperty({ description: 'true：每个工作日一封日报，代替逐条邮件' })
  @IsBoolean()
  digest: boolean;

  @ApiProperty({ type: KindsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => KindsDto)
  kinds: KindsDto;
}

export class PreferencesDto extends PutPreferencesDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '从未设置时为 null（即默认：全部开启，逐条邮件）' })
  updatedAt: string | null;
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://oa.example.gov.cn/hooks/duban' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: '必须是 http(s) 地址' })
  url: string;

  @ApiPropertyOptional({ description: '签名密钥（16-200 字符）；不填则由系统生成，只在本次返回' })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '单位订阅（仅管理员、督办协调员）；不填则为本人订阅' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: '办公系统对接' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['user', 'unit'] }) scope: 'user' | 'unit';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerUserId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) unitId: string | null;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ description: '签名密钥：只返回这一次' }) secret: string;
}

export const DELIVERY_STATUSES = ['pending', 'held', 'digested', 'sent', 'parked', 'cancelled'] as const;

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '默认 parked（已搁置）' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['email', 'webhook', 'digest', 'digest_email'] }) channel: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) notificationId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) subscriptionId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-25' }) digestDate: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() redrives: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) parkedAt: string | null;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
