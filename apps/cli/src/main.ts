import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { loadConfig } from '@duban/config';
import { checkPostgres, checkRedis, ensureDatabase, isExplained } from '@duban/database';
import { CliModule } from './cli.module';
import { ParseCliModule } from './parse-cli.module';

/** Commands that need Redis as well as PostgreSQL. */
const NEEDS_REDIS = new Set(['demo']);

/** Commands that run without any store. */
const STANDALONE = new Set(['parse']);

async function main(): Promise<void> {
  const command = process.argv[2] ?? '';
  const options = { logger: false as const, errorHandler: fail, serviceErrorHandler: fail };
  if (STANDALONE.has(command)) {
    await CommandFactory.run(ParseCliModule, options);
    return;
  }
  const config = loadConfig();
  await checkPostgres(config.database.url, config.connectTimeoutMs, true);
  if (NEEDS_REDIS.has(command)) await checkRedis(config.redis.url, config.connectTimeoutMs);
  // `migrate` promises to create a missing database; every other command can rely on it existing too.
  if (await ensureDatabase(config.database.url, config.connectTimeoutMs)) {
    console.log(`已创建数据库 ${new URL(config.database.url).pathname.slice(1)}`);
  }
  await CommandFactory.run(CliModule.forRoot(config), { ...options, logger: ['error'] });
}

function fail(error: unknown): never {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    process.exit((error as { exitCode?: number }).exitCode ?? 1);
  } else if (isExplained(error)) {
    console.error(`错误：${error.message}`); // config, unreachable store, domain rule, unreadable document
  } else {
    console.error('错误：', error);
  }
  process.exit(1);
}

main().then(
  () => undefined,
  (error: unknown) => fail(error),
);
