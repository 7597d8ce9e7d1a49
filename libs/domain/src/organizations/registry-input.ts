import { isUnitKind, type UnitKind } from './unit-kind';

/** One unit as the registry file or a CSV import describes it. */
export interface RegistryUnitInput {
  /** 1-based position in the source (CSV line number, or index in the JSON file) for error reports. */
  row: number;
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  parentCode: string | null;
  adminCode: string | null;
  aliases: string[];
  /** null leaves the stored flag as it is. */
  keyAssisted: boolean | null;
  formerNationalPovertyCounty: boolean | null;
  sources: string[];
}

export interface RejectedRow {
  row: number;
  code: string | null;
  reason: string;
}

const BOOL_TRUE = new Set(['true', '1', 'yes', 'y', '是', '√']);
const BOOL_FALSE = new Set(['false', '0', 'no', 'n', '否', '']);

export function parseBool(value: unknown, field: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`${field} 必须是 true/false（或 是/否）`);
  const s = String(value).trim().toLowerCase();
  if (s === '') return null;
  if (BOOL_TRUE.has(s)) return true;
  if (BOOL_FALSE.has(s)) return false;
  throw new Error(`${field} 必须是 true/false（或 是/否），而不是“${s}”`);
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const ADMIN_CODE = /^\d{6}(\d{6})?$/;

/**
 * Validates one raw record (from JSON or CSV) into a {@link RegistryUnitInput}; throws an Error whose
 * message says what is wrong, in Chinese, for the rejected-rows report.
 */
export function toRegistryInput(raw: Record<string, unknown>, row: number): RegistryUnitInput {
  const str = (key: string): string => {
    const v = raw[key];
    return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
  };
  const list = (key: string): string[] => {
    const v = raw[key];
    const items = Array.isArray(v) ? v.map(String) : str(key).split(/[|、;；]/u);
    return items.map((s) => s.trim()).filter((s) => s.length > 0);
  };
  const code = str('code');
  const name = str('name');
  const kind = str('kind');
  const problems: string[] = [];
  if (!CODE.test(code)) problems.push(`code 必填，只能包含字母、数字、点、下划线和连字符（当前：“${code}”）`);
  if (name.length === 0 || name.length > 128) problems.push('name 必填，且不超过 128 个字符');
  if (!isUnitKind(kind)) problems.push(`kind “${kind}” 不是有效的单位类型`);
  const shortName = str('shortName') || name;
  if (shortName.length > 64) problems.push('shortName 不超过 64 个字符');
  const adminCode = str('adminCode') || null;
  if (adminCode !== null && !ADMIN_CODE.test(adminCode)) problems.push(`adminCode “${adminCode}” 必须是 6 位或 12 位数字`);
  let keyAssisted: boolean | null = null;
  let poverty: boolean | null = null;
  try {
    keyAssisted = parseBool(raw['keyAssisted'], 'keyAssisted');
    poverty = parseBool(raw['formerNationalPovertyCounty'], 'formerNationalPovertyCounty');
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (keyAssisted === true && kind !== 'county') problems.push('只有县（市、区）可以标记为重点帮扶县');
  if (problems.length > 0) throw new Error(problems.join('；'));
  return {
    row,
    code,
    name,
    shortName,
    kind: kind as UnitKind,
    parentCode: str('parentCode') || null,
    adminCode,
    aliases: list('aliases'),
    keyAssisted,
    formerNationalPovertyCounty: poverty,
    sources: list('sources'),
  };
}

/** Inputs that were read, and rows that could not be. */
export interface RegisteredRows {
  inputs: RegistryUnitInput[];
  rejected: RejectedRow[];
}

/** Reads the shipped registry file (`data/registry/units.json`). */
export function parseRegistryJson(text: string): RegisteredRows {
  const doc = JSON.parse(text) as { units?: unknown };
  if (!Array.isArray(doc.units)) throw new Error('registry file has no "units" array');
  const result: RegisteredRows = { inputs: [], rejected: [] };
  doc.units.forEach((u: unknown, i) => {
    const raw = (typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>;
    try {
      result.inputs.push(toRegistryInput(raw, i + 1));
    } catch (e) {
      result.rejected.push({ row: i + 1, code: typeof raw['code'] === 'string' ? raw['code'] : null, reason: (e as Error).message });
    }
  });
  return result;
}
