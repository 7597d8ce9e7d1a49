import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The (measure with targets, lead unit) pairs of the tracking roll-up (`dim = 'ml'`), readable by
 * index only: the ranking's target shares walk every pair (199,000 at 1M tasks), and reading them
 * from the heap was most of its time.
 */
export class AddRankingPairsIndex1765400000000 implements MigrationInterface {
  name = 'AddRankingPairsIndex1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index ix_tracking_rollup_ml on tracking_rollup (k1, k2) where dim = 'ml' and tasks > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index ix_tracking_rollup_ml`);
  }
}
