import { error, redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { loginUrl } from '#lib/navigation.ts';
import type { PageLoad } from './$types';

/**
 * The deliverable with its versions (the project comes from the layout). After a decision or an
 * upload the page invalidates 'app:project', which reloads both: the header's revision counter too.
 */
export const load: PageLoad = async ({ params, fetch, url, parent, depends }) => {
	depends('app:deliverable');
	const [{ project }, deliverable] = await Promise.all([
		parent(),
		settle(api.GET('/api/v1/deliverables/{id}', { params: { path: { id: params.deliverableId } }, fetch }))
	]);
	if (!deliverable.ok) {
		if (deliverable.status === 401) redirect(307, loginUrl(url.pathname + url.search));
		if (deliverable.status === 404 || deliverable.status === 400) error(404, deliverable.error.message);
		error(deliverable.status ?? 503, deliverable.error.message);
	}
	// A deliverable of another project under this project's address does not exist here.
	if (deliverable.data.projectId !== project.id) error(404);
	return { project, deliverable: deliverable.data };
};
