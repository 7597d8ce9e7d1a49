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

  @Column({ type: 'uuid' })
  measureId: string;

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

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  priority: TaskPriority;

  @Column({ type: 'jsonb' })
  targets: Target[];

  @OneToMany('TaskUnitEntity', 'task')
  units?: TaskUnitEntity[];
}
