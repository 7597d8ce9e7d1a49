import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QUEUES, QueueProducer } from '@duban/queue';

/** An event relayed this long ago and still not processed is assumed lost with Redis and relayed again. */
export const RELAY_RETRY_AFTER_SECONDS = 300;

/**
 * Moves outbox rows (written in the same transaction as each command) to BullMQ. Job ids are
 * deterministic (`outbox-<id>`), so relaying a row twice enqueues it once while the job exists, and
 * the inbox's unique (user, delivery key) makes a second run of the job write nothing.
 */
@Injectable()
export class OutboxRelayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
  ) {}

  async relayBatch(limit = 500): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: { id: string; again: boolean }[] = await m.query(
        `select id::text, relayed_at is not null as again from outbox
          where processed_at is null and (relayed_at is null or relayed_at < now() - make_interval(secs => $2))
          order by outbox.id limit $1 for update skip locked`,
        [limit, RELAY_RETRY_AFTER_SECONDS],
      );
      if (rows.length === 0) return 0;
      await this.producer.enqueueMany(
        'NotificationFanout',
        rows.map((r) => ({ data: { outboxId: r.id }, jobId: `outbox-${r.id}` })),
      );
      await this.retryFailed(rows.filter((r) => r.again).map((r) => `outbox-${r.id}`));
      await m.query(`update outbox set relayed_at = now() where id = any($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * An event relayed long ago and still unprocessed may have a job that failed for good (every
   * attempt spent while PostgreSQL was down). That job keeps its id in the failed set, so adding it
   * again does nothing: retry it instead, or the event would never be delivered.
   */
  private async retryFailed(jobIds: string[]): Promise<void> {
    const queue = this.producer.queue(QUEUES.notifications);
    for (const id of jobIds) {
      const job = await queue.getJob(id);
      if (job && (await job.isFailed())) await job.retry('failed');
    }
  }

  /**
   * At worker start, and when Redis lost its keys: whatever was relayed but never processed may
   * have died with Redis; relay it again at once. `-infinity` (not null) keeps it a re-relay, so a
   * job of it that failed for good is retried too.
   */
  async reconcile(): Promise<number> {
    const res: [unknown, number] = await this.dataSource.query(
      `update outbox set relayed_at = '-infinity' where processed_at is null and relayed_at is not null and relayed_at <> '-infinity'`,
    );
    return res[1];
  }
}
