import { error, redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { loginUrl } from '#lib/navigation.ts';
import type { PageLoad } from './$types';

/** The project's deliverables, and its tracks for the create dialog (the project comes from the layout). */
export const load: PageLoad = async ({ params, fetch, url, parent }) => {
	const path = { params: { path: { id: params.id } }, fetch };
	const [{ project }, deliverables, tracks] = await Promise.all([
		parent(),
		settle(api.GET('/api/v1/projects/{id}/deliverables', path)),
		settle(api.GET('/api/v1/projects/{id}/tracks', path))
	]);
	for (const result of [deliverables, tracks]) {
		if (result.ok) continue;
		if (result.status === 401) redirect(307, loginUrl(url.pathname));
		if (result.status === 404 || result.status === 400) error(404, result.error.message);
		error(result.status ?? 503, result.error.message);
	}
	if (!deliverables.ok || !tracks.ok) error(503);
	return { project, deliverables: deliverables.data.items, tracks: tracks.data.items };
};
