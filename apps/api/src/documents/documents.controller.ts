import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DocumentsService, hasRole, NotFoundError, ValidationFailedError, type Actor, type DocumentEntity, type DocumentSource } from '@duban/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import { createValidationPipe } from '../common/validation';
import {
  CreateDocumentDto,
  DocumentPageDto,
  DocumentSummaryDto,
  DocumentViewDto,
  ListDocumentsQueryDto,
  MapNameDto,
  MeasureTextDto,
  PublishDocumentDto,
  PublishResultDto,
  UpdateMeasureDto,
} from './documents.dto';

const measureNo = new ParseIntPipe({ exceptionFactory: () => new ValidationFailedError('举措序号必须是整数', [{ field: 'no', message: '必须是整数' }]) });
const bodyPipe = createValidationPipe();

/** Document intake: upload, review and correct the draft, publish tasks. */
@ApiTags('文件与举措 documents')
@ApiBearerAuth()
@ApiExtraModels(CreateDocumentDto)
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: '上传政策文件（multipart 的 file 字段：.txt/.docx/.pdf；或 JSON {text}），解析为草稿' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        { $ref: getSchemaPath(CreateDocumentDto) },
      ],
    },
  })
  @ApiCreatedResponse({ type: DocumentViewDto })
  async create(@Req() request: FastifyRequest, @CurrentActor() actor: Actor): Promise<DocumentViewDto> {
    return this.documents.createDraft(await readSource(request), actor);
  }

  @Get()
  @ApiOperation({ summary: '文件列表（已发布；协调员、管理员、审计可含草稿）' })
  @ApiOkResponse({ type: DocumentPageDto })
  async list(@Query() query: ListDocumentsQueryDto, @CurrentActor() actor: Actor): Promise<DocumentPageDto> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { items, total } = await this.documents.list({ includeDrafts: !!query.includeDrafts && canSeeDrafts(actor), limit, offset });
    return { items: items.map(toSummary), total, limit, offset };
  }

  @Get(':id')
  @ApiOperation({ summary: '文件详情：每条举措及其牵头、配合单位的解析结果、目标与时限' })
  @ApiOkResponse({ type: DocumentViewDto })
  async get(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<DocumentViewDto> {
    const view = await this.documents.view(id);
    if (view.status === 'draft' && !canSeeDrafts(actor)) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
    return view;
  }

  @Get(':id/measures/:no/text')
  @ApiOperation({ summary: '举措原文（按字符区间取自清洗后的全文）' })
  @ApiOkResponse({ type: MeasureTextDto })
  async measureText(@Param('id', UuidParam) id: string, @Param('no', measureNo) no: number, @CurrentActor() actor: Actor): Promise<MeasureTextDto> {
    await this.get(id, actor);
    return this.documents.measureText(id, no);
  }

  @Patch(':id/measures/:no')
  @Roles('coordinator')
  @ApiOperation({ summary: '修改草稿中的一条举措（牵头单位、方式、时限、报送周期、目标、是否交办），需带版本号' })
  @ApiOkResponse({ type: DocumentViewDto })
  updateMeasure(@Param('id', UuidParam) id: string, @Param('no', measureNo) no: number, @Body() body: UpdateMeasureDto, @CurrentActor() actor: Actor): Promise<DocumentViewDto> {
    return this.documents.updateMeasure(id, no, body, actor);
  }

  @Post(':id/aliases')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '把未解析的名称对应到单位（同时记为该单位的别名，下次导入自动识别）' })
  @ApiOkResponse({ type: DocumentViewDto })
  mapName(@Param('id', UuidParam) id: string, @Body() body: MapNameDto, @CurrentActor() actor: Actor): Promise<DocumentViewDto> {
    return this.documents.mapName(id, body.name, body.unitId, actor);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: '发布：在一个事务中为每条举措创建任务；重复发布不会重复创建' })
  @ApiOkResponse({ type: PublishResultDto })
  publish(@Param('id', UuidParam) id: string, @Body() body: PublishDocumentDto, @CurrentActor() actor: Actor): Promise<PublishResultDto> {
    return this.documents.publish(id, actor, { defaultDueOn: body.defaultDueOn });
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('coordinator')
  @ApiOperation({ summary: '删除草稿（已发布的文件不能删除）' })
  @ApiNoContentResponse()
  async remove(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.documents.deleteDraft(id, actor);
  }
}

function canSeeDrafts(actor: Actor): boolean {
  return hasRole(actor, 'coordinator', 'admin', 'auditor');
}

/** The uploaded file (multipart `file`) or the JSON `{text, filename}` body. */
async function readSource(request: FastifyRequest): Promise<DocumentSource> {
  if (request.isMultipart()) {
    const file = await request.file();
    if (!file) throw new ValidationFailedError('请在 file 字段上传文件', [{ field: 'file', message: '必填' }], 'DOCUMENT_FILE_REQUIRED');
    return { buffer: await file.toBuffer(), filename: file.filename || 'upload', mimeType: file.mimetype };
  }
  const dto = (await bodyPipe.transform(request.body ?? {}, { type: 'body', metatype: CreateDocumentDto })) as CreateDocumentDto;
  return { text: dto.text, filename: dto.filename };
}

function toSummary(d: DocumentEntity): DocumentSummaryDto {
  return {
    id: d.id,
    docNumber: d.docNumber,
    title: d.title,
    issuer: d.issuer,
    issuedOn: d.issuedOn,
    status: d.status,
    createdAt: d.createdAt.toISOString(),
    publishedAt: d.publishedAt?.toISOString() ?? null,
  };
}
