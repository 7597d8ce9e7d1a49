import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@duban/config';
import { dataSourceOptions } from '@duban/database';
import { ENTITIES } from '@duban/domain';
import { MIGRATIONS } from '../../../migrations';

/**
 * The DataSource for the TypeORM CLI (`npm run typeorm -- migration:show`), built from the same
 * options as the apps' connection.
 */
export default new DataSource(dataSourceOptions(loadConfig(), { entities: ENTITIES, migrations: MIGRATIONS }));
