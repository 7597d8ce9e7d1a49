import { Module } from '@nestjs/common';
import { WorkflowModule } from '../tasks/workflow.module';
import { DeadlineSettingsService } from './deadline-settings.service';
import { ProvisionalDatesService } from './provisional-dates.service';
import { ReportPeriodOpenerService } from './report-period-opener.service';

/** The deadline engine's rules: settings per document and task, opening report periods, recomputing provisional dates. */
@Module({
  imports: [WorkflowModule],
  providers: [DeadlineSettingsService, ProvisionalDatesService, ReportPeriodOpenerService],
  exports: [DeadlineSettingsService, ProvisionalDatesService, ReportPeriodOpenerService],
})
export class DeadlinesModule {}
