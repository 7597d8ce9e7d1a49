/**
 * The parser's output. `ParsedDocument` is also the stable JSON printed by the CLI: keys may be
 * added, never renamed or removed without a migration plan for stored imports.
 */

/** How the lead units of a measure share it (GLOSSARY.md). */
export type LeadMode =
  /** One lead unit. */
  | 'single'
  /** Several units lead together: one task, several assignees (A、B牵头负责 / A、B负责). */
  | 'joint'
  /** Each unit leads on its own: one task per unit (A、B分别牵头负责). */
  | 'respective';

/** A character range [start, end) in the cleaned text (see `cleanText`). */
export interface TextSpan {
  start: number;
  end: number;
}

/** One responsibility clause as printed, e.g. （省发展改革委、省财政厅分别牵头负责）. */
export interface LeadClause {
  text: string;
  leads: string[];
  cooperating: string[];
  mode: LeadMode | null;
  /** The clause relied on a stated convention such as 列第一位者为牵头单位. */
  byConvention: boolean;
  span: TextSpan;
}

export type DeadlineKind =
  /** A date by which the work is due. */
  | 'point'
  /** A period such as 过渡期内 or 2021-2023年: `date` is its end, `start` its beginning. */
  | 'period'
  /** Recurring work (每年, 每季度): `date` is null. */
  | 'recurring';

export type Recurrence = 'annual' | 'semiannual' | 'quarterly' | 'monthly';

export interface Deadline {
  /** The words as printed, e.g. 到2025年, “十四五”末, 8月23日前. */
  text: string;
  /** YYYY-MM-DD, or null for recurring work. */
  date: string | null;
  kind: DeadlineKind;
  /** Start of a period (YYYY-MM-DD), else null. */
  start: string | null;
  recurrence: Recurrence | null;
}

/** `>=` 以上/至少/不少于/达到, `<=` 最高/不超过/以内, `~` 左右, `=` exact. */
export type Comparator = '>=' | '<=' | '>' | '<' | '=' | '~';

export interface Target {
  /** The sentence fragment the target was read from. */
  text: string;
  indicator: string;
  baseline: number | null;
  value: number;
  unit: string | null;
  comparator: Comparator;
  /** Year the target is due (到2025年 -> 2025), else null. */
  year: number | null;
  /** 每县 -> '县': the value applies to each such unit. */
  perUnit: string | null;
  /** 每年支持至少1个 -> 'annual'. */
  recurrence: Recurrence | null;
}

export type PlaceKind = 'city' | 'county' | 'known' | 'pattern' | 'group';

export interface PlaceMention {
  name: string;
  kind: PlaceKind;
  /** The city a built-in county belongs to. */
  city: string | null;
}

export type MeasureSource = 'paragraph' | 'table-row';

export interface Measure {
  /** Unique running integer: the printed number when numbering runs on, else the position (1..n). */
  no: number;
  /** The number as printed, e.g. （十七）, 3., 第五条. */
  label: string;
  /** The printed number as an integer (17 for （十七）). */
  printedNo: number;
  /** Number of the enclosing section (一、 -> 1), or null. */
  section: number | null;
  /** Label and heading of an intermediate heading level (e.g. （一） above 1. items), or null. */
  subsection: { label: string; heading: string } | null;
  /** The lead sentence, e.g. 加大财政资金支持力度. */
  title: string;
  /** The body without label, lead sentence and trailing responsibility clauses. */
  text: string;
  leads: string[];
  leadMode: LeadMode | null;
  cooperating: string[];
  leadClauses: LeadClause[];
  deadlines: Deadline[];
  targets: Target[];
  /** Named places and counted groups (46个重点帮扶县) as printed. */
  places: string[];
  placeDetails: PlaceMention[];
  source: MeasureSource;
  /** The whole measure as printed, in the cleaned text. */
  span: TextSpan;
}

export interface Section {
  no: number;
  label: string;
  heading: string;
  span: TextSpan;
}

export interface Form {
  title: string;
  columns: string[];
  /** Fields above the table, e.g. 填报单位, 填报时间. */
  headerFields: string[];
  /** Fields below the table, e.g. 填表人, 联系方式. */
  footerFields: string[];
}

/** A document-level instruction outside the measures, e.g. a statistics form due by a date. */
export interface DocumentRequest {
  text: string;
  /** YYYY-MM-DD or null. */
  date: string | null;
  deadlines: Deadline[];
  /** Who must act, as printed (各市). */
  addressees: string[];
  emails: string[];
  /** Attachments the request refers to (附件 / a form title). */
  attachments: string[];
  span: TextSpan;
}

export interface ParsedDocument {
  /** 文号, e.g. 晋乡振发〔2022〕11号, or null. */
  docNumber: string | null;
  /** The document's own title (for a 印发 notice: 关于印发《…》的通知). */
  title: string | null;
  /** For a 印发 notice, the title of the policy text it issues (the text inside 《》), else null. */
  enclosedTitle: string | null;
  /** Issuing body; joint issuers are joined with 、. */
  issuer: string | null;
  issuers: string[];
  /** YYYY-MM-DD: the signature date, else the 印发 date; null if none is printed. */
  issuedOn: string | null;
  addressees: string[];
  cc: string[];
  requests: DocumentRequest[];
  sections: Section[];
  measures: Measure[];
  forms: Form[];
  attachments: string[];
  /** Every place mentioned anywhere in the document. */
  places: string[];
  contacts: { name: string | null; phone: string | null }[];
  /** Human-readable notes on anything doubtful. */
  warnings: string[];
}

export interface ParseOptions {
  /** YYYY-MM-DD; supplies the year for dates such as 8月23日前 when the document has no date. */
  referenceDate?: string;
  /** Extra place names to detect (the app's known organisations and places). */
  knownPlaces?: string[];
}
