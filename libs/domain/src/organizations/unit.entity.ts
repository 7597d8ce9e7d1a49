import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { VersionedEntity } from '@duban/database';
import type { UnitKind } from './unit-kind';

/** A unit of the registry: the bureau, a department, a city, a city bureau or a county. */
@Entity({ name: 'units' })
export class UnitEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_units_code', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Index('uq_units_name', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  shortName: string;

  @Column({ type: 'varchar', length: 32 })
  kind: UnitKind;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: UnitEntity | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  adminCode: string | null;

  @Column({ type: 'boolean', default: false })
  keyAssisted: boolean;

  @Column({ type: 'boolean', nullable: true })
  formerNationalPovertyCounty: boolean | null;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  sources: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Submissions of this unit need its head's sign-off before they reach the province. */
  @Column({ type: 'boolean', default: false })
  requiresSignoff: boolean;
}
