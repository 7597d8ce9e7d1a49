/**
 * Document text -> ParsedDocument. Pure and synchronous: no I/O, no clock (dates without a year
 * take it from the document or from `options.referenceDate`).
 */
import { toChineseNumeral, parseChineseNumeral } from './chinese-numerals';
import { cleanText } from './clean-text';
import { findDeadlines, timeCellDeadlines, type DeadlineContext } from './deadlines';
import { readHeader, type DocumentHeader } from './header';
import { findConventionStatements, findLeadClauses, mergeLeadClauses, parseClause } from './leads';
import type { LeadClause, LeadMode, Measure, ParseOptions, ParsedDocument, Section } from './parsed-document.types';
import { NoMeasuresError } from './policy-parser.errors';
import { PlaceMatcher } from './places';
import { findRequests, isRequestParagraph } from './requests';
import { ancestors, chooseMeasures, findItems, headingText, numbering, sectionOf, type Item, type ItemKind } from './structure';
import { findTables, formsOf, responsibilityColumns, type Table } from './tables';
import { findTargets } from './targets';
import { splitLines, tableCells, type Line } from './text-lines';
import { splitUnits } from './units';

const CLOSING = /^(?:抄送|抄报|附件|附表|联系人|联系电话|联系方式|主题词|[（(]此件|[（(]联系人)/;

/**
 * Parses a policy document. The input may be raw extracted text: it is cleaned first with
 * `cleanText`, and every `span` indexes into that cleaned text (`cleanText` is idempotent, so
 * `cleanText(input)` gives the same string; `parseDocumentWithText` returns it too).
 */
export function parseDocument(text: string, options: ParseOptions = {}): ParsedDocument {
  return parseDocumentWithText(text, options).document;
}

/** Like `parseDocument`, and strict: a document without any measure throws `NoMeasuresError`. */
export function parseDocumentStrict(text: string, options: ParseOptions = {}): ParsedDocument {
  const doc = parseDocument(text, options);
  if (doc.measures.length === 0) throw new NoMeasuresError();
  return doc;
}

/** The parsed document together with the cleaned text its spans refer to. */
export function parseDocumentWithText(text: string, options: ParseOptions = {}): { document: ParsedDocument; cleanedText: string } {
  const cleaned = cleanText(text);
  const lines = splitLines(cleaned);
  const firstItemLine = lines.findIndex((l) => numbering(l.text) !== null);
  const header = readHeader(lines, firstItemLine < 0 ? lines.length : firstItemLine);
  const ctx: DeadlineContext = { referenceDate: header.issuedOn ?? options.referenceDate ?? null, issuedOn: header.issuedOn };
  const places = PlaceMatcher.forKnownPlaces(options.knownPlaces);
  const warnings: string[] = [];

  const bodyEndLine = firstItemLine < 0 ? lines.length : findBodyEnd(lines, firstItemLine, header);
  const bodyEnd = bodyEndLine < lines.length ? lines[bodyEndLine].start : cleaned.length;
  const items = firstItemLine < 0 ? [] : findItems(lines, firstItemLine, bodyEndLine, bodyEnd);
  const conventions = findConventionStatements(cleaned);
  const lastItemEnd = items.length > 0 ? items[items.length - 1].directEnd : 0;
  // Stated before a clause (下同), or as a footnote after the body: then it applies throughout.
  const conventionAt = (pos: number): boolean => conventions.some((c) => c <= pos || c >= lastItemEnd);

  const directClauses = new Map<Item, LeadClause[]>();
  for (const it of items) directClauses.set(it, findLeadClauses(cleaned.slice(it.start, it.directEnd), it.start, conventionAt).clauses);
  const choice = chooseMeasures(items, (it) => directClauses.get(it)?.length ?? 0);

  const builder = new MeasureBuilder(cleaned, lines, ctx, places, conventionAt, warnings);
  let measures = choice.measures.map((m, i) => builder.fromItem(m, choice.measures[i + 1], choice.sectionKind, bodyEnd, header));
  const tables = findTables(lines);
  const tableMeasures = tables.flatMap((t) => builder.fromTable(t, conventionAt));
  const withLeads = (ms: Measure[]): number => ms.filter((m) => m.leads.length > 0).length;
  if (tableMeasures.length > 0 && withLeads(tableMeasures) > withLeads(measures)) measures = tableMeasures;

  numberMeasures(measures, warnings);
  leadWarnings(measures, choice.basis, warnings, items, choice.sectionKind);

  const sections: Section[] =
    choice.sectionKind === null
      ? []
      : items
          .filter((it) => it.kind === choice.sectionKind)
          .map((it) => ({ no: it.number, label: it.label, heading: headingText(it.rest), span: trimSpan(cleaned, it.start, it.ownEnd) }));

  const forms = formsOf(tables);
  const inMeasure = linesInSpans(lines, measures.map((m) => m.span));
  const requests = findRequests(
    lines.filter((l) => !header.metaLines.has(l.index) && tableCells(l.text) === null && !inMeasure[l.index]),
    ctx,
    [...header.attachments, ...forms.map((f) => f.title)].filter((v, i, a) => a.indexOf(v) === i),
  );
  const docPlaces = places.find(lines.filter((l) => !header.metaLines.has(l.index)).map((l) => l.text).join('\n'));
  if (measures.length === 0) warnings.push('未识别出任何举措（未找到编号条目）');

  const document: ParsedDocument = {
    docNumber: header.docNumber,
    title: header.title,
    enclosedTitle: header.enclosedTitle,
    issuer: header.issuer,
    issuers: header.issuers,
    issuedOn: header.issuedOn,
    addressees: header.addressees,
    cc: header.cc,
    requests,
    sections,
    measures,
    forms,
    attachments: header.attachments,
    places: docPlaces.map((p) => p.name),
    contacts: header.contacts,
    warnings,
  };
  return { document, cleanedText: cleaned };
}

function findBodyEnd(lines: Line[], firstItemLine: number, header: DocumentHeader): number {
  for (let i = firstItemLine + 1; i < lines.length; i++) {
    if (CLOSING.test(lines[i].text) || header.metaLines.has(i)) return i;
  }
  return lines.length;
}

/** Marks the lines that overlap any of the spans (both sorted by position: one pass). */
function linesInSpans(lines: Line[], spans: { start: number; end: number }[]): boolean[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out = new Array<boolean>(lines.length).fill(false);
  let k = 0;
  for (const l of lines) {
    while (k < sorted.length && sorted[k].end <= l.start) k++;
    for (let j = k; j < sorted.length && sorted[j].start < l.end; j++) {
      if (l.start < sorted[j].end && l.end > sorted[j].start) {
        out[l.index] = true;
        break;
      }
    }
  }
  return out;
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return { start, end: e };
}

class MeasureBuilder {
  constructor(
    private readonly cleaned: string,
    private readonly lines: Line[],
    private readonly ctx: DeadlineContext,
    private readonly places: PlaceMatcher,
    private readonly conventionAt: (pos: number) => boolean,
    private readonly warnings: string[],
  ) {}

  fromItem(m: Item, next: Item | undefined, sectionKind: ItemKind | null, bodyEnd: number, header: DocumentHeader): Measure {
    let end = Math.min(m.ownEnd, next?.start ?? bodyEnd, bodyEnd);
    // A trailing paragraph addressed to everyone (各市于8月23日前…报送) is not part of the measure.
    for (let i = m.line + 1; i < this.lines.length && this.lines[i].start < end; i++) {
      const l = this.lines[i];
      if (header.metaLines.has(l.index) || (numbering(l.text) === null && isRequestParagraph(l.text))) {
        end = l.start;
        break;
      }
    }
    const span = trimSpan(this.cleaned, m.start, end);
    const body = this.cleaned.slice(m.start + m.label.length, span.end).trim();
    const { clauses, unparsed } = findLeadClauses(this.cleaned.slice(span.start, span.end), span.start, this.conventionAt);
    for (const u of unparsed) this.warnings.push(`${m.label} 无法解析的责任条款：${u.text}`);
    const section = sectionOf(m, sectionKind);
    // The nearest enclosing heading below the section level (（一） above 1. items).
    const sub = ancestors(m).find((it) => section === null || it.rank > section.rank);
    const { title, text } = splitTitle(body, clauses);
    return this.measure({
      label: m.label,
      printedNo: m.number,
      section: section?.number ?? null,
      subsection: sub ? { label: sub.label, heading: headingText(sub.rest) } : null,
      title,
      text,
      body,
      clauses,
      span,
      source: 'paragraph',
    });
  }

  fromTable(t: Table, conventionAt: (pos: number) => boolean): Measure[] {
    const cols = responsibilityColumns(t);
    if (!cols) return [];
    const out: Measure[] = [];
    t.rows.forEach((row, i) => {
      const cell = (k: number | null): string => (k === null ? '' : (row.cells[k] ?? ''));
      const tasks = cols.tasks.map((k) => cell(k)).filter((c) => c !== '');
      if (tasks.length === 0) return;
      const label = cell(cols.no) || String(i + 1);
      const printed = /^\d+$/.test(label) ? Number(label) : (parseChineseNumeral(label.replace(/[（）()、.]/g, '')) ?? i + 1);
      const leadCell = cell(cols.lead);
      const at = row.cellStarts[cols.lead] ?? row.start;
      const clauses: LeadClause[] = [];
      const parsed = leadCell === '' ? null : readLeadCell(leadCell, cell(cols.cooperating), conventionAt(at));
      if (parsed) clauses.push({ text: leadCell, ...parsed, span: { start: at, end: at + leadCell.length } });
      const body = tasks.join('；');
      const deadlines = timeCellDeadlines(cell(cols.time), this.ctx);
      const m = this.measure({
        label,
        printedNo: printed,
        section: null,
        subsection: null,
        title: headingText(tasks[0]),
        text: body,
        body: `${body}\n${cell(cols.time)}`,
        clauses,
        span: { start: row.start, end: row.end },
        source: 'table-row',
      });
      for (const d of deadlines) if (!m.deadlines.some((x) => x.date === d.date && x.kind === d.kind)) m.deadlines.push(d);
      out.push(m);
    });
    return out;
  }

  private measure(p: {
    label: string;
    printedNo: number;
    section: number | null;
    subsection: Measure['subsection'];
    title: string;
    text: string;
    body: string;
    clauses: LeadClause[];
    span: { start: number; end: number };
    source: Measure['source'];
  }): Measure {
    const merged = mergeLeadClauses(p.clauses);
    if (merged.conflict) {
      const modes = [...new Set(p.clauses.map((c) => c.mode))].join('/');
      this.warnings.push(`${p.label} 含多个牵头条款且方式不一致（${modes}），按“分别牵头”处理`);
    }
    const placeMentions = this.places.find(p.body);
    return {
      no: p.printedNo,
      label: p.label,
      printedNo: p.printedNo,
      section: p.section,
      subsection: p.subsection,
      title: p.title,
      text: p.text,
      leads: merged.leads,
      leadMode: merged.mode,
      cooperating: merged.cooperating,
      leadClauses: p.clauses,
      deadlines: findDeadlines(p.body, this.ctx),
      targets: findTargets(p.body, this.ctx),
      places: placeMentions.map((x) => x.name),
      placeDetails: placeMentions,
      source: p.source,
      span: p.span,
    };
  }
}

/** A table cell naming units: 省发展改革委、省财政厅 (joint, or lead-first under the convention). */
function readLeadCell(
  leadCell: string,
  coopCell: string,
  convention: boolean,
): { leads: string[]; cooperating: string[]; mode: LeadMode | null; byConvention: boolean } | null {
  const asClause = /负责|牵头|配合|会同/.test(leadCell) ? parseClause(leadCell, convention) : null;
  let leads = asClause?.leads ?? splitUnits(leadCell.replace(/分别$/, ''));
  let cooperating = [...(asClause?.cooperating ?? []), ...splitUnits(coopCell)];
  let byConvention = asClause?.byConvention ?? false;
  let mode: LeadMode | null = asClause?.mode ?? null;
  if (!asClause) {
    if (leads.length > 1 && /分别/.test(leadCell)) mode = 'respective';
    else if (leads.length > 1 && convention) {
      cooperating = [...leads.slice(1), ...cooperating];
      leads = leads.slice(0, 1);
      byConvention = true;
      mode = 'single';
    } else mode = leads.length > 1 ? 'joint' : leads.length === 1 ? 'single' : null;
  }
  cooperating = [...new Set(cooperating)].filter((u) => !leads.includes(u));
  return leads.length + cooperating.length > 0 ? { leads, cooperating, mode, byConvention } : null;
}

/**
 * Lead sentence and body: （十）强化龙头带动。择优推荐… -> title 强化龙头带动. Without a short first
 * sentence the title is the first clause (or the first 40 characters) and the text is the whole body.
 * Trailing responsibility clauses are left out of the text: they are in `leads`.
 */
function splitTitle(body: string, clauses: LeadClause[]): { title: string; text: string } {
  let text = body;
  for (const c of [...clauses].reverse()) {
    const trimmed = text.replace(/[\s。；;]+$/, '');
    if (trimmed.endsWith(c.text)) text = trimmed.slice(0, trimmed.length - c.text.length).replace(/\s+$/, '');
  }
  const firstLine = text.split('\n')[0];
  const sentence = /^([^。！？\n]{1,60}?)[。！？]/.exec(text);
  if (sentence && !/^[（(]/.test(sentence[1])) return { title: sentence[1].trim(), text: text.slice(sentence[0].length).trim() };
  if (text.includes('\n') && firstLine.length <= 60 && !/[。！？]$/.test(firstLine)) {
    return { title: firstLine.trim(), text: text.slice(firstLine.length).trim() };
  }
  const clause = /^([^，；：。\n]{2,40})[，；：]/.exec(text);
  return { title: clause ? clause[1] : [...text].slice(0, 40).join(''), text };
}

/**
 * `no` must be unique: the printed number when numbering runs on through the document, else the
 * position (numbering restarts per section). Gaps and repeats are reported.
 */
function numberMeasures(measures: Measure[], warnings: string[]): void {
  const runsOn = measures.every((m, i) => i === 0 || m.printedNo > measures[i - 1].printedNo);
  measures.forEach((m, i) => {
    m.no = runsOn ? m.printedNo : i + 1;
    if (i === 0) {
      if (m.printedNo !== 1) warnings.push(`编号不从1开始：第一项举措为${m.label}`);
      return;
    }
    const prev = measures[i - 1];
    const newGroup = m.section !== prev.section || m.subsection?.label !== prev.subsection?.label;
    if (m.printedNo === prev.printedNo + 1 || (m.printedNo === 1 && newGroup)) return;
    if (m.printedNo <= prev.printedNo) warnings.push(`编号重复或倒序：${prev.label}之后是${m.label}`);
    else {
      const missing = Array.from({ length: m.printedNo - prev.printedNo - 1 }, (_, k) => prev.printedNo + 1 + k);
      warnings.push(`编号不连续：${prev.label}之后是${m.label}（缺${missing.map((n) => toChineseNumeral(n)).join('、')}）`);
    }
  });
}

function leadWarnings(measures: Measure[], basis: 'lead-clauses' | 'numbering', warnings: string[], items: Item[], sectionKind: ItemKind | null): void {
  if (measures.length === 0) return;
  if (measures.every((m) => m.leads.length === 0)) {
    warnings.push(`文件中未找到牵头单位条款：${measures.length}项举措均未设置牵头单位（未推断）`);
  } else {
    for (const m of measures) if (m.leads.length === 0) warnings.push(`${m.label}${m.title} 未找到牵头单位`);
  }
  if (basis === 'numbering' && sectionKind !== null) {
    const kept = new Set(measures.map((m) => m.section));
    const skipped = items.filter((it) => it.kind === sectionKind && !kept.has(it.number)).map((it) => `${it.label}${headingText(it.rest)}`);
    if (skipped.length > 0) warnings.push(`按章节标题选取举措，未作为举措的章节：${skipped.join('；')}`);
  }
}
