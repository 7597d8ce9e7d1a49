import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ManualClock } from '../libs/calendar/src';
import { DeliveriesService, DeliverySenderService, verifyWebhook } from '../libs/domain/src';
import { SmtpReceiver, WebhookReceiver } from './support/receivers';
import { clearQueues, startApi, type TestApi } from './support/test-app';
import { waitFor } from './support/wait';

const ATTEMPTS = 3;
const MAIL = (username: string): string => `${username}@example.gov.cn`;

/**
 * Mail, webhooks, preferences and the daily digest, against a real SMTP server and a real HTTP
 * receiver started here, real PostgreSQL and Redis, and the worker running in-process.
 */
describe('notification delivery: mail, webhooks, digest, exactly once', () => {
  // Wednesday 2026-11-25, 10:00 in Beijing.
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const smtp = new SmtpReceiver();
  const hooks = new WebhookReceiver();
  let api: TestApi;
  let db: DataSource;
  let worker: INestApplicationContext | null = null;
  let seq = 0;

  const startWorker = async (): Promise<void> => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config, clock), { logger: false });
    await worker.init();
  };
  const stopWorker = async (): Promise<void> => {
    await worker?.close();
    worker = null;
  };
  /** Inserts inbox rows as any producer does (the reminder sweep writes SQL like this); returns their ids. */
  const notify = async (usernames: string[], kind: string, title: string): Promise<string[]> => {
    const key = `test-${++seq}`;
    const rows: { id: string }[] = await db.query(
      `insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
       select id, $2::text, $3::text, $4::text, $4::text || '。请及时办理。', 'task', 'T-' || $2::text from users where username = any($1) returning id`,
      [usernames, key, kind, title],
    );
    return rows.map((r) => r.id);
  };
  const deliveriesOf = async (notificationIds: string[]): Promise<{ id: string; channel: string; status: string; attempts: number; user: string }[]> =>
    db.query(
      `select d.id, d.channel, d.status, d.attempts, u.username as user from notification_deliveries d join users u on u.id = d.user_id
        where d.notification_id = any($1::uuid[]) order by u.username, d.channel`,
      [notificationIds],
    );
  const settled = (rows: { status: string }[]): boolean => rows.length > 0 && rows.every((r) => r.status !== 'pending');
  const mailsTo = (username: string) => smtp.mails.filter((m) => m.to.includes(MAIL(username)));
  const countBy = <T>(items: T[], key: (t: T) => string): Record<string, number> => items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {});

  beforeAll(async () => {
    await smtp.start();
    await hooks.start();
    api = await startApi('delivery', {
      clock,
      env: { SMTP_URL: smtp.url, MAIL_FROM: '督办系统 <duban@duban.example.gov.cn>', DELIVERY_ATTEMPTS: String(ATTEMPTS), DELIVERY_BACKOFF_MS: '150', DIGEST_AT: '08:30' },
    });
    db = api.app.get(DataSource);
    await db.query(`update users set email = username || '@example.gov.cn' where username in ('czt.officer', 'fgw.officer', 'nynct.officer', 'rst.officer', 'datong.officer')`);
    await startWorker();
  });
  afterAll(async () => {
    await stopWorker();
    await api.close();
    await clearQueues(api.config.redis.queuePrefix);
    await smtp.stop();
    await hooks.stop();
  });

  it('mails a notification to its user: recipient, Chinese subject and body, a Message-ID per delivery', async () => {
    const [id] = await notify(['czt.officer'], 'reminder.accept', '到期提醒：第一项工作须于 2026-11-27 前签收');
    const [d] = await waitFor('the mail delivery', () => deliveriesOf([id]), settled);
    expect(d).toEqual(expect.objectContaining({ channel: 'email', status: 'sent', attempts: 1 }));
    const mails = mailsTo('czt.officer');
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['czt.officer@example.gov.cn']);
    expect(mails[0].from).toBe('duban@duban.example.gov.cn');
    expect(mails[0].subject).toBe('【督办提醒】到期提醒：第一项工作须于 2026-11-27 前签收');
    expect(mails[0].text).toContain('请在期限前登录督办系统办理。');
    expect(mails[0].text).toMatch(/通知时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    expect(mails[0].messageId).toBe(`<${d.id}@duban.example.gov.cn>`);
    // A user without an address (czt.head) gets the inbox row and no mail delivery.
    const headIds = await notify(['czt.head'], 'reminder.accept', '无邮箱');
    await waitFor('dispatch', async () => (await db.query(`select dispatched_at from notifications where id = $1`, [headIds[0]]))[0].dispatched_at, (v) => v !== null);
    expect(await deliveriesOf(headIds)).toEqual([]);
  });

  it('mails what the outbox fan-out writes too (a published document)', async () => {
    const coordinator = await api.login('coordinator');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '投递〔2026〕1号\n\n（一）一项工作。（省发展改革委牵头负责）' } });
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2027-06-30' } });
    await waitFor('the publish mail', async () => mailsTo('fgw.officer').length, (n) => n >= 1);
    expect(mailsTo('fgw.officer').map((m) => m.subject)).toEqual(['【督办通知】新任务待签收']);
    expect(mailsTo('fgw.officer')[0].text).toContain('省乡村振兴局发布了新的政策文件');
  });

  it('retries an SMTP server that answers 451, and every mail arrives exactly once', async () => {
    smtp.rejectNext = 2;
    const before = smtp.mails.length;
    const ids = [
      ...(await notify(['nynct.officer'], 'escalation.level1', '督办（一级）：逾期未办')),
      ...(await notify(['rst.officer'], 'review.chase', '报送待审核已超过 3 个工作日')),
      ...(await notify(['datong.officer'], 'period.opened', '2026Q4 报送期已开始')),
    ];
    const rows = await waitFor('three mails sent', () => deliveriesOf(ids), (r) => r.length === 3 && r.every((x) => x.status === 'sent'));
    expect(smtp.rejected).toBe(2);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(5); // two deliveries needed a second try
    const got = smtp.mails.slice(before);
    expect(got).toHaveLength(3);
    expect(Object.values(countBy(got, (m) => m.messageId))).toEqual([1, 1, 1]);
    expect(got.map((m) => m.messageId).sort()).toEqual(rows.map((r) => `<${r.id}@duban.example.gov.cn>`).sort());
    expect(got.map((m) => m.subject).sort()).toEqual(['【审核催办】报送待审核已超过 3 个工作日', '【报送期开始】2026Q4 报送期已开始', '【督办升级】督办（一级）：逾期未办'].sort());
  });

  it('signs webhooks, retries a receiver that fails with 500, and each event arrives once per subscription', async () => {
    const officer = await api.login('czt.officer');
    const coordinator = await api.login('coordinator');
    const czt = (await db.query(`select unit_id from users where username = 'czt.officer'`))[0].unit_id;
    const mine = await api.request('POST', '/api/v1/webhooks', { token: officer, body: { url: hooks.url('/mine'), description: '个人' } });
    expect(mine.status).toBe(201);
    expect(mine.body.secret).toMatch(/^whsec_/);
    const unitSecret = 'unit-secret-0123456789';
    const unit = await api.request('POST', '/api/v1/webhooks', { token: coordinator, body: { url: hooks.url('/unit'), unitId: czt, secret: unitSecret } });
    expect(unit.status).toBe(201);
    expect((await api.request('POST', '/api/v1/webhooks', { token: officer, body: { url: hooks.url('/x'), unitId: czt } })).status).toBe(403);
    expect((await api.request('GET', '/api/v1/webhooks', { token: officer })).body.map((w: any) => w.id)).toEqual([mine.body.id]);
    expect((await api.request('GET', '/api/v1/webhooks', { token: officer })).body[0].secret).toBeUndefined();
    expect((await api.request('DELETE', `/api/v1/webhooks/${unit.body.id}`, { token: officer })).status).toBe(404);

    hooks.failNext = 3;
    // One event reaching the officer and the head of 省财政厅: the unit hears of it once, the officer's own hook once.
    const ids = await notify(['czt.officer', 'czt.head'], 'escalation.level1', '督办（一级）：省财政厅任务逾期');
    const rows = await waitFor('webhooks delivered', async () => (await deliveriesOf(ids)).filter((r) => r.channel === 'webhook'), (r) => r.length === 2 && r.every((x) => x.status === 'sent'));
    expect(hooks.failed).toBe(3);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(5);
    const got = hooks.accepted.filter((h) => ids.includes(JSON.parse(h.body).notification.id));
    expect(countBy(got, (h) => h.path)).toEqual({ '/mine': 1, '/unit': 1 });
    expect(Object.values(countBy(got, (h) => h.headers['x-duban-delivery']))).toEqual([1, 1]);
    for (const h of got) {
      const secret = h.path === '/unit' ? unitSecret : mine.body.secret;
      expect(h.headers['x-duban-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhook(secret, h.headers['x-duban-timestamp'], h.body, h.headers['x-duban-signature'])).toBe(true);
      expect(verifyWebhook(secret, h.headers['x-duban-timestamp'], h.body.replace('督办', '督促'), h.headers['x-duban-signature'])).toBe(false);
      expect(verifyWebhook('wrong-secret-0123456789', h.headers['x-duban-timestamp'], h.body, h.headers['x-duban-signature'])).toBe(false);
      const event = JSON.parse(h.body);
      expect(event).toEqual(expect.objectContaining({ deliveryId: h.headers['x-duban-delivery'], event: 'escalation.level1', category: 'escalation' }));
      expect(event.notification.title).toBe('督办（一级）：省财政厅任务逾期');
    }
    await api.request('DELETE', `/api/v1/webhooks/${mine.body.id}`, { token: officer });
    await api.request('DELETE', `/api/v1/webhooks/${unit.body.id}`, { token: coordinator });
  });

  it('parks a webhook that always fails after the last attempt; an admin lists and re-drives it', async () => {
    const officer = await api.login('rst.officer');
    const admin = await api.login('admin');
    hooks.alwaysFail.add('/down');
    const sub = await api.request('POST', '/api/v1/webhooks', { token: officer, body: { url: hooks.url('/down') } });
    const ids = await notify(['rst.officer'], 'report.returned', '报送被退回');
    const [parked] = await waitFor('the webhook parked', async () => (await deliveriesOf(ids)).filter((r) => r.channel === 'webhook'), (r) => r.length === 1 && r[0].status === 'parked');
    expect(parked.attempts).toBe(ATTEMPTS);
    const list = await api.request('GET', '/api/v1/deliveries', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: parked.id, status: 'parked', channel: 'webhook', attempts: ATTEMPTS, lastError: 'webhook 返回 HTTP 500' })]);
    expect((await api.request('GET', '/api/v1/deliveries', { token: officer })).status).toBe(403);
    expect((await api.request('POST', `/api/v1/deliveries/${parked.id}/redrive`, { token: officer })).status).toBe(403);
    // The receiver is mended; the re-drive sends it once.
    hooks.alwaysFail.delete('/down');
    const redriven = await api.request('POST', `/api/v1/deliveries/${parked.id}/redrive`, { token: admin });
    expect([redriven.status, redriven.body.status, redriven.body.redrives]).toEqual([200, 'pending', 1]);
    await waitFor('the re-driven webhook', async () => (await deliveriesOf(ids)).find((r) => r.id === parked.id)?.status, (s) => s === 'sent');
    expect(hooks.accepted.filter((h) => h.headers['x-duban-delivery'] === parked.id)).toHaveLength(1);
    const again = await api.request('POST', `/api/v1/deliveries/${parked.id}/redrive`, { token: admin });
    expect([again.status, again.body.code]).toEqual([409, 'DELIVERY_NOT_PARKED']);
    await api.request('DELETE', `/api/v1/webhooks/${sub.body.id}`, { token: officer });
  });

  it('keeps preferences: validated, email off means no mail, webhook off means no call', async () => {
    const token = await api.login('nynct.officer');
    const initial = await api.request('GET', '/api/v1/me/notification-preferences', { token });
    expect(initial.body).toEqual(expect.objectContaining({ digest: false, updatedAt: null }));
    expect(initial.body.kinds.reminder).toEqual({ email: true, webhook: true });
    const kinds = { ...initial.body.kinds, reminder: { email: false, webhook: false } };
    for (const bad of [{ digest: 'yes', kinds }, { digest: false }, { digest: false, kinds: { ...kinds, reminder: { email: 'no', webhook: true } } }, { digest: false, kinds: { ...kinds, reminder: { email: true } } }, { digest: false, kinds, extra: 1 }]) {
      const res = await api.request('PUT', '/api/v1/me/notification-preferences', { token, body: bad });
      expect([res.status, res.body.code]).toEqual([400, expect.any(String)]);
    }
    expect((await api.request('GET', '/api/v1/me/notification-preferences', { token })).body.updatedAt).toBeNull();
    const put = await api.request('PUT', '/api/v1/me/notification-preferences', { token, body: { digest: false, kinds } });
    expect(put.status).toBe(200);
    expect(put.body.kinds.reminder).toEqual({ email: false, webhook: false });
    const sub = await api.request('POST', '/api/v1/webhooks', { token, body: { url: hooks.url('/prefs') } });
    const quiet = await notify(['nynct.officer'], 'reminder.task_due', '今日到期：不发邮件');
    const loud = await notify(['nynct.officer'], 'task.confirmClose', '任务已销号');
    const rows = await waitFor('the generic notification delivered', () => deliveriesOf([...quiet, ...loud]), (r) => r.length === 2 && settled(r));
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'webhook']);
    expect(await deliveriesOf(quiet)).toEqual([]);
    expect(mailsTo('nynct.officer').map((m) => m.subject)).not.toContain('【督办提醒】今日到期：不发邮件');
    expect(mailsTo('nynct.officer').map((m) => m.subject)).toContain('【督办通知】任务已销号');
    expect(hooks.accepted.filter((h) => h.path === '/prefs')).toHaveLength(1);
    await api.request('DELETE', `/api/v1/webhooks/${sub.body.id}`, { token });
  });

  it('sends digest users one mail per working day, once, at the digest time', async () => {
    const token = await api.login('datong.officer');
    const prefs = (await api.request('GET', '/api/v1/me/notification-preferences', { token })).body;
    expect((await api.request('PUT', '/api/v1/me/notification-preferences', { token, body: { digest: true, kinds: prefs.kinds } })).status).toBe(200);
    const before = mailsTo('datong.officer').length;
    const ids = [...(await notify(['datong.officer'], 'reminder.accept', '到期提醒：甲项工作')), ...(await notify(['datong.officer'], 'report.approved', '报送已审核通过'))];
    const held = await waitFor('held for the digest', () => deliveriesOf(ids), (r) => r.length === 2 && r.every((x) => x.status === 'held'));
    expect(held.map((r) => r.channel)).toEqual(['digest', 'digest']);
    const deliveries = api.app.get(DeliveriesService);
    // Saturday 2026-11-28 is no working day; Friday 08:00 is too early.
    clock.set('2026-11-28T01:00:00Z');
    expect(await deliveries.digest()).toEqual({ date: '2026-11-28', created: 0, skipped: 'not_working_day' });
    clock.set('2026-11-27T00:00:00Z');
    expect(await deliveries.digest()).toEqual({ date: '2026-11-27', created: 0, skipped: 'too_early' });
    clock.set('2026-11-27T00:40:00Z');
    const [a, b] = await Promise.all([deliveries.digest(), deliveries.digest()]);
    expect(a.created + b.created).toBe(1);
    expect((await deliveries.digest()).created).toBe(0);
    await waitFor('the digest mail', async () => mailsTo('datong.officer').length, (n) => n > before);
    await waitFor('digest sent', async () => (await db.query(`select status from notification_deliveries where channel = 'digest_email'`)).map((r: any) => r.status), (s) => s.length === 1 && s[0] === 'sent');
    const digest = mailsTo('datong.officer').slice(before);
    expect(digest).toHaveLength(1);
    expect(digest[0].subject).toBe('【督办日报】2026-11-27 共 2 条通知');
    expect(digest[0].text).toContain('到期提醒：甲项工作');
    expect(digest[0].text).toContain('报送已审核通过');
    expect((await deliveriesOf(ids)).map((r) => r.status)).toEqual(['digested', 'digested']);
    const key = (await db.query(`select delivery_key, digest_date::text as d from notification_deliveries where channel = 'digest_email'`))[0];
    expect(key.d).toBe('2026-11-27');
    clock.set('2026-11-25T02:00:00Z');
  });

  it('loses nothing when Redis loses every job of this test and the worker restarts', async () => {
    await stopWorker();
    const officer = await api.login('fgw.officer');
    const sub = await api.request('POST', '/api/v1/webhooks', { token: officer, body: { url: hooks.url('/flush') } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await notify(['fgw.officer'], 'reminder.task_due', `冲刷前 ${i}`)));
    // The API process dispatches (as a worker would) and enqueues; then Redis loses everything.
    expect(await api.app.get(DeliveriesService).dispatch()).toBe(10);
    for (let i = 0; i < 3; i++) ids.push(...(await notify(['fgw.officer'], 'reminder.task_due', `冲刷后 ${i}`)));
    const prefix = api.config.redis.queuePrefix;
    await clearQueues(prefix);
    await startWorker();
    const rows = await waitFor('all 16 deliveries sent', () => deliveriesOf(ids), (r) => r.length === 16 && r.every((x) => x.status === 'sent'));
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const mails = smtp.mails.filter((m) => m.subject.includes('冲刷'));
    expect(mails).toHaveLength(8);
    expect(Object.values(countBy(mails, (m) => m.messageId)).every((n) => n === 1)).toBe(true);
    // Only this test's notifications: a report period the restarted worker opens may notify the same officer too.
    const calls = hooks.accepted.filter((h) => h.path === '/flush' && (JSON.parse(h.body) as { notification: { title: string } }).notification.title.includes('冲刷'));
    expect(calls).toHaveLength(8);
    expect(new Set(calls.map((h) => h.headers['x-duban-delivery'])).size).toBe(8);
    // A job delivered again (a redelivered job, a re-enqueue, a second reconcile) sends nothing twice.
    const sender = api.app.get(DeliverySenderService);
    expect(await Promise.all(rows.slice(0, 4).map((r) => sender.deliver(r.id)))).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    const deliveries = api.app.get(DeliveriesService);
    expect(await deliveries.reconcile()).toBe(0);
    await clearQueues(prefix);
    await db.query(`update notifications set dispatched_at = null where id = any($1::uuid[])`, [ids]);
    // Dispatching the same notifications again creates no delivery (other notifications, e.g. report
    // periods the restarted worker opened, may be dispatched by the same call).
    await deliveries.dispatch();
    expect(await deliveriesOf(ids)).toHaveLength(16);
    await api.request('DELETE', `/api/v1/webhooks/${sub.body.id}`, { token: officer });
    expect(smtp.mails.filter((m) => m.subject.includes('冲刷'))).toHaveLength(8);
  });

  it('serves Bull Board at /admin/queues to coordinators and admins through an HttpOnly cookie set at login', async () => {
    expect((await api.request('GET', '/admin/queues')).status).toBe(401);
    const login = await api.request('POST', '/api/v1/auth/login', { body: { username: 'coordinator', password: 'Duban@2026' } });
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^duban_board=[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const jar = cookie.split(';')[0];
    const page = await api.request('GET', '/admin/queues', { headers: { cookie: jar } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const queues = await api.request('GET', '/admin/queues/api/queues', { headers: { cookie: jar } });
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: any) => q.name).sort()).toEqual(['deliveries', 'maintenance', 'notifications', 'reminders']);
    const officerLogin = await api.request('POST', '/api/v1/auth/login', { body: { username: 'czt.officer', password: 'Duban@2026' } });
    expect(officerLogin.headers['set-cookie']).toBeUndefined();
    const forbidden = await api.request('GET', '/admin/queues/api/queues', { headers: { cookie: `duban_board=${officerLogin.body.accessToken}` } });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    expect((await api.request('GET', '/admin/queues', { headers: { cookie: 'duban_board=forged' } })).status).toBe(401);
    expect((await api.request('GET', '/admin/queues', { token: await api.login('admin') })).status).toBe(200);
  });

  it('says on /health whether mail is on', async () => {
    const health = await api.request('GET', '/health');
    expect(health.body.details.mail).toEqual({ status: 'up', enabled: true, host: `127.0.0.1:${smtp.port}` });
  });
});
