import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One weekday's opening hours in the studio's time zone ("HH:MM", closes after opens; closes "24:00" = midnight). */
export interface DailyHours {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  opens: string;
  closes: string;
}

/**
 * The studio's own settings: one row per tenant database (id is always 1), created by the migration so
 * that reads never have to invent defaults. Times of day are wall-clock times in `timeZone`.
 */
@Entity('studio_settings')
@Check('CHK_studio_settings_singleton', `"id" = 1`)
@Check('CHK_studio_settings_buffers', `"default_setup_minutes" >= 0 AND "default_teardown_minutes" >= 0`)
export class StudioSettings {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id: number;

  /** IANA time zone (e.g. Europe/Paris): bookings are entered and shown in it. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, default: 'UTC' })
  timeZone: string;

  /** ISO 4217 code used when a price names no currency. */
  @Column({ name: 'default_currency', type: 'char', length: 3, default: 'EUR' })
  defaultCurrency: string;

  /** Weekdays the studio opens; a weekday absent from the list is closed. Empty = no opening-hours rule. */
  @Column({ name: 'opening_hours', type: 'jsonb', default: () => `'[]'` })
  openingHours: DailyHours[];

  @Column({ name: 'default_setup_minutes', type: 'integer', default: 0 })
  defaultSetupMinutes: number;

  @Column({ name: 'default_teardown_minutes', type: 'integer', default: 0 })
  defaultTeardownMinutes: number;

  /** Issue 13, mailnotify: minutes before a session when reminders go out (0–4 offsets; the smallest carries the access code). */
  @Column({ name: 'reminder_offsets_minutes', type: 'integer', array: true, default: () => `'{1440,120}'` })
  reminderOffsetsMinutes: number[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
