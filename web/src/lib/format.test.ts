import { describe, expect, it } from 'vitest';
import { currencyDigits, formatDateTime, formatMoney, minorToDecimal } from './format.ts';

// Intl uses a narrow no-break space in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
	it('knows how many decimals each currency has', () => {
		expect(currencyDigits('JPY')).toBe(0);
		expect(currencyDigits('EUR')).toBe(2);
		expect(currencyDigits('KWD')).toBe(3);
		// ISO 4217 as the API counts, where the browser's CLDR data says 0 decimals.
		expect(currencyDigits('HUF')).toBe(2);
		expect(currencyDigits('IQD')).toBe(3);
	});

	it('shows every minor digit, even where the browser would round it away', () => {
		expect(plain(formatMoney(1500050, 'HUF', 'en'))).toBe('HUF 15,000.50');
	});

	it('turns minor units into an exact decimal', () => {
		expect(minorToDecimal(123456, 2)).toBe('1234.56');
		expect(minorToDecimal(5, 2)).toBe('0.05');
		expect(minorToDecimal(-5, 3)).toBe('-0.005');
		expect(minorToDecimal(1500, 0)).toBe('1500');
		expect(minorToDecimal(0, 2)).toBe('0.00');
		expect(() => minorToDecimal(1.5, 2)).toThrow(RangeError);
	});

	it('formats 0, 2 and 3-decimal currencies in the user locale', () => {
		expect(plain(formatMoney(1500, 'JPY', 'en'))).toBe('¥1,500');
		expect(plain(formatMoney(123456, 'EUR', 'en'))).toBe('€1,234.56');
		expect(plain(formatMoney(123456, 'EUR', 'fr'))).toBe('1 234,56 €');
		expect(plain(formatMoney(1234567, 'KWD', 'en'))).toBe('KWD 1,234.567');
		expect(plain(formatMoney(-5, 'KWD', 'fr'))).toBe('-0,005 KWD');
	});

	it('keeps every digit of large amounts', () => {
		expect(plain(formatMoney(900719925474099, 'EUR', 'en'))).toBe('€9,007,199,254,740.99');
	});
});

describe('dates', () => {
	const instant = '2026-03-01T23:30:00Z';

	it('shows the same instant in the studio time zone', () => {
		expect(plain(formatDateTime(instant, 'en', 'UTC', 'time'))).toBe('11:30 PM');
		expect(plain(formatDateTime(instant, 'en', 'Europe/Paris', 'date'))).toBe('Mar 2, 2026');
		expect(plain(formatDateTime(instant, 'en', 'America/New_York', 'datetime'))).toBe('Mar 1, 2026, 6:30 PM');
		expect(plain(formatDateTime(instant, 'en', 'Asia/Kolkata', 'time'))).toBe('5:00 AM');
	});

	it('uses the locale for words and order', () => {
		expect(plain(formatDateTime(instant, 'fr', 'Europe/Paris', 'long-date'))).toBe('2 mars 2026');
		expect(plain(formatDateTime(instant, 'fr', 'Europe/Paris', 'time'))).toBe('00:30');
	});
});
