import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReportsService, TaskWorkflowService, type Actor } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/page.dto';
import { UuidParam } from '../common/uuid-param.pipe';
import { toExtensionDto } from './tasks.controller';
import { ExtensionDecisionDto, ExtensionDto, ReviewDto, ReviewQueuePageDto, SubmissionDto, VersionDto } from './tasks.dto';

/** Submissions: read, sign off (unit head), review (coordinator); the review queue; extension decisions. */
@ApiTags('报送与审核 reports')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly workflow: TaskWorkflowService,
  ) {}

  @Get('review-queue')
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '待审核的报送，等待最久的在前' })
  @ApiOkResponse({ type: ReviewQueuePageDto })
  async queue(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<ReviewQueuePageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.reports.reviewQueue(actor, limit, offset)), limit, offset };
  }

  @Get('submissions/:id')
  @ApiOperation({ summary: '报送详情' })
  @ApiOkResponse({ type: SubmissionDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SubmissionDto> {
    return this.reports.submission(actor, id);
  }

  @Post('submissions/:id/signoff')
  @HttpCode(200)
  @ApiOperation({ summary: '单位负责人审签（需要审签的单位）' })
  @ApiOkResponse({ type: SubmissionDto })
  signOff(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: VersionDto): Promise<SubmissionDto> {
    return this.reports.signOff(actor, id, b.version);
  }

  @Post('submissions/:id/review')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '审核：通过或退回（退回须填写意见）' })
  @ApiOkResponse({ type: SubmissionDto })
  review(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ReviewDto): Promise<SubmissionDto> {
    return this.reports.review(actor, id, b.version, b.decision, b.comment ?? null);
  }

  @Post('extension-requests/:id/decision')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '审批延期申请' })
  @ApiOkResponse({ type: ExtensionDto })
  async decide(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: ExtensionDecisionDto): Promise<ExtensionDto> {
    return toExtensionDto(await this.workflow.decideExtension(actor, id, b.version, b.approve, b.note ?? null));
  }
}
