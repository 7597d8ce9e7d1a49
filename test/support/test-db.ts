import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/database/src/data-source-options';
import { withDatabase } from '../../libs/database/src/database-url';
import { MIGRATIONS } from '../../migrations';

/** Server of the test databases; override with TEST_DATABASE_URL (any database name). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * Each `jest` run has its own id (set by global-setup), so two runs on one machine (a developer's
 * and CI's) never drop each other's databases.
 */
export function runId(): string {
  return process.env.DUBAN_TEST_RUN ?? 'local';
}
export function templateDb(): string {
  return `duban_t${runId()}_template`;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(TEST_SERVER_URL, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(c: Client, name: string): Promise<void> {
  await c.query(`drop database if exists "${name}" with (force)`);
}

/** Builds the template database with the real migrations: up, all the way down, and up again. */
export async function buildTemplate(): Promise<void> {
  await admin(async (c) => {
    await dropDatabase(c, templateDb());
    await c.query(`create database "${templateDb()}"`);
  });
  const ds = new DataSource(
    dataSourceOptions({ database: { url: withDatabase(TEST_SERVER_URL, templateDb()) }, connectTimeoutMs: 5000 }, { entities: [], migrations: MIGRATIONS }),
  );
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const left: { n: string }[] = await ds.query(
      `select count(*) as n from information_schema.tables where table_schema = 'public' and table_name <> 'schema_migrations'`,
    );
    if (Number(left[0].n) !== 0) throw new Error(`migrations down left ${left[0].n} tables behind`);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** A fresh database for one test file, copied from the template (or another database of this run); returns its URL. */
export async function freshDatabase(label: string, template = templateDb()): Promise<string> {
  const name = `duban_t${runId()}_${label}_${process.env.JEST_WORKER_ID ?? '0'}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 60);
  await admin(async (c) => {
    await dropDatabase(c, name);
    await c.query(`create database "${name}" template "${template}"`);
  });
  return withDatabase(TEST_SERVER_URL, name);
}

/** Drops every database of this run (global teardown). */
export async function dropRunDatabases(): Promise<void> {
  await admin(async (c) => {
    const rows: { datname: string }[] = (await c.query(`select datname from pg_database where datname like $1`, [`duban_t${runId()}\\_%`])).rows;
    for (const r of rows) await dropDatabase(c, r.datname);
  });
}
