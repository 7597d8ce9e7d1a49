import 'reflect-metadata';
import { clockFromConfig } from '@duban/calendar';
import { loadConfig, type AppConfig } from '@duban/config';
import { checkPostgres, checkRedis, runOrExit } from '@duban/database';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config: AppConfig = loadConfig();
  await Promise.all([checkPostgres(config.database.url, config.connectTimeoutMs), checkRedis(config.redis.url, config.connectTimeoutMs)]);
  const app = await createApiApp(config, { clock: clockFromConfig(config.clockStart) });
  await app.listen({ host: config.api.host, port: config.api.port });
  console.log(`督办 API 已启动：http://${config.api.host}:${config.api.port}  （文档：/api/docs，健康检查：/health）`);
}

runOrExit(main);
