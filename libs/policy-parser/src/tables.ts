/**
 * Tables in the cleaned text (rows with cells separated by tabs or |): attached forms to fill
 * (统计表 with its header row and 填报单位/填表人 fields) and responsibility tables whose rows are
 * measures (序号 | 任务 | 牵头单位 | 完成时限).
 */
import type { Form } from './parsed-document.types';
import { tableCells, type Line } from './text-lines';

export interface TableRow {
  cells: string[];
  /** Offset of each cell in the cleaned text. */
  cellStarts: number[];
  start: number;
  end: number;
}

export interface Table {
  title: string | null;
  columns: string[];
  headerFields: string[];
  footerFields: string[];
  headerLine: Line;
  rows: TableRow[];
}

const TABLE_TITLE = /(?:表|清单|台账|名单|名册|汇总|一览)(?:[（(][^）)]*[）)])?$/;
const FIELD_LINE = /^(?:[^\s：:\t|。，]{2,10}[：:][^\t：:]{0,30}(?:\t|$))+$/;
const FIELD_NAME = /([^\s：:\t|。，]{2,10})[：:]/g;
const ATTACHMENT_MARK = /^附(?:件|表)\s*\d*$/;

/**
 * Finds every table: a header row of short cells, the rows under it, its title and fields.
 * Rows are tab/|-separated lines, or, as some extractions give them, one cell per line after a
 * header that starts with 序号 (序号 / 内容 / 责任单位 / 1 / … / 2 / …).
 */
export function findTables(lines: Line[]): Table[] {
  const tables: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    const found = delimitedTable(lines, i) ?? cellPerLineTable(lines, i);
    if (!found) continue;
    const { columns, rows, next } = found;
    const above = lookAbove(lines, i);
    const footerFields: string[] = [];
    for (let k = next; k < Math.min(lines.length, next + 4) && FIELD_LINE.test(lines[k].text); k++) {
      footerFields.push(...fieldNames(lines[k].text));
    }
    tables.push({ title: above.title, columns, headerFields: above.fields, footerFields, headerLine: lines[i], rows });
    i = next - 1;
  }
  return tables;
}

interface FoundTable {
  columns: string[];
  rows: TableRow[];
  /** Index of the first line after the table. */
  next: number;
}

function delimitedTable(lines: Line[], i: number): FoundTable | null {
  const header = tableCells(lines[i].text);
  if (!header || !looksLikeHeader(header)) return null;
  const rows: TableRow[] = [];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const l = lines[j];
    const cells = tableCells(l.text);
    if (!cells) break;
    const cellStarts: number[] = [];
    let at = 0;
    for (const c of cells) {
      const k = l.text.indexOf(c, at);
      cellStarts.push(l.start + Math.max(0, k));
      at = Math.max(at, k + c.length);
    }
    rows.push({ cells, cellStarts, start: l.start, end: l.end });
  }
  return { columns: header, rows, next: j };
}

const MAX_COLUMNS = 10;

function cellPerLineTable(lines: Line[], i: number): FoundTable | null {
  if (!NO_COLUMN.test(lines[i].text.trim())) return null;
  const columns = [lines[i].text.trim()];
  let j = i + 1;
  while (j < lines.length && columns.length < MAX_COLUMNS && isHeaderCell(lines[j].text) && !/^\d+$/.test(lines[j].text)) {
    columns.push(lines[j].text.trim());
    j++;
  }
  if (columns.length < 2 || !/^1$/.test(lines[j]?.text.trim() ?? '')) return null;
  const rows: TableRow[] = [];
  for (let n = 1; j + columns.length <= lines.length && lines[j].text.trim() === String(n); n++) {
    const group = lines.slice(j, j + columns.length);
    rows.push({ cells: group.map((l) => l.text.trim()), cellStarts: group.map((l) => l.start), start: group[0].start, end: group[group.length - 1].end });
    j += columns.length;
  }
  return rows.length > 0 ? { columns, rows, next: j } : null;
}

function isHeaderCell(text: string): boolean {
  const t = text.trim();
  return t.length >= 1 && t.length <= 12 && !/[。，；：:,;]/.test(t);
}

function looksLikeHeader(cells: string[]): boolean {
  const filled = cells.filter((c) => c !== '');
  return filled.length >= 2 && filled.every((c) => c.length <= 20 && !/^\d+(?:\.\d+)?$/.test(c) && !/[。；]/.test(c));
}

function lookAbove(lines: Line[], headerIndex: number): { title: string | null; fields: string[] } {
  const fields: string[] = [];
  for (let k = headerIndex - 1; k >= Math.max(0, headerIndex - 6); k--) {
    const t = lines[k].text;
    if (FIELD_LINE.test(t) && !TABLE_TITLE.test(t.replace(/[：:]$/, ''))) {
      fields.unshift(...fieldNames(t));
      continue;
    }
    if (ATTACHMENT_MARK.test(t)) continue;
    if (t.length <= 60 && TABLE_TITLE.test(t)) return { title: t.replace(/^附(?:件|表)\s*\d*[：:]?/, ''), fields };
    break;
  }
  return { title: null, fields };
}

function fieldNames(line: string): string[] {
  return [...line.matchAll(FIELD_NAME)].map((m) => m[1]);
}

const LEAD_COLUMN = /牵头|责任单位|责任部门|负责单位|负责部门|主责|责任主体/;
const COOP_COLUMN = /配合|协办|参与|协助/;
const TASK_COLUMN = /任务|措施|内容|事项|工作|举措|目标|要求/;
const NO_COLUMN = /^(?:序号|编号|序|No\.?)$/i;
const TIME_COLUMN = /时限|时间|期限|节点|进度/;

export interface ResponsibilityColumns {
  no: number | null;
  tasks: number[];
  lead: number;
  cooperating: number | null;
  time: number | null;
}

/** Column roles of a responsibility table, or null when the table is not one. */
export function responsibilityColumns(t: Table): ResponsibilityColumns | null {
  const find = (re: RegExp): number => t.columns.findIndex((c) => re.test(c));
  const lead = find(LEAD_COLUMN);
  const tasks = t.columns.map((c, i) => (TASK_COLUMN.test(c) && i !== lead && !COOP_COLUMN.test(c) && !TIME_COLUMN.test(c) ? i : -1)).filter((i) => i >= 0);
  if (lead < 0 || tasks.length === 0 || t.rows.length === 0) return null;
  const coop = find(COOP_COLUMN);
  const time = find(TIME_COLUMN);
  const no = find(NO_COLUMN);
  return { no: no >= 0 ? no : null, tasks, lead, cooperating: coop >= 0 && coop !== lead ? coop : null, time: time >= 0 ? time : null };
}

/** Tables to be filled in and returned (not responsibility tables). */
export function formsOf(tables: Table[]): Form[] {
  return tables
    .filter((t) => responsibilityColumns(t) === null && (t.title !== null || t.headerFields.length + t.footerFields.length > 0))
    .map((t) => ({ title: t.title ?? '', columns: t.columns.filter((c) => c !== ''), headerFields: t.headerFields, footerFields: t.footerFields }));
}
