import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { RemindersService } from '@duban/domain';
import { JOBS, QUEUES, WORKER_OPTIONS, type JobsOf } from '@duban/queue';

function assertNever(name: never): never {
  throw new UnrecoverableError(`unknown job ${String(name)}`);
}

/** The `reminders` queue: the sweep that sends each due reminder rung once. */
@Processor(QUEUES.reminders, WORKER_OPTIONS)
export class RemindersProcessor extends WorkerHost {
  constructor(private readonly reminders: RemindersService) {
    super();
  }

  async process(job: Job): Promise<number> {
    const name = job.name as JobsOf<'reminders'>;
    switch (name) {
      case JOBS.ReminderSweep:
        return (await this.reminders.sweep()).sent;
      default:
        return assertNever(name);
    }
  }
}
