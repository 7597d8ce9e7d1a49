import { ApiTokenEntity } from './accounts/api-token.entity';
import { UserEntity } from './accounts/user.entity';
import { UnitAliasEntity } from './organizations/unit-alias.entity';
import { UnitEntity } from './organizations/unit.entity';
import { DocumentEntity } from './documents/document.entity';
import { MeasureEntity } from './documents/measure.entity';
import { MeasureUnitEntity } from './documents/measure-unit.entity';
import { TaskEntity } from './tasks/task.entity';
import { TaskUnitEntity } from './tasks/task-unit.entity';
import { ExtensionRequestEntity } from './tasks/extension-request.entity';
import { TaskCommentEntity } from './tasks/task-comment.entity';
import { ReportPeriodEntity } from './reports/report-period.entity';
import { ReportSubmissionEntity } from './reports/report-submission.entity';
import { SubmissionValueEntity } from './reports/submission-value.entity';
import { EvidenceFileEntity } from './reports/evidence-file.entity';

/** Every entity, for the DataSource. */
export const ENTITIES = [
  UnitEntity,
  UnitAliasEntity,
  UserEntity,
  ApiTokenEntity,
  DocumentEntity,
  MeasureEntity,
  MeasureUnitEntity,
  TaskEntity,
  TaskUnitEntity,
  ExtensionRequestEntity,
  TaskCommentEntity,
  ReportPeriodEntity,
  ReportSubmissionEntity,
  SubmissionValueEntity,
  EvidenceFileEntity,
];
