import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UnitEntity } from './unit.entity';

/** Where a name of a unit came from: the shipped registry, a user's CSV import, or a coordinator's mapping. */
export type AliasOrigin = 'registry' | 'import' | 'user';

/** One name a unit goes by; names are unique across all units. */
@Entity({ name: 'unit_aliases' })
export class UnitAliasEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_unit_aliases_unit_id')
  @Column({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => UnitEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Index('uq_unit_aliases_alias', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  alias: string;

  @Column({ type: 'varchar', length: 16 })
  origin: AliasOrigin;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
