import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '@duban/database';

export type SubmissionStatus = 'awaiting_signoff' | 'submitted' | 'approved' | 'returned';

/** One revision of a period's report. A returned report is resubmitted as a new revision; all are kept. */
@Entity({ name: 'report_submissions' })
export class ReportSubmissionEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  periodId: string;

  @Column({ type: 'uuid' })
  taskId: string;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'uuid' })
  unitId: string;

  @Column({ type: 'varchar', length: 20 })
  status: SubmissionStatus;

  /** 本期进展 */
  @Column({ type: 'text' })
  progress: string;

  /** 存在问题 */
  @Column({ type: 'text', default: '' })
  problems: string;

  /** 下步计划 */
  @Column({ type: 'text', default: '' })
  nextSteps: string;

  @Column({ type: 'uuid' })
  submittedBy: string;

  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  signedOffBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  signedOffAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  reviewComment: string | null;
}
