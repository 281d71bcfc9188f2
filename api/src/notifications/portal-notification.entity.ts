import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PortalAccount } from '../portal/portal-account.entity.js';

/**
 * Issue 13 (board helper): one notification for one client portal account — a booking of theirs confirmed,
 * an invoice or quote sent to them, a version of their project to review (portal-notification-rules.ts).
 * A table of its own rather than a second recipient column on `notifications`: a rollback sets it aside
 * whole, and the staff table and its routes stay exactly as they were. Written by the dispatcher in the
 * same transaction and under the same per-studio write lock as staff notifications, so ids also commit in
 * order here and replay by `Last-Event-ID` is exact. Removed with the account (a client's contact leaving).
 */
@Entity('portal_notifications')
@Index('idx_portal_notifications_account', ['portalAccountId', 'id'])
@Index('UQ_portal_notifications_event_account', ['eventId', 'portalAccountId'], { unique: true })
@Check('CHK_portal_notifications_title', `char_length("title") BETWEEN 1 AND 200`)
export class PortalNotification {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'portal_account_id', type: 'uuid' })
  portalAccountId: string;

  @ManyToOne(() => PortalAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portal_account_id' })
  portalAccount?: PortalAccount;

  /** The outbox event it comes from: with the account, unique (never delivered twice). */
  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** What the client may see of the event (portal-notification-rules.ts picks it: never staff-only fields). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'subject_type', type: 'varchar', length: 50 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
