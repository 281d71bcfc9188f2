import type { WebhookEndpoint } from '#lib/api/client.ts';

/** Issue 13, webhooks: the filter value meaning "every event type". */
export const ALL_EVENTS = '*';

/** The event types an endpoint can choose (docs/webhooks.md), typed against openapi.json's enum. */
export const WEBHOOK_EVENTS: Exclude<WebhookEndpoint['events'][number], '*'>[] = [
	'booking.created',
	'booking.series_created',
	'booking.changed',
	'booking.confirmed',
	'booking.cancelled',
	'booking.hold_expired',
	'member.joined',
	'quote.sent',
	'quote.accepted',
	'quote.declined',
	'invoice.finalized',
	'invoice.sent',
	'invoice.paid',
	'invoice.voided',
	'invoice.late_notice',
	'credit_note.issued',
	'payment.recorded',
	'payment.refunded',
	'payment.disputed',
	'payment.overpaid',
	'payment.deleted',
	'version.uploaded',
	'version.approved',
	'version.changes_requested',
	'revision.extra_round',
	'webhook.endpoint_disabled'
];
