/**
 * Quantified targets: 由现在的5家增长到8家以上, 达到96%以上, 不少于2名, 至少1个, 最高20万元,
 * 不低于/不超过, X%以上, 控制在X以内. A number with no goal word (补助50%政策, 36个重点帮扶县) is a
 * rate or a count, not a target, and is left out.
 */
import { parseChineseNumeral } from './chinese-numerals';
import { targetYear, type DeadlineContext } from './deadlines';
import type { Comparator, Recurrence, Target } from './parsed-document.types';

const NUM = '(\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千万]+)';
const UNIT =
  '(个百分点|百分点|%|‰|万人次|人次|万人|万户|万亩|万吨|万元|亿元|万平方米|平方米|平方公里|公里|千米|千瓦|万千瓦|兆瓦|元|人|户|亩|吨|米|家|个|名|所|座|处|项|次|场|批|村|县|条|台|套|天|小时|倍|支|份|件|张|株|头|只|辆|间|本|部|期|届|轮|年|月|周)';
const GROW = '(?:增长|增加|提高|提升|扩大|扩面|上升|下降|降低|减少|压减|缩小)';

interface Pattern {
  re: RegExp;
  read: (m: RegExpExecArray) => { baseline: string | null; value: string; unit: string | null; comparator: Comparator } | null;
}

const PATTERNS: Pattern[] = [
  {
    // 由现在的5家增长到8家以上
    re: new RegExp(`由(?:现在的|目前的|现有的|当前的|\\d{4}年(?:底)?的?)?${NUM}${UNIT}?${GROW}(?:到|至)${NUM}${UNIT}?(以上|以下|以内|左右)?`, 'g'),
    read: (m) => ({ baseline: m[1], value: m[3], unit: m[4] ?? m[2] ?? null, comparator: qualifier(m[5], grows(m[0])) }),
  },
  {
    // 达到96%以上, 提高到80%, 控制在5%以内
    re: new RegExp(`(?:${GROW}(?:到|至)|达到|达|稳定在|保持在|控制在|突破)${NUM}${UNIT}?(以上|以下|以内|左右)?`, 'g'),
    read: (m) => {
      if (m[2] === undefined && !/^\d/.test(m[1])) return null;
      const base: Comparator = m[0].startsWith('控制在') || /^(?:下降|降低|减少|压减|缩小)/.test(m[0]) ? '<=' : m[0].startsWith('突破') ? '>' : '>=';
      return { baseline: null, value: m[1], unit: m[2] ?? null, comparator: qualifier(m[3], base) };
    },
  },
  {
    // 不少于2名, 至少1个, 最高20万元, 不超过3%
    re: new RegExp(`(不少于|不低于|至少|最少|最低|不下于|超过|高于|多于|不超过|不高于|最高|最多|低于|少于|不到)(?:有|为|达到)?${NUM}${UNIT}`, 'g'),
    read: (m) => ({ baseline: null, value: m[2], unit: m[3], comparator: COMPARATOR_WORD[m[1]] }),
  },
  {
    // 95%以上 (but not the condition 一年以上的: an attribute, not a goal)
    re: new RegExp(`${NUM}${UNIT}(以上|以下|以内|左右)(?!的)`, 'g'),
    read: (m) => (/^\d/.test(m[1]) ? { baseline: null, value: m[1], unit: m[2], comparator: qualifier(m[3], '=') } : null),
  },
];

const COMPARATOR_WORD: Record<string, Comparator> = {
  不少于: '>=', 不低于: '>=', 至少: '>=', 最少: '>=', 最低: '>=', 不下于: '>=',
  超过: '>', 高于: '>', 多于: '>',
  不超过: '<=', 不高于: '<=', 最高: '<=', 最多: '<=',
  低于: '<', 少于: '<', 不到: '<',
};

function qualifier(q: string | undefined, fallback: Comparator): Comparator {
  if (q === '以上') return '>=';
  if (q === '以下' || q === '以内') return '<=';
  if (q === '左右') return '~';
  return fallback;
}

function grows(s: string): Comparator {
  return /(?:下降|降低|减少|压减|缩小)/.test(s) ? '<=' : '>=';
}

const LEAD_IN = /^(?:力争|争取|确保|努力|基本|全面|逐步|进一步|实现|推动|使|让|到|至|截至|全省|全市|\d{4}年(?:底|末)?(?:前)?|[“"]?十[一二三四五六七八九]?五[”"]?末|过渡期(?:内|末)?|在|每年|，|、)+/;
const VERBS = /(?:支持|招聘|培育|培养|建设|建成|新建|打造|认定|选派|安排|开展|创建|推荐|引进|扶持|组织|举办|给予|吸纳|带动|配备|设立|实施|培训|发放|奖励|补助|补贴|落实|新增|累计|完成|有)$/;
const PER_UNIT = /每(?:个|一个|所|家)?(重点帮扶县|脱贫县|县（市、区）|县|市|区|乡镇|乡|镇|行政村|村|户|人|学校|校|企业|园区)/;
const RECUR = /每(?:一)?(年度|年|半年|季度|月)/;

/** Finds the targets in a measure's text; the year comes from deadline words in the same sentence. */
export function findTargets(text: string, ctx: DeadlineContext): Target[] {
  const out: Target[] = [];
  for (const sentence of text.split(/(?<=[。！？；\n])/)) {
    const year = targetYear(sentence, ctx);
    for (const clause of sentence.split(/(?<=[，；。])/)) out.push(...clauseTargets(clause, year));
  }
  return out;
}

function clauseTargets(clause: string, year: number | null): Target[] {
  const taken: [number, number][] = [];
  const found: { at: number; t: Target }[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(clause); m !== null; m = p.re.exec(clause)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const r = p.read(m);
      const value = r ? toNumber(r.value) : null;
      if (!r || value === null) continue;
      taken.push([start, end]);
      const before = clause.slice(0, start);
      const after = clause.slice(end);
      found.push({
        at: start,
        t: {
          text: clause.replace(/[，；。]$/, ''),
          indicator: indicator(before, after),
          baseline: r.baseline === null ? null : toNumber(r.baseline),
          value,
          unit: r.unit,
          comparator: r.comparator,
          year,
          perUnit: perUnit(before),
          recurrence: recurrence(before),
        },
      });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.t);
}

function toNumber(s: string): number | null {
  if (/^\d/.test(s)) return Number(s);
  return parseChineseNumeral(s);
}

/**
 * The thing measured: the phrase before the number (主要农作物良种普及率达到96%), or, when that
 * phrase ends in a verb (招聘不少于2名的特聘农技员), the verb and the phrase after the number.
 */
function indicator(before: string, after: string): string {
  const tail = after.replace(/^[的之]/, '').replace(/[，；。、]$/, '').trim();
  let head = before.replace(PER_UNIT, '').replace(RECUR, '').replace(/[，；。]$/, '');
  head = head.replace(LEAD_IN, '').replace(/由(?:现在的|目前的|现有的)?$/, '').trim();
  const verb = VERBS.exec(head);
  if (verb) return verb[0] === '有' ? tail : `${verb[0]}${tail}`;
  if (head !== '') return head;
  return tail;
}

function perUnit(before: string): string | null {
  const m = PER_UNIT.exec(before);
  if (!m) return null;
  const noun = m[1];
  if (noun.endsWith('县') || noun.startsWith('县')) return '县';
  if (noun === '乡' || noun === '镇' || noun === '乡镇') return '乡镇';
  if (noun.endsWith('村')) return '村';
  return noun;
}

function recurrence(before: string): Recurrence | null {
  const m = RECUR.exec(before);
  if (!m) return null;
  const map: Record<string, Recurrence> = { 年: 'annual', 年度: 'annual', 半年: 'semiannual', 季度: 'quarterly', 月: 'monthly' };
  return map[m[1]];
}
