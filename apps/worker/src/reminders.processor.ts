import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { ProvisionalDatesService, RemindersService, ReportPeriodOpenerService } from '@duban/domain';
import { JOBS, QUEUES, WORKER_OPTIONS, type JobsOf } from '@duban/queue';

function assertNever(name: never): never {
  throw new UnrecoverableError(`unknown job ${String(name)}`);
}

/** The `reminders` queue: the sweep (reminders, 督办, review chasing), opening report periods, recomputing provisional dates. */
@Processor(QUEUES.reminders, WORKER_OPTIONS)
export class RemindersProcessor extends WorkerHost {
  constructor(
    private readonly reminders: RemindersService,
    private readonly periods: ReportPeriodOpenerService,
    private readonly provisional: ProvisionalDatesService,
  ) {
    super();
  }

  async process(job: Job): Promise<number> {
    const name = job.name as JobsOf<'reminders'>;
    switch (name) {
      case JOBS.ReminderSweep:
        return (await this.reminders.sweep()).sent;
      case JOBS.ReportPeriodsOpen:
        return (await this.periods.openDue()).opened;
      case JOBS.ProvisionalDatesRecompute:
        return (await this.provisional.recompute()).cleared;
      default:
        return assertNever(name);
    }
  }
}
