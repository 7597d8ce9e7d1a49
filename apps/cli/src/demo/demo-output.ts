import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Escalation, Page, TaskRow } from './demo-api.types';
import type { DemoHttp } from './demo-http';
import type { MonthResult } from './demo-month';

const STATUS_LABELS: Record<string, string> = {
  assigned: '待签收',
  accepted: '已签收',
  in_progress: '办理中',
  completion_requested: '申请办结',
  closed: '已办结',
  suspended: '已暂停',
};

/** The coordinator's table at the end of the month: tasks per state by lead unit, and open escalations. */
export async function printSummary(http: DemoHttp, month: MonthResult, say: (line: string) => void): Promise<void> {
  const page = await http.ok<Page<TaskRow>>('coordinator', 'GET', `/api/v1/tasks?documentId=${month.policyId}&limit=500`);
  const byUnit = new Map<string, Record<string, number>>();
  for (const t of page.items) {
    for (const lead of t.leads) {
      const row = byUnit.get(lead) ?? {};
      row[t.status] = (row[t.status] ?? 0) + 1;
      byUnit.set(lead, row);
    }
  }
  const states = Object.keys(STATUS_LABELS);
  say(`${'牵头单位'.padEnd(14, '　')}${states.map((s) => STATUS_LABELS[s].padStart(6, '　')).join('')}`);
  for (const [unit, row] of [...byUnit].sort((a, b) => a[0].localeCompare(b[0], 'zh'))) {
    say(`${unit.slice(0, 14).padEnd(14, '　')}${states.map((s) => String(row[s] ?? 0).padStart(7)).join('')}`);
  }
  const escalations = await http.ok<Escalation[]>('coordinator', 'GET', '/api/v1/escalations');
  const OBLIGATIONS: Record<string, string> = { accept: '签收', task_due: '完成时限', period_due: '报送' };
  say(`\n在办督办 ${escalations.length} 件（级别高的在前）：`);
  const ordered = [...escalations].sort((a, b) => b.level - a.level || a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title, 'zh'));
  for (const e of ordered.slice(0, 12)) say(`  ${e.level}级  ${(OBLIGATIONS[e.obligationType] ?? e.obligationType).padEnd(4, '　')} 截止 ${e.dueOn}  ${e.title.slice(0, 30)}`);
}

/** Where the demo writes its files: `demo-output/`, or `DEMO_OUTPUT_DIR`. */
export const OUTPUT_DIR = resolve(process.env.DEMO_OUTPUT_DIR ?? 'demo-output');

/** Files for the coordinator: the ledger, the bulletin and the pairing roll-up, each downloaded from the API. */
export async function writeDemoOutputs(http: DemoHttp, month: MonthResult, say: (line: string) => void): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const pairing = await month.pairing.finish();
  for (const line of pairing.lines) say(`结对帮扶：${line}`);
  await save('结对帮扶统计汇总表.xlsx', pairing.rollupXlsx, say);
  void http;
}

async function save(name: string, content: Buffer, say: (line: string) => void): Promise<void> {
  const file = join(OUTPUT_DIR, name);
  await writeFile(file, content);
  say(`已写入 ${file}（${(content.length / 1024).toFixed(1)} KB）`);
}
