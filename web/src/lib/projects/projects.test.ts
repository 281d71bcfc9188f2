import { describe, expect, it } from 'vitest';
import { formatDueDate, minutesToHours, moved } from './projects.ts';

describe('projects helpers', () => {
	it('moves one item up or down, and leaves the list alone at its ends', () => {
		expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
		expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
		expect(moved(['a', 'b', 'c'], 2, 3)).toEqual(['a', 'b', 'c']);
	});

	it('shows a due date as its own calendar day and minutes as hours', () => {
		expect(formatDueDate('2031-06-30', 'en')).toBe('Jun 30, 2031');
		expect(minutesToHours(330, 'en')).toBe('5.5');
		expect(minutesToHours(330, 'fr')).toBe('5,5');
	});
});
