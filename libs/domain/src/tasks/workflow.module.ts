import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { ReportsService } from '../reports/reports.service';
import { FileStorage, LocalDiskStorage } from '../storage/file-storage';
import { TaskWorkflowService } from './task-workflow.service';
import { TasksQueryRepository } from './tasks-query.repository';

/** The task workflow and progress reports. */
@Module({
  providers: [
    TasksQueryRepository,
    TaskWorkflowService,
    ReportsService,
    { provide: FileStorage, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new LocalDiskStorage(c.storage.dir) },
  ],
  exports: [TasksQueryRepository, TaskWorkflowService, ReportsService],
})
export class WorkflowModule {}
