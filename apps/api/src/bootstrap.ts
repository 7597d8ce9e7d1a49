import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import multipart from '@fastify/multipart';
import { Logger } from 'nestjs-pino';
import type { Clock } from '@duban/calendar';
import type { AppConfig } from '@duban/config';
import { ApiModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { MetricsService } from './metrics/metrics.service';
import { registerQueueBoard } from './queue-board/queue-board';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Paths served outside `/api/v1`. */
const UNPREFIXED = [
  { path: 'health', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
  { path: 'board', method: RequestMethod.GET },
];

/** Builds the configured API application (not yet listening). Shared by main and the e2e tests. */
export async function createApiApp(config: AppConfig, options: { clock?: Clock; logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.storage.uploadMaxBytes,
    genReqId: (req: import('node:http').IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      req.headers['x-request-id'] = id; // so pino-http logs the same id
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options.clock), adapter, {
    bufferLogs: true,
    logger: options.logger === false ? false : undefined,
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api/v1', { exclude: UNPREFIXED });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  // One file per request, no larger than an upload may be; fields are small.
  await app.register(multipart, { limits: { fileSize: config.storage.uploadMaxBytes, files: 1, fields: 5, fieldSize: 1024 } });
  await registerQueueBoard(app);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: config.storage.uploadMaxBytes }, (_req, body, done) => done(null, body));
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('督办 Duban API')
      .setDescription('政策落实督办系统：单位注册表、文件解析、任务、报送、督办与统计。所有业务接口位于 /api/v1 下，错误统一为 ErrorResponse 结构。')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: '登录返回的 accessToken，或以 dbn_ 开头的 API 令牌' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  return app;
}
