/** The parts of the API's JSON the demo reads (the API's own DTOs are in apps/api; the demo is a client). */

export interface Page<T> {
  items: T[];
  total: number;
}

export interface UnitRef {
  id: string;
  code: string;
  name: string;
  shortName?: string;
}

export interface Me {
  id: string;
  username: string;
  unit: UnitRef;
}

export interface UserRow {
  id: string;
  unitId: string;
  roles: string[];
}

export interface MeasureView {
  id: string;
  no: number;
  label: string;
  version: number;
  dueOn: string | null;
  leads: { printedName: string; unit: UnitRef | null }[];
}

export interface DocumentView {
  id: string;
  docNumber: string | null;
  measures: MeasureView[];
}

export interface PublishResult {
  created: number;
  existing: number;
}

export interface TaskRow {
  id: string;
  title: string;
  status: string;
  version: number;
  dueOn: string | null;
  leads: string[];
}

export interface TaskView extends TaskRow {
  targets?: { indicator: string }[];
}

export interface Period {
  id: string;
  periodKey: string;
  dueOn: string;
  status: string;
}

export interface Submission {
  id: string;
  version: number;
  revision: number;
  status: string;
}

export interface Extension {
  id: string;
  version: number;
  currentDueOn: string;
  requestedDueOn: string;
}

export interface Versioned {
  version: number;
}

export interface Escalation {
  taskId: string;
  title: string;
  obligationType: string;
  level: number;
  dueOn: string;
}

export type Light = 'green' | 'yellow' | 'red';

export interface SummaryRow {
  key: string;
  label: string;
  tasks: number;
  byState: Record<string, number>;
  lights: Record<Light, number>;
  light: Light;
  overdueTasks: number;
  missedReports: number;
  openEscalations: number;
  onTimeRate: number | null;
  closedTasks: number;
}

export interface Summary {
  today: string;
  rows: SummaryRow[];
}

export interface RankingRow {
  rank: number;
  name: string;
  breakdown: { score: number };
}
