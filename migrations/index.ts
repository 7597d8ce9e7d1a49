import { CreateRegistryAndAccounts1763856000000 } from './1763856000000-CreateRegistryAndAccounts';
import { CreateDocumentsAndTasks1763942400000 } from './1763942400000-CreateDocumentsAndTasks';
import { CreateCalendarDays1764028800000 } from './1764028800000-CreateCalendarDays';
import { CreateWorkflow1764115200000 } from './1764115200000-CreateWorkflow';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [CreateRegistryAndAccounts1763856000000, CreateDocumentsAndTasks1763942400000, CreateCalendarDays1764028800000, CreateWorkflow1764115200000];
