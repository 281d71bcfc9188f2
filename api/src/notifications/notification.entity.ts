import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Issue 13: one notification for one staff user. The dispatcher writes them from outbox events (one row per
 * recipient: each has its own read state, and a stream reads only `recipient_user_id = me`); an admin's
 * announcement is an outbox event too, fanned out to every member of the studio at that moment.
 * `id` is the stream's event id: monotonic per studio, and rows are written under one per-studio lock
 * (the dispatcher's), so they also commit in id order and a reader after id N never misses a later commit below it.
 */
@Entity('notifications')
@Index('idx_notifications_recipient', ['recipientUserId', 'id'])
@Index('UQ_notifications_event_recipient', ['eventId', 'recipientUserId'], { unique: true })
@Check('CHK_notifications_title', `char_length("title") BETWEEN 1 AND 200`)
export class Notification {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'recipient_user_id', type: 'uuid' })
  recipientUserId: string;

  /** The outbox event it comes from: with the recipient, unique, so an event is never delivered twice to anyone. */
  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  /** The event's type, e.g. `booking.created`: the SSE `event:` name. */
  @Column({ type: 'varchar', length: 100 })
  type: string;

  /** The preference category it falls under (bookings, members, money, reviews, announcements). */
  @Column({ type: 'varchar', length: 30 })
  category: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'subject_type', type: 'varchar', length: 50 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
