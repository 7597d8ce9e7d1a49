import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addWorkingDaysFlagged, CalendarService, Clock, shanghaiDate } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { BASE_FIGURES, FACT_COLUMNS, MONTHLY_FIGURES, MONTH_SUMS, monthRowsSql, periodFactsSql, rollupGroupsSql, sumsSql, targetValuesSql, taskFactsSql, valueFactsSql } from './tracking-facts.sql';
import { bandSql } from './tracking-read.repository';

export interface RefreshOutcome {
  /** Everything was recomputed (the model was marked for a rebuild). */
  rebuilt: boolean;
  /** Tasks folded in from the dirty list. */
  folded: number;
  /** Dirty rows still waiting (0 when the model is up to date). */
  remaining: number;
  /** Another refresh held the lock: nothing was done. */
  busy: boolean;
}

const LOCK = `hashtext('duban.tracking.refresh')`;
const ROLLUP_COLS = [...BASE_FIGURES, ...MONTHLY_FIGURES];

/**
 * Keeps the tracking read model (decision 51) up to date: folds dirty tasks into `task_facts`,
 * `task_period_facts` and the roll-ups, moves the model's day forward (the tasks dated in between
 * become dirty), and rebuilds everything when asked to (a calendar change, a bulk load). One writer
 * at a time (an advisory lock); each batch is one transaction, so readers see either the batch or
 * not, and the dirty list keeps whatever a crash interrupted.
 */
@Injectable()
export class TrackingRefreshService {
  private readonly logger = new Logger(TrackingRefreshService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Folds batches until nothing is dirty (or `maxBatches` ran). */
  async refresh(opts: { batchSize?: number; maxBatches?: number } = {}): Promise<RefreshOutcome> {
    const batchSize = opts.batchSize ?? 5000;
    const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
    const out: RefreshOutcome = {
      rebuilt: false,
      folded: 0,
      remaining: 0,
      busy: false,
    };
    for (let i = 0; i < maxBatches; i++) {
      const step = await this.step(batchSize);
      if (step.busy) return { ...out, busy: true, remaining: step.remaining };
      out.rebuilt ||= step.rebuilt;
      out.folded += step.folded;
      out.remaining = step.remaining;
      if (step.remaining === 0) break;
    }
    return out;
  }

  private async dates(): Promise<{ today: string; warnUntil: string }> {
    const cal = await this.calendar.load();
    const today = shanghaiDate(this.clock.now());
    return {
      today,
      warnUntil: addWorkingDaysFlagged(cal, today, this.config.tracking.warningWorkingDays).date,
    };
  }

  private async step(batchSize: number): Promise<RefreshOutcome> {
    const { today, warnUntil } = await this.dates();
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${LOCK}) as locked`);
      if (!locked) return { rebuilt: false, folded: 0, remaining: -1, busy: true };
      const [state] = await m.query<{ as_of: string; warn_until: string; needs_rebuild: boolean }[]>(`select as_of::text, warn_until::text, needs_rebuild from tracking_state for update`);
      if (state.needs_rebuild) {
        const t0 = Date.now();
        await this.rebuild(m, today, warnUntil);
        this.logger.log(`跟踪统计已全部重建（${Date.now() - t0} ms）`);
        return {
          rebuilt: true,
          folded: 0,
          remaining: await this.remaining(m),
          busy: false,
        };
      }
      if (state.as_of !== today || state.warn_until !== warnUntil) {
        // The tasks dated between the old day and today change figures: they become dirty, in this transaction.
        await m.query(`insert into tracking_dirty (task_id) ${bandSql('$1', '$2', '$3', '$4')}`, [state.as_of, today, state.warn_until, warnUntil]);
        await m.query(`update tracking_state set as_of = $1, warn_until = $2, generation = generation + 1`, [today, warnUntil]);
      }
      const folded = await this.fold(m, today, warnUntil, batchSize);
      // The generation keys cached answers (decision 55): it moves only when the model changed.
      await m.query(`update tracking_state set refreshed_at = now(), generation = generation + ${folded > 0 ? 1 : 0}`);
      return {
        rebuilt: false,
        folded,
        remaining: await this.remaining(m),
        busy: false,
      };
    });
  }

  private async remaining(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(`select count(*)::int as n from tracking_dirty`);
    return n;
  }

  /** One batch of dirty tasks: new facts, the difference into the roll-ups, the facts replaced. */
  private async fold(m: EntityManager, today: string, warnUntil: string, batchSize: number): Promise<number> {
    await m.query(`create temp table tr_ids on commit drop as select distinct task_id from (select task_id from tracking_dirty order by id limit $1) d`, [batchSize]);
    const [{ n }] = await m.query<{ n: number }[]>(`select count(*)::int as n from tr_ids`);
    if (n === 0) return 0;
    // Every visible dirty row of these tasks: their changes are in this transaction's view.
    await m.query(`delete from tracking_dirty where task_id in (select task_id from tr_ids)`);
    await m.query(`create temp table tr_pf on commit drop as ${periodFactsSql({ sql: 'tr_ids' }, '$1')}`, [today]);
    await m.query(`create temp table tr_new on commit drop as ${taskFactsSql({ sql: 'tr_ids' }, '$1', '$2', 'tr_pf')}`, [today, warnUntil]);
    const cols = FACT_COLUMNS.join(', ');
    await m.query(
      `create temp table tr_f on commit drop as
         select 1 as sign, ${cols} from tr_new union all select -1, ${cols} from task_facts where task_id in (select task_id from tr_ids)`,
    );
    await m.query(
      `create temp table tr_p on commit drop as
         select 1 as sign, p.* from tr_pf p union all select -1, p.* from task_period_facts p where p.task_id in (select task_id from tr_ids)`,
    );
    // A pair of the ranking (measure with targets, lead unit) appears or goes only when its task
    // count changes: then the pairs' version moves (decision 57), in this transaction.
    await m.query(
      `update tracking_state set pairs_version = pairs_version + 1
        where exists (select 1 from tr_f f join measures tm on tm.id = f.measure_id and jsonb_array_length(tm.targets) > 0
                        cross join unnest(f.lead_units) l(id) group by f.measure_id, l.id having sum(f.sign) <> 0)`,
    );
    await this.addToRollups(m, 'tr_f', 'tr_p', true);
    await m.query(`delete from task_facts where task_id in (select task_id from tr_ids)`);
    await m.query(`insert into task_facts (${cols}) select ${cols} from tr_new`);
    await m.query(`delete from task_period_facts where task_id in (select task_id from tr_ids)`);
    await m.query(`insert into task_period_facts select * from tr_pf`);
    await m.query(`delete from tracking_rollup where tasks = 0`);
    // Target values: replace the tasks' rows, then recompute every group they were or are in.
    await m.query(`create temp table tr_v on commit drop as ${valueFactsSql({ sql: 'tr_ids' })}`);
    await m.query(
      `create temp table tr_groups on commit drop as
         select measure_id, indicator, unit_id from tr_v union select measure_id, indicator, unit_id from task_value_facts where task_id in (select task_id from tr_ids)`,
    );
    await m.query(`delete from task_value_facts where task_id in (select task_id from tr_ids)`);
    await m.query(`insert into task_value_facts select * from tr_v`);
    await m.query(`delete from tracking_target_values g using tr_groups x where (g.measure_id, g.indicator, g.unit_id) = (x.measure_id, x.indicator, x.unit_id)`);
    await m.query(
      `insert into tracking_target_values
       ${targetValuesSql('task_value_facts', `(v.measure_id, v.indicator, v.unit_id) in (select measure_id, indicator, unit_id from tr_groups)`)}`,
    );
    return n;
  }

  /** Adds signed fact rows `f` and period rows `p` into the roll-ups (as upserts, or plain inserts into empty tables). */
  private async addToRollups(m: EntityManager, f: string, p: string, upsert: boolean): Promise<void> {
    const set = (colsList: readonly string[], table: string): string =>
      upsert ? `on conflict on constraint ${table}_pkey do update set ${colsList.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}` : '';
    await m.query(
      `insert into tracking_rollup (dim, k1, k2, document_id, ${ROLLUP_COLS.join(', ')})
       select dim, k1, k2, doc, ${sumsSql(true)} from (${rollupGroupsSql(f, { month: false })}) f
        group by 1, 2, 3, 4 order by 1, 2, 3, 4
       ${set(ROLLUP_COLS, 'tracking_rollup')}`,
    );
    await m.query(
      `insert into tracking_rollup_month (dim, k1, k2, month, document_id, ${MONTHLY_FIGURES.join(', ')})
       select dim, k1, k2, month, doc, ${MONTH_SUMS} from (${rollupGroupsSql(`(${monthRowsSql(f, p)})`, { month: true })}) f
        group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
       ${set(MONTHLY_FIGURES, 'tracking_rollup_month')}`,
    );
  }

  /** Everything from the base tables, as of today. Readers use the base tables until this commits. */
  private async rebuild(m: EntityManager, today: string, warnUntil: string): Promise<void> {
    await m.query(`truncate task_facts, task_period_facts, tracking_rollup, tracking_rollup_month, task_value_facts, tracking_target_values`);
    // Dirty rows visible now are covered by what follows; later ones stay for the next batch.
    await m.query(`delete from tracking_dirty`);
    await m.query(`insert into task_period_facts ${periodFactsSql('all', '$1')}`, [today]);
    const cols = FACT_COLUMNS.join(', ');
    // In document order, so a document's facts (the grid, a document's summaries) sit on few pages.
    await m.query(`insert into task_facts (${cols}) select ${cols} from (${taskFactsSql('all', '$1', '$2', 'task_period_facts')}) x order by x.document_id, x.measure_id`, [today, warnUntil]);
    await m.query(`analyze task_facts`);
    await m.query(`analyze task_period_facts`);
    await this.addToRollups(m, '(select 1 as sign, * from task_facts)', '(select 1 as sign, * from task_period_facts)', false);
    await m.query(`insert into task_value_facts ${valueFactsSql('all')}`);
    await m.query(`insert into tracking_target_values ${targetValuesSql('task_value_facts')}`);
    // Fresh statistics, so the reads plan on today's row counts (a roll-up's `ml` rows are 199,000
    // at 1M tasks; with the counts from before the rebuild a read sorted them on disk).
    for (const table of ['tracking_rollup', 'tracking_rollup_month', 'task_value_facts', 'tracking_target_values']) await m.query(`analyze ${table}`);
    await m.query(`update tracking_state set needs_rebuild = false, as_of = $1, warn_until = $2, refreshed_at = now(), generation = generation + 1, pairs_version = pairs_version + 1`, [today, warnUntil]);
  }
}
