// Our own parser: nzh gets 两千 and 二〇二六 wrong (STACK-NOTES.md).

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, '○': 0,
  一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const WAN = new Set(['万', '萬']);

/** Characters that can appear in a Chinese numeral (for building regular expressions). */
export const CHINESE_NUMERAL_CHARS = '零〇○一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟';

/**
 * Parses a Chinese numeral: 十七 -> 17, 一百零一 -> 101, 两 -> 2, 〇 -> 0, 二〇二二 -> 2022 (digit by
 * digit, as in years), 一百一 -> 110 (colloquial), 三万五千 -> 35000. Arabic digits pass through.
 * Returns null for anything that is not a well-formed numeral.
 */
export function parseChineseNumeral(input: string): number | null {
  const s = input.trim();
  if (s === '') return null;
  if (/^\d+$/.test(s)) return Number(s);
  if ([...s].every((c) => c in DIGITS)) return digitSequence(s);
  const wanAt = [...s].findIndex((c) => WAN.has(c));
  if (wanAt >= 0) {
    const high = s.slice(0, wanAt);
    const low = s.slice(wanAt + 1);
    const h = high === '' ? null : parseBelowWan(high);
    if (h === null || h === 0) return null;
    if (low === '') return h * 10000;
    const l = parseLowAfterWan(low);
    return l === null ? null : h * 10000 + l;
  }
  return parseBelowWan(s);
}

function digitSequence(s: string): number | null {
  const chars = [...s];
  // A lone digit is a number; longer sequences (二〇二二) must not mix in 两, which never spells digits.
  if (chars.length > 1 && (chars.includes('两') || DIGITS[chars[0]] === 0)) return null;
  return Number(chars.map((c) => DIGITS[c]).join(''));
}

/** Parses 0..9999 written with 十/百/千 (and their 大写 forms). */
function parseBelowWan(s: string): number | null {
  const chars = [...s];
  let total = 0;
  let pending: number | null = null; // digit waiting for its unit
  let lastUnit = 10000;
  let sawZero = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c in DIGITS) {
      const d = DIGITS[c];
      if (pending !== null) return null; // two digits in a row
      if (d === 0) {
        if (sawZero || total === 0) return null;
        sawZero = true;
        continue;
      }
      pending = d;
    } else if (c in UNITS) {
      const u = UNITS[c];
      if (u >= lastUnit) return null;
      if (pending === null) {
        // 十七 = 17: only 十 may stand without a digit, and only at the start.
        if (u !== 10 || total !== 0) return null;
        pending = 1;
      }
      if (pending === 2 && chars[i - 1] === '两' && u === 10) return null; // 两十 is not a numeral
      total += pending * u;
      pending = null;
      lastUnit = u;
      sawZero = false;
    } else {
      return null;
    }
  }
  if (pending !== null) {
    if (lastUnit === 10000 || lastUnit === 10 || sawZero) total += pending;
    else total += pending * (lastUnit / 10); // 一百一 = 110, 三千五 = 3500
  }
  return total;
}

function parseLowAfterWan(s: string): number | null {
  // 一万零五 = 10005; 一万五 = 15000 (colloquial).
  if ([...s].length === 1 && s in DIGITS) return DIGITS[s] * 1000;
  const zeroLed = s.startsWith('零') || s.startsWith('〇');
  const v = parseBelowWan(zeroLed ? s.slice(1) : s);
  if (v === null || v >= 10000) return null;
  if (!zeroLed && v < 1000) return null; // 一万五十 is malformed; 一万零五十 is right
  return v;
}

/** Formats 0..99999999 the way official documents number items: 17 -> 十七, 101 -> 一百零一. */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99999999) throw new RangeError(`cannot format ${n}`);
  if (n === 0) return '零';
  if (n >= 10000) {
    const high = Math.floor(n / 10000);
    const low = n % 10000;
    if (low === 0) return `${belowWan(high, true)}万`;
    return `${belowWan(high, true)}万${low < 1000 ? '零' : ''}${belowWan(low, false)}`;
  }
  return belowWan(n, true);
}

function belowWan(n: number, leading: boolean): string {
  const names = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  const units: [number, string][] = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ];
  let out = '';
  let rest = n;
  let zero = false;
  for (const [u, name] of units) {
    const d = Math.floor(rest / u);
    rest %= u;
    if (d === 0) {
      if (out !== '') zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    // 十七 rather than 一十七, but 一百一十 inside larger numbers.
    out += u === 10 && d === 1 && out === '' && leading ? name : names[d] + name;
  }
  if (rest > 0) out += (zero ? '零' : '') + names[rest];
  return out;
}
