import { parse } from 'csv-parse/sync';
import { ValidationFailedError } from '../common/domain.errors';
import { toRegistryInput, type RegisteredRows } from './registry-input';

export const REGISTRY_CSV_COLUMNS = [
  'code',
  'name',
  'shortName',
  'kind',
  'parentCode',
  'adminCode',
  'aliases',
  'keyAssisted',
  'formerNationalPovertyCounty',
  'sources',
] as const;

/**
 * Reads a registry CSV (UTF-8, header row, columns from {@link REGISTRY_CSV_COLUMNS}; `code` required,
 * others optional). Rows that cannot be read are returned as rejected with their line number.
 */
export function parseRegistryCsv(text: string): RegisteredRows {
  let records: string[][];
  try {
    const parsed: unknown = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
    records = parsed as string[][];
  } catch (e) {
    throw new ValidationFailedError(`CSV 无法解析：${(e as Error).message}`, undefined, 'REGISTRY_CSV_MALFORMED');
  }
  if (records.length === 0) throw new ValidationFailedError('CSV 为空', undefined, 'REGISTRY_CSV_EMPTY');
  const header = records[0].map((h) => h.trim());
  const unknown = header.filter((h) => !(REGISTRY_CSV_COLUMNS as readonly string[]).includes(h));
  const missing = ['code', 'name', 'kind'].filter((c) => !header.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    throw new ValidationFailedError(
      [
        unknown.length ? `未知的列：${unknown.join('、')}` : '',
        missing.length ? `缺少必需的列：${missing.join('、')}` : '',
        `可用的列：${REGISTRY_CSV_COLUMNS.join(',')}`,
      ]
        .filter(Boolean)
        .join('；'),
      undefined,
      'REGISTRY_CSV_BAD_HEADER',
    );
  }
  const result: RegisteredRows = { inputs: [], rejected: [] };
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.length > header.length) {
      result.rejected.push({ row, code: cells[0] ?? null, reason: `该行有 ${cells.length} 列，表头只有 ${header.length} 列` });
      return;
    }
    const raw: Record<string, unknown> = {};
    header.forEach((h, j) => (raw[h] = cells[j] ?? ''));
    try {
      result.inputs.push(toRegistryInput(raw, row));
    } catch (e) {
      result.rejected.push({ row, code: cells[0] || null, reason: (e as Error).message });
    }
  });
  return result;
}
