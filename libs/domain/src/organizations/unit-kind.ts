/** Kinds of unit in the registry. Persisted: do not rename without a migration. */
export const UNIT_KINDS = [
  'provincial_bureau',
  'provincial_department',
  'provincial_body',
  'city_government',
  'city_bureau',
  'county',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  provincial_bureau: '省乡村振兴局',
  provincial_department: '省直部门',
  provincial_body: '省级其他单位',
  city_government: '市人民政府',
  city_bureau: '市乡村振兴局',
  county: '县（市、区）',
};

export function isUnitKind(value: string): value is UnitKind {
  return (UNIT_KINDS as readonly string[]).includes(value);
}
