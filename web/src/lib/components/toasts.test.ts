import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toasts } from './toasts.svelte.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
	for (const t of toasts.items) toasts.dismiss(t.id);
	vi.useRealTimers();
});

describe('toasts', () => {
	it('stack in order and close themselves', () => {
		toasts.show('first');
		vi.advanceTimersByTime(1000);
		toasts.show('second');
		expect(toasts.items.map((t) => t.message)).toEqual(['first', 'second']);
		vi.advanceTimersByTime(5000);
		expect(toasts.items.map((t) => t.message)).toEqual(['second']);
		vi.advanceTimersByTime(1000);
		expect(toasts.items).toEqual([]);
	});

	it('wait while paused (hover or focus) and resume with the time they had left', () => {
		toasts.show('read me', { duration: 6000 });
		vi.advanceTimersByTime(4000);
		toasts.pause();
		vi.advanceTimersByTime(60_000);
		expect(toasts.items).toHaveLength(1);
		toasts.show('arrived while paused', { duration: 1000 });
		vi.advanceTimersByTime(60_000);
		expect(toasts.items).toHaveLength(2);
		toasts.resume();
		vi.advanceTimersByTime(1999);
		expect(toasts.items.map((t) => t.message)).toEqual(['read me']);
		vi.advanceTimersByTime(1);
		expect(toasts.items).toEqual([]);
	});

	it('can be dismissed early', () => {
		const id = toasts.show('bye');
		toasts.dismiss(id);
		expect(toasts.items).toEqual([]);
	});
});
