/**
 * The ceiling of the task-list benchmark: a bare Fastify route that runs one indexed query through
 * `pg` and returns the same page the API returns for a unit's officer (same rows, same order, same
 * fields), without authentication, validation, the total count, the cursor, Nest or request logging.
 * Run as a child process: DATABASE_URL, PORT and UNIT_ID from the environment; prints
 * `listening <port>` when ready.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

const PAGE_ROWS = `select t.id, t.title, t.status, t.due_on::text as due_on, t.document_id, t.measure_id, t.version,
         array(select (select u.short_name from units u where u.id = l.unit_id) as name from task_units l
                where l.task_id = t.id and l.role = 'lead' order by name) as leads`;

/**
 * The page queries: the tasks a unit leads or cooperates on, in the API's order, one more than the
 * page (as the API reads, to know whether a next page exists). By offset, the page is found by
 * walking ix_task_units_unit_due's range for the unit; by keyset, it is the range after the previous
 * page's last (due date, id), with dateless tasks as a second range, as the API does.
 */
export const BARE_OFFSET_PAGE_SQL = `
  ${PAGE_ROWS}
    from (select s.task_id as id, s.due_on from task_units s where s.unit_id = $1
           order by s.due_on nulls last, s.task_id limit $2 offset $3) k
    join tasks t on t.id = k.id
   order by k.due_on nulls last, k.id`;
export const BARE_AFTER_PAGE_SQL = `
  ${PAGE_ROWS}
    from (select * from ((select s.task_id as id, s.due_on from task_units s where s.unit_id = $1 and (s.due_on, s.task_id) > ($3::date, $4::uuid)
                            order by s.due_on nulls last, s.task_id limit $2)
                         union all (select s.task_id as id, s.due_on from task_units s where s.unit_id = $1 and s.due_on is null
                            order by s.due_on nulls last, s.task_id limit $2)) k
           order by k.due_on nulls last, k.id limit $2) k
    join tasks t on t.id = k.id
   order by k.due_on nulls last, k.id`;
export const BARE_AFTER_DATELESS_PAGE_SQL = `
  ${PAGE_ROWS}
    from (select s.task_id as id, s.due_on from task_units s where s.unit_id = $1 and s.due_on is null and s.task_id > $3::uuid
           order by s.due_on nulls last, s.task_id limit $2) k
    join tasks t on t.id = k.id
   order by k.due_on nulls last, k.id`;

async function main(): Promise<void> {
  const unitId = process.env.UNIT_ID;
  if (!unitId || !process.env.DATABASE_URL) throw new Error('DATABASE_URL and UNIT_ID are required');
  // The same pool size and session time zone as the API's DataSource.
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, options: '-c timezone=Asia/Shanghai' });
  const app = Fastify({ logger: false });
  // ?afterDue=&afterId=: the previous page's last row (afterDue empty for a task without a due date); else ?offset=.
  app.get<{ Querystring: { limit?: string; offset?: string; afterDue?: string; afterId?: string } }>('/tasks', async (req) => {
    const limit = Math.min(Number(req.query.limit ?? 50) || 50, 200);
    const { afterDue, afterId } = req.query;
    const rows = (
      afterId === undefined
        ? await pool.query<Record<string, unknown>>(BARE_OFFSET_PAGE_SQL, [unitId, limit + 1, Number(req.query.offset ?? 0) || 0])
        : afterDue
          ? await pool.query<Record<string, unknown>>(BARE_AFTER_PAGE_SQL, [unitId, limit + 1, afterDue, afterId])
          : await pool.query<Record<string, unknown>>(BARE_AFTER_DATELESS_PAGE_SQL, [unitId, limit + 1, afterId])
    ).rows;
    return {
      items: rows.slice(0, limit).map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        dueOn: r.due_on ?? null,
        documentId: r.document_id,
        measureId: r.measure_id,
        version: r.version,
        leads: r.leads,
      })),
      limit,
      more: rows.length > limit,
    };
  });
  const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  console.log(`listening ${new URL(address).port}`);
  const stop = (): void => {
    void app.close().then(() => pool.end()).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
