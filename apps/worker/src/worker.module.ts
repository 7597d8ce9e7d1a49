import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CalendarModule, type Clock } from '@duban/calendar';
import { ConfigModule, type AppConfig } from '@duban/config';
import { DatabaseModule } from '@duban/database';
import { AuditModule, DeadlinesModule, DeliveryModule, ENTITIES, NotificationsModule, OperationsModule, TrackingModule } from '@duban/domain';
import { QueueModule } from '@duban/queue';
import { MIGRATIONS } from '../../../migrations';
import { DeliveriesProcessor } from './deliveries.processor';
import { DeliverySchedulesService } from './delivery-schedules.service';
import { MaintenanceProcessor } from './maintenance.processor';
import { NotificationsProcessor } from './notifications.processor';
import { RemindersProcessor } from './reminders.processor';
import { SchedulesService } from './schedules.service';

/** The BullMQ worker: processors and job schedulers, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        CalendarModule.forRoot(clock),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.log.level,
            customProps: () => ({ app: 'worker' }),
            transport: config.log.format === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
        DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
        QueueModule.forRoot(),
        OperationsModule,
        NotificationsModule,
        AuditModule,
        DeadlinesModule,
        DeliveryModule,
        TrackingModule,
      ],
      providers: [MaintenanceProcessor, NotificationsProcessor, RemindersProcessor, SchedulesService, DeliveriesProcessor, DeliverySchedulesService],
    };
  }
}
