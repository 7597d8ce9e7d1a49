import { CreateRegistryAndAccounts1763856000000 } from './1763856000000-CreateRegistryAndAccounts';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [CreateRegistryAndAccounts1763856000000];
