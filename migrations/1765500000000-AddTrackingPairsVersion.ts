import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The version of the set of (measure with targets, lead unit) pairs in the tracking roll-up
 * (`dim = 'ml'`): bumped by the worker in the transaction that adds or removes a pair (a fold that
 * changes a pair's task count, a rebuild), so the API may keep the pairs in memory under it
 * (decision 57) instead of walking 199,000 of them for every ranking at 1M tasks.
 */
export class AddTrackingPairsVersion1765500000000 implements MigrationInterface {
  name = 'AddTrackingPairsVersion1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table tracking_state add column pairs_version bigint not null default 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table tracking_state drop column pairs_version`);
  }
}
