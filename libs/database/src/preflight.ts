import { Client } from 'pg';
import Redis from 'ioredis';
import { splitDatabaseUrl } from './database-url';

/** A required service could not be reached at boot; names the variable that points at it. */
export class ServiceUnavailableAtBootError extends Error {
  readonly code = 'SERVICE_UNREACHABLE';
  constructor(
    readonly variable: 'DATABASE_URL' | 'REDIS_URL',
    readonly target: string,
    reason: string,
    readonly hint: string,
  ) {
    super(`${variable} 指向的服务无法连接（${redact(target)}）：${reason}\n  ${hint}`);
    this.name = 'ServiceUnavailableAtBootError';
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(无法解析的地址)';
  }
}

const PG_HINT =
  '请启动 PostgreSQL：pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start，或 docker compose up -d postgres';
const REDIS_HINT =
  '请启动 Redis：redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no，或 docker compose up -d redis';

/** Connects once to PostgreSQL with a hard timeout. `allowMissingDatabase` checks the server only. */
export async function checkPostgres(url: string, timeoutMs: number, allowMissingDatabase = false): Promise<void> {
  const target = allowMissingDatabase ? splitDatabaseUrl(url).adminUrl : url;
  const client = new Client({ connectionString: target, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new ServiceUnavailableAtBootError('DATABASE_URL', url, describe(error), PG_HINT);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Pings Redis once with a hard timeout and no reconnection loop. */
export async function checkRedis(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined); // reported through the rejected connect below
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new ServiceUnavailableAtBootError('REDIS_URL', url, describe(error), REDIS_HINT);
  } finally {
    redis.disconnect();
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ');
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

/** Creates the database named in the URL when the server has no such database yet. */
export async function ensureDatabase(url: string, timeoutMs: number): Promise<boolean> {
  const { adminUrl, database } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`create database "${database.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}
