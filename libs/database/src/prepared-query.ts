import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

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
