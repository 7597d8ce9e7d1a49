import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CalendarService } from './calendar.service';
import { Clock, SystemClock } from './clock';

/**
 * Provides the {@link Clock} (tests pass a ManualClock) and the {@link CalendarService}. Global, so
 * every module can inject both. CalendarService needs TypeORM's DataSource, which each app provides
 * through DatabaseModule; it touches the database only when first used, so `migrate` still runs on
 * an empty database.
 */
@Global()
@Module({})
export class CalendarModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CalendarModule,
      providers: [{ provide: Clock, useValue: clock }, CalendarService],
      exports: [Clock, CalendarService],
    };
  }
}
