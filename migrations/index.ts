import { CreateRegistryAndAccounts1763856000000 } from './1763856000000-CreateRegistryAndAccounts';
import { CreateDocumentsAndTasks1763942400000 } from './1763942400000-CreateDocumentsAndTasks';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [CreateRegistryAndAccounts1763856000000, CreateDocumentsAndTasks1763942400000];
