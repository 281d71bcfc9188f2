/**
 * Waiting for a file's waveform peaks. The server computes them once per upload in a background job
 * (GET /files/{id}/peaks answers `pending` until then), so the player asks again with a growing pause
 * and stops as soon as the answer is final: `ready`, `failed` or `none` (not a decodable audio file).
 */

export type PeaksAnswer =
	| { status: 'none' | 'pending' | 'failed' }
	| { status: 'ready'; durationSeconds: number; sampleRate?: number; channels?: number; peaks: number[] };

export type ReadyPeaks = Extract<PeaksAnswer, { status: 'ready' }>;

/** Pauses between two asks, in ms; the last one repeats. */
export const PEAKS_RETRY_DELAYS = [500, 1000, 2000, 3000, 5000];

export interface WaitForPeaksOptions {
	signal: AbortSignal;
	/** Called with each non-final answer (or null after a failed request), e.g. to show "preparing". */
	onwaiting?: (answer: PeaksAnswer | null) => void;
	delays?: readonly number[];
	sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
	});
}

/**
 * Ask `load` until the peaks are final. Resolves with the final answer, or null once `signal` is
 * aborted (the player moved to another file or went away). A failed request (network, 5xx: `load`
 * returns null or throws) is asked again like a pending one.
 */
export async function waitForPeaks(load: () => Promise<PeaksAnswer | null>, options: WaitForPeaksOptions): Promise<PeaksAnswer | null> {
	const { signal, onwaiting, delays = PEAKS_RETRY_DELAYS, sleep = abortableSleep } = options;
	for (let attempt = 0; !signal.aborted; attempt++) {
		let answer: PeaksAnswer | null;
		try {
			answer = await load();
		} catch {
			answer = null;
		}
		if (signal.aborted) return null;
		if (answer && answer.status !== 'pending') return answer;
		onwaiting?.(answer);
		await sleep(delays[Math.min(attempt, delays.length - 1)], signal);
	}
	return null;
}

/** GET /files/{id}/peaks as the API sends it: one flat shape whose other fields come with `ready`. */
export interface PeaksBody {
	status: PeaksAnswer['status'];
	durationSeconds?: number;
	sampleRate?: number;
	channels?: number;
	peaks?: number[];
}

/** The body as an answer; a `ready` without its peaks or duration is no waveform to draw. */
export function toPeaksAnswer(body: PeaksBody): PeaksAnswer {
	if (body.status !== 'ready') return { status: body.status };
	const { durationSeconds, peaks, sampleRate, channels } = body;
	if (!peaks?.length || !durationSeconds || durationSeconds <= 0) return { status: 'failed' };
	return { status: 'ready', durationSeconds, peaks, sampleRate, channels };
}
