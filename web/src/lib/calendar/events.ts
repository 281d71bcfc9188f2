/**
 * Bookings → @event-calendar/core events: wall-clock strings in the studio's zone, the room's
 * colour, and classes that set holds, expired holds and cancelled sessions apart.
 */
import type { Calendar } from '@event-calendar/core';
import type { Booking, Room } from './api.ts';
import { toFloating } from './zone.ts';

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textColourOn(hex: string): string {
	const match = /^#?([0-9a-f]{6})$/i.exec(hex);
	if (!match) return '#ffffff';
	const channel = (offset: number) => {
		const value = parseInt(match[1].slice(offset, offset + 2), 16) / 255;
		return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
	};
	const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
	// Contrast against white vs against near-black (#111827, luminance ≈ 0.0116).
	return (1.05 / (luminance + 0.05)) >= (luminance + 0.05) / 0.0616 ? '#ffffff' : '#111827';
}

export const FALLBACK_ROOM_COLOUR = '#6366f1';

/** Whether a hold's expiry has passed (the server releases it shortly after). */
export function holdExpired(booking: Booking, now: number): boolean {
	return booking.status === 'hold' && booking.holdExpiresAt !== null && Date.parse(booking.holdExpiresAt) <= now;
}

/** Bookings a calendar may drag: not finished, not cancelled. */
export function movable(booking: Booking): boolean {
	return booking.status === 'hold' || booking.status === 'confirmed';
}

export function toCalendarEvent(booking: Booking, rooms: ReadonlyMap<string, Pick<Room, 'colour'>>, timeZone: string, writable: boolean): Calendar.EventInput {
	const colour = rooms.get(booking.roomId)?.colour ?? FALLBACK_ROOM_COLOUR;
	const classNames = ['rsm-booking', `rsm-status-${booking.status}`];
	return {
		id: booking.id,
		resourceIds: [booking.roomId],
		start: toFloating(booking.startsAt, timeZone),
		end: toFloating(booking.endsAt, timeZone),
		title: booking.title,
		backgroundColor: colour,
		textColor: textColourOn(colour),
		classNames,
		editable: writable && movable(booking),
		extendedProps: { booking }
	};
}

/** The booking an event was made from. */
export function bookingOf(event: Calendar.Event): Booking {
	return event.extendedProps.booking as Booking;
}
