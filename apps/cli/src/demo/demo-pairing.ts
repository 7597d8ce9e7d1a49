import { Workbook } from 'exceljs';
import type { Page, UnitRef } from './demo-api.types';
import type { DemoHttp } from './demo-http';

interface County extends UnitRef {
  keyAssisted: boolean;
}

interface Template {
  id: string;
  title: string;
  columns: { label: string }[];
  headerFields: string[];
  footerFields: string[];
}

interface Campaign {
  id: string;
  title: string;
  dueOn: string;
  version: number;
  units: { unitId: string; unitName: string; status: string; late: boolean }[];
}

interface FormSubmission {
  id: string;
  version: number;
  revision: number;
  late: boolean;
  rows: unknown[];
}

interface Diff {
  registryVersion: string;
  rows: { assistedName: string; helperName: string; action: string }[];
}

interface Rollup {
  rows: string[][];
  missing: { unitName: string }[];
  pending: { unitName: string }[];
}

interface Coverage {
  flagged: number;
  unknown: number;
  covered: number;
  uncovered: number;
}

interface FieldError {
  message: string;
}

/** The city bureaus that send the pairing form in the demo, by the city's short name. */
const CITY_BUREAUS = { 朔州市: 'shuozhou.officer', 大同市: 'datong.officer' } as const;
const PHONES = ['13994996777', '13994996778', '13834560001', '13834560002', '13834560003', '13834560004'];

/**
 * 晋乡振发〔2021〕29号's statistics form, collected from the city bureaus through the API: the template
 * from the notice's attachment, a campaign to the 11 bureaus, JSON and .xlsx submissions (one
 * returned and resubmitted, one rejected cell by cell and then sent late), acceptance into the
 * pairing registry (preview, then apply), the roll-up and the coverage of the key assisted counties.
 */
export class DemoPairing {
  private campaign: Campaign | null = null;
  private template: Template | null = null;
  private readonly pending = new Map<string, FormSubmission>();

  constructor(
    private readonly http: DemoHttp,
    private readonly act: (who: string, what: string) => void,
    private readonly today: () => string,
  ) {}

  async openCampaign(documentId: string, dueOn: string): Promise<void> {
    this.template = await this.http.ok<Template>('coordinator', 'POST', '/api/v1/form-templates', { documentId });
    this.campaign = await this.http.ok<Campaign>('coordinator', 'POST', '/api/v1/form-campaigns', { templateId: this.template.id, documentId, dueOn });
    this.act('协调员', `从通知附件生成「${this.template.title}」（${this.template.columns.map((c) => c.label).join('、')}），发往 ${this.campaign.units.length} 个市乡村振兴局，${dueOn} 前报送`);
  }

  /** A city bureau sends its rows as JSON (the officer's account is `<bureau code>.officer` unless it is a demo user). */
  async sendJson(city: string): Promise<void> {
    const officer = await this.officerOf(city);
    const rows = await this.rowsFor(city);
    const sub = await this.http.ok<FormSubmission>(officer, 'POST', `/api/v1/form-campaigns/${this.campaignId()}/submissions`, { header: this.header(city), rows });
    this.pending.set(city, sub);
    this.act(officer, `报送结对帮扶统计表（第 ${sub.revision} 次，${sub.rows.length} 行${sub.late ? '，逾期' : ''}）`);
  }

  /** A city bureau fills the official .xlsx and uploads it; a malformed phone is rejected cell by cell and nothing is stored. */
  async sendXlsx(city: string, phone?: string): Promise<void> {
    const officer = await this.officerOf(city);
    const rows = await this.rowsFor(city);
    if (phone) rows[0]['联系方式'] = phone;
    const res = await this.http.upload<FormSubmission & { code?: string; errors?: FieldError[] }>(officer, `/api/v1/form-campaigns/${this.campaignId()}/submissions/upload`, {
      name: `${city}结对帮扶统计表.xlsx`,
      content: await this.xlsx(city, rows),
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    if (res.status === 201) {
      this.pending.set(city, res.body);
      this.act(officer, `上传 Excel 统计表（第 ${res.body.revision} 次，${res.body.rows.length} 行${res.body.late ? '，逾期' : ''}）`);
      return;
    }
    if (res.status !== 400 && res.status !== 422) throw new Error(`上传统计表：意外的 HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const errors = (res.body.errors ?? []).map((f) => f.message).join('；');
    this.act(officer, `上传 Excel 统计表被拒收（HTTP ${res.status}，未保存任何内容）：${errors}`);
  }

  /** The coordinator accepts (previewing and applying the registry change) or returns a city's form. */
  async review(city: string, decision: 'accept' | 'return', comment?: string): Promise<void> {
    const sub = this.pending.get(city);
    if (!sub) throw new Error(`演示脚本错误：${city} 尚未报送`);
    await this.http.ok('coordinator', 'POST', `/api/v1/form-submissions/${sub.id}/review`, { version: sub.version, decision, comment });
    this.pending.delete(city);
    if (decision === 'return') {
      this.act('协调员', `退回 ${city} 的统计表（${comment}）`);
      return;
    }
    const diff = await this.http.ok<Diff>('coordinator', 'GET', `/api/v1/form-submissions/${sub.id}/pairing-diff`);
    await this.http.ok('coordinator', 'POST', `/api/v1/form-submissions/${sub.id}/pairing-apply`, { registryVersion: diff.registryVersion });
    const changes = diff.rows.filter((r) => r.action !== 'unchanged').map((r) => `${r.assistedName}←${r.helperName}`);
    this.act('协调员', `审核通过 ${city} 的统计表，预览后更新结对登记：${changes.join('，') || '无变化'}`);
  }

  /** The roll-up as the official .xlsx, the units that have not sent, the coverage, and the refused close. */
  async finish(): Promise<{ rollupXlsx: Buffer; lines: string[] }> {
    const id = this.campaignId();
    const rollup = await this.http.ok<Rollup>('coordinator', 'GET', `/api/v1/form-campaigns/${id}/rollup`);
    const coverage = await this.http.ok<Coverage>('coordinator', 'GET', '/api/v1/pairings/coverage');
    const campaign = await this.http.ok<Campaign>('coordinator', 'GET', `/api/v1/form-campaigns/${id}`);
    const close = await this.http.call<{ message?: string }>('coordinator', 'POST', `/api/v1/form-campaigns/${id}/close`, { version: campaign.version });
    const lines = [
      `汇总表 ${rollup.rows.length} 行；未报送 ${rollup.missing.length} 个：${rollup.missing.map((u) => u.unitName).join('、') || '无'}`,
      `逾期报送：${campaign.units.filter((u) => u.late).map((u) => u.unitName).join('、') || '无'}`,
      `重点帮扶县：登记中已标记 ${coverage.flagged} 个（另有 ${coverage.unknown} 个尚未标记），已结对 ${coverage.covered} 个，未结对 ${coverage.uncovered} 个`,
      close.status === 200 ? '征集已关闭' : `关闭征集被拒（HTTP ${close.status}）：${close.body.message ?? ''}`,
    ];
    return { rollupXlsx: await this.http.download('coordinator', `/api/v1/form-campaigns/${id}/rollup.xlsx`), lines };
  }

  private campaignId(): string {
    if (!this.campaign) throw new Error('演示脚本错误：统计表征集尚未发出');
    return this.campaign.id;
  }

  private async officerOf(city: string): Promise<string> {
    if (city in CITY_BUREAUS) return CITY_BUREAUS[city as keyof typeof CITY_BUREAUS];
    const bureaus = (await this.http.ok<Page<UnitRef>>('coordinator', 'GET', `/api/v1/units?kind=city_bureau&q=${encodeURIComponent(city)}&limit=5`)).items;
    if (!bureaus[0]) throw new Error(`注册表中没有 ${city} 乡村振兴局`);
    return `${bureaus[0].code}.officer`;
  }

  /** Each flagged key assisted county of the city paired with one of the city's other counties. */
  private async rowsFor(city: string): Promise<Record<string, string>[]> {
    const cities = (await this.http.ok<Page<UnitRef>>('coordinator', 'GET', `/api/v1/units?kind=city_government&q=${encodeURIComponent(city)}&limit=5`)).items;
    const c = cities.find((x) => x.name.includes(city) || x.shortName === city);
    if (!c) throw new Error(`注册表中没有 ${city}`);
    const counties = (await this.http.ok<Page<County>>('coordinator', 'GET', `/api/v1/units?kind=county&parentId=${c.id}&limit=50`)).items;
    const helpers = counties.filter((x) => !x.keyAssisted);
    const name = (u: UnitRef) => u.shortName ?? u.name;
    return counties
      .filter((x) => x.keyAssisted)
      .map((k, i) => {
        const helper = helpers[i % Math.max(helpers.length, 1)];
        return {
          市名: city,
          重点帮扶县: name(k),
          结对帮扶县: helper ? name(helper) : '',
          具体负责人: ['王', '李', '张', '刘', '陈', '杨'][i % 6] + '副县长',
          单位及职务: `${helper ? name(helper) : ''}人民政府 副县长`,
          联系方式: PHONES[i % PHONES.length],
          备注: '',
        };
      });
  }

  private header(city: string): Record<string, string> {
    return { 填报单位: `${city}乡村振兴局`, 填报时间: this.today(), 填表人: '经办人', 联系方式: '0351-1234567' };
  }

  private async xlsx(city: string, rows: Record<string, string>[]): Promise<Buffer> {
    if (!this.template) throw new Error('演示脚本错误：模板尚未生成');
    const t = this.template;
    const wb = new Workbook();
    const ws = wb.addWorksheet('统计表');
    const header = this.header(city);
    ws.addRow([t.title]);
    ws.addRow(t.headerFields.map((f) => `${f}：${header[f] ?? ''}`));
    ws.addRow(t.columns.map((c) => c.label));
    for (const r of rows) ws.addRow(t.columns.map((c) => r[c.label] ?? ''));
    ws.addRow([]);
    ws.addRow(t.footerFields.map((f) => `${f}：${header[f] ?? ''}`));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}
