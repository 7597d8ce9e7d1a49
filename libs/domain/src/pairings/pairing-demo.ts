import { writeFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { addCalendarDays } from '@duban/calendar';
import type { AccountsService } from '../accounts/accounts.service';
import type { Actor } from '../accounts/actor';
import { DomainError } from '../common/domain.errors';
import type { FormsService } from '../forms/forms.service';
import type { PairingsService } from './pairings.service';

export interface PairingDemoDeps {
  dataSource: DataSource;
  accounts: AccountsService;
  forms: FormsService;
  pairings: PairingsService;
  /** The services' clock, so the demo can send one form on time and one late. */
  clock: { set(to: string): void };
}

export interface PairingDemoResult {
  campaignId: string;
  dueOn: string;
  /** What each step did, in Chinese, for the demo's console. */
  log: string[];
  rollupFile: string;
  missing: string[];
}

const HEADER = (unit: string, on: string, person: string, phone: string): Record<string, string> => ({ 填报单位: unit, 填报时间: on, 填表人: person, 联系方式: phone });
const row = (city: string, assisted: string, helper: string, person: string, title: string, phone: string): Record<string, string> => ({
  市名: city,
  重点帮扶县: assisted,
  结对帮扶县: helper,
  具体负责人: person,
  单位及职务: title,
  联系方式: phone,
  备注: '',
});

/**
 * For `npm run demo`: collects 晋乡振发〔2021〕29号's pairing form from the cities through the same
 * services the API uses. 朔州 sends on time; 大同 sends a form with a malformed phone (rejected, nothing
 * stored), then the fixed form after the deadline (late). The coordinator accepts both, applies them
 * to the pairing registry (preview, then apply), and the roll-up is written to `rollupFile`.
 * Needs the demo users (shuozhou.officer, datong.officer, coordinator) and the notice published.
 */
export async function runPairingFormDemo(deps: PairingDemoDeps, opts: { documentId: string; dueOn: string; rollupFile: string }): Promise<PairingDemoResult> {
  const log: string[] = [];
  const actor = async (username: string): Promise<Actor> => {
    const rows: { id: string }[] = await deps.dataSource.query(`select id from users where username = $1`, [username]);
    if (rows.length === 0) throw new Error(`演示用户 ${username} 不存在：请先运行 seed --demo`);
    return deps.accounts.actorForUserId(rows[0].id);
  };
  const coordinator = await actor('coordinator');
  const shuozhou = await actor('shuozhou.officer');
  const datong = await actor('datong.officer');

  const existing: { id: string }[] = await deps.dataSource.query(`select id from form_templates where source_document_id = $1 and kind = 'pairing' order by created_at limit 1`, [opts.documentId]);
  const template = existing[0] ? await deps.forms.template(existing[0].id) : await deps.forms.createTemplate(coordinator, { documentId: opts.documentId });
  log.push(`模板：${template.title}（${template.columns.map((c) => c.label).join('、')}）`);
  deps.clock.set(`${addCalendarDays(opts.dueOn, -3)}T02:00:00Z`);
  const campaign = await deps.forms.createCampaign(coordinator, { templateId: template.id, documentId: opts.documentId, dueOn: opts.dueOn });
  log.push(`征集：发往 ${campaign.units.length} 个市乡村振兴局，${opts.dueOn} 前报送（各单位任务清单中可见）`);

  const on = addCalendarDays(opts.dueOn, -3);
  const sz = await deps.forms.submitJson(shuozhou, campaign.id, {
    header: HEADER('朔州市乡村振兴局', on, '赵六', '0349-2021888'),
    rows: [row('朔州市', '应县', '朔城区', '王五', '朔城区人民政府 副区长', '13994996777'), row('朔州市', '右玉县', '平鲁区', '钱七', '平鲁区人民政府 副区长', '13994996778')],
  });
  log.push(`朔州市按时报送（第 ${sz.revision} 次，${sz.rows.length} 行）`);
  await deps.forms.review(coordinator, sz.id, sz.version, 'accept', null);
  const szDiff = await deps.pairings.diff(coordinator, sz.id);
  await deps.pairings.apply(coordinator, sz.id, szDiff.registryVersion);
  log.push(`审核通过并更新结对登记：${szDiff.rows.map((r) => `${r.action} ${r.assistedName}←${r.helperName}`).join('，')}`);

  const datongRows = (phone: string): Record<string, string>[] => [row('大同市', '云州区', '平城区', '周一', '平城区人民政府 副区长', phone), row('大同市', '阳高县', '平城区', '周一', '平城区人民政府 副区长', '13700000001')];
  try {
    await deps.forms.submitJson(datong, campaign.id, { header: HEADER('大同市乡村振兴局', on, '孙八', '13700000000'), rows: datongRows('137-0000') });
    log.push('大同市的错误报送竟被接收（不应发生）');
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    log.push(`大同市报送被拒收，未保存：${(e.fields ?? []).map((f) => f.message).join('；')}`);
  }
  const late = addCalendarDays(opts.dueOn, 2);
  deps.clock.set(`${late}T02:00:00Z`);
  const dt = await deps.forms.submitJson(datong, campaign.id, { header: HEADER('大同市乡村振兴局', late, '孙八', '13700000000'), rows: datongRows('13700000000') });
  log.push(`大同市改正后报送：${dt.late ? '逾期' : '按时'}（${late}）`);
  await deps.forms.review(coordinator, dt.id, dt.version, 'accept', null);
  const dtDiff = await deps.pairings.diff(coordinator, dt.id);
  await deps.pairings.apply(coordinator, dt.id, dtDiff.registryVersion);

  const rollup = await deps.forms.rollup(coordinator, campaign.id);
  const file = await deps.forms.rollupXlsx(coordinator, campaign.id);
  await writeFile(opts.rollupFile, file.buffer);
  log.push(`汇总表：${rollup.rows.length} 行，已写入 ${opts.rollupFile}；未报送 ${rollup.missing.length} 个：${rollup.missing.map((u) => u.unitName).join('、')}`);
  const cov = await deps.pairings.coverage(coordinator);
  log.push(`覆盖情况：已标记重点帮扶县 ${cov.flagged} 个（应有 ${cov.expectedTotal}，${cov.unknown} 个尚未在登记中标记），已结对 ${cov.covered}，未结对 ${cov.uncovered}`);
  return { campaignId: campaign.id, dueOn: opts.dueOn, log, rollupFile: opts.rollupFile, missing: rollup.missing.map((u) => u.unitName) };
}
