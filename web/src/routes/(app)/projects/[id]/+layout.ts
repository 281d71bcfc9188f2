import { error, redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { loginUrl } from '#lib/navigation.ts';
import type { LayoutLoad } from './$types';

/** The project with its summary, for the header and every tab (invalidate 'app:project' after a change). */
export const load: LayoutLoad = async ({ params, fetch, url, depends }) => {
	depends('app:project');
	const result = await settle(api.GET('/api/v1/projects/{id}', { params: { path: { id: params.id } }, fetch }));
	if (result.ok) return { project: result.data };
	if (result.status === 401) redirect(307, loginUrl(url.pathname));
	// A malformed id (400) is a page that does not exist either.
	if (result.status === 404 || result.status === 400) error(404, result.error.message);
	error(result.status ?? 503, result.error.message);
};
