import type { UnitKind } from '../organizations/unit-kind';

/** Types of a form column. Persisted in templates: do not rename. */
export const COLUMN_TYPES = ['text', 'integer', 'number', 'date', 'phone', 'unit', 'enum'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** What a column means to the pairing registry (only pairing forms have roles). */
export const PAIRING_ROLES = ['city', 'assisted', 'helper', 'person', 'title', 'phone', 'remarks'] as const;
export type PairingRole = (typeof PAIRING_ROLES)[number];

/** One column of a statistics form: its printed label (also its key in a row) and its rules. */
export interface FormColumn {
  label: string;
  type: ColumnType;
  required: boolean;
  /** For `unit`: the kind the named unit must be. */
  unitKind?: UnitKind;
  /** For `unit`: the unit must be a key assisted county (重点帮扶县). */
  keyAssisted?: boolean;
  /** For `unit`: the unit must belong to the city named in this other column. */
  sameCityAs?: string;
  /** For `unit` of kind city_government: must be the submitting unit's own city. */
  ownCity?: boolean;
  /** For `enum`: the allowed values. */
  options?: string[];
  role?: PairingRole;
}

export interface FormTemplateSpec {
  title: string;
  kind: 'generic' | 'pairing';
  columns: FormColumn[];
  /** Fields printed above the table (填报单位, 填报时间). */
  headerFields: string[];
  /** Fields printed below the table (填表人, 联系方式). */
  footerFields: string[];
  /** Columns whose values together may appear only once. */
  uniqueBy: string[];
}

export const DEFAULT_HEADER_FIELDS = ['填报单位', '填报时间'];
export const DEFAULT_FOOTER_FIELDS = ['填表人', '联系方式'];

const CITY = /^(?:市名|市|所在市|地市)$/;
const ASSISTED = /重点帮扶县|被帮扶县/;
const HELPER = /结对帮扶县|帮扶县/;
const PHONE = /联系方式|联系电话|电话|手机/;
const PERSON = /负责人|联系人|姓名/;
const TITLE = /单位及职务|职务/;
const REMARKS = /^备注$/;

/**
 * Rules for the columns of an attached form as the parser found them (labels only). The labels of
 * 晋乡振发〔2021〕29号's table (市名, 重点帮扶县, 结对帮扶县, 具体负责人, 单位及职务, 联系方式, 备注)
 * make a pairing form; other labels get plain text columns a coordinator can tighten.
 */
export function inferTemplate(form: { title: string; columns: string[]; headerFields: string[]; footerFields: string[] }): FormTemplateSpec {
  const city = form.columns.find((c) => CITY.test(c));
  const columns: FormColumn[] = form.columns.map((label) => {
    if (label === city) return { label, type: 'unit', required: true, unitKind: 'city_government', ownCity: true, role: 'city' };
    if (ASSISTED.test(label)) return { label, type: 'unit', required: true, unitKind: 'county', keyAssisted: true, ...(city ? { sameCityAs: city } : {}), role: 'assisted' };
    if (HELPER.test(label)) return { label, type: 'unit', required: true, unitKind: 'county', ...(city ? { sameCityAs: city } : {}), role: 'helper' };
    if (PHONE.test(label)) return { label, type: 'phone', required: true, role: 'phone' };
    if (PERSON.test(label)) return { label, type: 'text', required: true, role: 'person' };
    if (TITLE.test(label)) return { label, type: 'text', required: true, role: 'title' };
    if (REMARKS.test(label)) return { label, type: 'text', required: false, role: 'remarks' };
    return { label, type: 'text', required: false };
  });
  const roles = new Set(columns.map((c) => c.role));
  const pairing = (['city', 'assisted', 'helper', 'person', 'title', 'phone'] as const).every((r) => roles.has(r));
  if (!pairing) for (const c of columns) delete c.role;
  return {
    title: form.title,
    kind: pairing ? 'pairing' : 'generic',
    columns,
    headerFields: form.headerFields.length > 0 ? form.headerFields : DEFAULT_HEADER_FIELDS,
    footerFields: form.footerFields.length > 0 ? form.footerFields : DEFAULT_FOOTER_FIELDS,
    uniqueBy: pairing ? columns.filter((c) => c.role === 'assisted' || c.role === 'helper').map((c) => c.label) : [],
  };
}

/** The label of the column with a pairing role. */
export function columnOf(spec: Pick<FormTemplateSpec, 'columns'>, role: PairingRole): string | undefined {
  return spec.columns.find((c) => c.role === role)?.label;
}
