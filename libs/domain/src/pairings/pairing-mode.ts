/** How a pairing's group is organised (晋乡振发〔2021〕29号: 一对一、一对多、多对一). */
export type PairingMode = 'one_to_one' | 'one_to_many' | 'many_to_one';

export const PAIRING_MODE_LABELS: Record<PairingMode, string> = { one_to_one: '一对一', one_to_many: '一对多', many_to_one: '多对一' };

/**
 * The mode of each pairing, from all current pairings: several helpers for one assisted county is
 * 多对一; one helper for several assisted counties is 一对多; otherwise 一对一. When both hold
 * (a helper of several counties, one of which has several helpers), 多对一 wins: it is the
 * assisted county's view that coverage and assessment follow.
 */
export function pairingModes(pairings: { id: string; assistedId: string; helperId: string }[]): Map<string, PairingMode> {
  const helpersOf = new Map<string, number>();
  const assistedOf = new Map<string, number>();
  for (const p of pairings) {
    helpersOf.set(p.assistedId, (helpersOf.get(p.assistedId) ?? 0) + 1);
    assistedOf.set(p.helperId, (assistedOf.get(p.helperId) ?? 0) + 1);
  }
  return new Map(
    pairings.map((p) => [p.id, (helpersOf.get(p.assistedId) ?? 0) > 1 ? 'many_to_one' : (assistedOf.get(p.helperId) ?? 0) > 1 ? 'one_to_many' : 'one_to_one'] as const),
  );
}

/** The five task areas of the notice, plus joint meetings and the leaders' annual mutual visit. Persisted: do not rename. */
export const WORK_AREAS = {
  industry: { label: '产业合作', metrics: { projects: '合作项目（个）', investment: '引进投资（万元）' } },
  labour: { label: '劳务协作', metrics: { trained: '培训人数', placed: '转移就业人数' } },
  talent: { label: '人才支援', metrics: { cadresToAssisted: '选派到被帮扶县挂职干部（人）', cadresToHelper: '被帮扶县到帮扶县挂职干部（人）', villageTeams: '驻村工作队（个）' } },
  funds: { label: '资金支持', metrics: { amount: '帮扶资金（万元）', projects: '资助项目（个）' } },
  social: { label: '社会参与', metrics: { enterprises: '参与企业（家）', organisations: '参与社会组织（个）' } },
  meeting: { label: '联席会议', metrics: {} },
  visit: { label: '主要领导互访', metrics: {} },
} as const;
export type WorkArea = keyof typeof WORK_AREAS;
export const WORK_AREA_KEYS = Object.keys(WORK_AREAS) as WorkArea[];

/** Metric values of a record, checked: known keys only, non-negative numbers; integers except money (万元). */
export function checkMetrics(area: WorkArea, metrics: Record<string, unknown>): { field: string; message: string }[] {
  const allowed = WORK_AREAS[area].metrics as Record<string, string>;
  const problems: { field: string; message: string }[] = [];
  for (const [k, v] of Object.entries(metrics)) {
    if (!(k in allowed)) problems.push({ field: `metrics.${k}`, message: `「${WORK_AREAS[area].label}」没有这一指标（可用：${Object.keys(allowed).join('、') || '无'}）` });
    else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push({ field: `metrics.${k}`, message: '须为非负数' });
    else if (!/万元/.test(allowed[k]) && !Number.isInteger(v)) problems.push({ field: `metrics.${k}`, message: '须为整数' });
  }
  return problems;
}

/** Totals of work records: each area's metrics summed, meetings and visits counted. */
export type WorkTotals = Record<string, number>;

export function addTotals(into: WorkTotals, area: WorkArea, metrics: Record<string, number>): void {
  if (area === 'meeting' || area === 'visit') {
    const key = area === 'meeting' ? 'meetings' : 'visits';
    into[key] = (into[key] ?? 0) + 1;
    return;
  }
  for (const [k, v] of Object.entries(metrics)) {
    const key = `${area}.${k}`;
    into[key] = Math.round(((into[key] ?? 0) + v) * 100) / 100;
  }
}
