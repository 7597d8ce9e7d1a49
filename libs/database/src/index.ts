export { dataSourceOptions } from './data-source-options';
export { DatabaseModule } from './database.module';
export { SnakeNamingStrategy } from './snake-naming.strategy';
export { splitDatabaseUrl, withDatabase } from './database-url';
export { checkPostgres, checkRedis, ensureDatabase, ServiceUnavailableAtBootError } from './preflight';
export { isPgError, PG_FOREIGN_KEY_VIOLATION, PG_SERIALIZATION_FAILURE, PG_UNIQUE_VIOLATION } from './database-error';
export { isExplained, runOrExit } from './boot';
export { VersionedEntity } from './base.entity';
export { preparedQuery, queryArrays } from './prepared-query';
