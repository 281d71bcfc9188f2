/**
 * App-wide notices ("Client added"): a queue that the one <Toaster> in the shell shows. Each toast
 * closes itself after a while; hovering or focusing the stack pauses every timer (the Toaster calls
 * pause/resume), so nobody loses a message they are reading.
 */
export type ToastTone = 'success' | 'info' | 'error';
export interface Toast {
	id: number;
	message: string;
	tone: ToastTone;
	/** Optional link, e.g. to the client just added. */
	action?: { label: string; href: string };
}

const DEFAULT_DURATION_MS = 6000;

class Toasts {
	items = $state<Toast[]>([]);
	#timers = new Map<number, { remaining: number; started: number; handle: ReturnType<typeof setTimeout> | null }>();
	#paused = false;
	#next = 1;

	show(message: string, options: { tone?: ToastTone; action?: Toast['action']; duration?: number } = {}): number {
		const id = this.#next++;
		this.items = [...this.items, { id, message, tone: options.tone ?? 'success', action: options.action }];
		this.#timers.set(id, { remaining: options.duration ?? DEFAULT_DURATION_MS, started: Date.now(), handle: null });
		if (!this.#paused) this.#start(id);
		return id;
	}

	dismiss(id: number) {
		const timer = this.#timers.get(id);
		if (timer?.handle) clearTimeout(timer.handle);
		this.#timers.delete(id);
		this.items = this.items.filter((t) => t.id !== id);
	}

	pause() {
		this.#paused = true;
		for (const timer of this.#timers.values()) {
			if (!timer.handle) continue;
			clearTimeout(timer.handle);
			timer.handle = null;
			timer.remaining -= Date.now() - timer.started;
		}
	}

	resume() {
		this.#paused = false;
		for (const id of this.#timers.keys()) this.#start(id);
	}

	#start(id: number) {
		const timer = this.#timers.get(id);
		if (!timer || timer.handle) return;
		timer.started = Date.now();
		timer.handle = setTimeout(() => this.dismiss(id), Math.max(0, timer.remaining));
	}
}

export const toasts = new Toasts();
