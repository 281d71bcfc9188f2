import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// 'system': background work with no caller (issue 9: a hold released at its expiry by the job queue).
// 'portal-account' (issue 12): a client's contact acting through the client portal.
export const AUDIT_ACTOR_TYPES = ['user', 'api-key', 'system', 'portal-account'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** Every action written to the audit log (`resource.verb`). A new kind of write adds its action here. */
export const AUDIT_ACTIONS = [
  'member.role_changed',
  'member.removed',
  'invite.created',
  'invite.revoked',
  'invite.accepted',
  'api_key.created',
  'api_key.revoked',
  // The signed-in user's own account (issue 7, accounts-mail): in the studio of the session acting,
  // except a reset (no session: in every studio of the user, see AccountPasswords.confirmReset).
  'password.changed',
  'password.reset',
  'session.ended',
  'session.others_signed_out',
  'client.created',
  'client.updated',
  'client.deleted',
  // Issue 9, bookings.
  'booking.created',
  'booking.updated',
  'booking.cancelled',
  'booking.confirmed',
  'booking.checked_in',
  'booking.checked_out',
  'booking.hold_expired',
  'booking.series_created',
  // Issue 9, resources: studio settings, rooms, equipment, engineers' hours and time off.
  'studio.updated',
  'room.created',
  'room.updated',
  'room.deleted',
  'equipment.created',
  'equipment.updated',
  'equipment.deleted',
  'engineer.working_hours_set',
  'engineer.time_off_added',
  'engineer.time_off_removed',
  // Issue 9, booking-extras.
  'booking.recall_sheet_saved',
  'calendar_feed.created',
  'calendar_feed.revoked',
  // Issue 10, projects: projects and their tracks (a reorder is one entry on the project).
  'project.created',
  'project.updated',
  'project.deleted',
  'project.tracks_reordered',
  'track.created',
  'track.updated',
  'track.deleted',
  // Issue 10, reviews: deliverables, versions and review comments.
  'deliverable.created',
  'deliverable.updated',
  'deliverable.deleted',
  'version.uploaded',
  'version.approved',
  'version.changes_requested',
  'review_comment.created',
  'review_comment.updated',
  'review_comment.deleted',
  // Issue 10, files.
  'file.uploaded',
  'file.deleted',
  // Issue 11, documents: an invoice emailed to the client.
  'invoice.sent',
  // Issue 11, settlements: tax rates, billing settings, manual payments, split shares.
  'tax_rate.created',
  'tax_rate.updated',
  'billing_settings.updated',
  'billing_settings.logo_set',
  'billing_settings.logo_removed',
  'payment.recorded',
  'payment.deleted',
  'invoice.shares_set',
  'invoice.shares_removed',
  // Issue 11, invoices: drafts, finalization, void, credit notes, late notices.
  'invoice.created',
  'invoice.updated',
  'invoice.deleted',
  'invoice.finalized',
  'invoice.voided',
  'invoice.late_notice_sent',
  // Issue 11, stripe: the studio's connected account, checkout links, and what Stripe's webhooks recorded.
  'stripe.connection_started',
  'stripe.disconnected',
  'stripe.checkout_created',
  'stripe.payment_received',
  'stripe.refund_recorded',
  'stripe.dispute_opened',
  // Issue 11, quotes.
  'quote.created',
  'quote.updated',
  'quote.deleted',
  'quote.issued',
  'quote.sent',
  'quote.accepted',
  'quote.declined',
  'quote.invoiced',
  // Issue 12, portal: staff invite a client's contact, disable or enable the account; the contact sets a password.
  'portal_account.invited',
  'portal_account.disabled',
  'portal_account.enabled',
  'portal_account.password_set',
  // Issue 12, portalquotes: a sign-in to the portal (password, magic link, invitation): the client page's portal activity.
  'portal_account.signed_in',
  // Issue 12, bookreq: a client asks for a session (or withdraws the request); staff approve or decline it.
  'booking_request.created',
  'booking_request.withdrawn',
  'booking_request.approved',
  'booking_request.declined',
  // Issue 13, realtime.
  'notification.announced',
  'notification_preferences.updated',
  // Issue 13, webhooks: endpoints, their secret, manual redelivery and test events; disabled after 3 days of failures (system).
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.deleted',
  'webhook_endpoint.secret_rolled',
  'webhook_endpoint.tested',
  'webhook_endpoint.disabled',
  'webhook_delivery.redelivered',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The kinds of record an entry is about. */
export const AUDIT_TARGET_TYPES = [
  'member',
  'invite',
  'api_key',
  'user',
  'session',
  'client',
  // Issue 9, bookings.
  'booking',
  // Issue 9, resources.
  'studio',
  'room',
  'equipment',
  'engineer',
  // Issue 9, booking-extras.
  'calendar_feed',
  // Issue 10, projects.
  'project',
  'track',
  // Issue 10, reviews.
  'deliverable',
  'deliverable_version',
  'review_comment',
  // Issue 10, files.
  'file',
  // Issue 11: invoices (deposit invoices and credit notes too), settlements, stripe.
  'invoice',
  'tax_rate',
  'billing_settings',
  'payment',
  'stripe_account',
  // Issue 11, quotes.
  'quote',
  'portal_account', // issue 12, portal
  'booking_request', // issue 12, bookreq
  // Issue 13, realtime.
  'announcement',
  'webhook_endpoint', // issue 13, webhooks
  'webhook_delivery',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/**
 * One recorded change in a studio, in that studio's database. Written only through AuditLog, in the
 * same tenant transaction as the change when the change is tenant data. Never updated or deleted by
 * the API.
 */
@Entity('audit_log')
@Index('idx_audit_log_order', ['occurredAt', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** clock_timestamp(): the moment of the write, not the start of its transaction. */
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt: Date;

  @Column({ name: 'actor_type', type: 'varchar', length: 20 })
  actorType: AuditActorType;

  /** The user's id, or the API key's id; null for a caller that is neither (an invitee accepting). */
  @Index()
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** Who it was at the time (email, or key name): ids outlive neither deletions nor memory. */
  @Column({ name: 'actor_label', type: 'varchar', length: 320, nullable: true })
  actorLabel: string | null;

  /** `resource.verb`, e.g. `member.role_changed`. */
  @Index()
  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 40 })
  targetType: string;

  @Index()
  @Column({ name: 'target_id', type: 'varchar', length: 100, nullable: true })
  targetId: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
