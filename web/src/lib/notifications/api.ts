/** Issue 13, realtime: the notification centre's calls and types, derived from the generated client. */
import { api, settle } from '#lib/api/client.ts';
import type { components } from '#lib/api/schema.d.ts';

export type Notification = components['schemas']['NotificationDto'];
export type NotificationPreference = components['schemas']['NotificationPreferenceDto'];
export type NotificationChannel = NotificationPreference['channel'];
export type NotificationCategory = NotificationPreference['category'];

export const notificationsApi = {
	list: (query: { cursor?: string; unread?: 'true' | 'false' } = {}) => settle(api.GET('/api/v1/notifications', { params: { query: { limit: 50, ...query } } })),
	unreadCount: () => settle(api.GET('/api/v1/notifications/unread-count')),
	markRead: (id: string) => settle(api.POST('/api/v1/notifications/{notificationId}/read', { params: { path: { notificationId: id } } })),
	readAll: () => settle(api.POST('/api/v1/notifications/read-all')),
	preferences: () => settle(api.GET('/api/v1/notifications/preferences')),
	updatePreferences: (preferences: NotificationPreference[]) => settle(api.PUT('/api/v1/notifications/preferences', { body: { preferences } }))
};

/** The event names the stream sends (EventSource delivers only the names it listens to). */
export const STREAM_EVENTS = [
	'booking.created',
	'booking.series_created',
	'booking.changed',
	'booking.confirmed',
	'booking.cancelled',
	'booking.hold_expired',
	'member.joined',
	'announcement',
	'quote.accepted',
	'quote.declined',
	'quote.sent',
	'invoice.sent',
	'invoice.paid',
	'invoice.finalized',
	'invoice.voided',
	'invoice.late_notice',
	'credit_note.issued',
	'payment.recorded',
	'payment.refunded',
	'payment.disputed',
	'payment.overpaid',
	'version.uploaded',
	'version.approved',
	'version.changes_requested',
	'revision.extra_round'
] as const;
