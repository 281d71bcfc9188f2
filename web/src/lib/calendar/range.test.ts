import { describe, expect, it } from 'vitest';
import { dayRange, shiftDate, todayIn, viewTitle, visibleDays } from './range.ts';

describe('calendar range', () => {
	it('shows Monday to Sunday around any day of the week', () => {
		expect(visibleDays('2026-11-26', 'week')).toEqual({ first: '2026-11-23', afterLast: '2026-11-30' });
		expect(visibleDays('2026-11-29', 'week')).toEqual({ first: '2026-11-23', afterLast: '2026-11-30' });
		expect(visibleDays('2026-11-23', 'day')).toEqual({ first: '2026-11-23', afterLast: '2026-11-24' });
	});

	it('asks for midnight to midnight in the studio zone, across the October change', () => {
		// The week of Sunday 25 October 2026 in Paris: summer time on Monday, winter time on the next.
		expect(dayRange('2026-10-21', 'week', 'Europe/Paris')).toEqual({ from: '2026-10-18T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' });
		expect(dayRange('2026-10-25', 'day', 'Europe/Paris')).toEqual({ from: '2026-10-24T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' });
	});

	it('moves by a week or a day and knows today in the studio zone', () => {
		expect(shiftDate('2026-12-28', 'week', 1)).toBe('2027-01-04');
		expect(shiftDate('2026-03-01', 'day', -1)).toBe('2026-02-28');
		expect(todayIn('Pacific/Auckland', new Date('2026-11-26T12:00:00Z'))).toBe('2026-11-27');
		expect(todayIn('America/Los_Angeles', new Date('2026-11-26T05:00:00Z'))).toBe('2026-11-25');
	});

	it('titles the view in the user’s language', () => {
		expect(viewTitle('2026-11-26', 'week', 'en').replace(/\s/g, ' ')).toBe('Nov 23 – 29, 2026');
		expect(viewTitle('2026-11-26', 'day', 'fr')).toBe('jeudi 26 novembre 2026');
	});
});
