import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveriesService, PreferencesService, WebhooksService, type Actor } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import { CreateWebhookDto, CreatedWebhookDto, DeliveryDto, DeliveryPageDto, DeliveryQueryDto, PreferencesDto, PutPreferencesDto, WebhookDto } from './delivery.dto';

/** The signed-in user's delivery preferences. */
@ApiTags('通知 notifications')
@ApiBearerAuth()
@Controller('me/notification-preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOperation({ summary: '我的通知渠道设置（按类别：邮件、webhook；是否改为每日日报）' })
  @ApiOkResponse({ type: PreferencesDto })
  get(@CurrentActor() actor: Actor): Promise<PreferencesDto> {
    return this.preferences.get(actor);
  }

  @Put()
  @ApiOperation({ summary: '整体替换我的通知渠道设置（站内通知始终送达）' })
  @ApiOkResponse({ type: PreferencesDto })
  put(@CurrentActor() actor: Actor, @Body() body: PutPreferencesDto): Promise<PreferencesDto> {
    return this.preferences.put(actor, body);
  }
}

/** Webhook subscriptions: one's own, or (admins, coordinators) a unit's. */
@ApiTags('通知 notifications')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'webhook 订阅：管理员和协调员看全部，其他人看本人的' })
  @ApiOkResponse({ type: [WebhookDto] })
  list(@CurrentActor() actor: Actor): Promise<WebhookDto[]> {
    return this.webhooks.list(actor);
  }

  @Post()
  @ApiOperation({ summary: '订阅 webhook（带 unitId 为单位订阅，仅管理员、协调员）；请求以 HMAC-SHA256 签名' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(actor, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '取消 webhook 订阅（未投递的随之取消）' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }
}

/** Admins: deliveries (parked ones by default) and re-drive. */
@ApiTags('通知 notifications')
@ApiBearerAuth()
@Roles('admin')
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: '邮件与 webhook 投递记录（默认只列已搁置的）' })
  @ApiOkResponse({ type: DeliveryPageDto })
  async list(@Query() q: DeliveryQueryDto): Promise<DeliveryPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.deliveries.list(q.status ?? 'parked', limit, offset)), limit, offset };
  }

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: '重新投递一条已搁置的投递（重试次数重新计算）' })
  @ApiOkResponse({ type: DeliveryDto })
  redrive(@Param('id', UuidParam) id: string): Promise<DeliveryDto> {
    return this.deliveries.redrive(id);
  }
}
