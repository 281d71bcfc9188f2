import { describe, expect, it } from 'vitest';
import { decimalToMinor, minorToInput, wallTimeToInstant, weekdayName, weekSummary } from './resources.ts';

describe('money typed in major units', () => {
	it('becomes exact minor units for the currency', () => {
		expect(decimalToMinor('45', 'EUR')).toBe(4500);
		expect(decimalToMinor(' 45.5 ', 'EUR')).toBe(4550);
		expect(decimalToMinor('45,05', 'EUR')).toBe(4505);
		expect(decimalToMinor('0.1', 'EUR')).toBe(10);
		expect(decimalToMinor('1500', 'JPY')).toBe(1500);
		expect(decimalToMinor('1.234', 'KWD')).toBe(1234);
	});

	it('refuses what is not an amount, or more decimals than the currency has', () => {
		for (const text of ['', '-5', 'abc', '1.2.3', '45.123', '1e3']) expect([text, decimalToMinor(text, 'EUR')]).toEqual([text, null]);
		expect(decimalToMinor('1.5', 'JPY')).toBeNull();
	});

	it('round-trips through the input text', () => {
		expect(minorToInput(4550, 'EUR')).toBe('45.50');
		expect(minorToInput(null, 'EUR')).toBe('');
		expect(decimalToMinor(minorToInput(123456, 'KWD'), 'KWD')).toBe(123456);
	});
});

describe('weeks', () => {
	it('names ISO weekdays in the language', () => {
		expect(weekdayName(1, 'en')).toBe('Monday');
		expect(weekdayName(7, 'fr')).toBe('dimanche');
	});

	it('summarises a week', () => {
		expect(weekSummary([{ weekday: 1, opens: '09:00', closes: '18:00' }, { weekday: 6, opens: '10:00', closes: '24:00' }], 'en')).toBe('Mon 09:00–18:00 · Sat 10:00–24:00');
	});
});

describe('wall-clock times in the studio time zone', () => {
	it('reads a datetime-local value in the given zone, across daylight saving changes', () => {
		expect(wallTimeToInstant('2026-01-15T09:00', 'Europe/Paris')).toBe('2026-01-15T08:00:00.000Z');
		expect(wallTimeToInstant('2026-07-15T09:00', 'Europe/Paris')).toBe('2026-07-15T07:00:00.000Z');
		expect(wallTimeToInstant('2026-03-29T09:00', 'Europe/Paris')).toBe('2026-03-29T07:00:00.000Z');
		expect(wallTimeToInstant('2026-10-25T01:30', 'Europe/Paris')).toBe('2026-10-24T23:30:00.000Z');
		expect(wallTimeToInstant('2026-07-15T09:00', 'America/New_York')).toBe('2026-07-15T13:00:00.000Z');
		expect(wallTimeToInstant('2026-07-15T09:00', 'UTC')).toBe('2026-07-15T09:00:00.000Z');
	});

	it('refuses what is not a date and time', () => {
		expect(wallTimeToInstant('', 'UTC')).toBeNull();
		expect(wallTimeToInstant('2026-07-15', 'UTC')).toBeNull();
	});
});
