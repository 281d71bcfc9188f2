import { describe, expect, it } from 'vitest';
import { createApiClient, settle } from './client';

function fakeFetch(handler: (req: Request) => Response | Promise<Response>) {
	const calls: Request[] = [];
	const fetch = async (req: Request) => {
		calls.push(req);
		return handler(req);
	};
	return { fetch, calls };
}

const json = (status: number, body: unknown, type = 'application/json') =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('api client + settle', () => {
	it('sends query parameters and returns typed data', async () => {
		const { fetch, calls } = fakeFetch(() => json(200, { items: [], nextCursor: null }));
		const api = createApiClient({ baseUrl: 'http://rsm.test', fetch });
		const res = await settle(api.GET('/api/v1/clients', { params: { query: { limit: 20, q: 'ann lee' } } }));
		expect(res).toEqual({ ok: true, data: { items: [], nextCursor: null }, status: 200 });
		const url = new URL(calls[0].url);
		expect(url.pathname).toBe('/api/v1/clients');
		expect(url.searchParams.get('q')).toBe('ann lee');
		expect(url.searchParams.get('limit')).toBe('20');
		expect(calls[0].credentials).toBe('same-origin');
	});

	it('turns a problem+json response into a UI error', async () => {
		const { fetch } = fakeFetch(() =>
			json(
				409,
				{ type: 'https://rsm.dev/problems/email-taken', title: 'Conflict', status: 409, detail: 'An account with this email already exists.', requestId: 'r1' },
				'application/problem+json'
			)
		);
		const api = createApiClient({ baseUrl: 'http://rsm.test', fetch });
		const res = await settle(
			api.POST('/api/v1/auth/register', {
				body: { studioName: 'S', name: 'N', email: 'a@b.c', password: '0123456789' }
			})
		);
		expect(res.ok).toBe(false);
		if (!res.ok) {
			expect(res.status).toBe(409);
			expect(res.error.message).toBe('An account with this email already exists. Log in instead.');
			expect(res.error.requestId).toBeNull(); // a 4xx is not a support case
		}
	});

	it('handles 204 responses and network failures without throwing', async () => {
		const ok = createApiClient({ baseUrl: 'http://rsm.test', fetch: async () => new Response(null, { status: 204 }) });
		expect(await settle(ok.POST('/api/v1/auth/logout'))).toMatchObject({ ok: true, status: 204 });

		const down = createApiClient({
			baseUrl: 'http://rsm.test',
			fetch: async () => {
				throw new TypeError('fetch failed');
			}
		});
		const res = await settle(down.GET('/api/v1/auth/me'));
		expect(res.ok).toBe(false);
		if (!res.ok) {
			expect(res.status).toBeNull();
			expect(res.error.message).toMatch(/Could not reach the server/);
		}
	});
});
