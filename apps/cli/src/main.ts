import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigError, loadConfig } from '@duban/config';
import { checkPostgres, checkRedis, ensureDatabase, ServiceUnavailableAtBootError } from '@duban/database';
import { DomainError } from '@duban/domain';
import { CliModule } from './cli.module';

/** Commands that need Redis as well as PostgreSQL. */
const NEEDS_REDIS = new Set(['demo']);

async function main(): Promise<void> {
  const command = process.argv[2] ?? '';
  const config = loadConfig();
  await checkPostgres(config.database.url, config.connectTimeoutMs, true);
  if (NEEDS_REDIS.has(command)) await checkRedis(config.redis.url, config.connectTimeoutMs);
  // `migrate` promises to create a missing database; every other command can rely on it existing too.
  if (await ensureDatabase(config.database.url, config.connectTimeoutMs)) {
    console.log(`已创建数据库 ${new URL(config.database.url).pathname.slice(1)}`);
  }
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: ['error'],
    errorHandler: (error) => fail(error),
    serviceErrorHandler: (error) => fail(error),
  });
}

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof ServiceUnavailableAtBootError || error instanceof DomainError) {
    console.error(`错误：${error.message}`);
  } else if ((error as { code?: string })?.code?.startsWith('commander.')) {
    process.exit((error as { exitCode?: number }).exitCode ?? 1);
  } else {
    console.error('错误：', error);
  }
  process.exit(1);
}

main().then(
  () => undefined,
  (error: unknown) => fail(error),
);
