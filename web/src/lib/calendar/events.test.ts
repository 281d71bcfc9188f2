import { describe, expect, it } from 'vitest';
import { countdown } from './now.svelte.ts';
import { holdExpired, textColourOn, toCalendarEvent } from './events.ts';
import type { Booking, Room } from './api.ts';

const booking = (over: Partial<Booking> = {}): Booking => ({
	id: 'b1',
	title: 'Vocals',
	status: 'confirmed',
	clientId: 'c1',
	client: { id: 'c1', name: 'The Owls' },
	roomId: 'r1',
	engineerIds: [],
	equipmentIds: [],
	projectId: null,
	seriesId: null,
	startsAt: '2026-03-29T08:00:00Z',
	endsAt: '2026-03-29T10:00:00Z',
	setupMinutes: 0,
	teardownMinutes: 0,
	holdExpiresAt: null,
	cancellationReason: null,
	notes: null,
	rate: { hourlyRateMinor: 0, dayRateMinor: null, currency: 'EUR' },
	actualStartAt: null,
	actualEndAt: null,
	accessCode: '123456',
	rulesOverridden: false,
	createdAt: '2026-03-01T00:00:00Z',
	updatedAt: '2026-03-01T00:00:00Z',
	...over
});
const rooms = new Map<string, Pick<Room, 'colour'>>([['r1', { colour: '#fde047' }]]);

describe('calendar events', () => {
	it('places a booking at its wall-clock time in the studio zone, in its room, in the room colour', () => {
		const event = toCalendarEvent(booking(), rooms, 'Europe/Paris', true);
		// 08:00Z on the day Paris moves to summer time is 10:00 there.
		expect(event).toMatchObject({ start: '2026-03-29T10:00:00', end: '2026-03-29T12:00:00', resourceIds: ['r1'], backgroundColor: '#fde047', textColor: '#111827' });
		expect(event.editable).toBe(true);
	});

	it('marks holds and keeps cancelled and finished sessions still', () => {
		expect(toCalendarEvent(booking({ status: 'hold' }), rooms, 'UTC', true).classNames).toContain('rsm-status-hold');
		expect(toCalendarEvent(booking({ status: 'cancelled' }), rooms, 'UTC', true).editable).toBe(false);
		expect(toCalendarEvent(booking({ status: 'completed' }), rooms, 'UTC', true).editable).toBe(false);
		// Viewers never drag.
		expect(toCalendarEvent(booking(), rooms, 'UTC', false).editable).toBe(false);
	});

	it('reads white on dark colours and dark on light ones', () => {
		expect(textColourOn('#1e3a8a')).toBe('#ffffff');
		expect(textColourOn('#fde047')).toBe('#111827');
	});

	it('counts down to a hold expiry and knows when it has passed', () => {
		const at = Date.parse('2026-03-29T08:00:00Z');
		expect(countdown('2026-03-29T08:01:05Z', at)).toBe('1:05');
		expect(countdown('2026-03-29T09:02:03Z', at)).toBe('1:02:03');
		expect(countdown('2026-03-29T07:00:00Z', at)).toBe('0:00');
		const hold = booking({ status: 'hold', holdExpiresAt: '2026-03-29T08:00:00Z' });
		expect(holdExpired(hold, at - 1)).toBe(false);
		expect(holdExpired(hold, at)).toBe(true);
	});
});
