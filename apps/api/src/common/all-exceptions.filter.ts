import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind, type FieldProblem } from '@duban/domain';
import { PolicyParserError } from '@duban/policy-parser';
import { CalendarError } from '@duban/calendar';
import type { ErrorResponseDto } from './error-response.dto';

const STATUS: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  illegal_state: HttpStatus.CONFLICT,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
};

const HTTP_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', '请求无效'],
  401: ['AUTH_REQUIRED', '请先登录'],
  403: ['FORBIDDEN', '没有权限执行此操作'],
  404: ['NOT_FOUND', '资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持该请求方法'],
  406: ['NOT_ACCEPTABLE', '无法提供请求的格式'],
  409: ['CONFLICT', '与当前状态冲突'],
  413: ['PAYLOAD_TOO_LARGE', '请求内容过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
  429: ['TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试'],
};

/** Maps any thrown value to the one error shape, with the request id; 5xx are logged, never detailed. */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponseDto {
  if (error instanceof DomainError) {
    return withFields({ statusCode: STATUS[error.kind], code: error.code, message: error.message, requestId }, error.fields);
  }
  if (error instanceof PolicyParserError) {
    // The file was received but cannot be used: wrong type 415, too large 413, otherwise 422.
    const status = error.code === 'DOCUMENT_TOO_LARGE' ? 413 : error.code === 'DOCUMENT_UNSUPPORTED_TYPE' ? 415 : 422;
    return { statusCode: status, code: error.code, message: error.message, requestId };
  }
  if (error instanceof CalendarError) {
    // Missing holiday data is a state of the installation the operator must fix, not bad input.
    return { statusCode: error.code === 'CALENDAR_DATA_MISSING' ? 409 : 400, code: error.code, message: error.message, requestId };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? '';
    if (status === 400 && (/JSON/.test(cause) || /JSON/i.test(error.message))) {
      return { statusCode: 400, code: 'MALFORMED_JSON', message: '请求体不是有效的 JSON', requestId };
    }
    const [code, message] = HTTP_CODES[status] ?? ['HTTP_ERROR', error.message];
    return { statusCode: status, code, message: status === 404 ? '请求的路径不存在' : message, requestId };
  }
  const fastifyStatus = (error as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const rawCode = (error as { code?: unknown }).code;
    const fcode = typeof rawCode === 'string' ? rawCode : '';
    if (fcode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型', requestId };
    if (fcode.startsWith('FST_ERR_CTP_BODY_TOO_LARGE') || fastifyStatus === 413) {
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大', requestId };
    }
    if (fcode.includes('JSON') || fcode === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return { statusCode: 400, code: 'MALFORMED_JSON', message: '请求体不是有效的 JSON', requestId };
    }
    const [code, message] = HTTP_CODES[fastifyStatus] ?? ['BAD_REQUEST', '请求无效'];
    return { statusCode: fastifyStatus, code, message, requestId };
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: '服务器内部错误，请联系管理员并提供请求编号', requestId };
}

function withFields(body: ErrorResponseDto, fields?: FieldProblem[]): ErrorResponseDto {
  return fields && fields.length > 0 ? { ...body, errors: fields } : body;
}

export function requestIdOf(request: FastifyRequest): string {
  return String(request.id);
}

/** The global filter. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const body = toErrorResponse(error, requestIdOf(request));
    if (body.statusCode >= 500) {
      this.logger.error({ err: error, requestId: body.requestId }, (error as Error)?.stack ?? String(error));
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
