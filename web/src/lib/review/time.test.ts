import { describe, expect, it } from 'vitest';
import { clampTime, formatTimecode, percentOf, timeAtOffset } from './time.ts';

describe('formatTimecode', () => {
	it('shows minutes and zero-padded seconds, truncating fractions', () => {
		expect(formatTimecode(0)).toBe('0:00');
		expect(formatTimecode(3)).toBe('0:03');
		expect(formatTimecode(3.97)).toBe('0:03');
		expect(formatTimecode(65)).toBe('1:05');
		expect(formatTimecode(725)).toBe('12:05');
	});
	it('adds hours past an hour', () => {
		expect(formatTimecode(3723)).toBe('1:02:03');
	});
	it('treats nonsense as the start', () => {
		expect(formatTimecode(-4)).toBe('0:00');
		expect(formatTimecode(Number.NaN)).toBe('0:00');
		expect(formatTimecode(Number.POSITIVE_INFINITY)).toBe('0:00');
	});
});

describe('timeline geometry', () => {
	it('maps a pointer offset to a time, rounded to tenths and clamped to the track', () => {
		expect(timeAtOffset(300, 600, 6)).toBe(3);
		expect(timeAtOffset(101, 600, 6)).toBe(1);
		expect(timeAtOffset(-20, 600, 6)).toBe(0);
		expect(timeAtOffset(900, 600, 6)).toBe(6);
		expect(timeAtOffset(10, 0, 6)).toBe(0);
		expect(timeAtOffset(10, 600, 0)).toBe(0);
	});
	it('places a time along the timeline as a percentage', () => {
		expect(percentOf(3, 6)).toBe(50);
		expect(percentOf(9, 6)).toBe(100);
		expect(percentOf(-1, 6)).toBe(0);
		expect(percentOf(1, 0)).toBe(0);
	});
	it('clamps into the track', () => {
		expect(clampTime(7, 6)).toBe(6);
		expect(clampTime(-1, 6)).toBe(0);
		expect(clampTime(2, 0)).toBe(0);
	});
});
