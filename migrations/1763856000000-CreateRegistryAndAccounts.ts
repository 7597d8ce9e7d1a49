import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The organization registry (units and their names) and accounts (users, API tokens). */
export class CreateRegistryAndAccounts1763856000000 implements MigrationInterface {
  name = 'CreateRegistryAndAccounts1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table units (
        id uuid primary key default gen_random_uuid(),
        code varchar(64) not null,
        name varchar(128) not null,
        short_name varchar(64) not null,
        kind varchar(32) not null,
        parent_id uuid references units (id) on delete restrict,
        admin_code varchar(12),
        key_assisted boolean not null default false,
        former_national_poverty_county boolean,
        sources jsonb not null default '[]'::jsonb,
        active boolean not null default true,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_units_code unique (code),
        constraint uq_units_name unique (name),
        constraint ck_units_kind check (kind in ('provincial_bureau', 'provincial_department', 'provincial_body',
          'city_government', 'city_bureau', 'county')),
        constraint ck_units_key_assisted_county check (not key_assisted or kind = 'county')
      )`);
    await q.query(`create index ix_units_parent_id on units (parent_id)`);
    await q.query(`create index ix_units_kind on units (kind)`);
    // Every name a unit goes by (full name, short name, aliases) lives here, so one unique index
    // guarantees that a name in a document resolves to exactly one unit.
    await q.query(`
      create table unit_aliases (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references units (id) on delete cascade,
        alias varchar(128) not null,
        origin varchar(16) not null,
        created_at timestamptz not null default now(),
        constraint uq_unit_aliases_alias unique (alias),
        constraint ck_unit_aliases_origin check (origin in ('registry', 'import', 'user'))
      )`);
    await q.query(`create index ix_unit_aliases_unit_id on unit_aliases (unit_id)`);
    await q.query(`
      create table users (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references units (id) on delete restrict,
        username varchar(64) not null,
        display_name varchar(64) not null,
        email varchar(254),
        phone varchar(32),
        password_hash text not null,
        roles text[] not null,
        active boolean not null default true,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint uq_users_username unique (username),
        constraint ck_users_roles check (cardinality(roles) > 0 and
          roles <@ array['coordinator', 'unit_head', 'officer', 'auditor', 'admin']::text[])
      )`);
    await q.query(`create index ix_users_unit_id on users (unit_id)`);
    await q.query(`
      create table api_tokens (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        name varchar(64) not null,
        token_hash char(64) not null,
        prefix varchar(16) not null,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz not null default now(),
        constraint uq_api_tokens_token_hash unique (token_hash)
      )`);
    await q.query(`create index ix_api_tokens_user_id on api_tokens (user_id)`);
    await q.query(`
      create table worker_heartbeats (
        worker_id varchar(64) primary key,
        hostname varchar(128) not null,
        pid integer not null,
        started_at timestamptz not null,
        seen_at timestamptz not null
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table worker_heartbeats`);
    await q.query(`drop table api_tokens`);
    await q.query(`drop table users`);
    await q.query(`drop table unit_aliases`);
    await q.query(`drop table units`);
  }
}
