import { Workbook, type Cell, type Worksheet } from 'exceljs';
import type { FormTemplateSpec } from './form-template';
import { cleanCell } from './form-validation';

/**
 * The official layout of a statistics form, as printed in the notice's attachment:
 *   row 1       the title, merged across the columns;
 *   row 2       the header fields (填报单位：…  填报时间：…);
 *   row 3       the column labels;
 *   rows 4…     data;
 *   after data  the footer fields (填表人：…  联系方式：…).
 */
export interface FormSheet {
  title: string;
  header: Record<string, string>;
  rows: string[][];
  /** Extra lines printed under the footer (the roll-up lists who has not sent). */
  notes?: string[];
}

/** Writes a form in the official layout. */
export async function writeFormXlsx(spec: FormTemplateSpec, sheet: FormSheet): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet(spec.title.slice(0, 31) || '统计表');
  const n = Math.max(spec.columns.length, 2);
  const half = Math.ceil(n / 2);
  ws.addRow([sheet.title]);
  ws.mergeCells(1, 1, 1, n);
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  fieldRow(ws, 2, spec.headerFields, sheet.header, half);
  const labels = ws.addRow(spec.columns.map((c) => c.label));
  labels.font = { bold: true };
  for (const r of sheet.rows) ws.addRow(r);
  const footerAt = ws.rowCount + 2;
  fieldRow(ws, footerAt, spec.footerFields, sheet.header, half);
  (sheet.notes ?? []).forEach((note, i) => {
    ws.getCell(footerAt + 1 + i, 1).value = note;
  });
  spec.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.max(10, c.label.length * 2 + 4);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function fieldRow(ws: Worksheet, row: number, fields: string[], values: Record<string, string>, half: number): void {
  fields.forEach((f, i) => {
    ws.getCell(row, 1 + i * half).value = `${f}：${values[f] ?? ''}`;
  });
}

/** A read sheet: header fields found, the row of column labels (null when not found), data rows with their spreadsheet row numbers. */
export interface ReadSheet {
  header: Record<string, string>;
  labelRow: number | null;
  /** The labels found in the best-matching row (for the wrong-columns message). */
  foundLabels: string[];
  rows: { values: Record<string, string>; sourceRow: number }[];
}

const FIELD = /^([^：:]{2,10})[：:]\s*(.*)$/s;

/** Reads an upload laid out as {@link writeFormXlsx} writes it. Call only after `inspectXlsx` passed. */
export async function readFormXlsx(spec: FormTemplateSpec, buf: Buffer, maxRows: number): Promise<ReadSheet> {
  const wb = new Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: ReadSheet = { header: {}, labelRow: null, foundLabels: [], rows: [] };
  if (!ws) return out;
  const labels = spec.columns.map((c) => c.label);
  const fields = new Set([...spec.headerFields, ...spec.footerFields]);
  const textRow = (r: number): string[] => {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(labels.length, row.cellCount); c++) cells.push(cellText(row.getCell(c)));
    return cells;
  };
  let best = 0;
  const last = Math.min(ws.rowCount, maxRows + 20);
  for (let r = 1; r <= Math.min(last, 10); r++) {
    const cells = textRow(r);
    const hits = cells.filter((c) => labels.includes(c)).length;
    if (hits > best) {
      best = hits;
      out.foundLabels = cells.filter((c) => c !== '');
    }
    if (labels.every((l, i) => cells[i] === l) && cells.slice(labels.length).every((c) => c === '')) {
      out.labelRow = r;
      break;
    }
    readFields(cells, fields, out.header);
  }
  if (out.labelRow === null) return out;
  let inFooter = false;
  for (let r = out.labelRow + 1; r <= ws.rowCount; r++) {
    const cells = textRow(r);
    const first = cells.find((c) => c !== '') ?? '';
    const m = FIELD.exec(first);
    if (m && fields.has(m[1].trim())) inFooter = true;
    if (inFooter) {
      readFields(cells, fields, out.header);
      continue;
    }
    if (cells.every((c) => c === '')) continue;
    const values: Record<string, string> = {};
    labels.forEach((l, i) => {
      values[l] = cells[i] ?? '';
    });
    // Cells beyond the template's columns are reported as an unknown column.
    cells.slice(labels.length).forEach((c, i) => {
      if (c !== '') values[`第 ${labels.length + i + 1} 列`] = c;
    });
    out.rows.push({ values, sourceRow: r });
    // One past the limit is enough for the caller to refuse; do not read a million rows first.
    if (out.rows.length > maxRows) break;
  }
  return out;
}

function readFields(cells: string[], fields: Set<string>, into: Record<string, string>): void {
  for (const c of cells) {
    const m = FIELD.exec(c);
    if (m && fields.has(m[1].trim())) into[m[1].trim()] = m[2].trim();
  }
}

/** A cell as text: numbers as typed (phone numbers are often numbers), dates as YYYY-MM-DD. */
function cellText(cell: Cell): string {
  const v = cell.value;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v === null || v === undefined) return '';
  return cleanCell(cell.text);
}
