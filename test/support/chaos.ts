import { Client } from 'pg';
import { toChineseNumeral } from '../../libs/policy-parser/src';
import { AppProcess, BUILT, freePort, runBuilt, waitFor, waitForLog } from './processes';

/**
 * The chaos scenario shared by test/chaos.e2e-spec.ts: documents published on Monday 2026-11-23
 * (acceptance due Thursday the 26th), and a worker whose clock reads Tuesday 2026-12-15, 13 working
 * days later. Every task nobody accepted is then overdue: one reminder rung (`overdue:2026-12-15`)
 * and escalation levels 1, 2 and 3 are due for each, at the same instant.
 */
export const API_CLOCK = '2026-11-23T10:00:00+08:00';
export const WORKER_CLOCK = '2026-12-15T10:00:00+08:00';
export const TODAY = '2026-12-15';
/** Sweeps this often in the chaos tests, so a lost or interrupted sweep is followed by another soon. */
export const SWEEP_SECONDS = 2;

export interface Stores {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
}

export function appEnv(stores: Stores, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: stores.databaseUrl,
    REDIS_URL: stores.redisUrl,
    QUEUE_PREFIX: stores.queuePrefix,
    JWT_SECRET: 'chaos-secret-with-enough-length',
    REMINDER_SWEEP_SECONDS: String(SWEEP_SECONDS),
    SERVICE_CONNECT_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** One query on a short-lived connection (the server may be restarted between two calls). */
export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined); // a restart cuts the connection; the query below rejects
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function count(url: string, text: string, params: unknown[] = []): Promise<number> {
  const [row] = await sql<{ n: string }>(url, text, params);
  return Number(row.n);
}

/** Seeds a migrated database (registry, calendar, demo users) with the CLI, then gives every county an officer, so reminders reach many inboxes. */
export async function prepareDatabase(url: string): Promise<void> {
  runBuilt(BUILT.cli, ['seed', '--demo'], { DATABASE_URL: url });
  await sql(
    url,
    `insert into users (unit_id, username, display_name, password_hash, roles)
     select u.id, 'chaos.' || u.code, u.short_name || '联络员', (select password_hash from users where username = 'czt.officer'), array['officer']
       from units u where u.kind = 'county' and u.active
     on conflict (username) do nothing`,
  );
}

/** The built API as a child process, and a minimal HTTP client for it. */
export class ApiProcess {
  private constructor(
    readonly app: AppProcess,
    readonly base: string,
  ) {}

  static async start(stores: Stores): Promise<ApiProcess> {
    const port = await freePort();
    const app = AppProcess.start('api', BUILT.api, appEnv(stores, { API_PORT: String(port), API_HOST: '127.0.0.1', CLOCK_START: API_CLOCK }));
    await waitForLog(app, '督办 API 已启动');
    return new ApiProcess(app, `http://127.0.0.1:${port}`);
  }

  async request(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async login(username: string): Promise<string> {
    const res = await this.request('POST', '/api/v1/auth/login', null, { username, password: 'Duban@2026' });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  }

  /**
   * Publishes one document of `measures` measures, each led by every county (117 tasks a measure).
   * Returns false when a request failed (a store was down): the transaction then wrote nothing.
   */
  async publish(token: string, no: number, measures: number): Promise<boolean> {
    const lines = [`混沌〔2026〕${no}号`, '一、任务'];
    for (let i = 1; i <= measures; i++) lines.push(`（${toChineseNumeral(i)}）第${no}号文第${i}项工作。（各县（市、区）人民政府牵头负责）`);
    try {
      const draft = await this.request('POST', '/api/v1/documents', token, { text: lines.join('\n\n') });
      if (draft.status !== 201) return false;
      const pub = await this.request('POST', `/api/v1/documents/${draft.body.id}/publish`, token, { defaultDueOn: '2027-06-30' });
      return pub.status === 200 || pub.status === 201;
    } catch {
      return false; // the connection was cut: the command either committed whole or not at all
    }
  }

  async stop(): Promise<void> {
    await this.app.stop();
  }
}

export function startWorker(stores: Stores, name = 'worker'): AppProcess {
  return AppProcess.start(name, BUILT.worker, appEnv(stores, { CLOCK_START: WORKER_CLOCK }));
}

/** Many committed events at once, as the API writes them: each tells the coordinators of an extension request. */
export async function addOutboxEvents(url: string, n: number): Promise<void> {
  await sql(
    url,
    `insert into outbox (event, entity_type, entity_id, payload)
     select 'extension.requested', 'extension', gen_random_uuid()::text, jsonb_build_object('requestedDueOn', '2027-01-31', 'reason', '混沌测试 ' || g)
       from generate_series(1, $1::int) g`,
    [n],
  );
}

export interface Tally {
  /** Tasks nobody accepted: each owes one reminder and three escalation levels today. */
  overdueTasks: number;
  deliveries: number;
  escalations: number;
  /** Reminder rows that are not today's rung of an open obligation, or a missing one. */
  wrongDeliveries: number;
  wrongEscalations: number;
  unprocessedOutbox: number;
  notifications: number;
  /** Delivery keys whose inbox rows differ from the recipients the rules name (missing or extra). */
  inboxMismatches: number;
  /** Report periods of open tasks that have started but were not opened (their notice not sent). */
  unopenedPeriods: number;
}

/**
 * Counts, from PostgreSQL alone, what was delivered against what should have been: an oracle
 * written independently of the sweep and the fan-out (recipients as the rules define them).
 */
export async function tally(url: string): Promise<Tally> {
  const [row] = await sql<Record<keyof Tally, string>>(
    url,
    `with overdue as (select id from tasks where status = 'assigned'),
     lead_users as (
       select tu.task_id, us.id as user_id from task_units tu join users us on us.unit_id = tu.unit_id
        where tu.role = 'lead' and us.active and us.roles && array['officer','unit_head']),
     coordinators as (select id from users where active and 'coordinator' = any(roles)),
     expected as (
       select 'reminder-' || d.id as key, lu.user_id from reminder_deliveries d join lead_users lu on lu.task_id = d.task_id
       union all
       select 'escalation-' || e.id, us.id from escalations e join task_units tu on tu.task_id = e.task_id and tu.role = 'lead'
         join users us on us.unit_id = tu.unit_id and us.active and 'unit_head' = any(us.roles) where e.level = 1
       union all
       select 'escalation-' || e.id, c.id from escalations e cross join coordinators c where e.level in (2, 3)
       union all
       select distinct 'outbox-' || o.id, lu.user_id from outbox o join tasks t on t.document_id::text = o.entity_id
         join lead_users lu on lu.task_id = t.id where o.event = 'document.published' and o.processed_at is not null
       union all
       select 'outbox-' || o.id, c.id from outbox o cross join coordinators c where o.event = 'extension.requested' and o.processed_at is not null
       union all
       select 'period-open-' || p.id, lu.user_id from report_periods p join lead_users lu on lu.task_id = p.task_id where p.opened_at is not null),
     mismatches as (
       select coalesce(e.key, n.delivery_key) from expected e full join notifications n on n.delivery_key = e.key and n.user_id = e.user_id
        where e.key is null or n.id is null)
     select (select count(*) from overdue) as "overdueTasks",
            (select count(*) from reminder_deliveries) as deliveries,
            (select count(*) from escalations) as escalations,
            (select count(*) from reminder_deliveries d where d.obligation_type <> 'accept' or d.rung <> 'overdue:' || $1::text
                or d.obligation_id not in (select id from overdue))
              + (select count(*) from overdue o where not exists (select 1 from reminder_deliveries d where d.obligation_id = o.id)) as "wrongDeliveries",
            (select count(*) from overdue o cross join generate_series(1, 3) l
              where not exists (select 1 from escalations e where e.obligation_type = 'accept' and e.obligation_id = o.id and e.level = l))
              + (select count(*) from escalations e where e.obligation_type <> 'accept' or e.obligation_id not in (select id from overdue)) as "wrongEscalations",
            (select count(*) from outbox where processed_at is null) as "unprocessedOutbox",
            (select count(*) from notifications) as notifications,
            (select count(*) from mismatches) as "inboxMismatches",
            (select count(*) from report_periods p join tasks t on t.id = p.task_id
              where p.opened_at is null and p.starts_on <= $1::date and t.status in ('assigned', 'accepted', 'in_progress')) as "unopenedPeriods"`,
    [TODAY],
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Tally;
}

/** Whether everything due was delivered exactly once (the tally's own figures agree). */
export function complete(t: Tally): boolean {
  return (
    t.overdueTasks > 0 &&
    t.deliveries === t.overdueTasks &&
    t.escalations === 3 * t.overdueTasks &&
    t.wrongDeliveries === 0 &&
    t.wrongEscalations === 0 &&
    t.unprocessedOutbox === 0 &&
    t.inboxMismatches === 0 &&
    t.unopenedPeriods === 0
  );
}

/**
 * Waits until every due reminder, escalation and inbox notification is there, then lets two more
 * sweeps and relays run and checks that nothing more was written: exactly once.
 */
export async function expectExactlyOnce(url: string, apps: AppProcess[], ms = 45_000): Promise<Tally> {
  let done: Tally;
  try {
    done = await waitFor('every due reminder, escalation and notification', () => tally(url), complete, ms, 1000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${apps.map((a) => a.tail()).join('\n')}`);
  }
  await new Promise((r) => setTimeout(r, (2 * SWEEP_SECONDS + 1) * 1000));
  const after = await tally(url);
  if (JSON.stringify(after) !== JSON.stringify(done)) throw new Error(`more was written after completion: ${JSON.stringify(done)} -> ${JSON.stringify(after)}`);
  return after;
}
