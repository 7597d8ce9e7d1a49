import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UnitEntity } from '../organizations/unit.entity';
import type { CollectiveKind } from './collective-units';
import { MeasureEntity } from './measure.entity';

export type MeasureUnitRole = 'lead' | 'cooperating';

/** A unit name printed in a measure, and what it resolved to. */
@Entity({ name: 'measure_units' })
export class MeasureUnitEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  measureId: string;

  @ManyToOne(() => MeasureEntity, (m) => m.units, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'measure_id' })
  measure?: MeasureEntity;

  @Column({ type: 'varchar', length: 16 })
  role: MeasureUnitRole;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 128 })
  printedName: string;

  @Column({ type: 'uuid', nullable: true })
  unitId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  collective: CollectiveKind | null;
}
