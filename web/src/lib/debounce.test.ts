import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('runs once, with the latest arguments, after the quiet period', () => {
		const fn = vi.fn();
		const d = debounce(fn, 300);
		d('a');
		vi.advanceTimersByTime(200);
		d('ab');
		vi.advanceTimersByTime(299);
		expect(fn).not.toHaveBeenCalled();
		expect(d.pending).toBe(true);
		vi.advanceTimersByTime(1);
		expect(fn).toHaveBeenCalledTimes(1);
		expect(fn).toHaveBeenCalledWith('ab');
		expect(d.pending).toBe(false);
	});

	it('can be cancelled', () => {
		const fn = vi.fn();
		const d = debounce(fn, 100);
		d(1);
		d.cancel();
		vi.advanceTimersByTime(500);
		expect(fn).not.toHaveBeenCalled();
		expect(d.flush()).toBe(false);
	});

	it('flush runs the pending call immediately and only once', () => {
		const fn = vi.fn();
		const d = debounce(fn, 100);
		d('x');
		expect(d.flush()).toBe(true);
		expect(fn).toHaveBeenCalledWith('x');
		vi.advanceTimersByTime(500);
		expect(fn).toHaveBeenCalledTimes(1);
	});
});
