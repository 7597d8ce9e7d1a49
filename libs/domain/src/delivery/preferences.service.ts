import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor';
import { NOTIFICATION_CATEGORIES, type NotificationCategory } from './notification-kinds';

export interface KindChannels {
  email: boolean;
  webhook: boolean;
}

/** A user's delivery choices. The in-app inbox always receives everything. */
export interface NotificationPreferences {
  /** true: one digest mail per working day instead of single mails. */
  digest: boolean;
  kinds: Record<NotificationCategory, KindChannels>;
  updatedAt: string | null;
}

const DEFAULT_CHANNELS: KindChannels = { email: true, webhook: true };

/** Per-user channel preferences; a user without a row gets every channel, single mails. */
@Injectable()
export class PreferencesService {
  constructor(private readonly dataSource: DataSource) {}

  async get(actor: Actor): Promise<NotificationPreferences> {
    const rows: { digest: boolean; kinds: Partial<Record<NotificationCategory, KindChannels>>; updated_at: Date }[] = await this.dataSource.query(
      `select digest, kinds, updated_at from notification_preferences where user_id = $1`,
      [actor.userId],
    );
    const row = rows[0];
    const kinds = Object.fromEntries(NOTIFICATION_CATEGORIES.map((c) => [c, { ...DEFAULT_CHANNELS, ...(row?.kinds[c] ?? {}) }])) as Record<NotificationCategory, KindChannels>;
    return { digest: row?.digest ?? false, kinds, updatedAt: row ? new Date(row.updated_at).toISOString() : null };
  }

  /** Replaces the user's preferences (their own row only: nobody else edits it, so no version check). */
  async put(actor: Actor, prefs: { digest: boolean; kinds: Record<NotificationCategory, KindChannels> }): Promise<NotificationPreferences> {
    const kinds = Object.fromEntries(NOTIFICATION_CATEGORIES.map((c) => [c, { email: prefs.kinds[c].email, webhook: prefs.kinds[c].webhook }]));
    await this.dataSource.query(
      `insert into notification_preferences (user_id, digest, kinds, updated_at) values ($1, $2, $3::jsonb, now())
       on conflict (user_id) do update set digest = excluded.digest, kinds = excluded.kinds, updated_at = now()`,
      [actor.userId, prefs.digest, JSON.stringify(kinds)],
    );
    return this.get(actor);
  }
}
