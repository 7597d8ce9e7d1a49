import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError, RegistryService, SeedService, UnitsRepository, ValidationFailedError, type Actor, type UnitEntity } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../common/error-response.dto';
import { ImportQueryDto, ImportReportDto, ListUnitsQueryDto, ResolveUnitsDto, ResolvedNameDto, UnitDetailDto, UnitDto, UnitPageDto, UnitSettingsDto } from './units.dto';

/** The organization registry. Every signed-in user may read it: unit names are public facts. */
@ApiTags('单位注册表 units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitsRepository,
    private readonly seed: SeedService,
    private readonly registry: RegistryService,
  ) {}

  @Patch(':code/settings')
  @ApiOperation({ summary: '单位设置：报送是否需要单位负责人审签（本单位负责人、省级协调员或管理员）' })
  @ApiOkResponse({ type: UnitDto })
  async settings(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: UnitSettingsDto): Promise<UnitDto> {
    return toUnitDto(await this.registry.setRequiresSignoff(actor, code, body.requiresSignoff));
  }

  @Get()
  @ApiOperation({ summary: '单位列表（可按类型、上级、重点帮扶县、名称筛选）' })
  @ApiOkResponse({ type: UnitPageDto })
  async list(@Query() query: ListUnitsQueryDto): Promise<UnitPageDto> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { items, total } = await this.units.list({ ...query, limit, offset });
    return { items: items.map(toUnitDto), total, limit, offset };
  }

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({ summary: '把文件中出现的单位名称解析为注册表中的单位' })
  @ApiOkResponse({ type: [ResolvedNameDto] })
  async resolve(@Body() body: ResolveUnitsDto): Promise<ResolvedNameDto[]> {
    const found = await this.units.resolve(body.names);
    return body.names.map((name) => {
      const unit = found.get(name);
      return { name, unit: unit ? toUnitDto(unit) : null };
    });
  }

  @Post('import')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: '从 CSV 导入或更新单位（列：code,name,shortName,kind,parentCode,adminCode,aliases,keyAssisted,formerNationalPovertyCounty,sources）' })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'code,keyAssisted\ncounty.140622,true' } })
  @ApiOkResponse({ type: ImportReportDto })
  async import(@Body() body: unknown, @Query() query: ImportQueryDto): Promise<ImportReportDto> {
    if (typeof body !== 'string') {
      throw new ValidationFailedError('请以 Content-Type: text/csv 上传 CSV 文本', undefined, 'REGISTRY_CSV_REQUIRED');
    }
    return this.seed.importCsv(body, { dryRun: query.dryRun, partial: query.partial });
  }

  @Get(':code')
  @ApiOperation({ summary: '按编码查看单位，含全部别名' })
  @ApiOkResponse({ type: UnitDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('code') code: string): Promise<UnitDetailDto> {
    const unit = await this.units.findByCode(code);
    if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', `单位“${code}”不存在`);
    return { ...toUnitDto(unit), aliases: await this.units.aliasesOf(unit.id) };
  }
}

export function toUnitDto(u: UnitEntity): UnitDto {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    shortName: u.shortName,
    kind: u.kind,
    parentId: u.parentId,
    adminCode: u.adminCode,
    keyAssisted: u.keyAssisted,
    formerNationalPovertyCounty: u.formerNationalPovertyCounty,
    sources: u.sources,
    requiresSignoff: u.requiresSignoff,
  };
}
