export interface Debounced<A extends unknown[]> {
	(...args: A): void;
	/** Drop the pending call, if any. */
	cancel(): void;
	/** Run the pending call now, if any. Returns whether one ran. */
	flush(): boolean;
	/** Whether a call is waiting for the timer. */
	readonly pending: boolean;
}

/** Trailing-edge debounce: runs `fn` with the latest arguments `wait` ms after the last call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, wait: number): Debounced<A> {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let lastArgs: A | null = null;

	const run = () => {
		const args = lastArgs as A;
		timer = null;
		lastArgs = null;
		fn(...args);
	};

	const debounced = ((...args: A) => {
		lastArgs = args;
		if (timer !== null) clearTimeout(timer);
		timer = setTimeout(run, wait);
	}) as Debounced<A>;

	debounced.cancel = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
		lastArgs = null;
	};
	debounced.flush = () => {
		if (timer === null) return false;
		clearTimeout(timer);
		run();
		return true;
	};
	Object.defineProperty(debounced, 'pending', { get: () => timer !== null });
	return debounced;
}
