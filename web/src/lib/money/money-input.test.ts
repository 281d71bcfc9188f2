import { describe, expect, it } from 'vitest';
import { formatMoneyInput, MAX_MINOR, parseMoneyInput } from './money-input.ts';

const minor = (text: string, exponent: number) => {
	const parsed = parseMoneyInput(text, exponent);
	return parsed.ok ? parsed.minor : parsed.error;
};

describe('parseMoneyInput', () => {
	it('JPY (exponent 0): whole yen, grouping, no decimals', () => {
		expect(minor('1500', 0)).toBe(1500);
		expect(minor('1,500', 0)).toBe(1500);
		expect(minor('1 500', 0)).toBe(1500);
		expect(minor('1500.00', 0)).toBe(1500);
		expect(minor('1500.5', 0)).toBe('too-many-decimals');
		expect(minor('0', 0)).toBe(0);
	});

	it('EUR (exponent 2): either decimal separator, exact cents', () => {
		expect(minor('12.34', 2)).toBe(1234);
		expect(minor('12,34', 2)).toBe(1234);
		expect(minor('12,3', 2)).toBe(1230);
		expect(minor('12', 2)).toBe(1200);
		expect(minor('.5', 2)).toBe(50);
		expect(minor('0.1', 2)).toBe(10);
		expect(minor('1 234,56', 2)).toBe(123456);
		expect(minor('1,234.56', 2)).toBe(123456);
		expect(minor('1.234,56', 2)).toBe(123456);
		expect(minor('1.234.567,89', 2)).toBe(123456789);
		expect(minor('1,500', 2)).toBe(150); // one separator is the decimal one: never a silent ×1000
		expect(minor('19.999', 2)).toBe('too-many-decimals');
		expect(minor('10.005', 2)).toBe('too-many-decimals');
		expect(minor('19.9999', 2)).toBe('too-many-decimals');
		expect(minor('0.005', 2)).toBe('too-many-decimals'); // "0" before it: not a thousands group
		// Floats would get these wrong (0.29 * 100 = 28.999999999999996).
		expect(minor('0.29', 2)).toBe(29);
		expect(minor('1.15', 2)).toBe(115);
		expect(minor('4.35', 2)).toBe(435);
	});

	it('BHD (exponent 3): three decimals, a single separator is always decimal', () => {
		expect(minor('1.5', 3)).toBe(1500);
		expect(minor('1,500', 3)).toBe(1500);
		expect(minor('1.234', 3)).toBe(1234);
		expect(minor('0,005', 3)).toBe(5);
		expect(minor('1,234.567', 3)).toBe(1234567);
		expect(minor('1.2345', 3)).toBe('too-many-decimals');
	});

	it('refuses what is not an amount', () => {
		for (const exponent of [0, 2, 3]) {
			expect(minor('', exponent)).toBe('empty');
			expect(minor('   ', exponent)).toBe('empty');
			expect(minor('-5', exponent)).toBe('negative');
			expect(minor('abc', exponent)).toBe('invalid');
			expect(minor('1e3', exponent)).toBe('invalid');
			expect(minor('12.34.56,7', exponent)).toBe('invalid');
			expect(minor('1,2,3', exponent)).toBe('invalid');
			expect(minor('.', exponent)).toBe('invalid');
		}
	});

	it('stops at the API largest amount, exactly', () => {
		expect(minor('100000000000', 2)).toBe(MAX_MINOR);
		expect(minor('100000000000.01', 2)).toBe('too-large');
		expect(minor('10000000000000', 0)).toBe(MAX_MINOR);
		expect(minor('99999999999999999999', 3)).toBe('too-large');
	});
});

describe('formatMoneyInput', () => {
	it('writes every decimal of the currency with the locale separator', () => {
		expect(formatMoneyInput(1500, 0)).toBe('1500');
		expect(formatMoneyInput(1234, 2)).toBe('12.34');
		expect(formatMoneyInput(5, 2, 'fr')).toBe('0,05');
		expect(formatMoneyInput(1500, 3)).toBe('1.500');
		expect(formatMoneyInput(-5, 3)).toBe('-0.005');
		expect(() => formatMoneyInput(1.5, 2)).toThrow(RangeError);
	});

	it('round-trips with parseMoneyInput for every exponent', () => {
		for (const exponent of [0, 2, 3]) {
			for (const value of [0, 1, 9, 10, 99, 100, 1001, 123456, 999999999, MAX_MINOR]) {
				for (const locale of ['en', 'fr']) {
					expect(parseMoneyInput(formatMoneyInput(value, exponent, locale), exponent)).toEqual({ ok: true, minor: value });
				}
			}
		}
	});
});
