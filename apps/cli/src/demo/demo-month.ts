import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { addCalendarDays, shanghaiDate, weekdayOf } from '@duban/calendar';
import type { DocumentView, Extension, Me, Page, Period, PublishResult, Submission, TaskRow, TaskView, UnitRef, UserRow, Versioned } from './demo-api.types';
import type { DemoHttp } from './demo-http';
import { DemoPairing } from './demo-pairing';
import { officeHour, type DemoStack } from './demo-stack';

const SEEDS = resolve('libs/policy-parser/test/fixtures');
export const POLICY_FILE = resolve(SEEDS, '000_a562abd291d0ca74.txt');
export const PAIRING_FILE = resolve(SEEDS, '004_24f8692a3fe2826a.txt');

/** The month the demo plays: Monday 2 November to Monday 30 November 2026, 10:00 Shanghai each day. */
export const MONTH = { first: '2026-11-02', last: '2026-11-30' };
/** Half-monthly report dates given to four measures so that two report rounds fall inside the month (said in the output). */
export const DEMO_REPORT_DATES = ['2026-11-13', '2026-11-27'];
const DEFAULT_DUE_ON = '2026-12-31';
/** The pairing statistics form is due on Friday 20 November (the notice's own date, 2021-08-23, is long past). */
const PAIRING_FORM_DUE_ON = '2026-11-20';

/** The officers the demo plays, by unit, and the one measure of each that reports half-monthly. */
const OFFICERS = ['nynct.officer', 'czt.officer', 'fgw.officer', 'rst.officer'] as const;
type Officer = (typeof OFFICERS)[number];

type Task = TaskRow;

/** What the month produced, for the closing summary. */
export interface MonthResult {
  policyId: string;
  pairingId: string;
  pairing: DemoPairing;
  reportTasks: Record<Officer, Task>;
}

type Step = (date: string) => Promise<void>;

/**
 * The script of the month, played through the HTTP API as the people who would do it. Each
 * working day the clock moves to 10:00 and the engine's sweep runs; the lines printed say who did
 * what and what the engine sent.
 */
export class DemoMonth {
  private policyId = '';
  private pairingId = '';
  private readonly reportTasks = {} as Record<Officer, Task>;
  private readonly submissions = new Map<string, { id: string; version: number }>();
  private readonly unitOfficers: string[] = [];
  private readonly pairing: DemoPairing;

  constructor(
    private readonly password: string,
    private readonly http: DemoHttp,
    private readonly stack: DemoStack,
    private readonly say: (line: string) => void,
  ) {
    this.pairing = new DemoPairing(http, (who, what) => this.act(who, what), () => this.today());
  }

  /** Steps by date; a date with no step still runs the engine. */
  private script(): Record<string, Step[]> {
    return {
      '2026-11-02': [
        () => this.importAndPublish(),
        () => this.onboardUnits(),
        () => this.acceptAll(['nynct.officer', 'czt.officer', 'fgw.officer']),
        () => this.acceptAll(this.unitOfficers.filter((_, i) => i % 2 === 0)),
        () => this.requireSignoff(),
        () => this.pairing.openCampaign(this.pairingId, PAIRING_FORM_DUE_ON),
      ],
      '2026-11-03': [() => this.acceptAll(['shuozhou.officer', 'datong.officer', ...this.unitOfficers.filter((_, i) => i % 2 === 1)])],
      '2026-11-09': [() => this.pairing.sendJson('朔州市'), () => this.pairing.sendJson('吕梁市'), () => this.pairing.sendJson('长治市'), () => this.pairing.sendJson('晋中市')],
      '2026-11-10': [
        () => this.pairing.review('朔州市', 'accept'),
        () => this.pairing.review('长治市', 'accept'),
        () => this.pairing.review('晋中市', 'accept'),
        () => this.pairing.review('吕梁市', 'return', '请核实各帮扶县负责人的联系电话后重报'),
      ],
      '2026-11-11': [() => this.acceptAll(['rst.officer']), () => this.pairing.sendJson('吕梁市')],
      '2026-11-12': [() => this.pairing.review('吕梁市', 'accept'), () => this.submit('nynct.officer', 0, '已推荐3家企业申报国家级龙头企业', 6), () => this.submit('czt.officer', 0, '省级衔接资金第一批已下达')],
      '2026-11-13': [
        () => this.signOff('czt.head', 'czt.officer', 0),
        () => this.review('nynct.officer', 0, 'return', '请补充企业名单及申报进度'),
        () => this.review('czt.officer', 0, 'approve'),
        () => this.submit('rst.officer', 0, '举办劳务品牌培训2期'),
        () => this.pairing.sendJson('忻州市'),
        () => this.pairing.sendJson('临汾市'),
        () => this.pairing.sendJson('运城市'),
      ],
      '2026-11-16': [
        () => this.submit('nynct.officer', 0, '已推荐3家企业，名单见附件', 6),
        () => this.pairing.review('忻州市', 'accept'),
        () => this.pairing.review('临汾市', 'accept'),
        () => this.pairing.review('运城市', 'accept'),
        () => this.pairing.sendXlsx('大同市', '137-0000'),
      ],
      '2026-11-17': [() => this.review('nynct.officer', 0, 'approve')],
      '2026-11-20': [() => this.askExtension()],
      '2026-11-23': [() => this.review('rst.officer', 0, 'approve'), () => this.decideExtension(), () => this.pairing.sendXlsx('大同市')],
      '2026-11-24': [() => this.requestCloseOut(), () => this.pairing.review('大同市', 'accept')],
      '2026-11-25': [() => this.confirmCloseOut()],
      '2026-11-26': [() => this.submit('czt.officer', 1, '第二批资金已拨付'), () => this.signOff('czt.head', 'czt.officer', 1)],
      '2026-11-27': [() => this.submit('nynct.officer', 1, '2家企业通过省级初审', 7), () => this.review('czt.officer', 1, 'approve')],
      '2026-11-30': [() => this.review('nynct.officer', 1, 'approve')],
    };
  }

  async play(): Promise<MonthResult> {
    const script = this.script();
    for (let date = MONTH.first; date <= MONTH.last; date = addCalendarDays(date, 1)) {
      const before = await this.engineCounts();
      this.stack.clock.set(officeHour(date));
      for (const step of script[date] ?? []) await step(date);
      await this.stack.dayAt(date);
      const after = await this.engineCounts();
      const sent = after.reminders - before.reminders;
      const raised = after.escalations - before.escalations;
      const resolved = after.resolved - before.resolved;
      const engine = [sent && `提醒 ${sent} 条`, raised && `督办 ${raised} 件`, resolved && `督办解除 ${resolved} 件`].filter(Boolean).join('，');
      if (engine) this.say(`${label(date)}  引擎：${engine}${after.levels ? `（在办督办：${after.levels}）` : ''}`);
    }
    return { policyId: this.policyId, pairingId: this.pairingId, pairing: this.pairing, reportTasks: this.reportTasks };
  }

  private async importAndPublish(): Promise<void> {
    const policy = await this.http.upload<DocumentView>('coordinator', '/api/v1/documents', { name: '晋乡振发〔2022〕11号.txt', content: await readFile(POLICY_FILE), type: 'text/plain' });
    if (policy.status !== 201) throw new Error(`上传政策文件失败：HTTP ${policy.status} ${JSON.stringify(policy.body)}`);
    let draft = policy.body;
    this.policyId = draft.id;
    this.act('协调员', `上传 ${draft.docNumber}：解析出 ${draft.measures.length} 条举措`);
    // A 2022 document replayed in 2026: deadlines already past move to the demo's year end.
    const past = draft.measures.filter((m) => m.dueOn && m.dueOn < MONTH.first);
    for (const m of past) draft = await this.http.ok<DocumentView>('coordinator', 'PATCH', `/api/v1/documents/${draft.id}/measures/${m.no}`, { version: m.version, dueOn: DEFAULT_DUE_ON });
    this.act('协调员', `${past.length} 条举措的原定时限已过（文件 2022 年印发），按 ${DEFAULT_DUE_ON} 重新布置`);
    const chosen: string[] = [];
    for (const officer of OFFICERS) {
      const me = await this.http.ok<Me>(officer, 'GET', '/api/v1/me');
      const m = draft.measures.find((x) => !chosen.includes(x.id) && x.leads.some((l) => l.unit?.id === me.unit.id));
      if (!m) throw new Error(`${draft.docNumber} 中没有 ${me.unit.name} 牵头的举措`);
      chosen.push(m.id);
      draft = await this.http.ok<DocumentView>('coordinator', 'PATCH', `/api/v1/documents/${draft.id}/measures/${m.no}`, { version: m.version, reportingCycle: 'custom', customReportDates: DEMO_REPORT_DATES });
    }
    this.act('协调员', `为 ${chosen.length} 条举措设定半月报送（${DEMO_REPORT_DATES.join('、')}，演示用的短周期）`);
    const published = await this.http.ok<PublishResult>('coordinator', 'POST', `/api/v1/documents/${draft.id}/publish`, { defaultDueOn: DEFAULT_DUE_ON });
    this.act('协调员', `发布：生成任务 ${published.created} 个（无时限的举措默认 ${DEFAULT_DUE_ON} 前完成）`);
    for (const officer of OFFICERS) {
      const me = await this.http.ok<Me>(officer, 'GET', '/api/v1/me');
      const mine = (await this.http.ok<Page<Task>>(officer, 'GET', `/api/v1/tasks?documentId=${draft.id}&limit=200`)).items;
      const chosenLabels = draft.measures.filter((m) => chosen.includes(m.id)).map((m) => m.label);
      const t = mine.find((x) => chosenLabels.some((l) => x.title.startsWith(l)));
      if (!t) throw new Error(`${me.unit.name} 的任务列表中没有半月报送的任务`);
      this.reportTasks[officer] = t;
    }

    const pairing = await this.http.upload<DocumentView>('coordinator', '/api/v1/documents', { name: '晋乡振发〔2021〕29号.txt', content: await readFile(PAIRING_FILE), type: 'text/plain' });
    if (pairing.status !== 201) throw new Error(`上传结对帮扶通知失败：HTTP ${pairing.status}`);
    this.pairingId = pairing.body.id;
    let view = pairing.body;
    // The notice names no lead clauses: it is addressed to every city bureau, so each item goes to all 11.
    for (const m of view.measures.filter((x) => x.leads.length === 0 || (x.dueOn && x.dueOn < MONTH.first))) {
      const patch = { version: m.version, ...(m.leads.length === 0 ? { leads: ['各市乡村振兴局'], leadMode: 'respective' } : {}), ...(m.dueOn && m.dueOn < MONTH.first ? { dueOn: DEFAULT_DUE_ON } : {}) };
      view = await this.http.ok<DocumentView>('coordinator', 'PATCH', `/api/v1/documents/${view.id}/measures/${m.no}`, patch);
    }
    const pub = await this.http.ok<PublishResult>('coordinator', 'POST', `/api/v1/documents/${view.id}/publish`, { defaultDueOn: DEFAULT_DUE_ON });
    this.act('协调员', `上传并发布 ${view.docNumber}（主送各市乡村振兴局）：任务 ${pub.created} 个`);
  }

  /**
   * The administrator opens one officer account for every lead unit that has none (the demo users
   * cover only a few departments), as a real rollout would before the first tasks arrive.
   */
  private async onboardUnits(): Promise<void> {
    const users = (await this.http.ok<Page<UserRow>>('admin', 'GET', '/api/v1/users?limit=500')).items;
    const covered = new Set(users.filter((u) => u.roles.includes('officer')).map((u) => u.unitId));
    const leads = new Map<string, UnitRef>();
    const policy = await this.http.ok<DocumentView>('coordinator', 'GET', `/api/v1/documents/${this.policyId}`);
    for (const m of policy.measures) for (const l of m.leads) if (l.unit) leads.set(l.unit.id, l.unit);
    const cities = (await this.http.ok<Page<UnitRef>>('coordinator', 'GET', '/api/v1/units?kind=city_bureau&limit=50')).items;
    for (const c of cities) leads.set(c.id, c);
    for (const unit of [...leads.values()].filter((u) => !covered.has(u.id))) {
      const username = `${unit.code}.officer`;
      await this.http.ok('admin', 'POST', '/api/v1/users', { username, displayName: `经办人（${unit.name}）`, password: this.password, unitId: unit.id, roles: ['officer'] });
      this.unitOfficers.push(username);
    }
    this.act('管理员', `为 ${this.unitOfficers.length} 个尚无账号的牵头单位和市乡村振兴局开通经办人账号（用户名 单位编码.officer）`);
  }

  private async acceptAll(officers: string[]): Promise<void> {
    let total = 0;
    for (const officer of officers) {
      const mine = (await this.http.ok<Page<Task>>(officer, 'GET', `/api/v1/tasks?status=assigned&limit=200`)).items;
      for (const t of mine) await this.http.ok(officer, 'POST', `/api/v1/tasks/${t.id}/accept`, { version: t.version });
      total += mine.length;
      if (OFFICERS.includes(officer as Officer)) this.act(officer, `签收任务 ${mine.length} 个${officer === 'rst.officer' ? '（逾期签收）' : ''}`);
    }
    if (!officers.some((o) => OFFICERS.includes(o as Officer)) && officers.length) this.act('各单位经办人', `${officers.length} 个单位签收任务 ${total} 个`);
  }

  private async requireSignoff(): Promise<void> {
    await this.http.ok('czt.head', 'PATCH', '/api/v1/units/prov.czt/settings', { requiresSignoff: true });
    this.act('czt.head', '设定：省财政厅报送须经处长审签');
  }

  private async submit(officer: Officer, periodIndex: number, progress: string, value?: number): Promise<void> {
    const task = this.reportTasks[officer];
    const periods = await this.http.ok<Period[]>(officer, 'GET', `/api/v1/tasks/${task.id}/periods`);
    const period = periods[periodIndex];
    const view = await this.http.ok<TaskView>(officer, 'GET', `/api/v1/tasks/${task.id}`);
    const target = view.targets?.[0];
    const values = value !== undefined && target ? [{ indicator: target.indicator, value }] : undefined;
    const sub = await this.http.ok<Submission>(officer, 'POST', `/api/v1/tasks/${task.id}/periods/${period.id}/submissions`, { progress, values });
    this.submissions.set(`${officer}/${periodIndex}`, { id: sub.id, version: sub.version });
    const late = sub.revision === 1 && this.today() > period.dueOn ? '（逾期报送）' : '';
    this.act(officer, `报送第 ${periodIndex + 1} 期（截止 ${period.dueOn}）第 ${sub.revision} 版${late}：${progress}${values && target ? `；${target.indicator} = ${value}` : ''}`);
  }

  private async signOff(head: string, officer: Officer, periodIndex: number): Promise<void> {
    const sub = this.submission(officer, periodIndex);
    const signed = await this.http.ok<Submission>(head, 'POST', `/api/v1/submissions/${sub.id}/signoff`, { version: sub.version });
    sub.version = signed.version;
    this.act(head, `审签 ${officer} 第 ${periodIndex + 1} 期报送`);
  }

  private async review(officer: Officer, periodIndex: number, decision: 'approve' | 'return', comment?: string): Promise<void> {
    const sub = this.submission(officer, periodIndex);
    const done = await this.http.ok<Submission>('coordinator', 'POST', `/api/v1/submissions/${sub.id}/review`, { version: sub.version, decision, comment });
    sub.version = done.version;
    this.act('协调员', `${decision === 'approve' ? '审核通过' : `退回（${comment}）`} ${officer} 第 ${periodIndex + 1} 期报送`);
  }

  private extensionId = '';
  private async askExtension(): Promise<void> {
    const t = this.reportTasks['czt.officer'];
    const ext = await this.http.ok<Extension>('czt.officer', 'POST', `/api/v1/tasks/${t.id}/extension-requests`, { newDueOn: '2027-03-31', reason: '中央资金下达时间推迟' });
    this.extensionId = ext.id;
    this.act('czt.officer', `申请延期：${ext.currentDueOn} → ${ext.requestedDueOn}（中央资金下达时间推迟）`);
  }

  private async decideExtension(): Promise<void> {
    const list = await this.http.ok<Extension[]>('coordinator', 'GET', `/api/v1/tasks/${this.reportTasks['czt.officer'].id}/extension-requests`);
    const ext = list.find((x) => x.id === this.extensionId);
    if (!ext) throw new Error('演示脚本错误：找不到延期申请');
    await this.http.ok('coordinator', 'POST', `/api/v1/extension-requests/${ext.id}/decision`, { version: ext.version, approve: true, note: '同意延期' });
    this.act('协调员', '批准省财政厅延期申请');
  }

  private closeOutTaskId = '';
  private async requestCloseOut(): Promise<void> {
    const mine = (await this.http.ok<Page<Task>>('nynct.officer', 'GET', `/api/v1/tasks?documentId=${this.policyId}&limit=200`)).items;
    const t = mine
      .filter((x) => x.id !== this.reportTasks['nynct.officer'].id && ['accepted', 'in_progress'].includes(x.status))
      .sort((a, b) => a.title.localeCompare(b.title, 'zh'))[0];
    if (!t) throw new Error('省农业农村厅没有可办结的任务');
    let version = t.version;
    if (t.status === 'accepted') version = (await this.http.ok<Versioned>('nynct.officer', 'POST', `/api/v1/tasks/${t.id}/start`, { version })).version;
    await this.http.ok('nynct.officer', 'POST', `/api/v1/tasks/${t.id}/completion-request`, { version, note: '任务目标已完成，申请办结' });
    this.closeOutTaskId = t.id;
    this.act('nynct.officer', `申请办结：${t.title.slice(0, 24)}`);
  }

  private async confirmCloseOut(): Promise<void> {
    const t = await this.http.ok<TaskView>('coordinator', 'GET', `/api/v1/tasks/${this.closeOutTaskId}`);
    await this.http.ok('coordinator', 'POST', `/api/v1/tasks/${t.id}/close`, { version: t.version });
    this.act('协调员', `确认办结：${t.title.slice(0, 24)}`);
  }

  private submission(officer: Officer, periodIndex: number): { id: string; version: number } {
    const sub = this.submissions.get(`${officer}/${periodIndex}`);
    if (!sub) throw new Error(`演示脚本错误：${officer} 第 ${periodIndex + 1} 期尚未报送`);
    return sub;
  }

  private today(): string {
    return shanghaiDate(this.stack.clock.now());
  }

  private act(who: string, what: string): void {
    this.say(`${label(this.today())}  ${who.padEnd(14)} ${what}`);
  }

  private async engineCounts(): Promise<{ reminders: number; escalations: number; resolved: number; levels: string }> {
    const [row] = await this.stack.db.query<{ reminders: string; escalations: string; resolved: string }[]>(
      `select (select count(*) from reminder_deliveries) as reminders,
              (select count(*) from escalations) as escalations,
              (select count(*) from escalations where resolved_at is not null) as resolved`,
    );
    const open = await this.stack.db.query<{ level: number; n: string }[]>(`select level, count(*) as n from escalations where resolved_at is null group by level order by level`);
    return { reminders: Number(row.reminders), escalations: Number(row.escalations), resolved: Number(row.resolved), levels: open.map((r) => `${r.level}级 ${r.n}`).join('、') };
  }
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
function label(date: string): string {
  return `${date.slice(5)} 周${WEEKDAYS[weekdayOf(date)]}`;
}
