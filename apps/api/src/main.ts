import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '@duban/config';
import { checkPostgres, checkRedis, ServiceUnavailableAtBootError } from '@duban/database';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config: AppConfig = loadConfig();
  await Promise.all([checkPostgres(config.database.url, config.connectTimeoutMs), checkRedis(config.redis.url, config.connectTimeoutMs)]);
  const app = await createApiApp(config);
  await app.listen({ host: config.api.host, port: config.api.port });
  console.log(`督办 API 已启动：http://${config.api.host}:${config.api.port}  （文档：/api/docs，健康检查：/health）`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ServiceUnavailableAtBootError) {
    console.error(`启动失败：${error.message}`);
  } else {
    console.error('启动失败：', error);
  }
  process.exit(1);
});
