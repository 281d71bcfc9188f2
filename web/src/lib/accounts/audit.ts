/** Audit log entries in words. */
import type { AuditQuery } from '#lib/api/types.ts';
import { m } from '#lib/paraglide/messages.js';

export type AuditAction = NonNullable<AuditQuery['action']>;
export type AuditActorType = NonNullable<AuditQuery['actorType']>;

/**
 * Every action the API records, in words. A Record over the generated enum: when the API adds an
 * action, type-checking fails here until it has a label (in both languages, by the i18n test).
 */
const ACTION_LABELS: Record<AuditAction, () => string> = {
	'member.role_changed': m.audit_member_role_changed,
	'member.removed': m.audit_member_removed,
	'invite.created': m.audit_invite_created,
	'invite.revoked': m.audit_invite_revoked,
	'invite.accepted': m.audit_invite_accepted,
	'api_key.created': m.audit_api_key_created,
	'api_key.revoked': m.audit_api_key_revoked,
	'password.changed': m.audit_password_changed,
	'password.reset': m.audit_password_reset,
	'session.ended': m.audit_session_ended,
	'session.others_signed_out': m.audit_session_others_signed_out,
	'client.created': m.audit_client_created,
	'client.updated': m.audit_client_updated,
	'client.deleted': m.audit_client_deleted,
	// Issue 9, bookings.
	'booking.created': m.audit_booking_created,
	'booking.updated': m.audit_booking_updated,
	'booking.cancelled': m.audit_booking_cancelled,
	'booking.confirmed': m.audit_booking_confirmed,
	'booking.checked_in': m.audit_booking_checked_in,
	'booking.checked_out': m.audit_booking_checked_out,
	'booking.hold_expired': m.audit_booking_hold_expired,
	'booking.series_created': m.audit_booking_series_created,
	'booking.recall_sheet_saved': m.audit_booking_recall_sheet_saved,
	'calendar_feed.created': m.audit_calendar_feed_created,
	'calendar_feed.revoked': m.audit_calendar_feed_revoked,
	// Issue 10, projects.
	'project.created': m.audit_project_created,
	'project.updated': m.audit_project_updated,
	'project.deleted': m.audit_project_deleted,
	'project.tracks_reordered': m.audit_project_tracks_reordered,
	'track.created': m.audit_track_created,
	'track.updated': m.audit_track_updated,
	'track.deleted': m.audit_track_deleted,
	// Scheduling resources (issue 9).
	'studio.updated': m.audit_studio_updated,
	'room.created': m.audit_room_created,
	'room.updated': m.audit_room_updated,
	'room.deleted': m.audit_room_deleted,
	'equipment.created': m.audit_equipment_created,
	'equipment.updated': m.audit_equipment_updated,
	'equipment.deleted': m.audit_equipment_deleted,
	'engineer.working_hours_set': m.audit_engineer_working_hours_set,
	'engineer.time_off_added': m.audit_engineer_time_off_added,
	'engineer.time_off_removed': m.audit_engineer_time_off_removed,
	// Issue 10, reviews.
	'deliverable.created': m.audit_deliverable_created,
	'deliverable.updated': m.audit_deliverable_updated,
	'deliverable.deleted': m.audit_deliverable_deleted,
	'version.uploaded': m.audit_version_uploaded,
	'version.approved': m.audit_version_approved,
	'version.changes_requested': m.audit_version_changes_requested,
	'review_comment.created': m.audit_review_comment_created,
	'review_comment.updated': m.audit_review_comment_updated,
	'review_comment.deleted': m.audit_review_comment_deleted,
	// Files (issue 10).
	'file.uploaded': m.audit_file_uploaded,
	'file.deleted': m.audit_file_deleted,
	// Issue 11, money.
	'tax_rate.created': m.audit_tax_rate_created,
	'tax_rate.updated': m.audit_tax_rate_updated,
	'billing_settings.updated': m.audit_billing_settings_updated,
	'billing_settings.logo_set': m.audit_billing_settings_logo_set,
	'billing_settings.logo_removed': m.audit_billing_settings_logo_removed,
	'payment.recorded': m.audit_payment_recorded,
	'payment.deleted': m.audit_payment_deleted,
	'invoice.shares_set': m.audit_invoice_shares_set,
	'invoice.shares_removed': m.audit_invoice_shares_removed,
	// Issue 11, money.
	'invoice.created': m.audit_invoice_created,
	'invoice.updated': m.audit_invoice_updated,
	'invoice.deleted': m.audit_invoice_deleted,
	'invoice.finalized': m.audit_invoice_finalized,
	'invoice.voided': m.audit_invoice_voided,
	'invoice.late_notice_sent': m.audit_invoice_late_notice_sent,
	'invoice.sent': m.audit_invoice_sent,
	// Issue 11, money.
	'stripe.connection_started': m.audit_stripe_connection_started,
	'stripe.disconnected': m.audit_stripe_disconnected,
	'stripe.checkout_created': m.audit_stripe_checkout_created,
	'stripe.payment_received': m.audit_stripe_payment_received,
	'stripe.refund_recorded': m.audit_stripe_refund_recorded,
	'stripe.dispute_opened': m.audit_stripe_dispute_opened,
	// Issue 11, quotes.
	'quote.created': m.audit_quote_created,
	'quote.updated': m.audit_quote_updated,
	'quote.deleted': m.audit_quote_deleted,
	'quote.issued': m.audit_quote_issued,
	'quote.sent': m.audit_quote_sent,
	'quote.accepted': m.audit_quote_accepted,
	'quote.declined': m.audit_quote_declined,
	'quote.invoiced': m.audit_quote_invoiced,
	// Issue 12, portal.
	'portal_account.invited': m.audit_portal_account_invited,
	'portal_account.disabled': m.audit_portal_account_disabled,
	'portal_account.enabled': m.audit_portal_account_enabled,
	'portal_account.password_set': m.audit_portal_account_password_set,
	'portal_account.signed_in': m.audit_portal_account_signed_in, // issue 12, portalquotes
	// Issue 12, bookreq.
	'booking_request.created': m.audit_booking_request_created,
	'booking_request.withdrawn': m.audit_booking_request_withdrawn,
	'booking_request.approved': m.audit_booking_request_approved,
	'booking_request.declined': m.audit_booking_request_declined,
	// Issue 13, realtime.
	'notification.announced': m.audit_notification_announced,
	'notification_preferences.updated': m.audit_notification_preferences_updated,
	// Issue 13, webhooks.
	'webhook_endpoint.created': m.audit_webhook_endpoint_created,
	'webhook_endpoint.updated': m.audit_webhook_endpoint_updated,
	'webhook_endpoint.deleted': m.audit_webhook_endpoint_deleted,
	'webhook_endpoint.secret_rolled': m.audit_webhook_endpoint_secret_rolled,
	'webhook_endpoint.tested': m.audit_webhook_endpoint_tested,
	'webhook_endpoint.disabled': m.audit_webhook_endpoint_disabled,
	'webhook_delivery.redelivered': m.audit_webhook_delivery_redelivered
};

export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

/** An action in words; one the app does not know yet shows as the API names it. */
export function auditActionLabel(action: string): string {
	return (ACTION_LABELS as Record<string, (() => string) | undefined>)[action]?.() ?? action;
}

export type AuditTargetType = NonNullable<AuditQuery['targetType']>;

const TARGET_LABELS: Record<AuditTargetType, () => string> = {
	member: m.audit_target_member,
	invite: m.audit_target_invite,
	api_key: m.audit_target_api_key,
	user: m.audit_target_user,
	session: m.audit_target_session,
	client: m.audit_target_client,
	booking: m.audit_target_booking, // issue 9, bookings
	studio: m.audit_target_studio,
	room: m.audit_target_room,
	equipment: m.audit_target_equipment,
	engineer: m.audit_target_engineer,
	calendar_feed: m.audit_target_calendar_feed,
	project: m.audit_target_project,
	track: m.audit_target_track,
	// Issue 10, reviews.
	deliverable: m.audit_target_deliverable,
	deliverable_version: m.audit_target_deliverable_version,
	review_comment: m.audit_target_review_comment,
	file: m.audit_target_file, // issue 10, files
	// Issue 11, money.
	tax_rate: m.audit_target_tax_rate,
	billing_settings: m.audit_target_billing_settings,
	payment: m.audit_target_payment,
	invoice: m.audit_target_invoice,
	// Issue 11, money.
	stripe_account: m.audit_target_stripe_account,
	quote: m.audit_target_quote, // issue 11, quotes
	portal_account: m.audit_target_portal_account, // issue 12, portal
	announcement: m.audit_target_announcement, // issue 13, realtime
	webhook_endpoint: m.audit_target_webhook_endpoint, // issue 13, webhooks
	webhook_delivery: m.audit_target_webhook_delivery,
	booking_request: m.audit_target_booking_request // issue 12, bookreq
};

/** The kind of record an entry is about, in words. */
export function auditTargetLabel(type: string): string {
	return (TARGET_LABELS as Record<string, (() => string) | undefined>)[type]?.() ?? type;
}

/** The `from` of a period filter ("last N days"), as the API's ISO date-time. */
export function periodStart(days: string, now = Date.now()): string | undefined {
	const n = Number(days);
	return days && n > 0 ? new Date(now - n * 24 * 60 * 60 * 1000).toISOString() : undefined;
}
