import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox of domain events, and the in-app inbox fed from it. */
export class CreateOutboxAndNotifications1764288000000 implements MigrationInterface {
  name = 'CreateOutboxAndNotifications1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table outbox (
        id bigint generated always as identity primary key,
        event varchar(64) not null,
        entity_type varchar(32) not null,
        entity_id varchar(64) not null,
        actor_user_id uuid,
        payload jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now(),
        relayed_at timestamptz,
        processed_at timestamptz
      )`);
    // Events not yet handled: relayed again if Redis lost their job (see OutboxRelayService).
    await q.query(`create index ix_outbox_unprocessed on outbox (id) where processed_at is null`);
    await q.query(`
      create table notifications (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        delivery_key varchar(200) not null,
        kind varchar(64) not null,
        title text not null,
        body text not null,
        entity_type varchar(32) not null,
        entity_id varchar(64) not null,
        created_at timestamptz not null default now(),
        read_at timestamptz,
        constraint uq_notifications_user_key unique (user_id, delivery_key)
      )`);
    await q.query(`create index ix_notifications_inbox on notifications (user_id, created_at desc)`);
    await q.query(`create index ix_notifications_unread on notifications (user_id) where read_at is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table notifications`);
    await q.query(`drop table outbox`);
  }
}
