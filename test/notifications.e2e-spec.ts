import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { UnrecoverableError, Worker } from 'bullmq';
import { NotificationsService, OutboxRelayService } from '../libs/domain/src';
import { QUEUES, QueueProducer, redisOptions } from '../libs/queue/src';
import { clearQueues, startApi, type TestApi } from './support/test-app';
import { waitFor } from './support/wait';

describe('outbox -> BullMQ -> in-app inbox, exactly once', () => {
  let api: TestApi;
  let db: DataSource;
  let worker: INestApplicationContext | null = null;
  let coordinator: string;
  let officer: string;

  const startWorker = async (): Promise<void> => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config, api.clock), { logger: false });
    await worker.init();
  };
  const stopWorker = async (): Promise<void> => {
    await worker?.close();
    worker = null;
  };
  const unread = async (token: string): Promise<number> => (await api.request('GET', '/api/v1/notifications/unread-count', { token })).body.count;
  const duplicates = async (): Promise<number> =>
    Number((await db.query(`select count(*) as n from (select user_id, delivery_key from notifications group by 1, 2 having count(*) > 1) d`))[0].n);

  beforeAll(async () => {
    api = await startApi('notify');
    db = api.app.get(DataSource);
    coordinator = await api.login('coordinator');
    officer = await api.login('czt.officer');
    await startWorker();
  });
  afterAll(async () => {
    await stopWorker();
    await api.close();
    await clearQueues(api.config.redis.queuePrefix);
  });

  it('tells the lead units of a published document, through the worker', async () => {
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '通知〔2026〕1号\n\n（一）一项工作。（省财政厅牵头负责）' } });
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2027-06-30' } });
    // The worker's period opener may also ask the officer for the first period (period.opened) at
    // any moment after the publish: look for this notification by its kind, not its place.
    const published = async (): Promise<{ id: string; kind: string; readAt: string | null }[]> =>
      (await api.request('GET', '/api/v1/notifications', { token: officer })).body.items.filter((n: { kind: string }) => n.kind === 'document.published');
    const [note] = await waitFor('the lead officer\'s notification', published, (items) => items.length >= 1);
    expect(note).toEqual(expect.objectContaining({ kind: 'document.published', title: '新任务待签收', readAt: null }));
    expect(await unread(officer)).toBeGreaterThanOrEqual(1);
    const expected = Number((await db.query(`select count(*) as n from users where unit_id = (select unit_id from users where username = 'czt.officer') and active`))[0].n);
    const sent = Number((await db.query(`select count(*) as n from notifications where kind = 'document.published'`))[0].n);
    expect(sent).toBe(expected); // officer and head of 省财政厅, nobody else
    expect(await unread(await api.login('fgw.officer'))).toBe(0);
    await api.request('POST', `/api/v1/notifications/${note.id}/read`, { token: officer });
    expect((await published()).map((n) => [n.id, n.readAt === null])).toEqual([[note.id, false]]);
    const unreadIds = async (): Promise<string[]> =>
      (await api.request('GET', '/api/v1/notifications', { token: officer })).body.items.filter((n: { readAt: string | null }) => n.readAt === null).map((n: { id: string }) => n.id);
    expect(await unreadIds()).not.toContain(note.id);
    expect((await api.request('POST', `/api/v1/notifications/${note.id}/read`, { token: coordinator })).status).toBe(404);
  });

  it('delivers nothing twice when a job runs again', async () => {
    const [{ id }] = await db.query(`select id::text from outbox where event = 'document.published' order by id desc limit 1`);
    const before = Number((await db.query(`select count(*) as n from notifications`))[0].n);
    expect(await api.app.get(NotificationsService).fanout(id)).toBe(0);
    expect(Number((await db.query(`select count(*) as n from notifications`))[0].n)).toBe(before);
    expect(await duplicates()).toBe(0);
  });

  it('loses nothing when Redis loses the queued job: the worker relays it again at start', async () => {
    await stopWorker();
    const task = (await api.request('GET', '/api/v1/tasks', { token: officer })).body.items[0];
    await api.request('POST', `/api/v1/tasks/${task.id}/accept`, { token: officer, body: { version: task.version } });
    const period = (await api.request('GET', `/api/v1/tasks/${task.id}/periods`, { token: officer })).body[0];
    const sub = await api.request('POST', `/api/v1/tasks/${task.id}/periods/${period.id}/submissions`, { token: officer, body: { progress: '进展' } });
    await api.request('POST', `/api/v1/submissions/${sub.body.id}/review`, { token: coordinator, body: { version: sub.body.version, decision: 'return', comment: '请补充数据' } });
    // Relayed into Redis, then Redis loses everything before any worker ran the jobs.
    expect(await api.app.get(OutboxRelayService).relayBatch()).toBeGreaterThan(0);
    await clearQueues(api.config.redis.queuePrefix);
    await startWorker();
    // Waits for this kind: the worker's start also opens the report period, which notifies the officer.
    const returned = async (): Promise<number> => Number((await db.query(`select count(*) as n from notifications where kind = 'report.returned'`))[0].n);
    await waitFor('the returned-report notification', returned, (n) => n >= 2);
    expect(await returned()).toBe(2); // officer and head of 省财政厅
    await waitFor('every outbox event processed', async () => Number((await db.query(`select count(*) as n from outbox where processed_at is null`))[0].n), (n) => n === 0);
    expect(await duplicates()).toBe(0);
    const inbox = (await api.request('GET', '/api/v1/notifications?unread=true', { token: officer })).body;
    expect(inbox.items.map((i: any) => i.body).join()).toContain('请补充数据');
    expect((await api.request('POST', '/api/v1/notifications/read-all', { token: officer })).body.count).toBe(inbox.unread);
  });

  it('delivers an event whose job failed for good: the next re-relay retries that job', async () => {
    await stopWorker();
    const [{ id }] = await db.query(
      `insert into outbox (event, entity_type, entity_id, payload) values ('extension.requested', 'extension', gen_random_uuid()::text, '{"reason":"重试测试"}') returning id::text`,
    );
    // Every attempt fails (as while PostgreSQL is down): the job is parked in the failed set under its id.
    const failing = new Worker(
      QUEUES.notifications,
      async () => {
        throw new UnrecoverableError('PostgreSQL 不可用');
      },
      { connection: redisOptions(api.config.redis.url, true), prefix: api.config.redis.queuePrefix },
    );
    const queue = api.app.get(QueueProducer).queue(QUEUES.notifications);
    try {
      expect(await api.app.get(OutboxRelayService).relayBatch()).toBe(1);
      await waitFor('the job to fail for good', async () => (await queue.getJob(`outbox-${id}`))?.isFailed(), (v) => v === true);
    } finally {
      await failing.close();
    }
    // A new worker reconciles at start; its relay finds the failed job and retries it.
    await startWorker();
    await waitFor('the event to be processed', async () => (await db.query(`select processed_at from outbox where id = $1`, [id]))[0].processed_at, (v) => v !== null);
    const coordinators = Number((await db.query(`select count(*) as n from users where active and 'coordinator' = any(roles)`))[0].n);
    expect(Number((await db.query(`select count(*) as n from notifications where delivery_key = $1`, [`outbox-${id}`]))[0].n)).toBe(coordinators);
    expect(coordinators).toBeGreaterThan(0);
  });
});
