import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '@duban/database';

export type ExtensionStatus = 'pending' | 'approved' | 'refused';

/** 延期申请: filed by a lead unit before the due date; decided by a coordinator. */
@Entity({ name: 'extension_requests' })
export class ExtensionRequestEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  taskId: string;

  @Column({ type: 'uuid' })
  requestedBy: string;

  @Column({ type: 'uuid' })
  unitId: string;

  @Column({ type: 'date' })
  currentDueOn: string;

  @Column({ type: 'date' })
  requestedDueOn: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: ExtensionStatus;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionNote: string | null;
}
