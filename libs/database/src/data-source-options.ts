import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@duban/config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one description of the database connection, used by the apps, the tests and the TypeORM CLI.
 * `synchronize` is always false: migrations are the only schema authority.
 */
export function dataSourceOptions(
  config: Pick<AppConfig, 'database' | 'connectTimeoutMs'> & { env?: AppConfig['env'] },
  parts: { entities: DataSourceOptions['entities']; migrations: DataSourceOptions['migrations'] },
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities: parts.entities,
    migrations: parts.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // Tests provoke constraint violations on purpose (the domain turns them into 409s): keep them quiet.
    logging: config.env === 'test' ? false : ['error'],
    extra: {
      connectionTimeoutMillis: config.connectTimeoutMs,
      max: 20,
      // Every session works in the product's time zone, so date_trunc and ::date mean Chinese dates.
      options: '-c timezone=Asia/Shanghai',
    },
  };
}
