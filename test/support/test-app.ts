import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CalendarService, ManualClock, SystemClock, type Clock } from '../../libs/calendar/src';
import { loadConfig, type AppConfig } from '../../libs/config/src';
import { SeedService } from '../../libs/domain/src';
import { freshDatabase } from './test-db';

export const REPO_ROOT = resolve(__dirname, '../..');
export const REGISTRY_FILE = resolve(REPO_ROOT, 'data/registry/units.json');
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Config for one test file: its own database and its own queue prefix. */
export async function testConfig(label: string, overrides: Record<string, string> = {}): Promise<AppConfig> {
  const url = await freshDatabase(label);
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `t-${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 16)}-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: 'test-secret-with-enough-length',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export interface TestApi {
  app: NestFastifyApplication;
  config: AppConfig;
  clock: Clock;
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the real API (real PostgreSQL, real Redis) in-process; requests go through fastify's inject. */
export async function startApi(label: string, opts: { clock?: Clock; seed?: 'registry' | 'demo' | false; env?: Record<string, string>; beforeInit?: (app: NestFastifyApplication) => void } = {}): Promise<TestApi> {
  const config = await testConfig(label, opts.env);
  const clock = opts.clock ?? new SystemClock();
  const app = await createApiApp(config, { clock, logger: false });
  opts.beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const seed = opts.seed ?? 'demo';
  if (seed) {
    const seeder = app.get(SeedService);
    await seeder.seedRegistry(REGISTRY_FILE);
    await app.get(CalendarService).seedFromLibrary();
    if (seed === 'demo') await seeder.seedDemoUsers();
  }
  const api: TestApi = {
    app,
    config,
    clock,
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let payload: string | Buffer | undefined;
      if (o.body !== undefined) {
        if (typeof o.body === 'string' || Buffer.isBuffer(o.body)) payload = o.body;
        else {
          payload = JSON.stringify(o.body);
          headers['content-type'] ??= 'application/json';
        }
      }
      const res = await app.inject({ method, url, headers, payload });
      let body: unknown = undefined;
      try {
        body = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        body = undefined; // not JSON (text, xlsx): use .text
      }
      return { status: res.statusCode, body, headers: res.headers, text: res.body };
    },
    async login(username, password = 'Duban@2026') {
      const res = await api.request('POST', '/api/v1/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
      return res.body.accessToken as string;
    },
    async close() {
      await app.close();
    },
  };
  return api;
}

export { ManualClock };

/** Deletes every key of a test's queue prefix. */
export async function clearQueues(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A multipart/form-data body with one `file` field, for fastify's inject. */
export function multipartFile(filename: string, content: Buffer | string, mimeType = 'application/octet-stream'): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----duban${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(filename)}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
