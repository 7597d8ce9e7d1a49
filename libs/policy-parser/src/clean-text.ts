/**
 * Turns text extracted from a PDF/DOCX/TXT policy document into one paragraph per line:
 * page markers removed, lines broken by the PDF layout joined again, stray spaces dropped and
 * width variants normalised. Every span the parser reports indexes into this cleaned text.
 */

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** CJK punctuation, full-width forms and the dashes/quotes Chinese text uses. */
const CJK_PUNCT = '\\u3000-\\u303f\\uff00-\\uffef\\u2014\\u2015\\u2018\\u2019\\u201c\\u201d\\u2026\\u00b7';
const IS_CJK = new RegExp(`[${CJK}]`);

const PAGE_MARKERS = [
  /^[-—–－一~～_ ]*\d{1,4}[-—–－一~～_ ]*$/, // — 4 —, -3 一, - 12 -
  /^第\d{1,4}页(?:[,，/]?共\d{1,4}页)?$/,
  /^共\d{1,4}页[,，]?第\d{1,4}页$/,
  /^-- ?\d{1,4} of \d{1,4} ?--$/i,
  /^page \d{1,4}(?: of \d{1,4})?$/i,
  /^\d{1,4} ?\/ ?\d{1,4}$/,
];

/**
 * Line starts that always begin a new paragraph: numbered items, closing blocks, labels.
 * Exported for the structure parser so both agree on what a numbered line is.
 */
export const STRUCTURAL_START =
  /^(?:[一二三四五六七八九十百零〇两]+[、.]|[（(][一二三四五六七八九十百零〇两]+[）)]|\d{1,3}[.、](?!\d)|[（(]\d{1,3}[）)]|\d{1,3}[）)]|[①-⑳]|第[一二三四五六七八九十百零〇两\d]+[章节条部分篇]|附件|附表|抄送|抄报|联系人|联系电话|联系方式|主题词|注[：:]|(?:牵头|责任|配合|协办|参与|负责|主责|协同)(?:单位|部门)[：:]|(?:完成时限|完成时间|时间节点|时限要求)[：:]|[（(]此件|\d{4}年\d{1,2}月\d{1,2}日)/;

const TERMINAL_END = /[。！？；：!?;…]$/;
const CLOSING_END = /[）》”】〕」』)]$/;
/** A line ending with these words or marks cannot end a sentence: the next line continues it. */
const CONTINUES_END = /[，、—“《（〔【的和与及或对在将把向为从以并由按等之其于被使让]$/;
const STARTS_AS_CONTINUATION = /^[，。、；：？！）》”」』%,.;:]/;
/** Lines that stand alone however short or long: 文号, header, dates, titles, form titles. */
const STANDALONE = [
  /〔\d{4}〕\d{1,4}号$/,
  /^\S{2,30}文件$/,
  /\d{4}年\d{1,2}月\d{1,2}日(?:印发|发布)?$/,
  /(?:通知|意见|措施|办法|方案|规定|决定|细则|要点|批复|通报|公告|纲要|规划|清单|统计表|一览表|汇总表|情况表|登记表|明细表|分工表)$/,
];
const MAX_PASSES = 8;

/**
 * Cleans extracted document text. Deterministic and idempotent:
 * `cleanText(cleanText(x)) === cleanText(x)` (the pass is repeated until nothing changes).
 * - removes page markers (`— 4 —`, `-3 一`, `- 12 -`, `第3页`), BOM, zero-width and control characters;
 * - joins lines broken mid-sentence, across blank lines and page markers;
 * - drops spaces between CJK characters and around digits in CJK text (`2025 年` -> `2025年`), keeping
 *   spaces in Latin text and before e-mail addresses;
 * - normalises full-width letters/digits/％ to ASCII and CJK-context `(四)` `,` `;` `:` to full width;
 * - keeps one paragraph per line; table rows keep their cells separated by tabs.
 */
export function cleanText(raw: string): string {
  let text = raw;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = cleanPass(text);
    if (next === text) return next;
    text = next;
  }
  return text;
}

function cleanPass(raw: string): string {
  const lines = raw
    .replace(/\r\n?|[\f\v\u2028\u2029\u0085]/g, '\n')
    .split('\n')
    .map(normalizeLine)
    .filter((l) => l !== '' && !isPageMarker(l));
  return joinLines(lines).join('\n');
}

function isPageMarker(line: string): boolean {
  if (!/\d/.test(line) || line.length > 24) return false;
  if (PAGE_MARKERS[0].test(line) && !/[-—–－一~～_]/.test(line)) return false; // a bare number is text
  return PAGE_MARKERS.some((re) => re.test(line));
}

/** Width as laid out on the page: CJK characters 1, ASCII 0.5. */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) w += s.charCodeAt(i) < 0x2000 ? 0.5 : 1;
  return w;
}

// ---------------------------------------------------------------------------------------------
// One line

const SPACE_CHARS = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]|[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
const INVISIBLE_TEST = new RegExp(INVISIBLE.source);
const SPACE_TEST = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const FULLWIDTH_TO_ASCII = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e\uff0b\uff0d\uff0f\uff20\uff3f\uff06\uff1d\uff1c\uff1e\uff5c\uff03]/g;
const FULLWIDTH_TEST = new RegExp(FULLWIDTH_TO_ASCII.source);
const HALF_PARENS = /[（(]([^()\n]*)[）)]/g;
const SPACE_AROUND = new RegExp(
  `(?<=[${CJK}${CJK_PUNCT}]) +(?=[${CJK}${CJK_PUNCT}\\d%])|(?<=[\\d%]) +(?=[${CJK}${CJK_PUNCT}%])|(?<=\\d) +(?=[.-]\\d)|(?<=\\d[.-]) +(?=\\d)`,
  'g',
);
const COMMA_IN_CJK = new RegExp(`(?<=[${CJK}])[,](?!\\d)|(?<=[^\\d])[,](?=[${CJK}])`, 'g');
const SEMI_IN_CJK = new RegExp(`(?<=[${CJK}${CJK_PUNCT}])[;]|[;](?=[${CJK}])`, 'g');
const COLON_IN_CJK = new RegExp(`(?<=[${CJK}])[:]`, 'g');

function normalizeLine(line: string): string {
  // Each replace is guarded by a cheap test: most lines need none of them, and this runs per pass.
  let s = INVISIBLE_TEST.test(line) ? line.replace(INVISIBLE, '') : line;
  if (SPACE_TEST.test(s)) s = s.replace(SPACE_CHARS, ' ');
  if (FULLWIDTH_TEST.test(s)) s = s.replace(FULLWIDTH_TO_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (s.includes('｜')) s = s.replace(/｜/g, '|');
  s = s.trim();
  if (s === '') return s;
  if (s.includes('  ') || s.includes('\t') || s.includes('|')) s = tableCells(s);
  if (s.includes('(') || s.includes(')')) s = s.replace(HALF_PARENS, (m: string, inner: string) => (IS_CJK.test(inner) || /[（）]/.test(m) ? `（${inner}）` : m));
  if (s.includes(',')) s = s.replace(COMMA_IN_CJK, '，');
  if (s.includes(';')) s = s.replace(SEMI_IN_CJK, '；');
  if (s.includes(':')) s = s.replace(COLON_IN_CJK, '：');
  if (s.includes(' ')) s = s.replace(/ {2,}/g, ' ').replace(SPACE_AROUND, '');
  return s;
}

/** Runs of 2+ spaces between 3+ cells are table columns: keep them as tabs. */
function tableCells(s: string): string {
  let out = s;
  if ((out.match(/ {2,}/g) ?? []).length >= 2) out = out.replace(/ {2,}/g, '\t');
  if (out.includes('\t')) out = out.replace(/ *\t */g, '\t');
  if ((out.match(/\|/g) ?? []).length >= 2) out = out.replace(/ *\| */g, '|');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Joining lines into paragraphs

interface WrapInfo {
  /** The document is hard-wrapped at about this width (PDF layout); null when lines are paragraphs. */
  width: number | null;
}

function joinLines(lines: string[]): string[] {
  const wrap = detectWrap(lines);
  const out: string[] = [];
  let para: string[] = [];
  const brackets = new BracketTracker();
  for (const [i, line] of lines.entries()) {
    const last = para[para.length - 1];
    if (last !== undefined && continues(brackets.open(i), last, line, wrap)) {
      if (/[A-Za-z]$/.test(last) && /^[A-Za-z]/.test(line)) para.push(' ');
      para.push(line);
    } else {
      if (para.length > 0) out.push(para.join(''));
      para = [line];
      brackets.reset();
    }
    brackets.feed(line, i);
  }
  if (para.length > 0) out.push(para.join(''));
  return out;
}

function detectWrap(lines: string[]): WrapInfo {
  const widths = lines.filter((l) => !isTableRow(l)).map(displayWidth).filter((w) => w >= 10);
  if (widths.length < 5) return { width: null };
  const counts = new Map<number, number>();
  for (const w of widths) counts.set(Math.floor(w), (counts.get(Math.floor(w)) ?? 0) + 1);
  let mode = 0;
  let best = -1;
  for (const [w, c] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
    if (c > best) {
      mode = w;
      best = c;
    }
  }
  const near = widths.filter((w) => w >= mode - 2.5 && w <= mode + 1.5).length;
  return near >= 5 && near / widths.length >= 0.35 ? { width: mode } : { width: null };
}

function isTableRow(line: string): boolean {
  return line.includes('\t') || (line.match(/\|/g) ?? []).length >= 2;
}

/** Decides whether `next` continues the paragraph whose last physical line is `last`. */
function continues(openBracket: boolean, last: string, next: string, wrap: WrapInfo): boolean {
  if (isTableRow(last) || isTableRow(next)) return false;
  if (STARTS_AS_CONTINUATION.test(next)) return true;
  if (STRUCTURAL_START.test(next)) return false;
  if (openBracket) return true;
  if (CONTINUES_END.test(last)) return true;
  if (STANDALONE.some((re) => re.test(next)) && displayWidth(next) <= 40) return false;
  const full = wrap.width !== null && displayWidth(last) >= wrap.width - 2.5;
  if (TERMINAL_END.test(last)) return full;
  if (STANDALONE.some((re) => re.test(last)) && displayWidth(last) <= 60) return false;
  if (STRUCTURAL_START.test(last) && !full && displayWidth(last) <= 40) return false;
  if (wrap.width !== null) return full;
  if (CLOSING_END.test(last)) return false;
  return displayWidth(last) >= 20;
}

const OPENERS: Record<string, string> = { '（': '）', '《': '》', '“': '”', '〔': '〕', '【': '】', '(': ')' };
const BRACKET = /[（《“〔【(）》”〕】)]/g;
/** A bracket left open this many lines ago is a stray one, not a clause still running on. */
const MAX_OPEN_LINES = 8;

/** Tracks the brackets and quotes left open in the current paragraph (（省地 | 方金融监管局…）). */
class BracketTracker {
  private stack: { closer: string; line: number }[] = [];

  reset(): void {
    this.stack = [];
  }

  feed(line: string, lineNo: number): void {
    BRACKET.lastIndex = 0;
    for (let m = BRACKET.exec(line); m !== null; m = BRACKET.exec(line)) {
      const c = m[0];
      const closer = OPENERS[c];
      if (closer !== undefined) this.stack.push({ closer, line: lineNo });
      else {
        let at = this.stack.length - 1;
        while (at >= 0 && this.stack[at].closer !== c) at--;
        if (at >= 0) this.stack.length = at;
      }
    }
  }

  /** True when a bracket opened within the last few lines is still open before line `lineNo`. */
  open(lineNo: number): boolean {
    return this.stack.some((e) => lineNo - e.line <= MAX_OPEN_LINES);
  }
}
