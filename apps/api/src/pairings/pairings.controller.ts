import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PairingsService, type Actor } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import {
  AssessDto,
  AssessmentDto,
  CoverageDto,
  CreatedWorkRecordDto,
  CreatePairingDto,
  DeletePairingQueryDto,
  ListPairingsQueryDto,
  PairingDto,
  UpdatePairingDto,
  VisitObligationsDto,
  VisitObligationsResultDto,
  WorkRecordDto,
  WorkRecordViewDto,
  WorkSummaryDto,
  YearQueryDto,
} from './pairings.dto';

/** 县际结对帮扶: the registry, coverage, work records, visits and assessments. */
@ApiTags('结对帮扶 pairings')
@ApiBearerAuth()
@Controller('pairings')
export class PairingsController {
  constructor(private readonly pairings: PairingsService) {}

  @Get()
  @ApiOperation({ summary: '结对关系（省局看全部，市乡村振兴局看本市，县看本县参与的）' })
  @ApiOkResponse({ type: [PairingDto] })
  list(@CurrentActor() actor: Actor, @Query() q: ListPairingsQueryDto): Promise<PairingDto[]> {
    return this.pairings.list(actor, { cityId: q.cityId, current: q.current === 'true' });
  }

  @Post()
  @ApiOperation({ summary: '新建结对（本市乡村振兴局或省局协调人）：被帮扶县须为本市重点帮扶县，帮扶县须同市' })
  @ApiCreatedResponse({ type: PairingDto })
  create(@CurrentActor() actor: Actor, @Body() b: CreatePairingDto): Promise<PairingDto> {
    return this.pairings.create(actor, b);
  }

  @Get('coverage')
  @ApiOperation({ summary: '覆盖情况：各市重点帮扶县及其帮扶县，未覆盖的县，以及登记中尚未标记的重点帮扶县数' })
  @ApiOkResponse({ type: CoverageDto })
  coverage(@CurrentActor() actor: Actor): Promise<CoverageDto> {
    return this.pairings.coverage(actor);
  }

  @Get('summary')
  @ApiOperation({ summary: '年度帮扶工作汇总：每个结对、每个市、全省' })
  @ApiOkResponse({ type: WorkSummaryDto })
  summary(@CurrentActor() actor: Actor, @Query() q: YearQueryDto): Promise<WorkSummaryDto> {
    return this.pairings.summary(actor, q.year);
  }

  @Get('assessments')
  @ApiOperation({ summary: '年度考核结果（省局看全部，市乡村振兴局看本市）' })
  @ApiOkResponse({ type: [AssessmentDto] })
  assessments(@CurrentActor() actor: Actor, @Query() q: YearQueryDto): Promise<AssessmentDto[]> {
    return this.pairings.assessments(actor, q.year);
  }

  @Post('visit-obligations')
  @Roles('coordinator')
  @ApiOperation({ summary: '下达年度主要领导互访任务：每个当前结对一项任务（双方县牵头），提醒与督办照常；重复下达不重复创建' })
  @ApiCreatedResponse({ type: VisitObligationsResultDto })
  visits(@CurrentActor() actor: Actor, @Body() b: VisitObligationsDto): Promise<VisitObligationsResultDto> {
    return this.pairings.issueVisitObligations(actor, b);
  }

  @Get(':id')
  @ApiOperation({ summary: '结对详情' })
  @ApiOkResponse({ type: PairingDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PairingDto> {
    return this.pairings.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: '修改结对（负责人、联系方式、帮扶县、起止日期等）' })
  @ApiOkResponse({ type: PairingDto })
  update(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: UpdatePairingDto): Promise<PairingDto> {
    const { version, ...patch } = b;
    return this.pairings.update(actor, id, version, patch);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除结对（?version=）' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Query() q: DeletePairingQueryDto): Promise<void> {
    await this.pairings.remove(actor, id, q.version);
  }

  @Get(':id/work-records')
  @ApiOperation({ summary: '帮扶工作记录' })
  @ApiOkResponse({ type: [WorkRecordViewDto] })
  records(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<WorkRecordViewDto[]> {
    return this.pairings.workRecords(actor, id);
  }

  @Post(':id/work-records')
  @ApiOperation({ summary: '登记帮扶工作（结对双方县、本市乡村振兴局、省局）；登记互访即办结当年的互访任务' })
  @ApiCreatedResponse({ type: CreatedWorkRecordDto })
  record(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: WorkRecordDto): Promise<CreatedWorkRecordDto> {
    return this.pairings.addWorkRecord(actor, id, b);
  }

  @Post(':id/assessments')
  @ApiOperation({ summary: '年度考核（本市乡村振兴局），结果报省局' })
  @ApiCreatedResponse({ type: AssessmentDto })
  assess(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: AssessDto): Promise<AssessmentDto> {
    return this.pairings.assess(actor, id, b);
  }
}
