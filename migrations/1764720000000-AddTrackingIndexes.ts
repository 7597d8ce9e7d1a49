import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the tracking summaries' filters and joins (measured in bench/summaries.bench.ts). */
export class AddTrackingIndexes1764720000000 implements MigrationInterface {
  name = 'AddTrackingIndexes1764720000000';

  async up(q: QueryRunner): Promise<void> {
    // Summaries by measure and the measures x units grid group tasks by measure.
    await q.query(`create index ix_tasks_measure_id on tasks (measure_id)`);
    // Open escalations counted per task.
    await q.query(`create index ix_escalations_open_task on escalations (task_id) where resolved_at is null`);
    // Target progress reads only approved submissions' values.
    await q.query(`create index ix_report_submissions_approved on report_submissions (task_id, reviewed_at desc) where status = 'approved'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index ix_report_submissions_approved`);
    await q.query(`drop index ix_escalations_open_task`);
    await q.query(`drop index ix_tasks_measure_id`);
  }
}
