export { Clock, ManualClock, SystemClock } from './clock';
export { CalendarModule } from './calendar.module';
