import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { TasksRepository } from '../tasks/tasks.repository';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';

/** Document intake and publishing. */
@Module({
  imports: [OrganizationsModule],
  providers: [DocumentsRepository, DocumentsService, TasksRepository],
  exports: [DocumentsService],
})
export class DocumentsModule {}
