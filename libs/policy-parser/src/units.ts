/** Helpers for lists of organisational units as printed in responsibility clauses. */

const SEPARATORS = new Set(['、', '，', ',', '；', ';', '/', '／']);
/** Suffixes that end the name of a body; used to split 和/及 only between two complete names. */
const UNIT_SUFFIX = /(?:厅|局|委|委员会|办|办公室|部|院|会|行|司|公司|集团|政府|中心|联|协|署|所|站|馆|队|社|处|科|组|团|校|学|台|庭|室|部门|单位|机关|军区)$/;
const UNIT_PREFIX = /^(?:省|市|县|区|各|国家|中国|中央|有关|相关|团省委|共青团|国网)/;
/** Bare level words that continue a shared-suffix collective: 各市、县（区）人民政府. */
const BARE_LEVEL = /^[市县区乡镇村](?:[（(]|级|、|人民|政府|$)/;
/** A bare place name in a list (哈尔滨, 黑河): no 省/各/有关 prefix, no unit ending. */
const BARE_PLACE = /^(?!各|省|市|县|区|有关|相关|国家|中国|中央)[\u4e00-\u9fff]{2,4}$/;

/**
 * Splits a printed list of units on 、，; and, between two complete names, on 和/及/以及.
 * Separators inside brackets do not split (各县（市、区）人民政府 stays whole), and the
 * shared-suffix collective 各市、县（区）人民政府 is kept as printed.
 */
export function splitUnits(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '（' || c === '(') depth++;
    else if ((c === '）' || c === ')') && depth > 0) depth--;
    if (depth === 0 && SEPARATORS.has(c)) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return mergeSharedSuffix(parts.flatMap(splitConjunction).map(tidyUnit).filter((p) => p !== ''));
}

/**
 * Rejoins lists that share one suffix: 各市、县（区）人民政府 and 相关市、县政府 (a name without a
 * unit ending followed by a bare 县/区…), 哈尔滨、黑河、绥芬河市政府 (bare place names before X市政府).
 */
function mergeSharedSuffix(parts: string[]): string[] {
  const out: string[] = [];
  let pendingPlaces: string[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (BARE_PLACE.test(p) && !UNIT_SUFFIX.test(p)) {
      pendingPlaces.push(p);
      continue;
    }
    if (pendingPlaces.length > 0) {
      if (/(?:市|县|区|州|盟|旗)?(?:人民)?政府$/.test(p) && !/^(?:各|省|有关|相关)/.test(p)) out.push([...pendingPlaces, p].join('、'));
      else out.push(...pendingPlaces, p);
      pendingPlaces = [];
      continue;
    }
    if (prev !== undefined && !UNIT_SUFFIX.test(prev) && BARE_LEVEL.test(p)) out[out.length - 1] = `${prev}、${p}`;
    else out.push(p);
  }
  out.push(...pendingPlaces);
  return out;
}

function splitConjunction(part: string): string[] {
  const m = /^(.+?)(?:以及|和|及|与)(.+)$/.exec(part);
  if (m && UNIT_SUFFIX.test(m[1]) && UNIT_PREFIX.test(m[2])) return [m[1], ...splitConjunction(m[2])];
  return [part];
}

function tidyUnit(u: string): string {
  return u
    .trim()
    .replace(/^(?:由|请|均由)/, '')
    .replace(/(?:等(?:单位|部门)?|等有关(?:单位|部门)|等相关(?:单位|部门))$/, '')
    .trim();
}

/**
 * A unit name is short, free of clause words, and ends like a body (厅, 局, 政府…) or names a
 * collective (各市, 有关部门, 省…); anything else means the clause was prose, not a list of units.
 */
export function looksLikeUnit(u: string): boolean {
  if (u.length < 2 || u.length > 40) return false;
  if (/[。！？：:]|负责|牵头|配合|分别|会同|参与|协助/.test(u)) return false;
  return UNIT_SUFFIX.test(u) || UNIT_PREFIX.test(u);
}
