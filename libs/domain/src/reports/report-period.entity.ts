import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One reporting period of a task (e.g. 2026-Q4) with its own due date. "Missed" is derived, never stored. */
@Entity({ name: 'report_periods' })
export class ReportPeriodEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  taskId: string;

  @Column({ type: 'varchar', length: 16 })
  periodKey: string;

  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;

  @Column({ type: 'date' })
  dueOn: string;

  /** Computed across a year with no official calendar yet (Monday-Friday assumed). */
  @Column({ type: 'boolean', default: false })
  dueProvisional: boolean;

  /** Working days after `endsOn` the due date counts (null: not computed in working days). */
  @Column({ type: 'smallint', nullable: true })
  dueWorkingDays: number | null;

  /** When the period was opened and its lead units asked to report (by the daily opener, once). */
  @Column({ type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
