import { describe, expect, it } from 'vitest';
import { formatFileSize } from './size.ts';

describe('formatFileSize', () => {
	it('counts in thousands with one decimal under 100 of a unit', () => {
		expect(formatFileSize(0, 'en')).toBe('0 bytes');
		expect(formatFileSize(999, 'en')).toBe('999 bytes');
		expect(formatFileSize(1_234_567, 'en')).toBe('1.2 MB');
		expect(formatFileSize(250_000_000, 'en')).toBe('250 MB');
		expect(formatFileSize(2_147_483_648, 'en')).toBe('2.1 GB');
	});
	it('speaks the locale', () => {
		expect(formatFileSize(1_234_567, 'fr')).toMatch(/^1,2\sMo$/);
	});
});
