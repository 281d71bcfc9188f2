/**
 * Issue 13, realtime: the signed-in member's live notifications. One EventSource per tab on
 * /api/v1/notifications/stream; the browser resends Last-Event-ID when it reconnects, so nothing is missed.
 * The unread count comes from the API at start, then moves with each event and each mark-read.
 */
import { notificationsApi, STREAM_EVENTS, type Notification } from './api.ts';

class LiveNotifications {
	unread = $state(0);
	/** Arrived since the page loaded, newest first (the notifications page merges them into its list). */
	arrived = $state<Notification[]>([]);
	private source: EventSource | undefined;
	private users = 0;

	/** Starts the stream (once per tab, however many components ask); returns the stop function. */
	start(): () => void {
		this.users++;
		if (!this.source) {
			void this.refreshCount();
			const source = new EventSource('/api/v1/notifications/stream', { withCredentials: true });
			const onEvent = (e: MessageEvent<string>) => {
				const n = JSON.parse(e.data) as Notification;
				if (this.arrived.some((a) => a.id === n.id)) return;
				this.arrived = [n, ...this.arrived].slice(0, 100);
				if (!n.readAt) this.unread++;
			};
			for (const name of STREAM_EVENTS) source.addEventListener(name, onEvent);
			source.addEventListener('session-ended', () => this.stop(true));
			this.source = source;
		}
		return () => this.stop();
	}

	async refreshCount(): Promise<void> {
		const result = await notificationsApi.unreadCount();
		if (result.ok) this.unread = result.data.count;
	}

	markedRead(count = 1): void {
		this.unread = Math.max(0, this.unread - count);
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
