import { error, redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { loginUrl } from '#lib/navigation.ts';
import type { LayoutLoad } from './$types';

// Every signed-in page needs to know who is signed in (and into which studio).
export const load: LayoutLoad = async ({ fetch, url, depends }) => {
	depends('app:session');
	// GET /auth/session answers 200 signed in or not: a logged-out load logs no failed request.
	const session = await settle(api.GET('/api/v1/auth/session', { fetch }));
	if (!session.ok) error(session.status ?? 503, session.error.message);
	if (!session.data.me) redirect(307, loginUrl(url.pathname + url.search));
	return { me: session.data.me };
};
