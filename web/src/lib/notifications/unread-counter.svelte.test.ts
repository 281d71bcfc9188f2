import { describe, expect, it } from 'vitest';
import type { Settled } from '#lib/api/client.ts';
import { UnreadCounter } from './unread-counter.svelte.ts';

type CountResult = Settled<{ count: number }>;
const ok = (count: number): CountResult => ({ ok: true, data: { count }, status: 200 });

/** A count read whose answers the test releases one at a time, in order. */
function pendingReads() {
	const waiting: ((r: CountResult) => void)[] = [];
	let started = 0;
	const read = () => {
		started++;
		return new Promise<CountResult>((resolve) => waiting.push(resolve));
	};
	const answer = async (r: CountResult) => {
		waiting.shift()!(r);
		await new Promise((resolve) => setTimeout(resolve, 0));
	};
	return { read, answer, started: () => started };
}

describe('UnreadCounter', () => {
	it('takes the server count when nothing arrived during the read', async () => {
		const reads = pendingReads();
		const counter = new UnreadCounter(reads.read);
		const done = counter.refresh();
		await reads.answer(ok(4));
		await done;
		expect(counter.count).toBe(4);
		expect(reads.started()).toBe(1);
	});

	it('does not let a count read before an event overwrite that event (the CI race)', async () => {
		const reads = pendingReads();
		const counter = new UnreadCounter(reads.read);
		const done = counter.refresh();
		counter.arrived(); // the stream's event lands while the first read, computed before it, is in flight
		expect(counter.count).toBe(1);
		await reads.answer(ok(0)); // stale: not taken, read again
		expect(counter.count).toBe(1);
		expect(reads.started()).toBe(2);
		await reads.answer(ok(1));
		await done;
		expect(counter.count).toBe(1);
	});

	it('keeps its own count when events keep arriving through every read', async () => {
		const reads = pendingReads();
		const counter = new UnreadCounter(reads.read);
		const done = counter.refresh();
		for (let i = 0; i < 3; i++) {
			counter.arrived();
			await reads.answer(ok(0));
		}
		await done;
		expect(counter.count).toBe(3);
		expect(reads.started()).toBe(3);
	});

	it('keeps its count when the read fails, and read/cleared never go below zero', async () => {
		const counter = new UnreadCounter(async () => ({ ok: false, status: 503, error: { message: 'down', fieldErrors: {}, status: 503, requestId: null } }) as CountResult);
		counter.arrived();
		counter.arrived();
		await counter.refresh();
		expect(counter.count).toBe(2);
		counter.read(5);
		expect(counter.count).toBe(0);
		counter.arrived();
		counter.cleared();
		expect(counter.count).toBe(0);
	});
});
