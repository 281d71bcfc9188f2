import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An attachment as stored: text content (an .ics), written out as UTF-8. */
export interface StoredAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * Issue 13, mailnotify: one outgoing message of the studio (a notification email, a booking mail with its
 * .ics, a reminder). Written in the transaction that decides it (the dispatcher's, the reminder sweep's)
 * with a unique `dedupeKey`, so a message is queued at most once whatever runs twice; the delivery worker
 * then sends each row once (see MailDeliveries). The message is rendered when queued: what the client
 * receives is what the event said, however late the SMTP server accepts it.
 */
@Entity('mail_deliveries')
@Unique('UQ_mail_deliveries_dedupe_key', ['dedupeKey'])
@Index('idx_mail_deliveries_pending', { synchronize: false }) // partial (next_attempt_at, id) WHERE unsent: created by migration
@Index('idx_mail_deliveries_booking', ['bookingId'])
export class MailDelivery {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'PK_mail_deliveries' })
  id: string;

  /** e.g. `notify:<event id>:<user id>`, `booking:<event id>`, `reminder:<booking>:<starts at>:<offset>:<recipient>`. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 300 })
  dedupeKey: string;

  /** `notification`, `booking-confirmed`, `booking-changed`, `booking-cancelled`, `booking-reminder`. */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ name: 'to_address', type: 'varchar', length: 320 })
  toAddress: string;

  @Column({ name: 'sender_name', type: 'varchar', length: 200, nullable: true })
  senderName: string | null;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText: string;

  @Column({ name: 'body_html', type: 'text', nullable: true })
  bodyHtml: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  attachments: StoredAttachment[];

  /** Reminders: the booking and the start they were planned for; re-checked at send time (moved or cancelled: skipped). */
  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;

  @Column({ name: 'booking_starts_at', type: 'timestamptz', nullable: true })
  bookingStartsAt: Date | null;

  @Column({ name: 'reminder_offset_minutes', type: 'integer', nullable: true })
  reminderOffsetMinutes: number | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Not sent on purpose (a reminder for a booking since cancelled or moved). */
  @Column({ name: 'skipped_at', type: 'timestamptz', nullable: true })
  skippedAt: Date | null;

  /** Given up after the last attempt. */
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
