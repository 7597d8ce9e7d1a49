import type { DocumentRequest, Form, Section, Deadline, Target, LeadMode } from '@duban/policy-parser';
import type { UnitKind } from '../organizations/unit-kind';
import type { CollectiveKind } from './collective-units';
import type { DocumentSourceType, DocumentStatus } from './document.entity';
import type { ReportingCycle } from './measure.entity';

/** What a printed unit name in a measure means. */
export interface NameView {
  printedName: string;
  status: 'resolved' | 'collective' | 'unresolved';
  unit: { id: string; code: string; name: string; shortName: string; kind: UnitKind } | null;
  collective: { kind: CollectiveKind; label: string; count: number } | null;
}

export interface MeasureView {
  id: string;
  no: number;
  label: string;
  printedNo: number;
  sectionNo: number | null;
  sectionHeading: string | null;
  title: string;
  text: string;
  span: { start: number; end: number };
  leadMode: LeadMode | null;
  leads: NameView[];
  cooperating: NameView[];
  deadlines: Deadline[];
  targets: Target[];
  places: string[];
  dueOn: string | null;
  reportingCycle: ReportingCycle;
  customReportDates: string[];
  dispatch: boolean;
  version: number;
  /** Derived from the measure's tasks: closed only when every task is closed. */
  progress: { tasks: number; closed: number; status: 'not_published' | 'open' | 'closed' };
}

export interface DocumentView {
  id: string;
  docNumber: string | null;
  title: string | null;
  enclosedTitle: string | null;
  issuer: string | null;
  issuedOn: string | null;
  addressees: string[];
  cc: string[];
  requests: DocumentRequest[];
  sections: Section[];
  forms: Form[];
  warnings: string[];
  status: DocumentStatus;
  sourceFilename: string | null;
  sourceType: DocumentSourceType;
  version: number;
  createdAt: string;
  publishedAt: string | null;
  measures: MeasureView[];
  /** Printed names that resolve to no unit: map them before publishing. */
  unresolvedNames: string[];
  /** Why the draft cannot be published yet (empty when it can). */
  problems: string[];
  taskCount: number;
}
