/** Where to go after logging in, when nothing else was asked for: the dashboard. */
export const HOME = '/';

/**
 * Only allow same-origin, absolute-path redirect targets (no `//evil.com`,
 * no `https://…`, no `/\evil.com`), and never bounce back to the auth pages.
 */
export function safeNext(next: string | null | undefined, fallback = HOME): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	if (/^\/(login|signup)(\/|\?|#|$)/.test(next)) return fallback;
	return next;
}

/** The login URL that brings the user back to `from` afterwards. */
export function loginUrl(from?: string): string {
	const next = from ? safeNext(from, '') : '';
	return next && next !== HOME ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
