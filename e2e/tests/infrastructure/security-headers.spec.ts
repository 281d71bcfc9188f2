import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { cspDirectives, expectSecurityHeaders, responsesToCheck } from './security-headers';

/**
 * Infrastructure: the security headers of every kind of response the suite's server sends: the web
 * app's pages and files, API answers (success and problem), the API docs and the probes.
 */

test('every kind of response carries the security headers', async ({ request }) => {
	for (const { what, path, status } of await responsesToCheck(request)) {
		const res = await request.get(path);
		expect([what, path, res.status()]).toEqual([what, path, status]);
		expectSecurityHeaders(res.headers(), `${what} ${path}`);
	}
});

test('no HSTS in development: over plain http it would pin the developer’s localhost to https', async ({ request }) => {
	for (const path of ['/login', '/api/v1/auth/session']) {
		expect((await request.get(path)).headers()['strict-transport-security'], path).toBeUndefined();
	}
});

test("the page's only inline script (SvelteKit's bootstrap) is allowed by its hash, not by 'unsafe-inline'", async ({ request }) => {
	const res = await request.get('/login');
	const html = await res.text();
	const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
	expect(inline.length).toBeGreaterThan(0);
	const scriptSrc = cspDirectives(res.headers()['content-security-policy']).get('script-src') ?? [];
	for (const script of inline) expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
});
