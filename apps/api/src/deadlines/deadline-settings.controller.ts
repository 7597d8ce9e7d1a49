import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadlineSettingsService, type Actor, type DeadlineSettingsView } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import { DeadlineSettingsDto, DeadlineSettingsPatchDto } from './deadline-settings.dto';

function patchOf(b: DeadlineSettingsPatchDto): Record<string, unknown> {
  const { version: _version, ...patch } = b;
  return patch;
}

export function toDeadlineSettingsDto(v: DeadlineSettingsView & { version: number }): DeadlineSettingsDto {
  return {
    defaults: { ...v.defaults, reminderDaysBefore: [...v.defaults.reminderDaysBefore], escalationThresholds: [...v.defaults.escalationThresholds] },
    document: v.document as DeadlineSettingsDto['document'],
    ...(v.task ? { task: v.task as DeadlineSettingsDto['document'] } : {}),
    effective: { ...v.effective, reminderDaysBefore: [...v.effective.reminderDaysBefore], escalationThresholds: [...v.effective.escalationThresholds] },
    version: v.version,
  };
}

/** 督办规则: the reminder ladder, escalation thresholds and review limit of a document or a task. */
@ApiTags('督办规则 deadline settings')
@ApiBearerAuth()
@Controller()
export class DeadlineSettingsController {
  constructor(private readonly settings: DeadlineSettingsService) {}

  @Get('documents/:id/deadline-settings')
  @Roles('coordinator', 'admin', 'auditor')
  @ApiOperation({ summary: '文件的督办规则（提醒阶梯、督办阈值、审核时限）：默认、文件设置与生效值' })
  @ApiOkResponse({ type: DeadlineSettingsDto })
  async document(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<DeadlineSettingsDto> {
    return toDeadlineSettingsDto(await this.settings.forDocument(actor, id));
  }

  @Patch('documents/:id/deadline-settings')
  @Roles('coordinator')
  @ApiOperation({ summary: '设置文件的督办规则（省级协调员）：对该文件的全部任务生效，任务可再单独设置' })
  @ApiOkResponse({ type: DeadlineSettingsDto })
  async setDocument(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: DeadlineSettingsPatchDto): Promise<DeadlineSettingsDto> {
    return toDeadlineSettingsDto(await this.settings.setForDocument(actor, id, b.version, patchOf(b)));
  }

  @Get('tasks/:id/deadline-settings')
  @ApiOperation({ summary: '任务的督办规则：默认、文件设置、任务设置与生效值' })
  @ApiOkResponse({ type: DeadlineSettingsDto })
  async task(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<DeadlineSettingsDto> {
    return toDeadlineSettingsDto(await this.settings.forTask(actor, id));
  }

  // No @Roles: the task's scope answers first (404 outside it), then the command table (403).
  @Patch('tasks/:id/deadline-settings')
  @ApiOperation({ summary: '设置任务的督办规则（省级协调员）：覆盖文件的设置' })
  @ApiOkResponse({ type: DeadlineSettingsDto })
  async setTask(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: DeadlineSettingsPatchDto): Promise<DeadlineSettingsDto> {
    return toDeadlineSettingsDto(await this.settings.setForTask(actor, id, b.version, patchOf(b)));
  }
}
