import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { addCalendarDays, CalendarService, ManualClock, workingDaysBetweenFlagged } from '../libs/calendar/src';
import { effectiveRules, RemindersService, rungFor, type DeadlineOverride } from '../libs/domain/src';
import { startApi, type TestApi } from './support/test-app';

const at = (date: string): string => new Date(`${date}T02:00:00Z`).toISOString(); // 10:00 in Shanghai

/**
 * Property: for random due dates and random document and task overrides, the sweep's set-based SQL
 * sends exactly the rung `rungFor` (the rule written out in TypeScript) gives for each task's
 * effective rules, and raises exactly the 督办 levels its effective thresholds reach.
 */
describe('the set-based sweep agrees with the rule written out', () => {
  const clock = new ManualClock(at('2026-09-28'));
  let api: TestApi;
  let db: DataSource;
  let template: { document_id: string; measure_id: string };

  beforeAll(async () => {
    api = await startApi('sweep-eq', { clock });
    db = api.app.get(DataSource);
    const coordinator = await api.login('coordinator');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text: '等价〔2026〕1号\n\n（一）模板工作。（省财政厅牵头负责）' } });
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2027-06-30' } });
    [template] = await db.query(`select document_id, measure_id from tasks limit 1`);
  });
  afterAll(async () => api.close());

  const ladder = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 3 }).map((a) => a.sort((x, y) => y - x));
  const thresholds = fc.uniqueArray(fc.integer({ min: 1, max: 15 }), { minLength: 3, maxLength: 3 }).map((a) => a.sort((x, y) => x - y) as [number, number, number]);
  const override: fc.Arbitrary<DeadlineOverride> = fc.record(
    { reminderDaysBefore: ladder, remindOnDay: fc.boolean(), overdueRepeatEveryDays: fc.integer({ min: 0, max: 3 }), escalationThresholds: thresholds },
    { requiredKeys: [] },
  );
  // Working days around the National Day holiday and its make-up Saturday, and ordinary weeks.
  const days = ['2026-09-29', '2026-09-30', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-20', '2026-11-02'];

  it('for every task, the same rung and the same levels', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...days), override, fc.array(fc.tuple(fc.integer({ min: -20, max: 30 }), override), { minLength: 20, maxLength: 40 }), async (today, docOverride, specs) => {
        run++;
        clock.set(at(today));
        const cal = await api.app.get(CalendarService).load();
        const [doc] = await db.query(
          `insert into documents (doc_number, title, parsed, cleaned_text, source_type, source_sha256, source_bytes, status, deadline_settings)
           select 'EQ-' || $2 || '-' || $3, title, parsed, cleaned_text, source_type, source_sha256, source_bytes, status, $1::jsonb from documents where id = $4 returning id`,
          [JSON.stringify(docOverride), today, run, template.document_id],
        );
        const ids: { id: string; due_on: string }[] = await db.query(
          `insert into tasks (document_id, measure_id, assignment_key, title, status, due_on, reporting_cycle, deadline_settings)
           select $1, $2, md5(random()::text) || md5(random()::text), 'EQ', 'accepted', d, 'none', s
             from unnest($3::date[], $4::jsonb[]) as x(d, s) returning id, due_on::text`,
          [doc.id, template.measure_id, specs.map(([offset]) => addCalendarDays(today, offset)), specs.map(([, o]) => JSON.stringify(o))],
        );
        await api.app.get(RemindersService).sweep();
        const sent = new Map<string, string>(
          (await db.query(`select obligation_id, rung from reminder_deliveries where obligation_type = 'task_due' and obligation_id = any($1::uuid[])`, [ids.map((i) => i.id)])).map(
            (r: { obligation_id: string; rung: string }) => [r.obligation_id, r.rung],
          ),
        );
        const raised = new Map<string, number>(
          (await db.query(`select obligation_id, max(level)::int as l from escalations where obligation_id = any($1::uuid[]) group by 1`, [ids.map((i) => i.id)])).map(
            (r: { obligation_id: string; l: number }) => [r.obligation_id, r.l],
          ),
        );
        ids.forEach((row, i) => {
          const rules = effectiveRules(api.config.deadlines, docOverride, specs[i][1]);
          const overdue = row.due_on < today ? workingDaysBetweenFlagged(cal, row.due_on, today).days : 0;
          const level = rules.escalationThresholds.filter((t) => overdue >= t).length;
          const context = `${today} due ${row.due_on} rules ${JSON.stringify(rules)}`;
          expect([context, sent.get(row.id) ?? null]).toEqual([context, rungFor(cal, today, row.due_on, rules)]);
          expect([context, raised.get(row.id) ?? 0]).toEqual([context, level]);
        });
      }),
      { numRuns: 12, endOnFailure: true },
    );
  });
});
