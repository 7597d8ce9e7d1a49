import { resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CalendarService, ManualClock } from '@duban/calendar';
import { loadConfig, type AppConfig } from '@duban/config';
import { dataSourceOptions, splitDatabaseUrl, withDatabase } from '@duban/database';
import { ENTITIES, SeedService } from '@duban/domain';
import { JOBS, QueueProducer, redisOptions, type JobName } from '@duban/queue';
import { MIGRATIONS } from '../../../../migrations';
import { createApiApp } from '../../../api/src/bootstrap';
import { WorkerModule } from '../../../worker/src/worker.module';

const REGISTRY_FILE = resolve('data/registry/units.json');
/** The engine's periodic jobs the demo runs after each move of the clock instead of waiting for their schedule. */
const ENGINE_JOBS: JobName[] = [JOBS.ReminderSweep];

/** Shanghai 10:00 on a date, as an instant (the demo's office hour). */
export const officeHour = (date: string): string => `${date}T02:00:00Z`;

/**
 * What `npm run demo` runs on: its own database (dropped and created again, so a second run starts
 * from the same state), a queue prefix of its own, and the real API (listening on a port) and the
 * real worker in this process, sharing one ManualClock so a month passes in seconds.
 */
export class DemoStack {
  private constructor(
    readonly config: AppConfig,
    readonly clock: ManualClock,
    readonly api: NestFastifyApplication,
    readonly worker: INestApplicationContext,
    readonly db: DataSource,
    readonly baseUrl: string,
    private readonly events: QueueEvents,
  ) {}

  static demoDatabaseUrl(base: AppConfig): string {
    return process.env.DEMO_DATABASE_URL ?? withDatabase(base.database.url, `${splitDatabaseUrl(base.database.url).database}_demo`);
  }

  static async start(base: AppConfig, opts: { port: number; startAt: string; say: (line: string) => void }): Promise<DemoStack> {
    const url = DemoStack.demoDatabaseUrl(base);
    const env = { ...process.env, DATABASE_URL: url, QUEUE_PREFIX: process.env.DEMO_QUEUE_PREFIX ?? 'duban-demo', LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'silent' };
    const config = loadConfig(env);
    await recreateDatabase(url);
    await clearQueuePrefix(config);
    const migrated = await migrate(config);
    opts.say(`数据库 ${splitDatabaseUrl(url).database}：已重建并执行 ${migrated} 个迁移`);

    const clock = new ManualClock(officeHour(opts.startAt));
    const api = await createApiApp(config, { clock, logger: false });
    await api.listen({ host: '127.0.0.1', port: opts.port });
    const seeder = api.get(SeedService);
    const units = await seeder.seedRegistry(REGISTRY_FILE);
    await api.get(CalendarService).seedFromLibrary();
    await seeder.seedDemoUsers();
    opts.say(`单位注册表（${units.created + units.updated + units.unchanged} 个单位）、工作日历与演示用户已就绪`);

    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, clock), { logger: false });
    await worker.init();
    const events = new QueueEvents('reminders', { connection: redisOptions(config.redis.url, true), prefix: config.redis.queuePrefix });
    await events.waitUntilReady();
    const db = api.get(DataSource);
    const port = (api.getHttpServer().address() as { port: number }).port; // --port 0 picks a free one
    return new DemoStack(config, clock, api, worker, db, `http://127.0.0.1:${port}`, events);
  }

  /** Moves the clock to 10:00 on `date`, runs the engine's sweeps as their schedulers would, and waits for the outbox to drain. */
  async dayAt(date: string): Promise<void> {
    this.clock.set(officeHour(date));
    const producer = this.worker.get(QueueProducer);
    for (const name of ENGINE_JOBS) {
      const job = await producer.enqueue(name, {}, { jobId: `demo-${name}-${date}` });
      await job.waitUntilFinished(this.events, 60_000);
    }
    await this.drainOutbox();
  }

  /** Waits until the worker has processed every outbox event (the relay runs every second). */
  async drainOutbox(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [{ n }] = await this.db.query<{ n: string }[]>(`select count(*) as n from outbox where processed_at is null`);
      if (Number(n) === 0) return;
      if (Date.now() > until) throw new Error(`outbox 在 ${timeoutMs} ms 内未处理完（剩余 ${n} 条）：worker 是否在运行？`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.events.close();
    await this.worker.close();
    await this.api.close();
  }
}

async function recreateDatabase(url: string): Promise<void> {
  const { adminUrl, database } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
    await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
}

async function clearQueuePrefix(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redis.queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function migrate(config: AppConfig): Promise<number> {
  const ds = new DataSource(dataSourceOptions(config, { entities: ENTITIES, migrations: MIGRATIONS }));
  await ds.initialize();
  try {
    return (await ds.runMigrations({ transaction: 'each' })).length;
  } finally {
    await ds.destroy();
  }
}
