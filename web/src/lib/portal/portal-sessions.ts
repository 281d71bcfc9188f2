/** Issue 12, bookreq: times in the portal, in the client's own time zone (the portal has no studio store). */
import { browserTimeZone, formatDateTime, type DateStyle } from '#lib/format.ts';
import { getLocale } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';

export const portalTime = (value: string, style: DateStyle = 'datetime') => formatDateTime(value, getLocale(), browserTimeZone(), style);

/** "Tue 3 Mar, 10:00 – 14:00" (or both full when the session spans days). */
export function portalRange(startsAt: string, endsAt: string): string {
	const sameDay = portalTime(startsAt, 'date') === portalTime(endsAt, 'date');
	return sameDay ? `${portalTime(startsAt)} – ${portalTime(endsAt, 'time')}` : `${portalTime(startsAt)} – ${portalTime(endsAt)}`;
}

/** "in 2 days 3 h", "in 45 min": the countdown to a session, from `now`. */
export function countdown(startsAt: string, now: number): string {
	const minutes = Math.max(0, Math.round((new Date(startsAt).getTime() - now) / 60_000));
	const days = Math.floor(minutes / 1440);
	const hours = Math.floor((minutes % 1440) / 60);
	if (days > 0) return m.portal_countdown_days({ days, hours });
	if (hours > 0) return m.portal_countdown_hours({ hours, minutes: minutes % 60 });
	return m.portal_countdown_minutes({ minutes });
}

export function bookingStatusLabel(status: string): string {
	switch (status) {
		case 'hold':
			return m.portal_session_status_hold();
		case 'cancelled':
			return m.portal_session_status_cancelled();
		case 'in_progress':
			return m.portal_session_status_in_progress();
		case 'completed':
			return m.portal_session_status_completed();
		case 'no_show':
			return m.portal_session_status_no_show();
		default:
			return m.portal_session_status_confirmed();
	}
}

export function requestStatusLabel(status: string): string {
	switch (status) {
		case 'approved':
			return m.booking_request_status_approved();
		case 'declined':
			return m.booking_request_status_declined();
		case 'withdrawn':
			return m.booking_request_status_withdrawn();
		default:
			return m.booking_request_status_pending();
	}
}

export const requestStatusTone = (status: string): 'success' | 'danger' | 'neutral' | 'warning' =>
	status === 'approved' ? 'success' : status === 'declined' ? 'danger' : status === 'withdrawn' ? 'neutral' : 'warning';
