import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { clockFromConfig } from '@duban/calendar';
import { loadConfig } from '@duban/config';
import { checkPostgres, checkRedis, runOrExit } from '@duban/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await Promise.all([checkPostgres(config.database.url, config.connectTimeoutMs), checkRedis(config.redis.url, config.connectTimeoutMs)]);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, clockFromConfig(config.clockStart)), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the BullMQ workers, which finish their current jobs first.
  app.enableShutdownHooks();
  await app.init();
  console.log('督办 worker 已启动');
}

runOrExit(main);
