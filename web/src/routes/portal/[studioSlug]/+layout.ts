import { redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import type { LayoutLoad } from './$types';

/** Issue 12, portal: pages a client opens before signing in (the sign-in form and the emailed links). */
const SIGNED_OUT_PAGES = new Set(['/portal/[studioSlug]/login', '/portal/[studioSlug]/accept-invite', '/portal/[studioSlug]/magic-link']);

/**
 * The client portal's own session (the portal cookie), asked for this studio's slug: a cookie of another
 * studio is no session here (the API answers 401), and the client is sent to this studio's sign-in.
 */
export const load: LayoutLoad = async ({ params, fetch, route }) => {
	const signIn = `/portal/${encodeURIComponent(params.studioSlug)}/login`;
	if (route.id && SIGNED_OUT_PAGES.has(route.id)) return { portal: null, slug: params.studioSlug };
	const session = await settle(api.GET('/api/v1/portal/{studioSlug}/auth/session', { params: { path: { studioSlug: params.studioSlug } }, fetch }));
	if (session.ok) return { portal: session.data, slug: params.studioSlug };
	if (session.status === 401 || session.status === 400) redirect(307, signIn);
	return { portal: null, slug: params.studioSlug, portalError: session.error };
};
