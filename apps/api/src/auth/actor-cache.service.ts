import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import type { Actor } from '@duban/domain';

/** The channel the account triggers notify on (migration 1765100000000): a user id, or `*` for all. */
export const ACCOUNTS_CHANNEL = 'duban_accounts';
/** The listening connection's `application_name` (seen in `pg_stat_activity`). */
export const ACTOR_CACHE_APPLICATION = 'duban-actor-cache';

interface Entry {
  actor: Actor;
  until: number;
}

/**
 * The actors of recent requests, by user id, so that a request with a login token costs no
 * database round trip before its own query (decision 54). An entry is dropped when PostgreSQL
 * notifies that its user or any unit's kind or parent changed, when this process changes the user
 * itself, and in any case after `AUTH_ACTOR_CACHE_SECONDS`. Nothing is cached while the listening
 * connection is down, and the cache is emptied whenever it (re)connects, so a missed notification
 * cannot leave a stale actor behind. A lookup that started before a notification does not store
 * its (possibly stale) result.
 */
@Injectable()
export class ActorCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ActorCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  /** Bumped by every invalidation: a lookup stores its result only if none happened meanwhile. */
  private generation = 0;
  private client: Client | null = null;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.ttlMs = config.auth.actorCacheSeconds * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.ttlMs > 0) await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.disconnect();
  }

  /** Whether entries are being kept (the listener is connected and the cache is on). */
  get active(): boolean {
    return this.listening && this.ttlMs > 0;
  }

  /** The cached actor of `userId`, or the one `load` finds (stored when that is safe). */
  async get(userId: string, load: () => Promise<Actor>): Promise<Actor> {
    if (!this.active) return load();
    const hit = this.entries.get(userId);
    if (hit && hit.until > Date.now()) return hit.actor;
    const generation = this.generation;
    const actor = await load();
    if (this.active && generation === this.generation) this.entries.set(userId, { actor, until: Date.now() + this.ttlMs });
    return actor;
  }

  /** Forgets one user's actor (or all with `*`). */
  invalidate(userId: string): void {
    this.generation++;
    if (userId === '*') this.entries.clear();
    else this.entries.delete(userId);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.database.url, connectionTimeoutMillis: this.config.connectTimeoutMs, application_name: ACTOR_CACHE_APPLICATION });
    client.on('notification', (n) => {
      if (n.channel === ACCOUNTS_CHANNEL) this.invalidate(n.payload ?? '*');
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`listen ${ACCOUNTS_CHANNEL}`);
      this.client = client;
      this.invalidate('*');
      this.listening = true;
    } catch (e) {
      await client.end().catch(() => undefined);
      this.lost(client, e as Error);
    }
  }

  /** The listener is gone: stop caching, forget everything, and try again in a few seconds. */
  private lost(client: Client, e: Error | null): void {
    if (this.client !== null && this.client !== client) return;
    const was = this.listening;
    this.listening = false;
    this.client = null;
    this.invalidate('*');
    if (this.stopped) return;
    if (was) this.log.warn(`账户变更监听连接断开，暂停缓存请求者：${e?.message ?? '连接已关闭'}`);
    if (!this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        if (!this.stopped && !this.listening) void this.connect();
      }, 2000);
      this.retry.unref();
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.listening = false;
    this.client = null;
    this.entries.clear();
    if (client) await client.end().catch(() => undefined);
  }
}
