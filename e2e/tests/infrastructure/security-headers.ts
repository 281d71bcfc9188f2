import { expect, type APIRequestContext } from '@playwright/test';

/** `default-src 'self'; script-src 'self' 'sha256-…'` → directive name → its sources. */
export function cspDirectives(header: string | undefined): Map<string, string[]> {
	const directives = new Map<string, string[]>();
	for (const part of (header ?? '').split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) directives.set(name.toLowerCase(), sources);
	}
	return directives;
}

const SAFE_REFERRER_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];

/**
 * The headers every response of the app and the API carries: a CSP whose scripts can only come from
 * the site (no 'unsafe-inline', no 'unsafe-eval'), no framing by other sites, no MIME sniffing and a
 * referrer policy that keeps paths (client ids, tokens in links) on this site.
 */
export function expectSecurityHeaders(headers: Record<string, string>, what: string): void {
	const csp = cspDirectives(headers['content-security-policy']);
	expect(headers['content-security-policy'], `${what}: Content-Security-Policy`).toBeTruthy();
	// script-src falls back to default-src when absent.
	const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
	expect(scriptSrc, `${what}: CSP restricts scripts`).toBeDefined();
	expect(scriptSrc, `${what}: CSP script-src`).not.toContain("'unsafe-inline'");
	expect(scriptSrc, `${what}: CSP script-src`).not.toContain("'unsafe-eval'");
	expect(scriptSrc, `${what}: CSP script-src`).not.toContain('*');
	expect(csp.get('object-src') ?? csp.get('default-src'), `${what}: CSP object-src`).toEqual(["'none'"]);
	const frameAncestors = csp.get('frame-ancestors');
	const frameOptions = headers['x-frame-options']?.toUpperCase();
	expect(
		(frameAncestors !== undefined && frameAncestors.every((s) => s === "'none'" || s === "'self'")) || frameOptions === 'DENY' || frameOptions === 'SAMEORIGIN',
		`${what}: framing by other sites is refused (frame-ancestors ${frameAncestors?.join(' ')}, X-Frame-Options ${frameOptions})`
	).toBe(true);
	expect(headers['x-content-type-options'], `${what}: X-Content-Type-Options`).toBe('nosniff');
	const referrer = (headers['referrer-policy'] ?? '').split(',').map((p) => p.trim()).filter(Boolean).at(-1);
	expect(SAFE_REFERRER_POLICIES, `${what}: Referrer-Policy ${headers['referrer-policy']}`).toContain(referrer);
}

/** HSTS for at least 180 days, subdomains included (what browsers' preload lists ask as a minimum). */
export function expectHsts(headers: Record<string, string>, what: string): void {
	const hsts = headers['strict-transport-security'] ?? '';
	const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0);
	expect(maxAge, `${what}: Strict-Transport-Security max-age (${hsts || 'absent'})`).toBeGreaterThanOrEqual(180 * 24 * 3600);
	expect(hsts.toLowerCase(), `${what}: Strict-Transport-Security`).toContain('includesubdomains');
}

/** One of each kind of response; the web app's script and style files are read from its HTML. */
export async function responsesToCheck(request: APIRequestContext): Promise<Array<{ what: string; path: string; status: number }>> {
	const html = await (await request.get('/login')).text();
	const assets = [...html.matchAll(/(?:href|src)="(\/_app\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
	expect(assets.length, 'the page loads built scripts and styles').toBeGreaterThan(0);
	return [
		{ what: 'app page', path: '/login', status: 200 },
		{ what: 'app page (client-side route)', path: '/clients', status: 200 },
		{ what: 'app script', path: assets.find((a) => a.endsWith('.js'))!, status: 200 },
		{ what: 'app stylesheet', path: assets.find((a) => a.endsWith('.css')) ?? assets[0], status: 200 },
		{ what: 'favicon', path: '/favicon.svg', status: 200 },
		{ what: 'API answer', path: '/api/v1/auth/session', status: 200 },
		{ what: 'API problem', path: '/api/v1/clients', status: 401 },
		{ what: 'API not found', path: '/api/v1/no-such-route', status: 404 },
		{ what: 'API docs', path: '/api/docs', status: 200 },
		{ what: 'API spec', path: '/api/docs/openapi.json', status: 200 },
		{ what: 'health probe', path: '/health/live', status: 200 }
	];
}
