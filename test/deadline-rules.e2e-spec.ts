import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { addCalendarDays, CalendarService, ManualClock } from '../libs/calendar/src';
import { RemindersService, type SweepResult } from '../libs/domain/src';
import { REPO_ROOT, startApi, type TestApi } from './support/test-app';

/** 10:00 (or `hour`) Asia/Shanghai on a date. */
const at = (date: string, hour = 10, minute = 0): string => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour - 8, minute)).toISOString();

/**
 * The deadline engine's rules with a moved clock, on one seed task and two more documents:
 * reminders by the ladder across the 2026 National Day holiday and its make-up Saturday, a missed
 * report escalated to levels 1, 2 and 3 and resolved by reporting, review chasing, per-document
 * and per-task settings, and provisional dates recomputed by `calendar:import`.
 */
describe('deadline rules: ladders, escalation, review chasing, settings, provisional dates', () => {
  const clock = new ManualClock(at('2026-09-28'));
  let api: TestApi;
  let db: DataSource;
  let reminders: RemindersService;
  let t: Record<string, string>;
  let t1: string;
  let q3: string;
  let doc1: string;

  const sweepOn = async (date: string, hour = 10): Promise<SweepResult> => {
    clock.set(at(date, hour));
    return reminders.sweep();
  };
  /** Sweeps at 10:00 on every calendar day of [from, to]; weekends and holidays skip themselves. */
  const sweepDays = async (from: string, to: string): Promise<Record<string, SweepResult>> => {
    const out: Record<string, SweepResult> = {};
    for (let d = from; d <= to; d = addCalendarDays(d, 1)) out[d] = await sweepOn(d);
    return out;
  };
  /** The rungs sent for an obligation, in order, with the Shanghai date they were sent on. */
  const rungs = async (type: string, obligationId: string): Promise<string[]> =>
    (
      await db.query(
        `select to_char(sent_at at time zone 'Asia/Shanghai', 'MM-DD') || ' ' || rung as r from reminder_deliveries where obligation_type = $1 and obligation_id = $2 order by sent_at, rung`,
        [type, obligationId],
      )
    ).map((r: { r: string }) => r.r);
  const levels = async (type: string, obligationId: string): Promise<string[]> =>
    (
      await db.query(
        `select to_char(raised_at at time zone 'Asia/Shanghai', 'MM-DD') || ' L' || level || case when resolved_at is null then '' else ' resolved' end as r
           from escalations where obligation_type = $1 and obligation_id = $2 order by level`,
        [type, obligationId],
      )
    ).map((r: { r: string }) => r.r);
  const inbox = async (token: string): Promise<string[]> => (await api.request('GET', '/api/v1/notifications?limit=100', { token })).body.items.map((i: { title: string }) => i.title);
  const taskVersion = async (id: string): Promise<number> => (await db.query(`select version from tasks where id = $1`, [id]))[0].version;
  const publish = async (text: string, dueOn: string): Promise<{ doc: string; tasks: { id: string; leads: string[] }[] }> => {
    const doc = await api.request('POST', '/api/v1/documents', { token: t.coordinator, body: { text } });
    expect(doc.status).toBe(201);
    expect((await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: t.coordinator, body: { defaultDueOn: dueOn } })).status).toBe(200);
    const tasks = (await api.request('GET', `/api/v1/tasks?documentId=${doc.body.id}`, { token: t.coordinator })).body.items;
    return { doc: doc.body.id, tasks };
  };

  beforeAll(async () => {
    api = await startApi('deadline-rules', { clock });
    db = api.app.get(DataSource);
    reminders = api.app.get(RemindersService);
    t = {};
    for (const u of ['coordinator', 'bureau.head', 'czt.officer', 'czt.head', 'fgw.officer']) t[u] = await api.login(u);
    const seed = await publish('规则〔2026〕1号\n\n（一）做好一项重点工作。（省财政厅牵头负责）', '2026-12-31');
    doc1 = seed.doc;
    t1 = seed.tasks[0].id;
    expect((await api.request('POST', `/api/v1/tasks/${t1}/accept`, { token: t['czt.officer'], body: { version: await taskVersion(t1) } })).status).toBe(200);
    const periods = (await api.request('GET', `/api/v1/tasks/${t1}/periods`, { token: t['czt.officer'] })).body;
    q3 = periods.find((p: { periodKey: string }) => p.periodKey === '2026-Q3').id;
    // The Q3 report is due 5 working days after 30 September: the National Day week (1-7 Oct) does not count.
    expect(periods.find((p: { periodKey: string }) => p.periodKey === '2026-Q3').dueOn).toBe('2026-10-13');
  });
  afterAll(async () => api.close());

  it('reminds by the ladder across the National Day holiday and on its make-up Saturday, in working hours only', async () => {
    const days = await sweepDays('2026-09-28', '2026-10-13');
    // Working days before 13 Oct: 30 Sep is 5 (8, 9, 10 (Sat, 调休), 12, 13), Saturday 10 Oct is 2.
    expect(await rungs('period_due', q3)).toEqual(['09-30 before:5', '10-10 before:2', '10-13 day']);
    for (const holiday of ['2026-10-01', '2026-10-05', '2026-10-07', '2026-10-03', '2026-10-11']) expect(days[holiday].skipped).toBe('quiet_hours');
    expect(days['2026-10-10'].skipped).toBeNull(); // the make-up Saturday is a working day
    const titles = await inbox(t['czt.officer']);
    expect(titles).toContain('到期提醒：（一）做好一项重点工作 2026-Q3 须于 2026-10-13 前报送进展（还有 2 个工作日）');
    expect(titles).toContain('今日到期：（一）做好一项重点工作 2026-Q3 须于今天报送进展');
  });

  it('holds quiet hours: nothing before 09:00 or from 18:00, even with a rung due', async () => {
    expect(await sweepOn('2026-10-14', 8)).toMatchObject({ sent: 0, skipped: 'quiet_hours' });
    clock.set(at('2026-10-14', 8, 59));
    expect(await reminders.sweep()).toMatchObject({ skipped: 'quiet_hours' });
    expect(await rungs('period_due', q3)).toHaveLength(3);
    expect(await sweepOn('2026-10-14', 18)).toMatchObject({ skipped: 'quiet_hours' });
    expect(await sweepOn('2026-10-14', 9)).toMatchObject({ skipped: null });
    expect(await rungs('period_due', q3)).toEqual(['09-30 before:5', '10-10 before:2', '10-13 day', '10-14 overdue:2026-10-14']);
  });

  it('a missed report escalates to levels 1, 2 and 3, each once, and resolves when the report comes in', async () => {
    await sweepDays('2026-10-14', '2026-10-27');
    await sweepOn('2026-10-27', 15); // again the same day: nothing twice
    // Overdue working days: 14 Oct = 1, 16 Oct = 3, 27 Oct = 10.
    expect(await levels('period_due', q3)).toEqual(['10-14 L1', '10-16 L2', '10-27 L3']);
    const periods = (await api.request('GET', `/api/v1/tasks/${t1}/periods`, { token: t['czt.officer'] })).body;
    expect(periods.find((p: { id: string }) => p.id === q3).status).toBe('missed');
    const head = await inbox(t['czt.head']);
    expect(head.filter((x) => x.startsWith('督办（一级）'))).toHaveLength(1);
    const coordinator = await inbox(t.coordinator);
    expect(coordinator.filter((x) => x.startsWith('督办（二级）'))).toEqual(['督办（二级）：逾期 3 个工作日，已列入省级督办清单']);
    expect(coordinator.filter((x) => x.startsWith('督办（三级）'))).toEqual(['督办（三级）：逾期 10 个工作日，将纳入情况通报']);
    const list = (await api.request('GET', '/api/v1/escalations', { token: t.coordinator })).body;
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ taskId: t1, obligationType: 'period_due', level: 3 })]));
    // Overdue reminders went out every working day: 14-16, 19-23, 26, 27 October.
    expect((await rungs('period_due', q3)).filter((r) => r.includes('overdue'))).toHaveLength(10);

    // The unit reports on 28 October (its head must sign off first): the escalation resolves, history kept.
    const set = await api.request('PATCH', '/api/v1/units/prov.czt/settings', { token: t['czt.head'], body: { requiresSignoff: true } });
    expect(set.status).toBe(200);
    clock.set(at('2026-10-28', 9, 30));
    const sub = await api.request('POST', `/api/v1/tasks/${t1}/periods/${q3}/submissions`, { token: t['czt.officer'], body: { progress: '已完成第三季度工作' } });
    expect([sub.status, sub.body.status]).toEqual([201, 'awaiting_signoff']);
    await sweepOn('2026-10-28', 11);
    expect(await levels('period_due', q3)).toEqual(['10-14 L1 resolved', '10-16 L2 resolved', '10-27 L3 resolved']);
    expect((await api.request('GET', '/api/v1/escalations', { token: t.coordinator })).body.filter((e: { taskId: string }) => e.taskId === t1)).toEqual([]);
    expect(await rungs('period_due', q3)).toHaveLength(13); // no reminder on the 28th
  });

  it('review chasing reminds the reviewer of each stage, escalates to the bureau head once, and stops after review', async () => {
    const sub = (await api.request('GET', `/api/v1/tasks/${t1}/submissions`, { token: t['czt.officer'] })).body[0];
    const chases = async (): Promise<string[]> =>
      (
        await db.query(
          `select to_char(raised_at at time zone 'Asia/Shanghai', 'MM-DD') || ' ' || stage || ' ' || step || case when resolved_at is null then '' else ' resolved' end as r
             from review_chases where submission_id = $1 order by raised_at, step desc`,
          [sub.id],
        )
      ).map((r: { r: string }) => r.r);
    // Waiting for the head's sign-off since Wed 28 Oct: 3 working days on Mon 2 Nov, 6 on Thu 5 Nov.
    await sweepDays('2026-10-29', '2026-11-05');
    await sweepOn('2026-11-05', 16);
    expect(await chases()).toEqual(['11-02 awaiting_signoff remind', '11-05 awaiting_signoff escalate']);
    expect((await inbox(t['czt.head'])).filter((x) => x.startsWith('催审'))).toEqual(['催审：有报送等待您审签已 3 个工作日']);
    expect((await inbox(t['bureau.head'])).filter((x) => x.startsWith('催审升级'))).toEqual(['催审升级：报送等待单位负责人审签已 6 个工作日']);
    expect((await inbox(t.coordinator)).filter((x) => x.startsWith('催审'))).toEqual([]); // coordinators are not the reviewers yet

    clock.set(at('2026-11-06', 9, 30));
    const signed = await api.request('POST', `/api/v1/submissions/${sub.id}/signoff`, { token: t['czt.head'], body: { version: sub.version } });
    expect([signed.status, signed.body.status]).toEqual([200, 'submitted']);
    // Now waiting for the coordinators since Fri 6 Nov: 3 working days on Wed 11 Nov.
    await sweepDays('2026-11-06', '2026-11-11');
    expect(await chases()).toEqual(['11-02 awaiting_signoff remind resolved', '11-05 awaiting_signoff escalate resolved', '11-11 submitted remind']);
    expect((await inbox(t.coordinator)).filter((x) => x.startsWith('催审'))).toEqual(['催审：有报送等待审核已 3 个工作日']);

    clock.set(at('2026-11-12', 9, 30));
    const reviewed = await api.request('POST', `/api/v1/submissions/${sub.id}/review`, { token: t.coordinator, body: { version: signed.body.version, decision: 'approve' } });
    expect(reviewed.status).toBe(200);
    await sweepDays('2026-11-12', '2026-11-20');
    expect(await chases()).toEqual(['11-02 awaiting_signoff remind resolved', '11-05 awaiting_signoff escalate resolved', '11-11 submitted remind resolved']);
    expect((await inbox(t['bureau.head'])).filter((x) => x.startsWith('催审升级'))).toHaveLength(1);
  });

  it('per-document and per-task settings are validated, audited, version-checked, shown on the task and change what fires', async () => {
    clock.set(at('2026-11-12', 11));
    const { doc, tasks } = await publish('规则〔2026〕2号\n\n（一）工作甲。（省财政厅牵头负责）\n\n（二）工作乙。（省发展改革委牵头负责）', '2026-11-20');
    const [a, b] = [tasks.find((x) => x.leads.some((l) => l.includes('财政')))!.id, tasks.find((x) => x.leads.some((l) => l.includes('发展')))!.id];
    const docVersion = (await api.request('GET', `/api/v1/documents/${doc}/deadline-settings`, { token: t.coordinator })).body.version;

    const bad = async (body: Record<string, unknown>): Promise<{ status: number; message: string }> => {
      const res = await api.request('PATCH', `/api/v1/documents/${doc}/deadline-settings`, { token: t.coordinator, body: { version: docVersion, ...body } });
      return { status: res.status, message: res.body.message };
    };
    expect(await bad({ reminderDaysBefore: [2, 5] })).toEqual({ status: 400, message: expect.stringContaining('必须从大到小排列') });
    expect(await bad({ reminderDaysBefore: [5, -1] })).toEqual({ status: 400, message: expect.stringContaining('1 到 30 之间的整数') });
    expect(await bad({ escalationThresholds: [3, 1, 10] })).toEqual({ status: 400, message: expect.stringContaining('一级 < 二级 < 三级') });
    expect(await bad({ escalationThresholds: [1, 3] })).toEqual({ status: 400, message: expect.stringContaining('三个') });
    expect(await bad({ reviewLimitDays: 0 })).toEqual({ status: 400, message: expect.stringContaining('审核时限') });
    expect(await bad({ overdueRepeatEveryDays: -2 })).toEqual({ status: 400, message: expect.stringContaining('0 到 30') });
    expect((await api.request('PATCH', `/api/v1/documents/${doc}/deadline-settings`, { token: t['czt.officer'], body: { version: docVersion, remindOnDay: false } })).status).toBe(403);

    const setDoc = await api.request('PATCH', `/api/v1/documents/${doc}/deadline-settings`, {
      token: t.coordinator,
      body: { version: docVersion, reminderDaysBefore: [3], remindOnDay: false, escalationThresholds: [2, 4, 6] },
    });
    expect(setDoc.status).toBe(200);
    expect(setDoc.body.effective).toEqual({ reminderDaysBefore: [3], remindOnDay: false, overdueRepeatEveryDays: 1, escalationThresholds: [2, 4, 6], reviewLimitDays: 3, reviewEscalationDays: 3 });
    const stale = await api.request('PATCH', `/api/v1/documents/${doc}/deadline-settings`, { token: t.coordinator, body: { version: docVersion, remindOnDay: true } });
    expect([stale.status, stale.body.code]).toEqual([409, 'STALE_VERSION']);

    const setTask = await api.request('PATCH', `/api/v1/tasks/${b}/deadline-settings`, {
      token: t.coordinator,
      body: { version: await taskVersion(b), reminderDaysBefore: [1], overdueRepeatEveryDays: 0, escalationThresholds: [1, 2, 3] },
    });
    expect(setTask.status).toBe(200);
    expect(setTask.body.task).toEqual({ reminderDaysBefore: [1], overdueRepeatEveryDays: 0, escalationThresholds: [1, 2, 3] });
    // Back to inheriting one key with null.
    const cleared = await api.request('PATCH', `/api/v1/tasks/${b}/deadline-settings`, { token: t.coordinator, body: { version: setTask.body.version, reminderDaysBefore: null } });
    expect(cleared.body.effective.reminderDaysBefore).toEqual([3]);
    const again = await api.request('PATCH', `/api/v1/tasks/${b}/deadline-settings`, { token: t.coordinator, body: { version: cleared.body.version, reminderDaysBefore: [1] } });
    expect(again.status).toBe(200);
    const view = (await api.request('GET', `/api/v1/tasks/${b}`, { token: t['fgw.officer'] })).body;
    expect(view.deadlineRules).toEqual({ reminderDaysBefore: [1], remindOnDay: false, overdueRepeatEveryDays: 0, escalationThresholds: [1, 2, 3], reviewLimitDays: 3, reviewEscalationDays: 3 });
    expect((await api.request('GET', `/api/v1/tasks/${b}/deadline-settings`, { token: t['czt.officer'] })).status).toBe(404); // not its task
    const audit = await db.query(`select action from audit_log where action in ('document.deadlineSettingsChanged', 'task.setDeadlineSettings') order by id`);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['document.deadlineSettingsChanged', 'task.setDeadlineSettings', 'task.setDeadlineSettings', 'task.setDeadlineSettings']);

    // Due Friday 20 Nov. The default ladder would send 13 Nov (5) and 18 Nov (2) and on the day.
    await sweepDays('2026-11-13', '2026-11-30');
    expect(await rungs('task_due', a)).toEqual(['11-17 before:3', '11-23 overdue:2026-11-23', '11-24 overdue:2026-11-24', '11-25 overdue:2026-11-25', '11-26 overdue:2026-11-26', '11-27 overdue:2026-11-27', '11-30 overdue:2026-11-30']);
    expect(await levels('task_due', a)).toEqual(['11-24 L1', '11-26 L2', '11-30 L3']);
    expect(await rungs('task_due', b)).toEqual(['11-19 before:1']);
    expect(await levels('task_due', b)).toEqual(['11-23 L1', '11-24 L2', '11-25 L3']);
  });

  it('calendar:import recomputes every provisional date in one audited transaction and tells the lead units', async () => {
    // Published on Tue 29 Dec: the acceptance deadline (3 working days) and the Q4 report (5 working
    // days after 31 Dec) reach 2027, which has no official calendar yet: Monday-Friday is assumed.
    clock.set(at('2026-12-29'));
    const { tasks } = await publish('规则〔2026〕3号\n\n（一）跨年工作。（省财政厅牵头负责）', '2027-06-30');
    const t3 = tasks[0].id;
    const provisional = async (): Promise<unknown[]> =>
      db.query(
        `select 'accept' as k, accept_due_on::text as d, accept_due_provisional as p from tasks where id = $1
         union all select period_key, due_on::text, due_provisional from report_periods where task_id = any($2::uuid[]) and period_key = '2026-Q4' order by 1, 2`,
        [t3, [t1, t3]],
      );
    expect(await provisional()).toEqual([
      { k: '2026-Q4', d: '2027-01-07', p: true },
      { k: '2026-Q4', d: '2027-01-07', p: true },
      { k: 'accept', d: '2027-01-01', p: true },
    ]);
    // FICTIONAL 2027 notice for this test only (not the State Council's arrangement): 1-3 Jan off.
    const dir = await mkdtemp(join(tmpdir(), 'duban-cal-'));
    const file = join(dir, '2027.csv');
    await writeFile(file, 'date,kind,name\n2027-01-01,holiday,元旦\n2027-02-20,makeup_workday,春节\n');
    const cli = join(REPO_ROOT, 'dist/apps/cli/apps/cli/src/main.js');
    const env = { ...process.env, DATABASE_URL: api.config.database.url, REDIS_URL: api.config.redis.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    const out = await promisify(execFile)(process.execPath, [cli, 'calendar:import', file, '--label', '测试用虚构通知'], { env });
    // Changed: the Q4 reports of all four tasks and the third document's acceptance deadline.
    // Cleared but unchanged: the third task's 2027 Q1 and Q2 reports (no holiday moves them).
    expect(out.stdout).toContain('重新计算了 7 个暂定日期，其中 5 个有变化');
    expect(await provisional()).toEqual([
      { k: '2026-Q4', d: '2027-01-08', p: false },
      { k: '2026-Q4', d: '2027-01-08', p: false },
      { k: 'accept', d: '2027-01-04', p: false },
    ]);
    const [left] = await db.query(
      `select (select count(*) from report_periods where due_provisional)::int + (select count(*) from tasks where accept_due_provisional or due_on_provisional)::int as n`,
    );
    expect(left.n).toBe(0);
    const [audit] = await db.query(`select after from audit_log where action = 'calendar.provisionalDatesRecomputed'`);
    expect(audit.after).toMatchObject({ cleared: 7, changed: expect.arrayContaining([expect.objectContaining({ kind: 'accept_due', before: '2027-01-01', after: '2027-01-04' })]) });
    const titles = await inbox(t['czt.officer']);
    expect(titles).toContain('签收时限已按新导入的工作日历调整：（一）跨年工作');
    expect(titles.filter((x) => x.startsWith('报送截止日期已按新导入的工作日历调整'))).toHaveLength(3); // its three tasks' Q4 reports
    // Run again: nothing provisional is left, nothing is written or sent twice.
    const second = await promisify(execFile)(process.execPath, [cli, 'calendar:import', file, '--label', '测试用虚构通知'], { env });
    expect(second.stdout).not.toContain('重新计算');
    expect((await db.query(`select count(*)::int as n from audit_log where action = 'calendar.provisionalDatesRecomputed'`))[0].n).toBe(1);
  });

  it('a document-wide change reaches tasks already published', async () => {
    api.app.get(CalendarService).reload(); // the CLI imported 2027 in another process
    // A document-wide change after the fact: the seed document stops all overdue reminders.
    const v = (await api.request('GET', `/api/v1/documents/${doc1}/deadline-settings`, { token: t.coordinator })).body.version;
    expect((await api.request('PATCH', `/api/v1/documents/${doc1}/deadline-settings`, { token: t.coordinator, body: { version: v, overdueRepeatEveryDays: 0 } })).status).toBe(200);
    const before = (await rungs('task_due', t1)).length;
    await sweepDays('2027-01-04', '2027-01-06'); // the seed task is overdue since 31 Dec
    expect((await rungs('task_due', t1)).length).toBe(before);
  });
});
