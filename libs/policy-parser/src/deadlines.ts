/**
 * Deadlines written in policy text, resolved to dates: 到2025年 -> 2025-12-31, “十四五”末 ->
 * 2025-12-31, 过渡期内 -> 2021-01-01..2025-12-31, 每年 -> recurring, 8月23日前 -> the document's
 * year, 2021-2023年 -> 2023-12-31 (a period).
 */
import { parseChineseNumeral } from './chinese-numerals';
import type { Deadline, Recurrence } from './parsed-document.types';

export interface DeadlineContext {
  /** YYYY-MM-DD used for dates printed without a year (the issue date, else options.referenceDate). */
  referenceDate: string | null;
  /**
   * The document's own date: deadlines ending before it are references to the past (较“十三五”时期),
   * not deadlines, and are dropped.
   */
  issuedOn?: string | null;
}

/** The 2021-2025 transition period of the rural-revitalisation documents (GLOSSARY.md). */
const TRANSITION = { start: '2021-01-01', end: '2025-12-31' };
const YEAR = '(\\d{4}|[〇零一二三四五六七八九]{4})';
const MONTH = '(\\d{1,2}|[一二三四五六七八九十]{1,3})';

interface Rule {
  /** A word every match contains: the rule is skipped on text without it (most text has no dates). */
  hint: string;
  re: RegExp;
  make: (m: RegExpExecArray, ctx: DeadlineContext) => Omit<Deadline, 'text'> | null;
}

const RULES: Rule[] = [
  {
    hint: '年',
    // 2021-2023年, 2021年至2023年
    re: new RegExp(`${YEAR}年?\\s*[-—–~～至到]\\s*${YEAR}年`, 'g'),
    make: (m) => {
      const a = year(m[1]);
      const b = year(m[2]);
      if (a === null || b === null || b < a) return null;
      return { date: `${b}-12-31`, kind: 'period', start: `${a}-01-01`, recurrence: null };
    },
  },
  {
    hint: '五',
    // “十四五”末 / 十四五期间: the Nth five-year plan, counted from the 3rd (1966-1970).
    re: /[“"‘]?(十[一二三四五六七八九]?)五[”"’]?(?:规划)?(末|期末|时期末|期间|时期|期内)/g,
    make: (m) => {
      const n = parseChineseNumeral(m[1]);
      if (n === null) return null;
      const start = 1966 + 5 * (n - 3);
      const end = start + 4;
      if (m[2].endsWith('末')) return { date: `${end}-12-31`, kind: 'point', start: null, recurrence: null };
      return { date: `${end}-12-31`, kind: 'period', start: `${start}-01-01`, recurrence: null };
    },
  },
  {
    hint: '过渡期',
    re: /过渡期(末|结束前|内|期间)?/g,
    make: (m) =>
      m[1] === '末' || m[1] === '结束前'
        ? { date: TRANSITION.end, kind: 'point', start: null, recurrence: null }
        : { date: TRANSITION.end, kind: 'period', start: TRANSITION.start, recurrence: null },
  },
  {
    hint: '日',
    // 2021年8月23日前 / 截至2025年6月30日
    re: new RegExp(`(于|在|截至|截止|到|至)?${YEAR}年${MONTH}月(\\d{1,2}|[一二三四五六七八九十]{1,3})日(前|之前|以前|止)?`, 'g'),
    make: (m) => {
      if (m[1] === undefined && m[5] === undefined) return null;
      return point(ymd(year(m[2]), num(m[3]), num(m[4])));
    },
  },
  {
    hint: '年',
    // 2025年6月底前 / 2025年上半年 / 2025年第三季度
    re: new RegExp(`${YEAR}年(?:${MONTH}月(底|末|前|份前)|(上半年|年中|下半年|年底|年末)|第?([一二三四1-4])季度)(前|之前|以前)?`, 'g'),
    make: (m) => {
      const y = year(m[1]);
      if (y === null) return null;
      if (m[2] !== undefined) {
        const mo = num(m[2]);
        if (mo === null) return null;
        return point(m[3] === '前' || m[3] === '份前' ? monthEnd(y, mo - 1) : monthEnd(y, mo));
      }
      if (m[4] !== undefined) return point(m[4] === '上半年' || m[4] === '年中' ? `${y}-06-30` : `${y}-12-31`);
      const q = num(m[5]);
      return q === null ? null : point(monthEnd(y, q * 3));
    },
  },
  {
    hint: '年',
    // 到2025年 / 2025年底前 / 至2025年; a bare 2022年 is a reference, not a deadline.
    re: new RegExp(`(到|至|截至|截止到?|于|在)?${YEAR}年(底前|末前|年底前|底|末|年底|前|之前|以前|内)?`, 'g'),
    make: (m) => {
      const y = year(m[2]);
      if (y === null || (m[1] === undefined && m[3] === undefined)) return null;
      if (m[1] === '于' || m[1] === '在') {
        if (m[3] === undefined) return null; // 于2021年启动 is an event date
      }
      return point(`${y}-12-31`);
    },
  },
  {
    hint: '日',
    // 8月23日前: the year comes from the document.
    re: new RegExp(`(?<![\\d年])${MONTH}月(\\d{1,2}|[一二三四五六七八九十]{1,3})日(前|之前|以前|止)`, 'g'),
    make: (m, ctx) => {
      const mo = num(m[1]);
      const d = num(m[2]);
      if (mo === null || d === null) return null;
      // Without a document date the deadline is kept, undated, rather than guessed.
      return { date: withContextYear(mo, d, ctx), kind: 'point', start: null, recurrence: null };
    },
  },
  {
    hint: '月',
    re: new RegExp(`(?<![\\d年])${MONTH}月(底|末)(前)?`, 'g'),
    make: (m, ctx) => {
      const mo = num(m[1]);
      if (mo === null) return null;
      const ref = refParts(ctx);
      if (!ref) return { date: null, kind: 'point', start: null, recurrence: null };
      const y = mo < ref.m ? ref.y + 1 : ref.y;
      return point(monthEnd(y, mo));
    },
  },
  {
    hint: '年',
    re: /(?<!每)(?:今年底前|今年年底前|年底前|本年度内|今年内)/g,
    make: (_m, ctx) => {
      const ref = refParts(ctx);
      return ref ? point(`${ref.y}-12-31`) : { date: null, kind: 'point', start: null, recurrence: null };
    },
  },
  {
    hint: '每',
    re: /每(?:一)?(年度|年|半年|季度|季|月)/g,
    make: (m) => {
      const r: Record<string, Recurrence> = { 年: 'annual', 年度: 'annual', 半年: 'semiannual', 季度: 'quarterly', 季: 'quarterly', 月: 'monthly' };
      return { date: null, kind: 'recurring', start: null, recurrence: r[m[1]] };
    },
  },
];

/** Finds the deadlines in a piece of text, in order of appearance, without duplicates. */
export function findDeadlines(text: string, ctx: DeadlineContext): Deadline[] {
  const taken: [number, number][] = [];
  const found: { at: number; d: Deadline }[] = [];
  for (const rule of RULES) {
    if (!text.includes(rule.hint)) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const made = rule.make(m, ctx);
      if (!made) continue;
      taken.push([start, end]);
      found.push({ at: start, d: { text: m[0], ...made } });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: Deadline[] = [];
  for (const { d } of found) {
    if (ctx.issuedOn && d.date !== null && d.date < ctx.issuedOn) continue;
    const key = `${d.kind}|${d.date}|${d.start}|${d.recurrence}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** The year a target is due, read from deadline words in the same sentence (到2025年 -> 2025). */
export function targetYear(sentence: string, ctx: DeadlineContext): number | null {
  for (const d of findDeadlines(sentence, ctx)) {
    if (d.kind === 'point' && d.date !== null) return Number(d.date.slice(0, 4));
  }
  return null;
}

function point(date: string | null): Omit<Deadline, 'text'> | null {
  return date === null ? null : { date, kind: 'point', start: null, recurrence: null };
}

function year(s: string): number | null {
  const n = /^\d{4}$/.test(s) ? Number(s) : parseChineseNumeral(s);
  return n !== null && n >= 1949 && n <= 2100 ? n : null;
}

function num(s: string | undefined): number | null {
  return s === undefined ? null : parseChineseNumeral(s);
}

function ymd(y: number | null, m: number | null, d: number | null): string | null {
  if (y === null || m === null || d === null || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

function monthEnd(y: number, m: number): string | null {
  if (m < 1) return `${y - 1}-12-31`;
  if (m > 12) return null;
  return `${y}-${pad(m)}-${pad(daysIn(y, m))}`;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function refParts(ctx: DeadlineContext): { y: number; m: number; d: number } | null {
  const m = ctx.referenceDate === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(ctx.referenceDate);
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
}

/** A month-day earlier than the document's date falls in the following year (issued in Dec, due 1月10日). */
function withContextYear(mo: number, d: number, ctx: DeadlineContext): string | null {
  const ref = refParts(ctx);
  if (!ref) return null;
  const y = mo < ref.m || (mo === ref.m && d < ref.d) ? ref.y + 1 : ref.y;
  return ymd(y, mo, d);
}

/** A table's 完成时限 cell: a bare 2022年6月 or 2025年 there means the end of that month or year. */
export function timeCellDeadlines(cell: string, ctx: DeadlineContext): Deadline[] {
  const text = cell.trim();
  if (text === '') return [];
  const found = findDeadlines(text, ctx);
  if (found.length > 0) return found;
  const ym = /(\d{4})年(\d{1,2})月/.exec(text);
  if (ym) {
    const date = monthEnd(Number(ym[1]), Number(ym[2]));
    return date === null ? [] : [{ text: ym[0], date, kind: 'point', start: null, recurrence: null }];
  }
  const y = /(\d{4})年/.exec(text);
  return y ? [{ text: y[0], date: `${y[1]}-12-31`, kind: 'point', start: null, recurrence: null }] : [];
}
