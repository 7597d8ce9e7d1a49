/**
 * Numbered structure of the body: 第一章 > 一、 > （一） / 第一条 > 1. > （1） > ①, which level holds
 * the measures, and which is the section level above it.
 */
import { parseChineseNumeral } from './chinese-numerals';
import type { Line } from './text-lines';

export type ItemKind = 'chapter' | 'han' | 'paren-han' | 'article' | 'arabic' | 'paren-arabic' | 'circled';

/** Depth of each numbering style in the usual hierarchy of official documents. */
const RANK: Record<ItemKind, number> = { chapter: 0, han: 1, 'paren-han': 2, article: 2, arabic: 3, 'paren-arabic': 4, circled: 5 };
const HAN = '[一二三四五六七八九十百零〇两]+';
const PATTERNS: [ItemKind, RegExp][] = [
  ['chapter', new RegExp(`^第(${HAN}|\\d{1,3})(?:章|部分|篇)`)],
  ['article', new RegExp(`^第(${HAN}|\\d{1,3})条`)],
  ['han', new RegExp(`^(${HAN})[、.](?!\\d)`)],
  ['paren-han', new RegExp(`^（(${HAN})）`)],
  ['arabic', /^(\d{1,3})[.、](?!\d)/],
  ['paren-arabic', /^[（(](\d{1,3})[）)]|^(\d{1,3})[）)]/],
  ['circled', /^([①-⑳])/],
];

export interface Item {
  kind: ItemKind;
  rank: number;
  /** As printed: （十七）, 一、, 3. */
  label: string;
  number: number;
  line: number;
  start: number;
  /** Start of the next item of the same or a higher level (or the body end). */
  ownEnd: number;
  /** Start of the next numbered item of any level (or the body end): the item's own words. */
  directEnd: number;
  /** First paragraph of the item without its label. */
  rest: string;
  /** The nearest enclosing item of a higher level, or null. */
  parent: Item | null;
}

/** Reads the numbering at the start of a paragraph. */
export function numbering(text: string): { kind: ItemKind; label: string; number: number } | null {
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const raw = m[1] ?? m[2];
    const number = kind === 'circled' ? raw.charCodeAt(0) - 0x245f : parseChineseNumeral(raw);
    if (number === null || number <= 0) return null;
    return { kind, label: m[0], number };
  }
  return null;
}

/** Numbered items between line indexes [from, to); `bodyEnd` is the offset where the body stops. */
export function findItems(lines: Line[], from: number, to: number, bodyEnd: number): Item[] {
  const items: Item[] = [];
  for (let i = from; i < to; i++) {
    const n = numbering(lines[i].text);
    if (!n) continue;
    const l = lines[i];
    items.push({ kind: n.kind, rank: RANK[n.kind], label: n.label, number: n.number, line: i, start: l.start, ownEnd: bodyEnd, directEnd: bodyEnd, rest: l.text.slice(n.label.length).trim(), parent: null });
  }
  // One pass with a stack: an item's own range ends where an item of its level or higher begins.
  const open: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (i + 1 < items.length) it.directEnd = items[i + 1].start;
    while (open.length > 0 && open[open.length - 1].rank >= it.rank) {
      const closed = open.pop();
      if (closed) closed.ownEnd = it.start;
    }
    it.parent = open[open.length - 1] ?? null;
    open.push(it);
  }
  return items;
}

/** The enclosing items of `b`, nearest first (at most one per numbering level, so short). */
export function ancestors(b: Item): Item[] {
  const out: Item[] = [];
  for (let p = b.parent; p !== null; p = p.parent) out.push(p);
  return out;
}


/** Headings of sections that state principles or arrangements rather than tasks. */
const NON_TASK = /(?:总体要求|指导思想|基本原则|工作原则|总体目标|主要目标|发展目标|工作目标|目标要求|总体思路|适用范围|编制依据|重要意义|组织保障|保障措施|组织实施|实施步骤|工作步骤|工作要求|有关要求|其他事项|附则)$/;
const TASK = /(?:主要任务|重点任务|工作任务|重点工作|主要措施|政策措施|具体措施|支持措施|任务分工|工作重点|主要内容|重点举措|主要举措|具体任务)/;

export interface MeasureChoice {
  measures: Item[];
  sectionKind: ItemKind | null;
  /** How the measures were chosen, for warnings and tests. */
  basis: 'lead-clauses' | 'numbering';
}

/**
 * Picks the measure items. With responsibility clauses, the level that owns most clauses holds
 * the measures (plus clause-owning items with no measure above or below them); clause-less items
 * in principle/arrangement sections are dropped. Without clauses, the most numerous level holds
 * them, restricted to task sections (三、主要任务) when there are any, else to all sections except
 * principle/arrangement ones (二、基本原则, 四、组织保障).
 */
export function chooseMeasures(items: Item[], clauseCount: (item: Item) => number): MeasureChoice {
  if (items.length === 0) return { measures: [], sectionKind: null, basis: 'numbering' };
  const byKind = new Map<ItemKind, { clauses: number; withClauses: number; count: number }>();
  for (const it of items) {
    const k = byKind.get(it.kind) ?? { clauses: 0, withClauses: 0, count: 0 };
    const c = clauseCount(it);
    k.clauses += c;
    k.withClauses += c > 0 ? 1 : 0;
    k.count++;
    byKind.set(it.kind, k);
  }
  const kinds = [...byKind.entries()].sort((a, b) => RANK[a[0]] - RANK[b[0]]);
  const withClauses = kinds.filter(([, v]) => v.withClauses > 0);
  if (withClauses.length > 0) {
    const [primary] = withClauses.reduce((best, cur) => (cur[1].withClauses > best[1].withClauses ? cur : best));
    const chosen: Item[] = items.filter((it) => it.kind === primary);
    const chosenSet = new Set(chosen);
    const aboveChosen = new Set(chosen.flatMap(ancestors));
    for (const it of items) {
      if (it.kind === primary || clauseCount(it) === 0) continue;
      if (aboveChosen.has(it) || ancestors(it).some((a) => chosenSet.has(a))) continue;
      chosen.push(it);
      chosenSet.add(it);
      for (const a of ancestors(it)) aboveChosen.add(a);
    }
    chosen.sort((a, b) => a.start - b.start);
    const sectionKind = sectionKindFor(chosen);
    const measures = chosen.filter((m) => clauseCount(m) > 0 || !inNonTaskSection(m, sectionKind));
    return { measures, sectionKind, basis: 'lead-clauses' };
  }
  const usable = kinds.filter(([k]) => k !== 'circled' && k !== 'paren-arabic');
  const pool = usable.length > 0 ? usable : kinds;
  const [primary] = pool.reduce((best, cur) => (cur[1].count > best[1].count ? cur : best));
  const chosen = items.filter((it) => it.kind === primary);
  const sectionKind = sectionKindFor(chosen);
  const headingOf = (m: Item): string => sectionOf(m, sectionKind)?.rest ?? m.rest;
  const inTask = chosen.filter((m) => TASK.test(headingOf(m)));
  const measures = inTask.length > 0 ? inTask : chosen.filter((m) => !NON_TASK.test(headingText(headingOf(m))));
  return { measures, sectionKind, basis: 'numbering' };
}

function sectionKindFor(measures: Item[]): ItemKind | null {
  if (measures.length === 0) return null;
  const minRank = measures.reduce((r, m) => Math.min(r, m.rank), Infinity);
  let best: Item | null = null;
  for (const m of measures) {
    for (const a of ancestors(m)) if (a.rank < minRank && (best === null || a.rank < best.rank)) best = a;
  }
  return best?.kind ?? null;
}

/** The section item containing `m`, or null. */
export function sectionOf(m: Item, sectionKind: ItemKind | null): Item | null {
  if (sectionKind === null) return null;
  return ancestors(m).find((it) => it.kind === sectionKind) ?? null;
}

function inNonTaskSection(m: Item, sectionKind: ItemKind | null): boolean {
  const s = sectionOf(m, sectionKind);
  return s !== null && NON_TASK.test(headingText(s.rest));
}

/** A heading line may run on into text (（一）组织领导。省乡村振兴局…): keep the heading part. */
export function headingText(rest: string): string {
  const m = /^([^。！？；：]{1,60}?)[。！？；：]/.exec(rest);
  return (m ? m[1] : rest).trim();
}
