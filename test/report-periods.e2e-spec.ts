import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { REPORT_PERIODS_SCHEDULER } from '../apps/worker/src/schedules.service';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ManualClock } from '../libs/calendar/src';
import { ReportPeriodOpenerService } from '../libs/domain/src';
import { JOB_OPTIONS, JOBS, QUEUES, QueueProducer } from '../libs/queue/src';
import { clearQueues, startApi, type TestApi } from './support/test-app';

/** Waits with an interval and a hard deadline; the failure says what is still pending. */
async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

/**
 * Report periods are opened by a BullMQ job scheduler (00:01 Asia/Shanghai) run by the real worker,
 * and once at worker start; each period opens exactly once however often or concurrently the job
 * runs, and its lead unit is asked once to report.
 */
describe('report periods open on time, exactly once', () => {
  // Sunday night: the reminder sweep the worker also runs holds quiet hours and sends nothing.
  const clock = new ManualClock('2026-11-29T15:00:00Z');
  let api: TestApi;
  let db: DataSource;
  let worker: INestApplicationContext;
  let taskId: string;

  /** Per period key: how many were asked to report, and how many times at most one user was. */
  const asked = async (): Promise<Record<string, { users: number; most: number; opened: boolean }>> => {
    const rows: { period_key: string; users: number; most: number; opened: boolean }[] = await db.query(
      `select p.period_key, count(distinct n.user_id)::int as users, coalesce(max(c.n), 0)::int as most, p.opened_at is not null as opened
         from report_periods p
         left join notifications n on n.delivery_key = 'period-open-' || p.id
         left join (select user_id, delivery_key, count(*) as n from notifications group by 1, 2) c on c.delivery_key = n.delivery_key and c.user_id = n.user_id
        where p.task_id = $1 group by p.period_key, p.opened_at order by p.period_key`,
      [taskId],
    );
    return Object.fromEntries(rows.map((r) => [r.period_key, { users: r.users, most: r.most, opened: r.opened }]));
  };
  const runJobsConcurrently = async (n: number): Promise<void> => {
    const queue = worker.get(QueueProducer).queue(QUEUES.reminders);
    const jobs: Job[] = await queue.addBulk(Array.from({ length: n }, () => ({ name: JOBS.ReportPeriodsOpen, data: {}, opts: JOB_OPTIONS.ReportPeriodsOpen })));
    await waitFor('the opener jobs', async () => Promise.all(jobs.map((j) => queue.getJobState(j.id as string))), (s) => s.every((x) => x === 'completed'));
  };

  beforeAll(async () => {
    api = await startApi('periods', { clock });
    db = api.app.get(DataSource);
    const coordinator = await api.login('coordinator');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '期次〔2026〕1号\n\n（一）按月报送的工作。（省财政厅牵头负责）' } });
    const measure = doc.body.measures[0];
    expect((await api.request('PATCH', `/api/v1/documents/${doc.body.id}/measures/1`, { token: coordinator, body: { version: measure.version, reportingCycle: 'monthly' } })).status).toBe(200);
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
    taskId = (await api.request('GET', `/api/v1/tasks?documentId=${doc.body.id}`, { token: coordinator })).body.items[0].id;
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config, api.clock), { logger: false });
    await worker.init();
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await clearQueues(api.config.redis.queuePrefix);
  });

  it('installs a daily scheduler at 00:01 Asia/Shanghai and opens the current period at worker start', async () => {
    const scheduler = await worker.get(QueueProducer).queue(QUEUES.reminders).getJobScheduler(REPORT_PERIODS_SCHEDULER);
    expect(scheduler).toMatchObject({ name: JOBS.ReportPeriodsOpen, pattern: '1 0 * * *', tz: 'Asia/Shanghai' });
    const next = new Date(scheduler?.next as number);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([16, 1]); // 00:01 in Shanghai
    const state = await waitFor('the November period to open', asked, (s) => s['2026-11']?.opened === true && s['2026-11'].users > 0);
    // The officer and the head of 省财政厅, once each; December has not started.
    expect(state).toEqual({ '2026-11': { users: 2, most: 1, opened: true }, '2026-12': { users: 0, most: 0, opened: false } });
    const officer = await api.login('czt.officer');
    const titles = (await api.request('GET', '/api/v1/notifications', { token: officer })).body.items.map((i: { title: string }) => i.title);
    expect(titles).toContain('请填报第1期进展：（一）按月报送的工作');
  });

  it('opens nothing twice when the job runs again, concurrently, or beside a direct call', async () => {
    await runJobsConcurrently(3);
    expect((await asked())['2026-11']).toEqual({ users: 2, most: 1, opened: true });
    // 1 December, one minute past midnight: the period starts; jobs and direct calls race.
    clock.set('2026-11-30T16:01:00Z');
    const opener = api.app.get(ReportPeriodOpenerService);
    const [direct] = await Promise.all([Promise.all([opener.openDue(), opener.openDue()]), runJobsConcurrently(3)]);
    expect(direct[0].opened + direct[1].opened).toBeLessThanOrEqual(1);
    expect(await asked()).toEqual({ '2026-11': { users: 2, most: 1, opened: true }, '2026-12': { users: 2, most: 1, opened: true } });
    const [opened] = await db.query(`select count(*)::int as n from report_periods where task_id = $1 and opened_at is not null`, [taskId]);
    expect(opened.n).toBe(2);
    // "Missed" stays computed: opening stores nothing but the moment it happened.
    const periods = (await api.request('GET', `/api/v1/tasks/${taskId}/periods`, { token: await api.login('czt.officer') })).body;
    expect(periods.map((p: { status: string }) => p.status)).toEqual(['open', 'open']);
  });
});
