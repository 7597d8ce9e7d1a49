/** Connection settings understood by both ioredis and BullMQ. */
export interface RedisConnectionSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: Record<string, never>;
  maxRetriesPerRequest: number | null;
  enableReadyCheck: boolean;
}

/** ioredis options from a redis:// URL. Workers need `maxRetriesPerRequest: null` (BullMQ). */
export function redisOptions(url: string, forWorker: boolean): RedisConnectionSettings {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
  };
}
