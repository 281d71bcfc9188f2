/**
 * Issue 13, realtime: a bell's unread count, read from the API and then moved by the live stream.
 *
 * The read and the stream race: a count the server computed before a notification was committed can
 * reach the tab after that notification's stream event, and writing it then would hide the event
 * (the badge stays at 0 with the new notification listed; seen in CI under load). So a read counts
 * only if nothing changed the count locally while it was in flight; otherwise it is asked again (an
 * event is committed before it is streamed, so a read started after it includes it). After a few
 * busy rounds the locally kept count stands.
 */
import type { Settled } from '#lib/api/client.ts';

/** Reads asked again at most this many times while events keep arriving. */
const MAX_READS = 3;

export class UnreadCounter {
	count = $state(0);
	/** Bumped by every local change, so a read knows whether its answer is still current. */
	private changes = 0;

	constructor(private readonly readCount: () => Promise<Settled<{ count: number }>>) {}

	/** A new unread notification came in on the stream. */
	arrived(): void {
		this.changes++;
		this.count++;
	}

	/** The member marked `n` notifications read. */
	read(n = 1): void {
		this.changes++;
		this.count = Math.max(0, this.count - n);
	}

	/** Everything was marked read. */
	cleared(): void {
		this.changes++;
		this.count = 0;
	}

	/** Takes the server's count unless the stream moved the count while the read was in flight. */
	async refresh(): Promise<void> {
		for (let reads = 0; reads < MAX_READS; reads++) {
			const before = this.changes;
			const result = await this.readCount();
			if (!result.ok) return;
			if (before === this.changes) {
				this.count = result.data.count;
				return;
			}
		}
	}
}
