/** Small helpers the benchmarks share: a pg client, the bench configuration, a Nest application context. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
// The API's controllers use the request methods this plugin's types add (bench/ does not compile bootstrap.ts, which imports it).
import type {} from '@fastify/multipart';
import { Client } from 'pg';
import { ApiModule } from '../../apps/api/src/app.module';
import { ManualClock } from '../../libs/calendar/src';
import { loadConfig, type AppConfig } from '../../libs/config/src';

/** Runs `fn` with a connected pg client, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The configuration a benchmark's in-process application runs with (silent, its own queue prefix). */
export function benchConfig(url: string, queuePrefix = 'bench'): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: 'bench-secret-with-enough-length',
    LOG_LEVEL: 'silent',
  });
}

/** Runs `fn` inside the API's application context (no HTTP) on the given database, its clock at `now`. */
export async function withAppContext<T>(url: string, now: string, fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(benchConfig(url), new ManualClock(now)), { logger: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The shipped registry file, found from the source tree or from the repo root (so compiled code under dist/ finds it too). */
export function registryFile(): string {
  const candidates = [join(__dirname, '..', '..', 'data', 'registry', 'units.json'), join(process.cwd(), 'data', 'registry', 'units.json')];
  return candidates.find((f) => existsSync(f)) ?? candidates[candidates.length - 1];
}
