import { buildTemplate } from './support/test-db';

/** Runs once before all test files: the schema comes from the real migrations (up, down, up). */
export default async function globalSetup(): Promise<void> {
  await buildTemplate();
}
