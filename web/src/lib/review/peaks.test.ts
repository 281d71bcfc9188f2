import { describe, expect, it } from 'vitest';
import { toPeaksAnswer, waitForPeaks, type PeaksAnswer } from './peaks.ts';

const ready: PeaksAnswer = { status: 'ready', durationSeconds: 6, sampleRate: 8000, channels: 1, peaks: [0.1, 0.5] };

function scripted(answers: Array<PeaksAnswer | null | Error>) {
	let calls = 0;
	const load = async () => {
		const next = answers[Math.min(calls++, answers.length - 1)];
		if (next instanceof Error) throw next;
		return next;
	};
	return { load, calls: () => calls };
}

describe('waitForPeaks', () => {
	it('asks again while pending (and after failed requests), with growing pauses, until ready', async () => {
		const slept: number[] = [];
		const waiting: Array<PeaksAnswer | null> = [];
		const { load, calls } = scripted([{ status: 'pending' }, null, new Error('network'), { status: 'pending' }, ready]);
		const answer = await waitForPeaks(load, {
			signal: new AbortController().signal,
			delays: [10, 20, 30],
			sleep: async (ms) => void slept.push(ms),
			onwaiting: (a) => waiting.push(a)
		});
		expect(answer).toEqual(ready);
		expect(calls()).toBe(5);
		expect(slept).toEqual([10, 20, 30, 30]);
		expect(waiting).toEqual([{ status: 'pending' }, null, null, { status: 'pending' }]);
	});

	it('stops at a final answer other than ready', async () => {
		for (const status of ['failed', 'none'] as const) {
			const { load, calls } = scripted([{ status }]);
			expect(await waitForPeaks(load, { signal: new AbortController().signal, sleep: async () => {} })).toEqual({ status });
			expect(calls()).toBe(1);
		}
	});

	it('gives up with null once aborted, even mid-request', async () => {
		const controller = new AbortController();
		const { load, calls } = scripted([{ status: 'pending' }]);
		const answer = await waitForPeaks(
			async () => {
				const a = await load();
				if (calls() === 3) controller.abort();
				return a;
			},
			{ signal: controller.signal, sleep: async () => {} }
		);
		expect(answer).toBeNull();
		expect(calls()).toBe(3);
	});
});

describe('toPeaksAnswer', () => {
	it('keeps a ready body with its waveform, and only the status otherwise', () => {
		expect(toPeaksAnswer({ status: 'ready', durationSeconds: 6, sampleRate: 8000, channels: 1, peaks: [0.1, 0.5] })).toEqual(ready);
		expect(toPeaksAnswer({ status: 'pending' })).toEqual({ status: 'pending' });
		expect(toPeaksAnswer({ status: 'none' })).toEqual({ status: 'none' });
	});
	it('treats a ready body without peaks or duration as nothing to draw', () => {
		expect(toPeaksAnswer({ status: 'ready', durationSeconds: 6, peaks: [] })).toEqual({ status: 'failed' });
		expect(toPeaksAnswer({ status: 'ready', peaks: [0.2] })).toEqual({ status: 'failed' });
		expect(toPeaksAnswer({ status: 'ready', durationSeconds: 0, peaks: [0.2] })).toEqual({ status: 'failed' });
	});
});
