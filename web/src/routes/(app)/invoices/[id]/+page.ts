import { error, redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import { settle } from '#lib/api/client.ts';
import type { Invoice } from '#lib/invoices/contract.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch, url }) => {
	const response = fetch(`/api/v1/invoices/${encodeURIComponent(params.id)}`, { headers: { Accept: 'application/json, application/problem+json' } }).then(async (res) => {
		const body = await res.json().catch(() => undefined);
		return res.ok ? { data: body as Invoice, response: res } : { error: body, response: res };
	});
	const result = await settle(response);
	if (result.ok) return { invoice: result.data as Invoice };
	if (result.status === 401) redirect(307, loginUrl(url.pathname));
	if (result.status === 404 || result.status === 400) error(404, result.error.message);
	error(result.status ?? 503, result.error.message);
};
