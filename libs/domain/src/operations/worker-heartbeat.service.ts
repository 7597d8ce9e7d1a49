import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@duban/calendar';

/** Records that a worker process is alive, so /health can tell whether background work runs. */
@Injectable()
export class WorkerHeartbeatService {
  readonly workerId = `${hostname()}:${process.pid}`;
  private readonly startedAt: Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  async beat(): Promise<void> {
    await this.dataSource.query(
      `insert into worker_heartbeats (worker_id, hostname, pid, started_at, seen_at) values ($1, $2, $3, $4, $5)
       on conflict (worker_id) do update set seen_at = excluded.seen_at`,
      [this.workerId, hostname(), process.pid, this.startedAt, this.clock.now()],
    );
  }

  /** Removes rows of workers not seen for a day, so the table does not grow with every restart. */
  async prune(): Promise<void> {
    await this.dataSource.query(`delete from worker_heartbeats where seen_at < $1`, [new Date(this.clock.now().getTime() - 86_400_000)]);
  }
}
