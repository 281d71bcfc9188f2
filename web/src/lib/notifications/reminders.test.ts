import { describe, expect, it } from 'vitest';
import { parseReminderHours, reminderHoursText } from './reminders.ts';

describe('reminder hours', () => {
	it('reads hours into minutes, largest first, and writes them back', () => {
		expect(parseReminderHours('2, 24')).toEqual([1440, 120]);
		expect(parseReminderHours('0.25 336')).toEqual([20160, 15]);
		expect(parseReminderHours('')).toEqual([]);
		expect(reminderHoursText([1440, 120, 15])).toBe('24, 2, 0.25');
	});

	it('refuses what the API would refuse', () => {
		for (const bad of ['0.1', '337', '1, 2, 3, 4, 5', '2, 2', 'daily', '-1']) expect(parseReminderHours(bad)).toBeNull();
	});
});
