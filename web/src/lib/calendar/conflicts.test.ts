import { describe, expect, it } from 'vitest';
import { conflictsOf } from './api.ts';
import { conflictMessage, type ResourceNames } from './conflicts.ts';

const names: ResourceNames = {
	room: (id) => (id === 'r1' ? 'Studio A' : undefined),
	engineer: (id) => (id === 'u1' ? 'Grace Hopper' : undefined),
	equipment: () => undefined
};

describe('booking conflicts', () => {
	it('reads the conflicts of a 409 problem and nothing from anything else', () => {
		const problem = {
			type: 'https://rsm.dev/problems/booking-conflict',
			status: 409,
			conflicts: [
				{ resource: 'room', resourceId: 'r1', bookingId: 'b1', startsAt: '2026-12-04T14:00:00Z', endsAt: '2026-12-04T16:00:00Z' },
				{ resource: 'nonsense', resourceId: 'x' },
				'junk'
			]
		};
		expect(conflictsOf(problem)).toHaveLength(1);
		expect(conflictsOf({ status: 409 })).toEqual([]);
		expect(conflictsOf('text')).toEqual([]);
		expect(conflictsOf(undefined)).toEqual([]);
	});

	it('says what is taken and when, in the studio zone, once per resource and time', () => {
		const room = { resource: 'room' as const, resourceId: 'r1', bookingId: 'b1', startsAt: '2026-12-04T14:00:00Z', endsAt: '2026-12-04T16:00:00Z' };
		const engineer = { resource: 'engineer' as const, resourceId: 'u1', bookingId: 'b2', startsAt: '2026-12-04T14:00:00Z', endsAt: '2026-12-05T10:00:00Z' };
		const message = conflictMessage([room, room, engineer], names, 'Europe/Paris', 'en-GB');
		expect(message).toBe(
			'This time is taken. Studio A is booked from 15:00 to 17:00 on 4 Dec 2026. Grace Hopper is working from 4 Dec 2026, 15:00 to 5 Dec 2026, 11:00.'
		);
		// A resource the page does not know, and times the server could not read back.
		expect(conflictMessage([{ resource: 'equipment', resourceId: 'e9', bookingId: null, startsAt: null, endsAt: null }], names, 'UTC', 'en')).toBe(
			'This time is taken. An item of equipment is in use at that time.'
		);
	});
});
