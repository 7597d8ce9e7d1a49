import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { BulletinData } from './tracking.service';

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const OBLIGATION_LABELS: Record<string, string> = { accept: '签收', task_due: '任务办结', period_due: '定期报送' };

/** The bulletin as headed sections of paragraphs and tables: one model, two renderings. */
interface Section {
  heading: string;
  paragraphs: string[];
  table?: { head: string[]; rows: string[][] };
}

function sections(b: BulletinData): Section[] {
  const t = b.totals;
  const w = b.weights;
  return [
    {
      heading: '一、总体情况',
      paragraphs: [
        `截至${b.generatedOn}，纳入督办的任务共${t.tasks}项，其中已销号${t.byState.closed}项、办理中${t.byState.in_progress + t.byState.accepted}项、待签收${t.byState.assigned}项、申请办结${t.byState.completion_requested}项、挂起${t.byState.suspended}项。`,
        `信号灯：正常推进${t.lights.green}项，临近截止${t.lights.yellow}项，红灯（逾期或省级督办）${t.lights.red}项。本期（${b.period}）应报送${t.reportsDue}期次，按时报送${t.reportsOnTime}期次，按时报送率${pct(t.onTimeRate)}，未报送${t.missedReports}期次；未解除督办${t.openEscalations}项。` +
          (t.avgCloseWorkingDays === null ? '' : `本期销号任务平均用时${t.avgCloseWorkingDays}个工作日。`),
      ],
    },
    {
      heading: '二、逾期和未按时报送的单位',
      paragraphs: b.laggingUnits.length ? [] : ['本期无逾期任务和未报送期次。'],
      table: b.laggingUnits.length
        ? { head: ['单位', '逾期任务', '逾期工作日', '未报送期次', '未解除督办'], rows: b.laggingUnits.map((u) => [u.label, String(u.overdueTasks), String(u.overdueWorkingDays), String(u.missedReports), String(u.openEscalations)]) }
        : undefined,
    },
    {
      heading: '三、三级督办事项',
      paragraphs: b.escalations.length
        ? [`未解除的三级督办事项共${b.escalationsTotal}项${b.escalationsTotal > b.escalations.length ? `，下表列出截止日期最早的${b.escalations.length}项` : ''}。`]
        : ['本期无三级督办事项。'],
      table: b.escalations.length
        ? {
            head: ['文号', '举措', '任务', '牵头单位', '事项', '截止日期', '逾期工作日'],
            rows: b.escalations.map((e) => [e.docNumber ?? '', e.measureLabel, e.title, e.leads.join('、'), OBLIGATION_LABELS[e.obligationType] ?? e.obligationType, e.dueOn, String(e.overdueWorkingDays)]),
          }
        : undefined,
    },
    {
      heading: '四、考核排名',
      paragraphs: [
        `得分 = 100 ×（${w.weightOnTime} × 按时报送率 + ${w.weightTargets} × 目标完成度）÷（${w.weightOnTime} + ${w.weightTargets}）− ${w.penaltyPerOverdueDay} × 逾期工作日 − ${w.penaltyPerReturned} × 退回次数；不适用的项不计入权重。`,
      ],
      table: {
        head: ['名次', '单位', '得分', '按时报送率', '目标完成度', '逾期工作日', '退回次数'],
        rows: b.ranking.map((r) => [String(r.rank), r.name, String(r.score), pct(r.onTimeRate), pct(r.targetShare), String(r.overdueWorkingDays), String(r.returnedSubmissions)]),
      },
    },
  ];
}

const title = (b: BulletinData): string => `政策落实情况通报（${b.period}）`;

/** The bulletin as Markdown. */
export function bulletinMarkdown(b: BulletinData): string {
  const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const out = [`# ${title(b)}`, '', `生成日期：${b.generatedOn}`, ''];
  for (const s of sections(b)) {
    out.push(`## ${s.heading}`, '');
    for (const p of s.paragraphs) out.push(p, '');
    if (s.table) {
      out.push(`| ${s.table.head.map(cell).join(' | ')} |`, `| ${s.table.head.map(() => '---').join(' | ')} |`);
      for (const r of s.table.rows) out.push(`| ${r.map(cell).join(' | ')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

/** The bulletin as a Word document (.docx). */
export async function bulletinDocx(b: BulletinData): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(title(b))] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(`生成日期：${b.generatedOn}`)] }),
  ];
  const row = (cells: string[], bold = false): TableRow =>
    new TableRow({ tableHeader: bold, children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold })] })] })) });
  for (const s of sections(b)) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(s.heading)] }));
    for (const p of s.paragraphs) children.push(new Paragraph({ children: [new TextRun(p)] }));
    if (s.table) children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(s.table.head, true), ...s.table.rows.map((r) => row(r))] }));
  }
  const doc = new Document({ creator: '督办系统', title: title(b), styles: { default: { document: { run: { font: '仿宋' } } } }, sections: [{ children }] });
  return Packer.toBuffer(doc);
}
