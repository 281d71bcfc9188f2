import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const NOTIFICATION_CATEGORIES = ['bookings', 'members', 'money', 'reviews', 'announcements'] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'both', 'none'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** What a category defaults to for a user with no row: in the app only (email is opt-in). */
export const DEFAULT_CHANNEL: NotificationChannel = 'in_app';

/** Issue 13: how one staff user wants one category of notifications (no row: DEFAULT_CHANNEL). */
@Entity('notification_preferences')
@Check('CHK_notification_preferences_channel', `"channel" IN ('in_app', 'email', 'both', 'none')`)
export class NotificationPreference {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  category: string;

  @Column({ type: 'varchar', length: 10 })
  channel: NotificationChannel;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
