import { expect, request as requests, test, type APIRequestContext } from '@playwright/test';
import { dirname } from 'node:path';
import { newOwner } from '../helpers';
import { startProductionServer, type ProductionServer } from './production-server';
import { cspDirectives, expectHsts, expectSecurityHeaders, responsesToCheck } from './security-headers';

/**
 * Infrastructure in production mode: a second app process with NODE_ENV=production (the suite's own
 * server runs in development). HSTS and the other headers on every kind of response, the Secure
 * session cookie, and metrics only for the bearer of METRICS_TOKEN.
 */
test.describe('production mode', () => {
	test.describe.configure({ timeout: 180_000 });
	let server: ProductionServer;
	let http: APIRequestContext;

	test.beforeAll(async () => {
		server = await startProductionServer(dirname(test.info().config.configFile!));
		http = await requests.newContext({ baseURL: server.baseURL });
	});
	test.afterAll(async () => {
		await http?.dispose();
		await server?.stop();
	});

	test('every kind of response carries HSTS and the security headers', async () => {
		for (const { what, path, status } of await responsesToCheck(http)) {
			const res = await http.get(path);
			expect([what, path, res.status()]).toEqual([what, path, status]);
			expectSecurityHeaders(res.headers(), `${what} ${path}`);
			expectHsts(res.headers(), `${what} ${path}`);
			// Behind TLS, a stray http:// subresource is upgraded rather than loaded in the clear.
			expect(cspDirectives(res.headers()['content-security-policy']).has('upgrade-insecure-requests'), `${what} ${path}`).toBe(true);
		}
	});

	test('the session cookie is __Host-, Secure and HttpOnly', async () => {
		const res = await http.post('/api/v1/auth/register', { data: newOwner('prod'), headers: { origin: server.baseURL } });
		expect(res.status(), await res.text()).toBe(201);
		const cookie = res.headers()['set-cookie'] ?? '';
		expect(cookie).toMatch(/^__Host-rsm_session=/);
		expect(cookie).toMatch(/;\s*Secure/i);
		expect(cookie).toMatch(/;\s*HttpOnly/i);
	});

	test('metrics need the bearer token', async () => {
		expect((await http.get('/metrics')).status()).toBe(401);
		expect((await http.get('/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status()).toBe(401);
		const res = await http.get('/metrics', { headers: { authorization: `Bearer ${server.metricsToken}` } });
		expect(res.status()).toBe(200);
		expect(await res.text()).toMatch(/^# TYPE process_cpu_user_seconds_total /m);
	});
});
