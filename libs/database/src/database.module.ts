import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { dataSourceOptions } from './data-source-options';

/** The TypeORM connection for an app. The app passes its entities and the migrations list. */
@Module({})
export class DatabaseModule {
  static forRoot(parts: { entities: DataSourceOptions['entities']; migrations: DataSourceOptions['migrations'] }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, { entities: parts.entities ?? [], migrations: parts.migrations ?? [] }),
            // Boot already checked the connection; fail at once instead of retrying for half a minute.
            retryAttempts: 0,
          }),
        }),
      ],
    };
  }
}
