import { api, settle } from '#lib/api/client.ts';
import type { LayoutLoad } from './$types';

// Pure single-page app: the API serves build/index.html for every route.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

/**
 * Whether someone is signed in, asked once for every page (the shell, the auth pages and the error
 * page all need it). /auth/session answers 200 either way, so a signed-out visit logs no error.
 */
export const load: LayoutLoad = async ({ fetch, depends }) => {
	depends('app:session');
	const session = await settle(api.GET('/api/v1/auth/session', { fetch }));
	if (session.ok) return { session: session.data, sessionError: null };
	return { session: null, sessionError: session.error };
};
