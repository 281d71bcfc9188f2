/**
 * Positions on the review timeline: seconds ↔ the "m:ss" a reviewer reads, and a pointer's x
 * offset ↔ seconds. Kept free of the DOM so the arithmetic is tested on its own.
 */

/** Seconds as a timecode: "0:03", "12:05", "1:02:03" past an hour. Negative or NaN → "0:00". */
export function formatTimecode(seconds: number): string {
	const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Clamp a time into [0, duration]. */
export function clampTime(seconds: number, duration: number): number {
	if (!Number.isFinite(seconds) || seconds < 0) return 0;
	return duration > 0 ? Math.min(seconds, duration) : 0;
}

/**
 * The time under a pointer `offsetX` pixels from the timeline's left edge, rounded to a tenth of a
 * second (what a comment keeps: the reviewer aims at a moment, not a sample).
 */
export function timeAtOffset(offsetX: number, width: number, duration: number): number {
	if (width <= 0 || duration <= 0) return 0;
	const ratio = Math.min(Math.max(offsetX / width, 0), 1);
	return Math.round(ratio * duration * 10) / 10;
}

/** Where a time sits along the timeline, as a CSS percentage (0–100). */
export function percentOf(seconds: number, duration: number): number {
	if (duration <= 0) return 0;
	return (clampTime(seconds, duration) / duration) * 100;
}
