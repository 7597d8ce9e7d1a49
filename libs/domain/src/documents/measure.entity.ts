import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '@duban/database';
import type { Deadline, LeadMode, Target } from '@duban/policy-parser';
import type { MeasureUnitEntity } from './measure-unit.entity';

/** Reporting cycles. Persisted: do not rename without a migration. */
export const REPORTING_CYCLES = ['none', 'monthly', 'quarterly', 'semiannual', 'annual', 'custom'] as const;
export type ReportingCycle = (typeof REPORTING_CYCLES)[number];

/** One numbered measure (举措) of a document, as parsed and as corrected by a coordinator. */
@Entity({ name: 'measures' })
@Index('uq_measures_document_no', ['documentId', 'no'], { unique: true })
export class MeasureEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @Column({ type: 'integer' })
  no: number;

  @Column({ type: 'varchar', length: 32 })
  label: string;

  @Column({ type: 'integer' })
  printedNo: number;

  @Column({ type: 'integer', nullable: true })
  sectionNo: number | null;

  @Column({ type: 'text', nullable: true })
  sectionHeading: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'integer' })
  spanStart: number;

  @Column({ type: 'integer' })
  spanEnd: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  leadMode: LeadMode | null;

  @Column({ type: 'jsonb' })
  deadlines: Deadline[];

  @Column({ type: 'jsonb' })
  targets: Target[];

  @Column({ type: 'jsonb' })
  places: string[];

  @Column({ type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ type: 'varchar', length: 16 })
  reportingCycle: ReportingCycle;

  /** For the `custom` cycle: the dates (YYYY-MM-DD, ascending) reports are due. */
  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  customReportDates: string[];

  /** False for items that are not work to hand out (principles, background); publish skips them. */
  @Column({ type: 'boolean', default: true })
  dispatch: boolean;

  @OneToMany('MeasureUnitEntity', 'measure')
  units?: MeasureUnitEntity[];
}
