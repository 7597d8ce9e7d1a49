import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UnitEntity } from '../organizations/unit.entity';
import { TaskEntity } from './task.entity';

/** A unit on a task: a lead (owns it, reports) or a cooperating unit (sees it, contributes). */
@Entity({ name: 'task_units' })
export class TaskUnitEntity {
  @PrimaryColumn({ type: 'uuid' })
  taskId: string;

  @PrimaryColumn({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => TaskEntity, (t) => t.units, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id' })
  task?: TaskEntity;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Column({ type: 'varchar', length: 16 })
  role: 'lead' | 'cooperating';
}
