import { error, redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { loginUrl } from '#lib/navigation.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch, url }) => {
	const result = await settle(api.GET('/api/v1/quotes/{id}', { params: { path: { id: params.id } }, fetch }));
	if (result.ok) return { quote: result.data };
	if (result.status === 401) redirect(307, loginUrl(url.pathname));
	if (result.status === 404 || result.status === 400) error(404, result.error.message);
	error(result.status ?? 503, result.error.message);
};
