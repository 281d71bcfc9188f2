/**
 * Issue 13, realtime: the signed-in member's live notifications. One EventSource per tab on
 * /api/v1/notifications/stream; the browser resends Last-Event-ID when it reconnects, so nothing is missed.
 * The unread count comes from the API at start, then moves with each event and each mark-read
 * (UnreadCounter: a read that raced an event is asked again).
 */
import { toasts } from '#lib/components/toasts.svelte.ts';
import { m } from '#lib/paraglide/messages.js';
import { notificationsApi, STREAM_EVENTS, type Notification } from './api.ts';
import { UnreadCounter } from './unread-counter.svelte.ts';

/** Issue 13, board: what a `board.changed` event says (the room board re-fetches on it). */
export interface BoardChange {
	roomId: string | null;
	bookingId: string;
	type: string;
}

/** Notifications older than this when they arrive (a replay after a long disconnect) are listed, not toasted. */
const TOAST_FRESH_MS = 5 * 60_000;

class LiveNotifications {
	private readonly counter = new UnreadCounter(() => notificationsApi.unreadCount());
	/** Arrived since the page loaded, newest first (the notifications page merges them into its list). */
	arrived = $state<Notification[]>([]);
	private source: EventSource | undefined;
	private users = 0;
	// Issue 13, board: other parts of the tab listen on this one stream rather than opening their own.
	private readonly boardListeners = new Set<(change: BoardChange) => void>();
	private readonly openListeners = new Set<() => void>();

	/** Starts the stream (once per tab, however many components ask); returns the stop function. */
	start(): () => void {
		this.users++;
		if (!this.source) {
			void this.refreshCount();
			const source = new EventSource('/api/v1/notifications/stream?board=true', { withCredentials: true }); // board: the room board listens on this one stream
			const onEvent = (e: MessageEvent<string>) => {
				const n = JSON.parse(e.data) as Notification;
				if (this.arrived.some((a) => a.id === n.id)) return;
				this.arrived = [n, ...this.arrived].slice(0, 100);
				if (!n.readAt) this.counter.arrived();
				// Issue 13, board: every notification is one that concerns this member (the dispatcher decides); say it as a toast too.
				if (!n.readAt && Date.now() - Date.parse(n.createdAt) < TOAST_FRESH_MS) {
					toasts.show(n.title, { tone: 'info', action: { label: m.notifications_toast_open(), href: '/notifications' } });
				}
			};
			for (const name of STREAM_EVENTS) source.addEventListener(name, onEvent);
			source.addEventListener('board.changed', (e: MessageEvent<string>) => {
				const change = JSON.parse(e.data) as BoardChange;
				for (const listener of this.boardListeners) listener(change);
			});
			// (Re)connected: what changed while disconnected is not replayed for the board, so its listeners re-read.
			source.addEventListener('open', () => {
				for (const listener of this.openListeners) listener();
			});
			source.addEventListener('session-ended', () => this.stop(true));
			this.source = source;
		}
		return () => this.stop();
	}

	/** Issue 13, board: called on every `board.changed`; returns the unsubscribe function. */
	onBoardChange(listener: (change: BoardChange) => void): () => void {
		this.boardListeners.add(listener);
		return () => this.boardListeners.delete(listener);
	}

	/** Called each time the stream (re)connects; returns the unsubscribe function. */
	onOpen(listener: () => void): () => void {
		this.openListeners.add(listener);
		return () => this.openListeners.delete(listener);
	}

	/** The unread count the bell shows. */
	get unread(): number {
		return this.counter.count;
	}

	refreshCount(): Promise<void> {
		return this.counter.refresh();
	}

	markedRead(count = 1): void {
		this.counter.read(count);
	}

	private stop(force = false): void {
		this.users = force ? 0 : Math.max(0, this.users - 1);
		if (this.users === 0) {
			this.source?.close();
			this.source = undefined;
		}
	}
}

export const liveNotifications = new LiveNotifications();
