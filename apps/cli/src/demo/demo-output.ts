import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Escalation, Light, RankingRow, Summary } from './demo-api.types';
import type { DemoHttp } from './demo-http';
import type { MonthResult } from './demo-month';

const LIGHTS: Record<Light, string> = { green: '绿', yellow: '黄', red: '红' };
const OBLIGATIONS: Record<string, string> = { accept: '签收', task_due: '完成时限', period_due: '报送' };
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);
const cell = (s: string | number, width: number): string => {
  const text = String(s);
  const wide = [...text].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - wide));
};

/** The coordinator's table at the end of the month, from the tracking API: by lead unit, with lights, and the 督办 list and ranking. */
export async function printSummary(http: DemoHttp, month: MonthResult, say: (line: string) => void): Promise<void> {
  const summary = await http.ok<Summary>('coordinator', 'GET', `/api/v1/tracking/summaries/unit?documentId=${month.policyId}`);
  say(`晋乡振发〔2022〕11号 按牵头单位（${summary.today}）`);
  say(cell('牵头单位', 22) + ['任务', '待签收', '办理中', '已办结', '逾期', '漏报', '督办', '按时报送率', '灯'].map((h, i) => cell(h, i === 7 ? 11 : 7)).join(''));
  const rows = [...summary.rows].sort((a, b) => b.openEscalations - a.openEscalations || b.missedReports - a.missedReports || a.label.localeCompare(b.label, 'zh'));
  for (const r of rows) {
    const working = (r.byState.accepted ?? 0) + (r.byState.in_progress ?? 0) + (r.byState.completion_requested ?? 0);
    const figures = [r.tasks, r.byState.assigned ?? 0, working, r.closedTasks, r.overdueTasks, r.missedReports, r.openEscalations, pct(r.onTimeRate), LIGHTS[r.light]];
    say(cell(r.label, 22) + figures.map((f, i) => cell(f, i === 7 ? 11 : 7)).join(''));
  }
  const escalations = await http.ok<Escalation[]>('coordinator', 'GET', '/api/v1/escalations');
  const ordered = [...escalations].sort((a, b) => b.level - a.level || a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title, 'zh'));
  say(`\n在办督办 ${escalations.length} 件（级别高的在前，列出前 10 件）：`);
  for (const e of ordered.slice(0, 10)) say(`  ${e.level}级  ${cell(OBLIGATIONS[e.obligationType] ?? e.obligationType, 9)}截止 ${e.dueOn}  ${e.title.slice(0, 30)}`);
  const ranking = await http.ok<RankingRow[]>('coordinator', 'GET', `/api/v1/tracking/rankings?documentId=${month.policyId}`);
  say(`\n考核排名（前 5 名与末 3 名，共 ${ranking.length} 个单位）：`);
  const shown = ranking.length > 8 ? [...ranking.slice(0, 5), ...ranking.slice(-3)] : ranking;
  for (const r of shown) say(`  ${cell(r.rank, 4)}${cell(r.name, 24)}${r.breakdown.score.toFixed(1)} 分`);
}

/** Where the demo writes its files: `demo-output/`, or `DEMO_OUTPUT_DIR`. */
export const OUTPUT_DIR = resolve(process.env.DEMO_OUTPUT_DIR ?? 'demo-output');

/** Files for the coordinator: the ledger, the bulletin and the pairing roll-up, each downloaded from the API. */
export async function writeDemoOutputs(http: DemoHttp, month: MonthResult, say: (line: string) => void): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const pairing = await month.pairing.finish();
  for (const line of pairing.lines) say(`结对帮扶：${line}`);
  await save('结对帮扶统计汇总表.xlsx', pairing.rollupXlsx, say);
  await save('督办台账.xlsx', await http.download('coordinator', `/api/v1/tracking/ledger?format=xlsx`), say);
  await save('情况通报-2026-11.docx', await http.download('coordinator', `/api/v1/tracking/bulletin?period=2026-11&format=docx`), say);
  await save('情况通报-2026-11.md', await http.download('coordinator', `/api/v1/tracking/bulletin?period=2026-11&format=md`), say);
}

async function save(name: string, content: Buffer, say: (line: string) => void): Promise<void> {
  const file = join(OUTPUT_DIR, name);
  await writeFile(file, content);
  say(`已写入 ${file}（${(content.length / 1024).toFixed(1)} KB）`);
}
