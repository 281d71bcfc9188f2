/**
 * One shared clock for the hold countdowns: a single interval however many holds are on screen,
 * running only while something listens.
 */
import { createSubscriber } from 'svelte/reactivity';

class Clock {
	#subscribe = createSubscriber((update) => {
		const timer = setInterval(update, 1000);
		return () => clearInterval(timer);
	});

	/** Milliseconds since the epoch; re-read every second by whoever renders it. */
	get value(): number {
		this.#subscribe();
		return Date.now();
	}
}

export const now = new Clock();

/** "1:02:03" / "4:05" until `target`, never negative. */
export function countdown(target: string, at: number): string {
	const total = Math.max(0, Math.ceil((Date.parse(target) - at) / 1000));
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = total % 60;
	const mm = hours > 0 ? String(minutes).padStart(2, '0') : String(minutes);
	return `${hours > 0 ? `${hours}:` : ''}${mm}:${String(seconds).padStart(2, '0')}`;
}
