import { ApiTokenEntity } from './accounts/api-token.entity';
import { UserEntity } from './accounts/user.entity';
import { UnitAliasEntity } from './organizations/unit-alias.entity';
import { UnitEntity } from './organizations/unit.entity';

/** Every entity, for the DataSource. */
export const ENTITIES = [UnitEntity, UnitAliasEntity, UserEntity, ApiTokenEntity];
