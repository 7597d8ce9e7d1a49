import { dropRunDatabases } from './support/test-db';

/** Drops the databases this run created, so repeated runs do not fill the server. */
export default async function globalTeardown(): Promise<void> {
  await dropRunDatabases();
}
