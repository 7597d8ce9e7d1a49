import { Module, type DynamicModule } from '@nestjs/common';
import { CalendarModule } from '@duban/calendar';
import { ConfigModule, type AppConfig } from '@duban/config';
import { DatabaseModule } from '@duban/database';
import { AuditModule, DeadlinesModule, DocumentsModule, ENTITIES, OrganizationsModule, TrackingModule } from '@duban/domain';
import { MIGRATIONS } from '../../../migrations';
import { AuditVerifyCommand } from './audit-verify.command';
import { CalendarImportCommand, CalendarSeedCommand } from './calendar.command';
import { DemoCommand } from './demo/demo.command';
import { ImportCommand } from './import.command';
import { MigrateCommand } from './migrate.command';
import { RegistryImportCommand } from './registry-import.command';
import { SeedCommand } from './seed.command';
import { TrackingRefreshCommand } from './tracking-refresh.command';

/** Commands that need the database. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        CalendarModule.forRoot(),
        DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
        OrganizationsModule,
        DocumentsModule,
        AuditModule,
        DeadlinesModule,
        TrackingModule,
      ],
      providers: [MigrateCommand, SeedCommand, RegistryImportCommand, ImportCommand, DemoCommand, CalendarSeedCommand, CalendarImportCommand, AuditVerifyCommand, TrackingRefreshCommand],
    };
  }
}
