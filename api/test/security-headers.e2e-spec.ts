import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 6, infrastructure: the security headers on API answers, in development and with a Secure
 * cookie (production's default), next to e2e/tests/infrastructure/ which checks them on the built
 * app's pages and files as well.
 */
const directives = (csp: string | undefined) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
const PATHS = ['/api/v1/auth/session', '/api/v1/clients', '/api/docs/openapi.json', '/health/live'];

describe('security headers', () => {
  let dev: TestApp;
  let secure: TestApp;
  beforeAll(async () => {
    dev = await createTestApp();
    secure = await createTestApp({ COOKIE_SECURE: 'true' });
  });
  afterAll(async () => {
    await dev.close();
    await secure.close();
  });

  it.each(PATHS)('%s: scripts only from the site, no framing, no sniffing, no referrer; no HSTS over plain development http', async (path) => {
    const res = await dev.http().get(path);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it.each(PATHS)('%s with a Secure cookie (production): HSTS for a year with subdomains, and http subresources upgraded', async (path) => {
    const res = await secure.http().get(path);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });
});
