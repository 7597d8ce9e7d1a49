import { buildTemplate } from './support/test-db';

/**
 * Runs once before all test files: gives this run an id (test workers inherit the variable) and
 * builds its template database with the real migrations (up, down, up).
 */
export default async function globalSetup(): Promise<void> {
  process.env.DUBAN_TEST_RUN ??= `${process.pid}`;
  await buildTemplate();
}
