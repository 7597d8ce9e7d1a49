import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** Provides the {@link Clock}; tests pass a ManualClock. */
@Global()
@Module({})
export class CalendarModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: CalendarModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
