import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormsService, PairingsService, ValidationFailedError, type Actor } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import { VersionDto } from '../tasks/tasks.dto';
import {
  ApplyPairingDiffDto,
  CampaignDto,
  CreateCampaignDto,
  CreateFormTemplateDto,
  FormReviewDto,
  FormSubmissionBodyDto,
  FormSubmissionDto,
  FormTemplateDto,
  PairingDiffDto,
  RollupDto,
} from './pairings.dto';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Statistics forms: templates, collection campaigns, submissions, review, the provincial roll-up. */
@ApiTags('统计表 forms')
@ApiBearerAuth()
@Controller()
export class FormsController {
  constructor(
    private readonly forms: FormsService,
    private readonly pairings: PairingsService,
  ) {}

  @Post('form-templates')
  @Roles('coordinator')
  @ApiOperation({ summary: '新建统计表模板：由文件附件表生成（documentId），或直接给出列与规则' })
  @ApiCreatedResponse({ type: FormTemplateDto })
  createTemplate(@CurrentActor() actor: Actor, @Body() b: CreateFormTemplateDto): Promise<FormTemplateDto> {
    return this.forms.createTemplate(actor, b);
  }

  @Get('form-templates')
  @ApiOperation({ summary: '统计表模板' })
  @ApiOkResponse({ type: [FormTemplateDto] })
  templates(): Promise<FormTemplateDto[]> {
    return this.forms.templates();
  }

  @Get('form-templates/:id')
  @ApiOperation({ summary: '统计表模板详情（列、类型与校验规则）' })
  @ApiOkResponse({ type: FormTemplateDto })
  template(@Param('id', UuidParam) id: string): Promise<FormTemplateDto> {
    return this.forms.template(id);
  }

  @Post('form-campaigns')
  @Roles('coordinator')
  @ApiOperation({ summary: '发起征集：向各单位下发统计表（每个单位一项任务，截止日默认取文件中的报送时限）' })
  @ApiCreatedResponse({ type: CampaignDto })
  createCampaign(@CurrentActor() actor: Actor, @Body() b: CreateCampaignDto): Promise<CampaignDto> {
    return this.forms.createCampaign(actor, b);
  }

  @Get('form-campaigns')
  @ApiOperation({ summary: '征集列表（被征集单位只看到发给自己的）' })
  @ApiOkResponse({ type: [CampaignDto] })
  campaigns(@CurrentActor() actor: Actor): Promise<CampaignDto[]> {
    return this.forms.campaigns(actor);
  }

  @Get('form-campaigns/:id')
  @ApiOperation({ summary: '征集详情与各单位报送状态' })
  @ApiOkResponse({ type: CampaignDto })
  campaign(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CampaignDto> {
    return this.forms.campaign(actor, id);
  }

  @Post('form-campaigns/:id/close')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '结束征集（结对帮扶表：仍有未结对的重点帮扶县时拒绝，并列出这些县）' })
  @ApiOkResponse({ type: CampaignDto })
  close(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: VersionDto): Promise<CampaignDto> {
    return this.pairings.closeCampaign(actor, id, b.version);
  }

  @Get('form-campaigns/:id/blank.xlsx')
  @ApiOperation({ summary: '下载空白统计表（官方格式）' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async blank(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Res() reply: FastifyReply): Promise<void> {
    await sendXlsx(reply, await this.forms.blankXlsx(actor, id));
  }

  @Post('form-campaigns/:id/submissions')
  @ApiOperation({ summary: '报送统计表（JSON）：逐格校验，任一格有误则整表拒收并列出行、列与原因' })
  @ApiCreatedResponse({ type: FormSubmissionDto })
  submitJson(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: FormSubmissionBodyDto): Promise<FormSubmissionDto> {
    return this.forms.submitJson(actor, id, b);
  }

  @Post('form-campaigns/:id/submissions/upload')
  @ApiOperation({ summary: '上传统计表（.xlsx，官方格式；先检查大小与压缩炸弹，再逐格校验）' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: FormSubmissionDto })
  async upload(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Req() req: FastifyRequest): Promise<FormSubmissionDto> {
    if (!req.isMultipart()) throw new ValidationFailedError('请以 multipart/form-data 上传 file 字段', [{ field: 'file', message: '必填' }], 'FORM_FILE_REQUIRED');
    const file = await req.file();
    if (!file) throw new ValidationFailedError('请在 file 字段上传文件', [{ field: 'file', message: '必填' }], 'FORM_FILE_REQUIRED');
    return this.forms.submitXlsx(actor, id, await file.toBuffer());
  }

  @Get('form-campaigns/:id/submissions')
  @ApiOperation({ summary: '报送记录（每次退回后的重新报送均保留）' })
  @ApiOkResponse({ type: [FormSubmissionDto] })
  submissions(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<FormSubmissionDto[]> {
    return this.forms.submissions(actor, id);
  }

  @Get('form-campaigns/:id/rollup')
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '全省汇总表（已通过的报送）与未报送单位' })
  @ApiOkResponse({ type: RollupDto })
  async rollup(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<RollupDto> {
    const r = await this.forms.rollup(actor, id);
    return { campaignId: r.campaignId, title: r.title, columns: r.columns, rows: r.rows, missing: r.missing, pending: r.pending };
  }

  @Get('form-campaigns/:id/rollup.xlsx')
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '导出全省汇总表（.xlsx，官方格式：表名、表头、列、表尾，附未报送单位）' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async rollupXlsx(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Res() reply: FastifyReply): Promise<void> {
    await sendXlsx(reply, await this.forms.rollupXlsx(actor, id));
  }

  @Get('form-submissions/:id')
  @ApiOperation({ summary: '报送详情' })
  @ApiOkResponse({ type: FormSubmissionDto })
  submission(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<FormSubmissionDto> {
    return this.forms.submission(actor, id);
  }

  @Post('form-submissions/:id/review')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '审核统计表：通过（任务办结）或退回（须填写意见，可重新报送）' })
  @ApiOkResponse({ type: FormSubmissionDto })
  review(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: FormReviewDto): Promise<FormSubmissionDto> {
    return this.forms.review(actor, id, b.version, b.decision, b.comment ?? null);
  }

  @Get('form-submissions/:id/pairing-diff')
  @Roles('coordinator')
  @ApiOperation({ summary: '预览：通过的结对帮扶表将如何更新该市的结对登记（新增、变更、终止）' })
  @ApiOkResponse({ type: PairingDiffDto })
  diff(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PairingDiffDto> {
    return this.pairings.diff(actor, id);
  }

  @Post('form-submissions/:id/pairing-apply')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '应用预览的变更（传回 registryVersion；预览后登记有变化则 409）' })
  @ApiOkResponse({ type: PairingDiffDto })
  apply(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ApplyPairingDiffDto): Promise<PairingDiffDto> {
    return this.pairings.apply(actor, id, b.registryVersion);
  }
}

async function sendXlsx(reply: FastifyReply, file: { filename: string; buffer: Buffer }): Promise<void> {
  await reply.header('content-type', XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`).send(file.buffer);
}
