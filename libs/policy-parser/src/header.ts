/**
 * Document metadata: 文号, title, issuer, issue date, addressees (主送), cc (抄送), contacts and the
 * attachment list. Read from the lines before the first numbered item and from the closing lines.
 */
import { parseChineseNumeral } from './chinese-numerals';
import { DATE_TEXT, UNIT_NAME, type Line } from './text-lines';
import { splitUnits } from './units';

export interface DocumentHeader {
  docNumber: string | null;
  title: string | null;
  enclosedTitle: string | null;
  issuer: string | null;
  issuers: string[];
  issuedOn: string | null;
  addressees: string[];
  cc: string[];
  contacts: { name: string | null; phone: string | null }[];
  attachments: string[];
  /** Lines that belong to the header or the closing block (not body text). */
  metaLines: Set<number>;
}

const DOC_NO = /([\u4e00-\u9fff]{2,14})[〔［[【（(](\d{4})[〕］\]】）)]第?(\d{1,5})号/;
const TITLE_END = /(?:通知|意见|措施|办法|方案|规定|决定|细则|要点|批复|通报|公告|纲要|规划|报告|复函|函|指引|指南|条例|计划|清单|安排|意见稿|实施方案)$/;
const HEADER_LINE = /^(.{2,80}?)文件$/;
const ISSUED_LINE = new RegExp(`^(.{2,60}?)${DATE_TEXT.source}印发$`);
const DATE_ONLY = new RegExp(`^${DATE_TEXT.source}$`);
const SIGNED_LINE = new RegExp(`^(.{2,60}?)${DATE_TEXT.source}$`);
const NOT_ADDRESSEE = /^(?:附件|附表|联系人|联系电话|联系方式|电话|邮箱|抄送|抄报|填报单位|填报时间|填表人|注|说明|备注|主题词|签发人)/;

/**
 * Reads the metadata. `firstItem` is the index of the first numbered line (the body starts there);
 * lines before it are the header region.
 */
export function readHeader(lines: Line[], firstItem: number): DocumentHeader {
  const headerEnd = Math.min(firstItem, lines.length);
  const head = lines.slice(0, headerEnd);
  const metaLines = new Set<number>();

  const docNo = findDocNumber(head.length > 0 ? head : lines.slice(0, 10));
  if (docNo) metaLines.add(docNo.line);

  const headerIssuer = head.slice(0, 8).map((l) => ({ l, m: HEADER_LINE.exec(l.text) })).find((x) => x.m && UNIT_NAME.test(x.m[1]));
  if (headerIssuer) metaLines.add(headerIssuer.l.index);

  const title = findTitle(head, metaLines);
  const signature = findSignature(lines);
  const issued = findIssuedLine(lines);
  for (const x of [signature, issued]) if (x) for (const i of x.lines) metaLines.add(i);

  let issuers: string[] = [];
  if (headerIssuer?.m) issuers = splitIssuers(headerIssuer.m[1]);
  else if (signature) issuers = signature.issuers;
  else if (title?.issuerPrefix) issuers = splitIssuers(title.issuerPrefix);
  else if (issued) issuers = issued.issuers;

  const addressees = findAddressees(head, metaLines);
  const cc = findCc(lines, metaLines);
  return {
    docNumber: docNo?.text ?? null,
    title: title?.title ?? null,
    enclosedTitle: title?.enclosed ?? null,
    issuer: issuers.length > 0 ? issuers.join('、') : null,
    issuers,
    issuedOn: signature?.date ?? issued?.date ?? null,
    addressees,
    cc,
    contacts: findContacts(lines, metaLines),
    attachments: findAttachments(lines, metaLines),
    metaLines,
  };
}

function findDocNumber(candidates: Line[]): { text: string; line: number } | null {
  let fallback: { text: string; line: number } | null = null;
  for (const l of candidates) {
    const m = DOC_NO.exec(l.text);
    if (!m) continue;
    // （中发〔2020〕30号） inside a sentence is a reference to another document.
    const before = l.text.slice(0, m.index);
    if (/[（(《]$/.test(before)) continue;
    const text = `${m[1]}〔${m[2]}〕${m[3]}号`;
    if (m.index === 0 && l.text.length <= m[0].length + 12) return { text, line: l.index };
    fallback ??= { text, line: l.index };
  }
  return fallback;
}

function findTitle(head: Line[], metaLines: Set<number>): { title: string; enclosed: string | null; issuerPrefix: string | null } | null {
  const candidates = head.filter((l) => !metaLines.has(l.index) && l.text.length <= 150 && TITLE_END.test(l.text) && !/[。：:]/.test(l.text));
  const pick = candidates.find((l) => l.text.includes('关于')) ?? candidates[0];
  if (!pick) return null;
  metaLines.add(pick.index);
  let title = pick.text;
  let issuerPrefix: string | null = null;
  const at = title.indexOf('关于');
  if (at > 0 && UNIT_NAME.test(title.slice(0, at))) {
    issuerPrefix = title.slice(0, at);
    title = title.slice(at);
  }
  const enclosed = /关于(?:印发|转发|发布|下达|公布)《(.+?)》的(?:通知|函|决定)$/.exec(title);
  return { title, enclosed: enclosed ? enclosed[1] : null, issuerPrefix };
}

/** Joint issuers printed in one header line lose their separating spaces in cleaning: split them again. */
function splitIssuers(s: string): string[] {
  return s
    .split(/\s+|(?<=厅|局|委|办|会|院|部|政府|办公室)(?=中共|共青团|[\u4e00-\u9fff]{1,3}省|国家|中国)/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function toIsoDate(m: RegExpExecArray, offset: number): string | null {
  const y = /^\d{4}$/.test(m[offset]) ? Number(m[offset]) : parseChineseNumeral(m[offset]);
  const mo = parseChineseNumeral(m[offset + 1]);
  const d = parseChineseNumeral(m[offset + 2]);
  if (y === null || mo === null || d === null || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The signature: a unit line followed by a date line (or both on one line), searched from the end. */
function findSignature(lines: Line[]): { issuers: string[]; date: string | null; lines: number[] } | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].text;
    const only = DATE_ONLY.exec(t);
    if (only) {
      const prev = i > 0 ? lines[i - 1].text : '';
      const issuers = prev.length <= 80 && UNIT_NAME.test(prev) && !/[。，：:；]/.test(prev) ? splitIssuers(prev) : [];
      return { issuers, date: toIsoDate(only, 1), lines: issuers.length > 0 ? [i - 1, i] : [i] };
    }
    const signed = SIGNED_LINE.exec(t);
    if (signed && UNIT_NAME.test(signed[1]) && !/[。，：:；]/.test(signed[1])) {
      return { issuers: splitIssuers(signed[1]), date: toIsoDate(signed, 2), lines: [i] };
    }
  }
  return null;
}

function findIssuedLine(lines: Line[]): { issuers: string[]; date: string | null; lines: number[] } | null {
  for (const l of lines) {
    const m = ISSUED_LINE.exec(l.text);
    if (m) return { issuers: UNIT_NAME.test(m[1]) ? splitIssuers(m[1]) : [], date: toIsoDate(m, 2), lines: [l.index] };
  }
  return null;
}

function findAddressees(head: Line[], metaLines: Set<number>): string[] {
  for (const l of head) {
    const m = /^([^。；;]{2,160})[：:]$/.exec(l.text);
    if (!m || NOT_ADDRESSEE.test(m[1]) || metaLines.has(l.index)) continue;
    if (!/^(?:各|省|市|县|区|国家|中央|有关|全省|全市|[\u4e00-\u9fff]{2,6}(?:省|市|县|区))|局|厅|政府|委|单位|部门|办/.test(m[1])) continue;
    metaLines.add(l.index);
    return m[1].split(/[，,；;]/).flatMap(splitAddresseeGroup).filter((x) => x !== '');
  }
  return [];
}

/** 各市、县（区）人民政府 shares one suffix: only split on 、 when every part is a complete name. */
function splitAddresseeGroup(group: string): string[] {
  const parts = splitUnits(group);
  return parts.length > 1 && parts.every((p) => p.length >= 3 && UNIT_NAME.test(p)) ? parts : [group.trim()];
}

function findCc(lines: Line[], metaLines: Set<number>): string[] {
  const cc: string[] = [];
  for (const l of lines) {
    const m = /^(?:抄送|抄报)[：:](.*)$/.exec(l.text);
    if (!m) continue;
    metaLines.add(l.index);
    cc.push(...splitUnits(m[1].replace(/[。.]$/, '')));
  }
  return [...new Set(cc)];
}

function findContacts(lines: Line[], metaLines: Set<number>): { name: string | null; phone: string | null }[] {
  const out: { name: string | null; phone: string | null }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^[（(]?联系人[：:]\s*([\u4e00-\u9fff·]{2,5})/.exec(lines[i].text);
    if (!m) continue;
    metaLines.add(i);
    const phoneIn = (t: string): string | null => /(?:电话|联系方式|手机)[：:]\s*([\d\-－—()（）\s]{7,20}\d)/.exec(t)?.[1].trim() ?? null;
    let phone = phoneIn(lines[i].text);
    if (phone === null && i + 1 < lines.length) {
      phone = phoneIn(lines[i + 1].text);
      if (phone !== null) metaLines.add(i + 1);
    }
    out.push({ name: m[1], phone });
  }
  return out;
}

function findAttachments(lines: Line[], metaLines: Set<number>): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^附件\s*\d*[：:](.+)$/.exec(l.text);
    if (!m) continue;
    metaLines.add(l.index);
    const items = m[1].split(/(?:^|(?<=\D))\d{1,2}[.、．](?!\d)/).map((s) => s.replace(/[。；;]$/, '').trim()).filter((s) => s !== '');
    out.push(...items);
  }
  return out;
}
