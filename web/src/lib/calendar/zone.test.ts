import { describe, expect, it } from 'vitest';
import { fromLocalInput, instantOf, offsetMinutesAt, offsetString, parseFloating, toFloating, toLocalInput, wallClockOf } from './zone.ts';

describe('studio time zone conversions', () => {
	it('reads an instant as wall-clock time in the studio zone, not the browser one', () => {
		expect(toFloating('2026-07-01T08:00:00Z', 'Europe/Paris')).toBe('2026-07-01T10:00:00');
		expect(toFloating('2026-01-15T08:00:00Z', 'Europe/Paris')).toBe('2026-01-15T09:00:00');
		expect(toFloating('2026-01-15T08:00:00Z', 'America/New_York')).toBe('2026-01-15T03:00:00');
		expect(wallClockOf('2026-01-15T23:30:00Z', 'Asia/Tokyo')).toMatchObject({ day: 16, hour: 8, minute: 30 });
	});

	it('turns wall-clock times back into instants on both sides of the March and October changes (Paris)', () => {
		// Last Sunday of March 2026 is the 29th: 02:00 → 03:00.
		expect(instantOf({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, 'Europe/Paris').toISOString()).toBe('2026-03-29T00:30:00.000Z');
		expect(instantOf({ year: 2026, month: 3, day: 29, hour: 10, minute: 0 }, 'Europe/Paris').toISOString()).toBe('2026-03-29T08:00:00.000Z');
		// The skipped hour moves forward.
		expect(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
		// Last Sunday of October 2026 is the 25th: 03:00 → 02:00; the repeated 02:30 is its first occurrence.
		expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
		expect(instantOf({ year: 2026, month: 10, day: 25, hour: 10, minute: 0 }, 'Europe/Paris').toISOString()).toBe('2026-10-25T09:00:00.000Z');
	});

	it('round-trips every hour of a week across a change', () => {
		for (let hour = 0; hour < 24 * 7; hour++) {
			const instant = new Date(Date.UTC(2026, 9, 22, hour));
			const wall = wallClockOf(instant, 'Europe/Paris');
			// The repeated autumn hour reads back as its first occurrence; every other hour exactly.
			const back = instantOf(wall, 'Europe/Paris').getTime();
			expect([instant.getTime(), instant.getTime() - 3_600_000]).toContain(back);
		}
	});

	it('offsets and input values', () => {
		expect(offsetMinutesAt(new Date('2026-07-01T00:00:00Z'), 'Europe/Paris')).toBe(120);
		expect(offsetMinutesAt(new Date('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
		expect(offsetString(330)).toBe('+05:30');
		expect(offsetString(-300)).toBe('-05:00');
		expect(toLocalInput('2026-07-01T08:15:00Z', 'Europe/Paris')).toBe('2026-07-01T10:15');
		expect(fromLocalInput('2026-07-01T10:15', 'Europe/Paris')).toBe('2026-07-01T08:15:00.000Z');
		expect(fromLocalInput('', 'Europe/Paris')).toBeNull();
		expect(parseFloating('nonsense')).toBeNull();
	});
});
