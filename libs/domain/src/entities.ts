import { ApiTokenEntity } from './accounts/api-token.entity';
import { UserEntity } from './accounts/user.entity';
import { UnitAliasEntity } from './organizations/unit-alias.entity';
import { UnitEntity } from './organizations/unit.entity';
import { DocumentEntity } from './documents/document.entity';
import { MeasureEntity } from './documents/measure.entity';
import { MeasureUnitEntity } from './documents/measure-unit.entity';
import { TaskEntity } from './tasks/task.entity';
import { TaskUnitEntity } from './tasks/task-unit.entity';

/** Every entity, for the DataSource. */
export const ENTITIES = [
  UnitEntity,
  UnitAliasEntity,
  UserEntity,
  ApiTokenEntity,
  DocumentEntity,
  MeasureEntity,
  MeasureUnitEntity,
  TaskEntity,
  TaskUnitEntity,
];
