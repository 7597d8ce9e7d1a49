import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A reported indicator value (e.g. 国家级龙头企业数量 = 6), optionally for one county. */
@Entity({ name: 'submission_values' })
export class SubmissionValueEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  submissionId: string;

  @Column({ type: 'varchar', length: 200 })
  indicator: string;

  @Column({ type: 'uuid', nullable: true })
  unitId: string | null;

  /** numeric in PostgreSQL; read back as a string and converted at the edge. */
  @Column({ type: 'numeric' })
  value: string;
}
