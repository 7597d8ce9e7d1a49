import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery channels of the inbox: per-user preferences, webhook subscriptions and one delivery row
 * per (notification, channel) with a unique key, so each mail or webhook call is made once.
 */
export class CreateNotificationDelivery1764547200000 implements MigrationInterface {
  name = 'CreateNotificationDelivery1764547200000';

  async up(q: QueryRunner): Promise<void> {
    // Rows written before channels existed count as dispatched: no mail for old news.
    await q.query(`alter table notifications add column dispatched_at timestamptz`);
    await q.query(`update notifications set dispatched_at = created_at`);
    await q.query(`create index ix_notifications_undispatched on notifications (created_at, id) where dispatched_at is null`);
    await q.query(`
      create table notification_preferences (
        user_id uuid primary key references users (id) on delete cascade,
        digest boolean not null default false,
        kinds jsonb not null default '{}'::jsonb,
        updated_at timestamptz not null default now()
      )`);
    await q.query(`
      create table webhook_subscriptions (
        id uuid primary key default gen_random_uuid(),
        owner_user_id uuid references users (id) on delete cascade,
        unit_id uuid references units (id) on delete cascade,
        url varchar(2000) not null,
        secret varchar(200) not null,
        description varchar(200) not null default '',
        created_by uuid not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        deleted_at timestamptz,
        constraint ck_webhook_subscriptions_target check ((owner_user_id is null) <> (unit_id is null))
      )`);
    await q.query(`create index ix_webhook_subscriptions_unit on webhook_subscriptions (unit_id) where deleted_at is null`);
    await q.query(`create index ix_webhook_subscriptions_owner on webhook_subscriptions (owner_user_id) where deleted_at is null`);
    await q.query(`
      create table notification_deliveries (
        id uuid primary key default gen_random_uuid(),
        delivery_key varchar(300) not null,
        channel varchar(16) not null,
        user_id uuid not null references users (id) on delete cascade,
        notification_id uuid references notifications (id) on delete cascade,
        subscription_id uuid references webhook_subscriptions (id) on delete cascade,
        digest_date date,
        digest_id uuid references notification_deliveries (id) on delete set null,
        status varchar(16) not null,
        attempts integer not null default 0,
        redrives integer not null default 0,
        last_error text,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        parked_at timestamptz,
        constraint uq_notification_deliveries_key unique (delivery_key),
        constraint ck_notification_deliveries_channel check (channel in ('email', 'webhook', 'digest', 'digest_email')),
        constraint ck_notification_deliveries_status check (status in ('pending', 'held', 'digested', 'sent', 'parked', 'cancelled'))
      )`);
    await q.query(`create index ix_notification_deliveries_pending on notification_deliveries (created_at) where status = 'pending'`);
    await q.query(`create index ix_notification_deliveries_held on notification_deliveries (user_id) where status = 'held'`);
    await q.query(`create index ix_notification_deliveries_parked on notification_deliveries (parked_at desc) where status = 'parked'`);
    await q.query(`create index ix_notification_deliveries_digest on notification_deliveries (digest_id) where digest_id is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table notification_deliveries`);
    await q.query(`drop table webhook_subscriptions`);
    await q.query(`drop table notification_preferences`);
    await q.query(`drop index ix_notifications_undispatched`);
    await q.query(`alter table notifications drop column dispatched_at`);
  }
}
