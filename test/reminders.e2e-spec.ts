import { DataSource } from 'typeorm';
import { ManualClock } from '../libs/calendar/src';
import { RemindersService } from '../libs/domain/src';
import { startApi, type TestApi } from './support/test-app';

const at = (date: string, hour = 10): string => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour - 8)).toISOString();

describe('reminders from PostgreSQL, each rung once, in working hours only', () => {
  const clock = new ManualClock(at('2026-11-23'));
  let api: TestApi;
  let db: DataSource;
  let sweep: () => Promise<{ sent: number; escalated: number; chased: number; skipped: string | null }>;
  let officer: string;
  const inbox = async (): Promise<string[]> => (await api.request('GET', '/api/v1/notifications?limit=100', { token: officer })).body.items.map((i: any) => i.title);

  beforeAll(async () => {
    api = await startApi('reminders', { clock });
    db = api.app.get(DataSource);
    const reminders = api.app.get(RemindersService);
    sweep = () => reminders.sweep();
    const coordinator = await api.login('coordinator');
    officer = await api.login('czt.officer');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '提醒〔2026〕1号\n\n（一）一项工作。（省财政厅牵头负责）' } });
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
  });
  afterAll(async () => api.close());

  it('sends nothing when no rung is due (acceptance due Thursday, 3 working days away)', async () => {
    expect(await sweep()).toMatchObject({ sent: 0, skipped: null });
  });

  it('sends the 2-day reminder once, however often the sweep runs', async () => {
    clock.set(at('2026-11-24'));
    expect((await sweep()).sent).toBe(1);
    expect((await sweep()).sent).toBe(0);
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a.sent + b.sent).toBe(0);
    const titles = await inbox();
    expect(titles.filter((t) => t.startsWith('到期提醒'))).toHaveLength(1);
    expect(titles[0]).toContain('2026-11-26 前签收');
  });

  it('holds quiet hours and weekends', async () => {
    clock.set(at('2026-11-26', 20));
    expect(await sweep()).toMatchObject({ sent: 0, skipped: 'quiet_hours' });
    clock.set(at('2026-11-28'));
    expect(await sweep()).toMatchObject({ sent: 0, skipped: 'quiet_hours' });
  });

  it('reminds on the day, then every working day while overdue, and stops once the work is done', async () => {
    clock.set(at('2026-11-26'));
    expect((await sweep()).sent).toBe(1);
    clock.set(at('2026-11-27'));
    expect((await sweep()).sent).toBe(1);
    clock.set(at('2026-11-30'));
    expect((await sweep()).sent).toBe(1);
    // Overdue since Thursday: 1 working day on Friday (level 1 to the unit head), 2 on Monday.
    const levels = async () => (await db.query(`select level, resolved_at from escalations where obligation_type = 'accept' order by level`)).map((r: any) => [r.level, r.resolved_at === null]);
    expect(await levels()).toEqual([[1, true]]);
    const head = await api.login('czt.head');
    const headInbox = (await api.request('GET', '/api/v1/notifications', { token: head })).body.items.map((i: any) => i.title);
    expect(headInbox.some((t: string) => t.startsWith('督办（一级）'))).toBe(true);
    expect((await inbox()).some((t) => t.startsWith('督办'))).toBe(false); // level 1 goes to the head only
    clock.set(at('2026-12-01'));
    await sweep();
    expect(await levels()).toEqual([
      [1, true],
      [2, true],
    ]);
    const coordinator = await api.login('coordinator');
    const list = (await api.request('GET', '/api/v1/escalations', { token: coordinator })).body;
    expect(list[0]).toEqual(expect.objectContaining({ level: 2, obligationType: 'accept' }));
    await sweep();
    expect((await db.query(`select count(*) as n from escalations`))[0].n).toBe('2');
    const rungs = (await db.query(`select rung from reminder_deliveries where obligation_type = 'accept' order by sent_at`)).map((r: any) => r.rung);
    expect(rungs).toEqual(['before:2', 'day', 'overdue:2026-11-27', 'overdue:2026-11-30', 'overdue:2026-12-01']);
    const task = (await api.request('GET', '/api/v1/tasks', { token: officer })).body.items[0];
    await api.request('POST', `/api/v1/tasks/${task.id}/accept`, { token: officer, body: { version: task.version } });
    clock.set(at('2026-12-02'));
    await sweep();
    expect(Number((await db.query(`select count(*) as n from reminder_deliveries where obligation_type = 'accept'`))[0].n)).toBe(5);
    // The escalation resolves itself once the task is accepted; its history stays.
    expect(await levels()).toEqual([
      [1, false],
      [2, false],
    ]);
    expect((await api.request('GET', '/api/v1/escalations', { token: coordinator })).body).toEqual([]);
    // Both the officer and the head of the lead unit got each one, once.
    const per = await db.query(`select delivery_key, count(*) as n from notifications where kind = 'reminder.accept' group by 1`);
    expect(per.every((r: any) => Number(r.n) === 2)).toBe(true);
  });
});
