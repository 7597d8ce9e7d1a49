import { isIsoDate } from '@duban/calendar';
import type { FieldProblem } from '../common/domain.errors';
import type { UnitKind } from '../organizations/unit-kind';
import { UNIT_KIND_LABELS } from '../organizations/unit-kind';
import type { FormColumn, FormTemplateSpec } from './form-template';

/** A unit as form validation needs it. `cityId` is the unit itself for a city, its parent for a county. */
export interface FormUnit {
  id: string;
  code: string;
  shortName: string;
  kind: UnitKind;
  cityId: string | null;
  keyAssisted: boolean;
}

export interface FormContext {
  /** Finds a unit by a printed name, optionally preferring units of a city (for county names). */
  resolve(name: string, cityShortName?: string): FormUnit | null;
  /** The submitting unit's city (null for provincial units). */
  submitterCityId: string | null;
  /** Cross-city pairings allowed anyway, as `helperCode>assistedCode`. */
  crossCityExceptions: ReadonlySet<string>;
}

/** A cell (or header field) that was rejected: row (1-based, as the user counts them; null for header fields), column, reason. */
export interface CellProblem {
  row: number | null;
  column: string;
  reason: string;
}

export interface CheckedRow {
  /** Cleaned values by column label. */
  values: Record<string, string>;
  /** Resolved unit ids by column label (unit columns only). */
  units: Record<string, string>;
  /** Where the row came from: its spreadsheet row, or its index + 1 in a JSON body. */
  sourceRow: number;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;

/** A Chinese mobile number (11 digits from 13x) or a landline with its area code (0351-1234567). */
export function isPhone(value: string): boolean {
  const v = value.replace(/[\s（）()]/g, '');
  return MOBILE.test(v) || LANDLINE.test(v);
}

/** Cell text as users type it: NFKC (full-width digits, brackets), trimmed. */
export function cleanCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return text.normalize('NFKC').trim();
}

const CN_DATE = /^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$/;

/** YYYY-MM-DD from 2021-08-20, 2021/8/20 or 2021年8月20日; null when it is not a real date. */
export function normalizeDate(value: string): string | null {
  const m = CN_DATE.exec(value);
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * Checks a form's header fields and rows against its template. Every problem is reported (not only
 * the first), with its row and column; rows come back cleaned and with their units resolved.
 */
export function checkForm(
  spec: FormTemplateSpec,
  header: Record<string, unknown>,
  rows: { values: Record<string, unknown>; sourceRow: number }[],
  ctx: FormContext,
): { problems: CellProblem[]; header: Record<string, string>; rows: CheckedRow[] } {
  const problems: CellProblem[] = [];
  const cleanHeader: Record<string, string> = {};
  for (const field of [...spec.headerFields, ...spec.footerFields]) {
    const v = cleanCell(header[field]);
    cleanHeader[field] = v;
    if (v === '') problems.push({ row: null, column: field, reason: '必填' });
    else if (/联系方式|电话/.test(field) && !isPhone(v)) problems.push({ row: null, column: field, reason: `「${v}」不是有效的电话号码（手机 11 位，或带区号的固话）` });
    else if (/时间|日期/.test(field)) {
      const d = normalizeDate(v);
      if (d) cleanHeader[field] = d;
      else problems.push({ row: null, column: field, reason: `「${v}」不是有效日期（例如 2021-08-20 或 2021年8月20日）` });
    }
  }
  for (const key of Object.keys(header)) {
    if (!(spec.headerFields.includes(key) || spec.footerFields.includes(key))) problems.push({ row: null, column: key, reason: '表头没有这一项' });
  }
  const labels = new Set(spec.columns.map((c) => c.label));
  const checked: CheckedRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    for (const key of Object.keys(r.values)) if (!labels.has(key)) problems.push({ row: r.sourceRow, column: key, reason: '表中没有这一列' });
    const out: CheckedRow = { values: {}, units: {}, sourceRow: r.sourceRow };
    const resolvedUnits: Record<string, FormUnit> = {};
    // Cities first, so county columns can be checked against the row's city.
    const ordered = [...spec.columns].sort((a, b) => Number(a.unitKind !== 'city_government') - Number(b.unitKind !== 'city_government'));
    for (const col of ordered) {
      const raw = r.values[col.label];
      if (raw !== null && typeof raw === 'object') {
        problems.push({ row: r.sourceRow, column: col.label, reason: '应为文字或数字' });
        continue;
      }
      const v = cleanCell(raw);
      const problem = checkCell(col, v, resolvedUnits, ctx, spec);
      if (typeof problem === 'string') {
        problems.push({ row: r.sourceRow, column: col.label, reason: problem });
        continue;
      }
      out.values[col.label] = problem?.value ?? v;
      if (problem?.unit) {
        resolvedUnits[col.label] = problem.unit;
        out.units[col.label] = problem.unit.id;
      }
    }
    if (spec.uniqueBy.length > 0 && spec.uniqueBy.every((l) => out.values[l] !== undefined && out.values[l] !== '')) {
      const key = spec.uniqueBy.map((l) => out.units[l] ?? out.values[l]).join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) problems.push({ row: r.sourceRow, column: spec.uniqueBy[spec.uniqueBy.length - 1], reason: `与第 ${first} 行重复（${spec.uniqueBy.map((l) => out.values[l]).join('、')}）` });
      else seen.set(key, r.sourceRow);
    }
    checked.push(out);
  }
  return { problems, header: cleanHeader, rows: checked };
}

/** A cell's reason for rejection, or its cleaned value and unit. */
function checkCell(col: FormColumn, v: string, rowUnits: Record<string, FormUnit>, ctx: FormContext, spec: FormTemplateSpec): string | { value?: string; unit?: FormUnit } | null {
  if (v === '') return col.required ? '必填' : null;
  switch (col.type) {
    case 'text':
      return v.length > 500 ? '超过 500 字' : null;
    case 'integer':
      return /^-?\d+$/.test(v) ? null : `「${v}」不是整数`;
    case 'number':
      return /^-?\d+(?:\.\d+)?$/.test(v) ? null : `「${v}」不是数字`;
    case 'date': {
      const d = normalizeDate(v);
      return d ? { value: d } : `「${v}」不是有效日期`;
    }
    case 'phone':
      return isPhone(v) ? null : `「${v}」不是有效的电话号码（手机 11 位，或带区号的固话）`;
    case 'enum':
      return (col.options ?? []).includes(v) ? null : `「${v}」不在可选值中（${(col.options ?? []).join('、')}）`;
    case 'unit':
      return checkUnit(col, v, rowUnits, ctx, spec);
  }
}

function checkUnit(col: FormColumn, v: string, rowUnits: Record<string, FormUnit>, ctx: FormContext, spec: FormTemplateSpec): string | { unit: FormUnit } {
  const city = col.sameCityAs ? rowUnits[col.sameCityAs] : undefined;
  if (col.sameCityAs && !city) return `无法核对：同一行的「${col.sameCityAs}」无效`;
  const unit = ctx.resolve(v, city?.shortName);
  if (!unit) return `「${v}」不是登记的单位名称`;
  if (col.unitKind && unit.kind !== col.unitKind) return `「${v}」不是${UNIT_KIND_LABELS[col.unitKind]}`;
  if (col.ownCity && ctx.submitterCityId && unit.id !== ctx.submitterCityId) return `「${v}」不是本单位所在的市`;
  if (col.keyAssisted && !unit.keyAssisted) return `「${v}」不是重点帮扶县`;
  if (city && unit.cityId !== city.id) {
    const assistedCol = spec.columns.find((c) => c.role === 'assisted');
    const assisted = assistedCol ? rowUnits[assistedCol.label] : undefined;
    const excepted = col.role === 'helper' && assisted && ctx.crossCityExceptions.has(`${unit.code}>${assisted.code}`);
    if (!excepted) return `「${v}」不属于${city.shortName}`;
  }
  return { unit };
}

/** Problems as the API's error list: field = column, with row and column kept for programs. */
export function toFieldProblems(problems: CellProblem[]): FieldProblem[] {
  return problems.map((p) => ({ field: p.column, message: p.row === null ? `表头「${p.column}」：${p.reason}` : `第 ${p.row} 行「${p.column}」：${p.reason}`, row: p.row, column: p.column }));
}
