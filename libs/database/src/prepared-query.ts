import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a fixed query as a named prepared statement on the DataSource's own pool: each connection
 * parses and plans it once, then only binds and executes it. Meant for small queries run on every
 * request whose plan does not depend on the values (a primary-key lookup); TypeORM's `query` cannot
 * name a statement. `name` must always go with the same `text`.
 */
export async function preparedQuery<T extends QueryResultRow>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return (await pool.query<T>({ name, text, values })).rows;
}

/**
 * Runs a query on the connection of `manager`'s query runner (inside its transaction) and returns
 * each row as an array of its columns, in the select list's order. For reads of thousands of rows
 * of many columns (the tracking roll-ups): an array per row is built and read faster than an
 * object keyed by column name, which TypeORM's `query` always returns.
 */
export async function queryArrays(manager: EntityManager, text: string, values: unknown[]): Promise<unknown[][]> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('queryArrays needs an entity manager bound to a query runner');
  const client = (await runner.connect()) as PoolClient;
  return (await client.query<unknown[]>({ text, values, rowMode: 'array' })).rows;
}
