/**
 * Delivery benchmark (issue 5): N notifications (default 20,000) to one user, whose unit has a
 * webhook subscription, and a no-op HTTP receiver in this process.
 *   1. dispatch: `DeliveriesService.dispatch()` claims the rows, writes N delivery rows and enqueues
 *      N jobs. Its baseline, measured in the same run: a raw multi-row INSERT of N rows of the same
 *      shape (1,000 a statement, through `pg`) plus `addBulk` of N jobs on a scratch queue.
 *   2. send: a worker (WORKER_CONCURRENCY 10) sends all N webhook calls, each locked, signed and
 *      recorded. Its baseline: N plain `fetch` POSTs to the same receiver, 10 at a time, with no
 *      queue and no database.
 * Prints figures and the worker's memory; asserts nothing. BENCH_DELIVERIES sets N.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type {} from '@fastify/multipart';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ApiModule } from '../apps/api/src/app.module';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { CalendarService, ManualClock } from '../libs/calendar/src';
import { loadConfig, type AppConfig } from '../libs/config/src';
import { AccountsService, DeliveriesService, SeedService, WebhooksService } from '../libs/domain/src';
import { buildTemplate, dropRunDatabases, freshDatabase } from '../test/support/test-db';

process.env.DUBAN_TEST_RUN ??= `bench${process.pid}`;

const REGISTRY_FILE =
  [join(__dirname, '..', 'data', 'registry', 'units.json'), join(process.cwd(), 'data', 'registry', 'units.json')].find((f) => existsSync(f)) ??
  join(process.cwd(), 'data', 'registry', 'units.json');
const N = Number(process.env.BENCH_DELIVERIES) > 0 ? Number(process.env.BENCH_DELIVERIES) : 20_000;
const CONCURRENCY = 10;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const rate = (n: number, ms: number): string => Math.round(n / (ms / 1000)).toLocaleString('en-US');

async function waitUntil(probe: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rawBaseline(url: string, config: AppConfig, userId: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  // BullMQ does not close a connection it was given: this one is closed below, or the process never exits.
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('bench-raw', { connection, prefix: `${config.redis.queuePrefix}-raw` });
  try {
    await client.query(`create table raw_deliveries (like notification_deliveries including defaults including constraints)`);
    const t0 = performance.now();
    await client.query('begin');
    for (let i = 0; i < N; i += 1000) {
      const n = Math.min(1000, N - i);
      const keys = Array.from({ length: n }, (_, k) => `raw:${i + k}`);
      await client.query(`insert into raw_deliveries (delivery_key, channel, user_id, status) select k, 'webhook', $2, 'pending' from unnest($1::text[]) k`, [keys, userId]);
    }
    await client.query('commit');
    for (let i = 0; i < N; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ name: 'NoOp', data: { id: String(i + k) }, opts: { jobId: `raw-${i + k}` } })));
    }
    return performance.now() - t0;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
    await client.end();
  }
}

async function main(): Promise<void> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  await buildTemplate();
  const url = await freshDatabase('delivery_bench');
  const config = loadConfig({ DATABASE_URL: url, REDIS_URL, QUEUE_PREFIX: `bench-dlv-${process.pid}`, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: String(CONCURRENCY), NODE_ENV: 'test' });
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const api: INestApplicationContext = await NestFactory.createApplicationContext(ApiModule.forRoot(config, clock), { logger: false });
  let worker: INestApplicationContext | null = null;
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await api.get(SeedService).seedRegistry(REGISTRY_FILE);
    await api.get(CalendarService).seedFromLibrary();
    await api.get(SeedService).seedDemoUsers();
    const [coordinator] = (await pg.query<{ id: string; unit_id: string }>(`select id, unit_id from users where username = 'coordinator'`)).rows;
    const [officer] = (await pg.query<{ id: string; unit_id: string }>(`select id, unit_id from users where username = 'czt.officer'`)).rows;
    const actor = await api.get(AccountsService).actorForUserId(coordinator.id);
    await api.get(WebhooksService).create(actor, { url: hookUrl, unitId: officer.unit_id, secret: 'bench-secret-0123456789' });
    await pg.query(
      `insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
       select $1, 'bench-' || i, 'reminder.task_due', '今日到期：基准任务 ' || i, '今日到期', 'task', i::text from generate_series(1, $2) i`,
      [officer.id, N],
    );

    const t0 = performance.now();
    const created = await api.get(DeliveriesService).dispatch(1000, Math.ceil(N / 1000) + 1);
    const dispatchMs = performance.now() - t0;
    const rawMs = await rawBaseline(url, config, officer.id);
    console.log(`dispatch: ${created} deliveries + jobs in ${seconds(dispatchMs)} s (${rate(created, dispatchMs)}/s); raw INSERT + addBulk ${seconds(rawMs)} s (${rate(N, rawMs)}/s); ratio ${(rawMs / dispatchMs).toFixed(2)}x`);

    const t1 = performance.now();
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, clock), { logger: false });
    await worker.init();
    let rssMax = process.memoryUsage().rss;
    await waitUntil(async () => {
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
      return Number((await pg.query(`select count(*) as n from notification_deliveries where status = 'sent'`)).rows[0].n) >= N;
    }, 30 * 60_000);
    const sendMs = performance.now() - t1;
    const sentCalls = received;

    received = 0;
    const t2 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          next++;
          const res = await fetch(hookUrl, { method: 'POST', body: JSON.stringify({ i: next }), headers: { 'content-type': 'application/json' } });
          await res.arrayBuffer();
        }
      }),
    );
    const fetchMs = performance.now() - t2;
    console.log(
      `send: ${N} webhook deliveries sent in ${seconds(sendMs)} s (${rate(N, sendMs)}/s, ${sentCalls} calls received, worker start included); ` +
        `plain fetch x${CONCURRENCY}: ${seconds(fetchMs)} s (${rate(N, fetchMs)}/s); ratio ${(fetchMs / sendMs).toFixed(2)}x; rss of the bench process (API context + worker) max ${(rssMax / 1024 ** 2).toFixed(0)} MB`,
    );
    console.log(`machine: ${cpus().length} CPUs, node ${process.version}; N = ${N}, WORKER_CONCURRENCY = ${CONCURRENCY}`);
  } finally {
    await worker?.close();
    await api.close();
    await pg.end();
    server.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${config.redis.queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await dropRunDatabases();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
