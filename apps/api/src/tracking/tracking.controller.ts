import { PassThrough } from 'node:stream';
import { Controller, Get, Param, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock, shanghaiDate } from '@duban/calendar';
import { bulletinDocx, bulletinMarkdown, checkTrackingFilter, LedgerService, TrackingService, type Actor, type TrackingFilter } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import {
  BulletinDto,
  BulletinQueryDto,
  GridDto,
  LedgerQueryDto,
  TrackingListQueryDto,
  OverdueTaskDto,
  RankingRowDto,
  SummaryDto,
  SummaryParamsDto,
  TargetProgressDto,
  TrackingEscalationDto,
  TrackingQueryDto,
} from './tracking.dto';
import { TrackingCacheInterceptor } from './tracking-cache.interceptor';

/** Only the filter fields (the query DTOs carry format and limit too). */
function filterOf(q: TrackingQueryDto | BulletinQueryDto): TrackingFilter {
  const f: TrackingFilter = {};
  if (q.documentId) f.documentId = q.documentId;
  if (q.section !== undefined) f.section = q.section;
  if (q.unitId) f.unitId = q.unitId;
  if (q.cityId) f.cityId = q.cityId;
  if (q.period) f.period = q.period;
  return f;
}

const attachment = (name: string): string => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Coordinator tracking. Every route is limited to the caller's task scope (decision 17): a
 * coordinator, admin or auditor sees the province, a city bureau its city, a unit its own tasks.
 * The ranking and the bulletin compare units and are for the bureau only.
 */
@ApiTags('统计 tracking')
@ApiBearerAuth()
@Controller('tracking')
export class TrackingController {
  constructor(
    private readonly tracking: TrackingService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  @Get('summaries/:by')
  @UseInterceptors(TrackingCacheInterceptor)
  @ApiOperation({ summary: '汇总：按文件、举措、牵头单位、市、县或合计，含状态、信号灯、逾期、漏报、督办、按时报送率、平均销号用时' })
  @ApiOkResponse({ type: SummaryDto })
  summary(@CurrentActor() actor: Actor, @Param() p: SummaryParamsDto, @Query() q: TrackingQueryDto): Promise<SummaryDto> {
    return this.tracking.summary(actor, p.by, filterOf(q));
  }

  @Get('grid')
  @UseInterceptors(TrackingCacheInterceptor)
  @ApiOperation({ summary: '举措 × 牵头单位信号灯矩阵（看板）' })
  @ApiOkResponse({ type: GridDto })
  grid(@CurrentActor() actor: Actor, @Query() q: TrackingQueryDto): Promise<GridDto> {
    return this.tracking.grid(actor, filterOf(q));
  }

  @Get('targets')
  @UseInterceptors(TrackingCacheInterceptor)
  @ApiOperation({ summary: '目标进度：基数、目标值、最近审核通过的值、完成度；按县目标列出未填报的县' })
  @ApiOkResponse({ type: [TargetProgressDto] })
  targets(@CurrentActor() actor: Actor, @Query() q: TrackingQueryDto): Promise<TargetProgressDto[]> {
    return this.tracking.targets(actor, filterOf(q));
  }

  @Get('overdue')
  @ApiOperation({ summary: '逾期任务，逾期最久的在前' })
  @ApiOkResponse({ type: [OverdueTaskDto] })
  overdue(@CurrentActor() actor: Actor, @Query() q: TrackingListQueryDto): Promise<OverdueTaskDto[]> {
    return this.tracking.overdue(actor, filterOf(q), q.limit ?? 100);
  }

  @Get('escalations')
  @ApiOperation({ summary: '未解除的督办（本人可见范围内），每项义务取其最高级别；级别高的在前，同级截止早的在前，最多 limit 条' })
  @ApiOkResponse({ type: [TrackingEscalationDto] })
  escalations(@CurrentActor() actor: Actor, @Query() q: TrackingListQueryDto): Promise<TrackingEscalationDto[]> {
    return this.tracking.escalations(actor, filterOf(q), q.limit ?? 100);
  }

  @Get('rankings')
  @UseInterceptors(TrackingCacheInterceptor)
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '考核排名：按配置的权重计分，附得分明细' })
  @ApiOkResponse({ type: [RankingRowDto] })
  rankings(@CurrentActor() actor: Actor, @Query() q: TrackingQueryDto): Promise<RankingRowDto[]> {
    return this.tracking.ranking(actor, filterOf(q));
  }

  @Get('bulletin')
  @Roles('coordinator', 'auditor', 'admin')
  @ApiOperation({ summary: '情况通报：format=json（默认）、md 或 docx' })
  @ApiProduces('application/json', 'text/markdown', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  @ApiOkResponse({ type: BulletinDto })
  async bulletin(@CurrentActor() actor: Actor, @Query() q: BulletinQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const data = await this.tracking.bulletin(actor, { ...filterOf(q), period: q.period });
    const name = `情况通报-${q.period}`;
    if (q.format === 'md') {
      await reply.header('content-type', 'text/markdown; charset=utf-8').header('content-disposition', attachment(`${name}.md`)).send(bulletinMarkdown(data));
    } else if (q.format === 'docx') {
      await reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', attachment(`${name}.docx`))
        .send(await bulletinDocx(data));
    } else {
      await reply.send(data);
    }
  }

  @Get('ledger')
  @ApiOperation({ summary: '台账导出（xlsx 或 csv），筛选同汇总，流式输出' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  exportLedger(@CurrentActor() actor: Actor, @Query() q: LedgerQueryDto, @Res() reply: FastifyReply): void {
    const filter = filterOf(q);
    checkTrackingFilter(filter); // a bad filter is a 400, not a broken download
    const format = q.format ?? 'xlsx';
    const out = new PassThrough();
    const name = `台账-${shanghaiDate(this.clock.now())}.${format}`;
    const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    void reply.header('content-type', type).header('content-disposition', attachment(name)).send(out);
    const write = format === 'csv' ? this.ledger.writeCsv(actor, filter, out) : this.ledger.writeXlsx(actor, filter, out);
    // Headers are gone by now: a failure can only cut the download short, which the client sees.
    write.catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  }
}
