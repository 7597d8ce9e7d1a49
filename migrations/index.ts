import { CreateRegistryAndAccounts1763856000000 } from './1763856000000-CreateRegistryAndAccounts';
import { CreateDocumentsAndTasks1763942400000 } from './1763942400000-CreateDocumentsAndTasks';
import { CreateCalendarDays1764028800000 } from './1764028800000-CreateCalendarDays';
import { CreateWorkflow1764115200000 } from './1764115200000-CreateWorkflow';
import { AddCustomReportDates1764201600000 } from './1764201600000-AddCustomReportDates';
import { CreateOutboxAndNotifications1764288000000 } from './1764288000000-CreateOutboxAndNotifications';
import { CreateReminderDeliveries1764374400000 } from './1764374400000-CreateReminderDeliveries';
import { CreateEscalations1764460800000 } from './1764460800000-CreateEscalations';
import { CreateNotificationDelivery1764547200000 } from './1764547200000-CreateNotificationDelivery';
import { AddDeadlineRules1764633600000 } from './1764633600000-AddDeadlineRules';
import { AddTaskListPaging1764700000000 } from './1764700000000-AddTaskListPaging';
import { AddTrackingIndexes1764720000000 } from './1764720000000-AddTrackingIndexes';
import { CreatePairingsAndForms1764806400000 } from './1764806400000-CreatePairingsAndForms';
import { CreateTrackingFacts1765000000000 } from './1765000000000-CreateTrackingFacts';
import { NotifyAccountChanges1765100000000 } from './1765100000000-NotifyAccountChanges';
import { AddEscalationListOrder1765200000000 } from './1765200000000-AddEscalationListOrder';
import { CreateTrackingCatalogVersion1765300000000 } from './1765300000000-CreateTrackingCatalogVersion';
import { AddRankingPairsIndex1765400000000 } from './1765400000000-AddRankingPairsIndex';
import { AddTrackingPairsVersion1765500000000 } from './1765500000000-AddTrackingPairsVersion';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [CreateRegistryAndAccounts1763856000000, CreateDocumentsAndTasks1763942400000, CreateCalendarDays1764028800000, CreateWorkflow1764115200000, AddCustomReportDates1764201600000, CreateOutboxAndNotifications1764288000000, CreateReminderDeliveries1764374400000, CreateEscalations1764460800000, CreateNotificationDelivery1764547200000, AddDeadlineRules1764633600000, AddTaskListPaging1764700000000, AddTrackingIndexes1764720000000, CreatePairingsAndForms1764806400000, CreateTrackingFacts1765000000000, NotifyAccountChanges1765100000000, AddEscalationListOrder1765200000000, CreateTrackingCatalogVersion1765300000000, AddRankingPairsIndex1765400000000, AddTrackingPairsVersion1765500000000];
