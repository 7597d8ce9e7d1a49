import type { UnitKind } from '../organizations/unit-kind';
import { normalizeUnitName } from '../organizations/unit-name';

/** Collective names that stand for a whole class of units. Persisted in measure_units.collective. */
export type CollectiveKind = 'all_city_governments' | 'all_city_bureaus' | 'all_counties' | 'all_key_assisted_counties';

export const COLLECTIVES: Record<CollectiveKind, { label: string; kind: UnitKind; keyAssistedOnly: boolean }> = {
  all_city_governments: { label: '各市人民政府（11 个市）', kind: 'city_government', keyAssistedOnly: false },
  all_city_bureaus: { label: '各市乡村振兴局（11 个）', kind: 'city_bureau', keyAssistedOnly: false },
  all_counties: { label: '各县（市、区）人民政府', kind: 'county', keyAssistedOnly: false },
  all_key_assisted_counties: { label: '各重点帮扶县', kind: 'county', keyAssistedOnly: true },
};

const NAMES: [string, CollectiveKind][] = [
  ['各市', 'all_city_governments'],
  ['各市人民政府', 'all_city_governments'],
  ['各市政府', 'all_city_governments'],
  ['各设区市人民政府', 'all_city_governments'],
  ['各市乡村振兴局', 'all_city_bureaus'],
  ['各市乡村振兴部门', 'all_city_bureaus'],
  ['各县(市、区)', 'all_counties'],
  ['各县(市、区)人民政府', 'all_counties'],
  ['各县(区)人民政府', 'all_counties'],
  ['各县', 'all_counties'],
  ['各县人民政府', 'all_counties'],
  ['各重点帮扶县', 'all_key_assisted_counties'],
  ['各重点帮扶县人民政府', 'all_key_assisted_counties'],
];
const BY_NAME = new Map(NAMES.map(([n, k]) => [normalizeUnitName(n), k]));

/**
 * The collective a printed name stands for (各市 -> every city government), or null. Vague names
 * such as 有关部门 are not collectives: a coordinator must say which units they mean.
 */
export function collectiveOf(printed: string): CollectiveKind | null {
  return BY_NAME.get(normalizeUnitName(printed)) ?? null;
}
