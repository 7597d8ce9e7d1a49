import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '@duban/database';
import type { Target } from '@duban/policy-parser';
import type { ReportingCycle } from '../documents/measure.entity';
import type { TaskUnitEntity } from './task-unit.entity';

/** Task states. Persisted: do not rename without a migration. */
export const TASK_STATUSES = ['assigned', 'accepted', 'in_progress', 'completion_requested', 'closed', 'suspended'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = 'high' | 'normal' | 'low';

/** Work handed to one lead unit (or several, for a joint lead) for one measure. */
@Entity({ name: 'tasks' })
@Index('uq_tasks_measure_assignment', ['measureId', 'assignmentKey'], { unique: true })
export class TaskEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  documentId: string;

  /** Null for tasks from a form campaign or a pairing's annual visit (see `origin`). */
  @Column({ type: 'uuid', nullable: true })
  measureId: string | null;

  @Column({ type: 'varchar', length: 8, default: 'measure' })
  origin: 'measure' | 'form' | 'visit';

  @Column({ type: 'uuid', nullable: true })
  formCampaignId: string | null;

  @Column({ type: 'uuid', nullable: true })
  pairingId: string | null;

  /** SHA-256 of the sorted lead unit ids: publishing twice finds the same task. */
  @Column({ type: 'char', length: 64 })
  assignmentKey: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'varchar', length: 24, default: 'assigned' })
  status: TaskStatus;

  @Column({ type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ type: 'varchar', length: 16 })
  reportingCycle: ReportingCycle;

  /** For the `custom` cycle: the dates reports are due. */
  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  customReportDates: string[];

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  priority: TaskPriority;

  @Column({ type: 'jsonb' })
  targets: Target[];

  /** 签收 must happen by this date. */
  @Column({ type: 'date', nullable: true })
  acceptDueOn: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acceptedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completionRequestedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  completionNote: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  closedBy: string | null;

  /** While suspended: the state to return to, when, why, and the working days that were left. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  suspendedFrom: TaskStatus | null;

  @Column({ type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  suspendReason: string | null;

  @Column({ type: 'integer', nullable: true })
  remainingWorkingDays: number | null;

  /** The acceptance deadline was computed across a year with no official calendar yet. */
  @Column({ type: 'boolean', default: false })
  acceptDueProvisional: boolean;

  /** The due date was recomputed (resume) across a year with no official calendar yet. */
  @Column({ type: 'boolean', default: false })
  dueOnProvisional: boolean;

  /** This task's own override of the deadline rules ({} inherits the document's and the defaults). */
  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  deadlineSettings: Record<string, unknown>;

  /** The date the acceptance deadline counts working days from, and how many (to recompute it). */
  @Column({ type: 'date', nullable: true })
  acceptDueBasis: string | null;

  @Column({ type: 'smallint', nullable: true })
  acceptDueWorkingDays: number | null;

  /** When the due date was computed in working days (resume): from which date, how many. */
  @Column({ type: 'date', nullable: true })
  dueOnBasis: string | null;

  @Column({ type: 'smallint', nullable: true })
  dueOnWorkingDays: number | null;

  @OneToMany('TaskUnitEntity', 'task')
  units?: TaskUnitEntity[];
}
