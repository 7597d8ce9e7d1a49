import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { NotificationsService, RemindersService, type Actor } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/page.dto';
import { UuidParam } from '../common/uuid-param.pipe';

class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true：只看未读' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'report.returned' }) kind: string;
  @ApiProperty({ example: '报送被退回' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty() entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: string | null;
}

class InboxDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty() total: number;
  @ApiProperty() unread: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

class CountDto {
  @ApiProperty() count: number;
}

/** The signed-in user's in-app inbox. */
@ApiTags('通知 notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: '我的通知，最新在前' })
  @ApiOkResponse({ type: InboxDto })
  async inbox(@CurrentActor() actor: Actor, @Query() q: InboxQueryDto): Promise<InboxDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.notifications.inbox(actor, q.unread === 'true', limit, offset)), limit, offset };
  }

  @Get('unread-count')
  @ApiOperation({ summary: '未读通知数' })
  @ApiOkResponse({ type: CountDto })
  async unread(@CurrentActor() actor: Actor): Promise<CountDto> {
    return { count: await this.notifications.unreadCount(actor) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部标为已读' })
  @ApiOkResponse({ type: CountDto })
  async readAll(@CurrentActor() actor: Actor): Promise<CountDto> {
    return { count: await this.notifications.markAllRead(actor) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: '标为已读' })
  @ApiNoContentResponse()
  async read(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    await this.notifications.markRead(actor, id);
  }
}

class EscalationDto {
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['accept', 'task_due', 'period_due'] }) obligationType: string;
  @ApiProperty({ description: '1 单位负责人；2 省级督办清单；3 纳入情况通报' }) level: number;
  @ApiProperty() dueOn: string;
  @ApiProperty({ type: String, format: 'date-time' }) raisedAt: string;
}

/** The coordinators' 督办 list: open escalations, highest level first. */
@ApiTags('通知 notifications')
@ApiBearerAuth()
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '未解除的督办（逾期升级），级别高的在前' })
  @ApiOkResponse({ type: [EscalationDto] })
  list(): Promise<EscalationDto[]> {
    return this.reminders.openEscalations();
  }
}
