import { describe, expect, it } from 'vitest';
import { clockOffset, figuresAt, formatDuration, nextBoundary, serverNow, type BoardSession, type RoomBoard } from './board-clock.ts';

const session = (over: Partial<BoardSession> = {}): BoardSession => ({
	bookingId: 'b',
	title: 'Tracking',
	status: 'in_progress',
	clientName: 'Owls',
	engineers: [],
	startsAt: '2030-01-07T10:00:00.000Z',
	endsAt: '2030-01-07T12:00:00.000Z',
	actualStartAt: '2030-01-07T10:10:00.000Z',
	elapsedSeconds: 0,
	remainingSeconds: 0,
	overtime: false,
	overtimeSeconds: 0,
	...over
});

describe('room board clock', () => {
	it('ticks from the server clock, not the device clock', () => {
		const offset = clockOffset('2030-01-07T11:00:00.000Z', Date.parse('2030-01-07T10:00:00.000Z')); // device an hour behind
		const now = serverNow(offset, Date.parse('2030-01-07T10:00:30.000Z'));
		expect(figuresAt(session(), now)).toEqual({ elapsedSeconds: 50 * 60 + 30, remainingSeconds: 59 * 60 + 30, overtime: false, overtimeSeconds: 0, progress: (60.5 * 60) / 7200 });
	});

	it('a checked-in session past its end is in overtime; a confirmed one is not', () => {
		const now = Date.parse('2030-01-07T12:05:00.000Z');
		expect(figuresAt(session(), now)).toMatchObject({ overtime: true, overtimeSeconds: 300, remainingSeconds: 0, progress: 1 });
		expect(figuresAt(session({ status: 'confirmed', actualStartAt: null }), now)).toMatchObject({ overtime: false, overtimeSeconds: 0 });
	});

	it('re-fetches at the next time a booking begins or a non-checked-in one ends', () => {
		const board: RoomBoard = {
			serverTime: '2030-01-07T11:00:00.000Z',
			rooms: [
				{ roomId: 'a', name: 'A', colour: '#000000', state: 'occupied', current: session(), next: { bookingId: 'n', title: 'Mix', status: 'confirmed', clientName: 'Owls', startsAt: '2030-01-07T13:00:00.000Z', endsAt: '2030-01-07T14:00:00.000Z' } },
				{ roomId: 'b', name: 'B', colour: '#000000', state: 'occupied', current: session({ status: 'confirmed', endsAt: '2030-01-07T11:30:00.000Z' }), next: null }
			]
		};
		expect(nextBoundary(board, Date.parse(board.serverTime))).toBe(Date.parse('2030-01-07T11:30:00.000Z'));
	});

	it('formats durations', () => {
		expect(formatDuration(3725)).toBe('1:02:05');
		expect(formatDuration(125)).toBe('2:05');
	});
});
