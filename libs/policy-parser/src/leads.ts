/**
 * Responsibility clauses: who leads a measure and who cooperates.
 * Handles （A牵头负责）, （A、B分别牵头负责）, （A、B负责）, （A会同B负责）, （A牵头，B配合）,
 * labelled （牵头单位：A；配合单位：B、C） and the line form 责任单位：A, plus the convention
 * 列第一位者为牵头单位 stated once and carried on (下同).
 */
import type { LeadClause, LeadMode } from './parsed-document.types';
import { looksLikeUnit, splitUnits } from './units';

/** A clause the parser recognised as a responsibility clause but could not read. */
export interface UnparsedClause {
  text: string;
  start: number;
}

const HINT = /牵头|负责|配合|协办|会同|参与|协助|(?:责任|主责|承办|主办)(?:单位|部门)/;
const LABEL = '(?:牵头|主责|主办|责任|负责|承办|配合|协办|参与|协助|协同|协作|实施|落实)(?:单位|部门|主体)';
const LABELLED = new RegExp(`${LABEL}[：:]`);
const LEAD_LABEL = /^(?:牵头|主责|主办)(?:单位|部门|主体)$/;
const RESP_LABEL = /^(?:责任|负责|承办|实施|落实)(?:单位|部门|主体)$/;
const COOP_LABEL = /^(?:配合|协办|参与|协助|协同|协作)(?:单位|部门|主体)$/;

/** 列第一位者为牵头单位 / 排在第一位的部门为牵头部门 / 排名第一的为牵头单位 (with optional 下同). */
export const CONVENTION =
  /(?:各项任务中|以上任务中|以下任务中)?(?:列|排|位列|排在|排名|列在|排列)(?:在)?(?:第一|首|第1)(?:位|个)?(?:的|者)?(?:单位|部门)?(?:为|是)(?:牵头|主要责任|主责)(?:单位|部门)?(?:[，,、；;]?(?:其他|其余|其它)(?:单位|部门)?(?:为|是)?(?:配合|参与|协办|责任)(?:单位|部门)?)?(?:[，,；;]?下同)?/;
const CONVENTION_G = new RegExp(CONVENTION.source, 'g');

/** Offsets in `text` where the first-listed-is-lead convention is stated. */
export function findConventionStatements(text: string): number[] {
  return [...text.matchAll(CONVENTION_G)].map((m) => m.index);
}

export interface ParsedClause {
  leads: string[];
  cooperating: string[];
  mode: LeadMode | null;
  byConvention: boolean;
}

/**
 * Reads the content of one responsibility clause (without its brackets).
 * `convention` says whether 列第一位者为牵头单位 is in force at this point of the document.
 * Returns null when the content is not a readable responsibility clause.
 */
export function parseClause(content: string, convention: boolean): ParsedClause | null {
  let c = content.trim();
  const statesConvention = CONVENTION.test(c);
  c = c.replace(CONVENTION, '').replace(/[，,；;]?\s*下同\s*$/, '').replace(/[。；;，,\s]+$/, '').trim();
  if (c === '') return null;
  const useConvention = convention || statesConvention;
  return LABELLED.test(c) ? parseLabelled(c, useConvention) : parseUnlabelled(c, useConvention);
}

function parseLabelled(c: string, convention: boolean): ParsedClause | null {
  const parts = c.split(new RegExp(`[；;。]|[，,\\s](?=${LABEL}[：:]|[^，,；;：:]{2,6}[：:])`));
  const leads: string[] = [];
  const cooperating: string[] = [];
  let explicit = false;
  let respective = false;
  for (const part of parts) {
    const m = /^\s*([^：:]{2,8})[：:](.*)$/.exec(part);
    if (!m) continue;
    const label = m[1].trim();
    let value = m[2].trim();
    const resp = /分别(?:牵头)?(?:负责)?$/.exec(value);
    if (resp) {
      respective = true;
      value = value.slice(0, resp.index);
    }
    if (LEAD_LABEL.test(label)) {
      explicit = true;
      leads.push(...splitUnits(value));
    } else if (RESP_LABEL.test(label)) leads.push(...splitUnits(value));
    else if (COOP_LABEL.test(label)) cooperating.push(...splitUnits(value));
  }
  if (leads.length === 0 && cooperating.length === 0) return null;
  if (![...leads, ...cooperating].every(looksLikeUnit)) return null;
  return decide(leads, cooperating, { explicit, respective, convention });
}

interface Segment {
  role: 'lead' | 'respective' | 'responsible' | 'cooperating' | 'unknown';
  units: string[];
  /** Units named after 会同 in the same segment: they cooperate. */
  with: string[];
}

const SEG_RESPECTIVE = /^(.+?)分别(?:牵头负责|牵头落实|牵头实施|牵头|负责落实|负责|落实|实施)$/;
const SEG_WITH = /^(.+?)会同(.+?)(?:共同)?(?:牵头负责|负责落实|负责|落实|实施|推进|办理)?$/;
const SEG_LEAD = /^(.+?)(?:牵头负责|牵头落实|牵头实施|牵头推进|牵头组织|牵头)$/;
const SEG_COOP = /^(.+?)(?:按职责配合|配合落实|共同参与|配合|参与|协助|协同|协办)$/;
const SEG_RESP = /^(.+?)(?:按职责分工负责|按职责分工落实|按职能分工负责|按职责负责|按职责落实|分工负责|共同负责|负责落实|具体负责|负责实施|负责)$/;

function parseUnlabelled(c: string, convention: boolean): ParsedClause | null {
  const segments = splitTopLevel(c).map(classify);
  if (segments.some((s) => s.role === 'unknown' && s.units.length === 0)) return null;
  // A bare list before a classified segment shares its role: （A，B负责）.
  for (let i = segments.length - 2; i >= 0; i--) {
    if (segments[i].role === 'unknown') segments[i].role = segments[i + 1].role;
  }
  if (segments.some((s) => s.role === 'unknown')) return null;
  const explicitLead = segments.some((s) => s.role === 'lead' || s.role === 'respective');
  const leads: string[] = [];
  const cooperating: string[] = [];
  let respective = false;
  for (const s of segments) {
    cooperating.push(...s.with);
    if (s.role === 'lead') leads.push(...s.units);
    else if (s.role === 'respective') {
      leads.push(...s.units);
      respective = true;
    } else if (s.role === 'responsible') (explicitLead ? cooperating : leads).push(...s.units);
    else cooperating.push(...s.units);
  }
  if (![...leads, ...cooperating].every(looksLikeUnit)) return null;
  return decide(leads, cooperating, { explicit: explicitLead, respective, convention });
}

function classify(seg: string): Segment {
  const s = seg.trim().replace(/^由/, '');
  let m = SEG_RESPECTIVE.exec(s);
  if (m) return { role: 'respective', units: splitUnits(m[1]), with: [] };
  m = SEG_WITH.exec(s);
  if (m) return { role: 'lead', units: splitUnits(m[1]), with: splitUnits(m[2]) }; // A会同B负责: A leads
  m = SEG_LEAD.exec(s);
  if (m) return { role: 'lead', units: splitUnits(m[1]), with: [] };
  m = SEG_COOP.exec(s);
  if (m) return { role: 'cooperating', units: splitUnits(m[1]), with: [] };
  m = SEG_RESP.exec(s);
  if (m) return { role: 'responsible', units: splitUnits(m[1]), with: [] };
  const units = splitUnits(s);
  return { role: 'unknown', units: units.every(looksLikeUnit) ? units : [], with: [] };
}

function decide(
  rawLeads: string[],
  rawCoop: string[],
  o: { explicit: boolean; respective: boolean; convention: boolean },
): ParsedClause {
  let leads = unique(rawLeads);
  let cooperating = unique(rawCoop);
  let byConvention = false;
  if (leads.length > 1 && !o.respective && !o.explicit && o.convention) {
    cooperating = unique([...leads.slice(1), ...cooperating]);
    leads = leads.slice(0, 1);
    byConvention = true;
  }
  cooperating = cooperating.filter((u) => !leads.includes(u));
  let mode: LeadMode | null = null;
  if (leads.length === 1) mode = 'single';
  else if (leads.length > 1) mode = o.respective ? 'respective' : 'joint';
  return { leads, cooperating, mode, byConvention };
}

/** Splits on ，；, outside brackets. */
function splitTopLevel(c: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of c) {
    if (ch === '（' || ch === '(') depth++;
    else if ((ch === '）' || ch === ')') && depth > 0) depth--;
    if (depth === 0 && /[，,；;]/.test(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

// ---------------------------------------------------------------------------------------------
// Finding clauses in a measure

/** Top-level full-width parentheticals of `text`: [start, end) including the brackets. */
export function parentheticals(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '（') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '）' && depth > 0) {
      depth--;
      if (depth === 0) out.push({ start: open, end: i + 1 });
    } else if (c === '\n') depth = 0; // a clause never spans paragraphs
  }
  return out;
}

const LINE_LABEL = new RegExp(`(?:^|(?<=[。；;\\n]))\\s*(${LABEL}[：:][^。\\n]*)`, 'g');

/**
 * Finds the responsibility clauses in `text` (a measure's own text starting at `offset` in the
 * cleaned document). `conventionAt(pos)` tells whether 列第一位者为牵头单位 applies at a position.
 */
export function findLeadClauses(
  text: string,
  offset: number,
  conventionAt: (pos: number) => boolean,
): { clauses: LeadClause[]; unparsed: UnparsedClause[] } {
  const clauses: LeadClause[] = [];
  const unparsed: UnparsedClause[] = [];
  const parens = parentheticals(text);
  for (const p of parens) {
    const content = text.slice(p.start + 1, p.end - 1);
    if (!isCandidate(content)) continue;
    const parsed = parseClause(content, conventionAt(offset + p.start));
    const raw = text.slice(p.start, p.end);
    if (parsed && (parsed.leads.length > 0 || parsed.cooperating.length > 0)) {
      clauses.push({ text: raw, ...parsed, span: { start: offset + p.start, end: offset + p.end } });
    } else if (looksLikeFailedClause(content)) unparsed.push({ text: raw, start: offset + p.start });
  }
  for (const m of text.matchAll(LINE_LABEL)) {
    const start = m.index + m[0].indexOf(m[1]);
    if (parens.some((p) => start > p.start && start < p.end)) continue;
    const body = m[1].replace(/[；;，,\s]+$/, '');
    const parsed = parseClause(body, conventionAt(offset + start));
    if (parsed && parsed.leads.length + parsed.cooperating.length > 0) {
      clauses.push({ text: body, ...parsed, span: { start: offset + start, end: offset + start + body.length } });
    } else unparsed.push({ text: body, start: offset + start });
  }
  clauses.sort((a, b) => a.span.start - b.span.start);
  return { clauses: mergeAdjacentLabelLines(clauses, text, offset), unparsed };
}

function isCandidate(content: string): boolean {
  if (content.length > 200 || !HINT.test(content)) return false;
  if (/^(?:以下简称|简称|含|包括|其中)/.test(content)) return false;
  // A real clause ends with its verb or is labelled; prose such as （由各地负责组织实施的项目） is not one.
  const core = content.replace(CONVENTION, '').replace(/[，,；;]?\s*下同\s*$/, '').replace(/[。；;，,\s]+$/, '');
  return LABELLED.test(core) || /(?:负责|牵头|配合|参与|协助|协同|协办|落实|实施|推进)$/.test(core);
}

function looksLikeFailedClause(content: string): boolean {
  return /(?:负责|牵头)[。]?$/.test(content.trim()) || LABELLED.test(content);
}

/** 牵头单位：A on one line and 配合单位：B on the next are one clause. */
function mergeAdjacentLabelLines(clauses: LeadClause[], text: string, offset: number): LeadClause[] {
  const out: LeadClause[] = [];
  for (const c of clauses) {
    const prev = out[out.length - 1];
    const between = prev ? text.slice(prev.span.end - offset, c.span.start - offset) : '';
    const labelled = (x: LeadClause): boolean => LABELLED.test(x.text) && !x.text.startsWith('（');
    if (prev && labelled(prev) && labelled(c) && /^[\s；;。，,]*$/.test(between)) {
      const bothLead = prev.leads.length > 0 && c.leads.length > 0;
      if (!bothLead) {
        const leads = unique([...prev.leads, ...c.leads]);
        const cooperating = unique([...prev.cooperating, ...c.cooperating]).filter((u) => !leads.includes(u));
        out[out.length - 1] = {
          text: text.slice(prev.span.start - offset, c.span.end - offset),
          leads,
          cooperating,
          mode: prev.leads.length > 0 ? prev.mode : c.mode,
          byConvention: prev.byConvention || c.byConvention,
          span: { start: prev.span.start, end: c.span.end },
        };
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

export interface MergedLeads {
  leads: string[];
  cooperating: string[];
  mode: LeadMode | null;
  conflict: boolean;
}

/**
 * Merges the clauses of one measure: leads are the union, cooperating units the union minus leads.
 * Several single/respective clauses naming different units mean each leads its own part
 * (respective). Joint and respective clauses together are a conflict: the mode becomes
 * respective (every unit gets its own task, so nothing is lost) and `conflict` is set.
 */
export function mergeLeadClauses(clauses: LeadClause[]): MergedLeads {
  const leads = unique(clauses.flatMap((c) => c.leads));
  const cooperating = unique(clauses.flatMap((c) => c.cooperating)).filter((u) => !leads.includes(u));
  const withLeads = clauses.filter((c) => c.leads.length > 0);
  if (leads.length === 0) return { leads, cooperating, mode: null, conflict: false };
  if (leads.length === 1) return { leads, cooperating, mode: 'single', conflict: false };
  if (withLeads.length === 1) return { leads, cooperating, mode: withLeads[0].mode, conflict: false };
  const modes = new Set(withLeads.map((c) => c.mode));
  if (modes.has('joint')) {
    const sameSet = withLeads.every((c) => c.leads.join('、') === withLeads[0].leads.join('、'));
    if (sameSet) return { leads, cooperating, mode: 'joint', conflict: false };
    return { leads, cooperating, mode: 'respective', conflict: true };
  }
  return { leads, cooperating, mode: 'respective', conflict: false };
}
