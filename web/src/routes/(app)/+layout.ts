import { error, redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { loginUrl } from '#lib/navigation.ts';
import type { LayoutLoad } from './$types';

// Every signed-in page needs to know who is signed in (and into which studio).
export const load: LayoutLoad = async ({ fetch, url, depends }) => {
	depends('app:session');
	const me = await settle(api.GET('/api/v1/auth/me', { fetch }));
	if (me.ok) return { me: me.data };
	if (me.status === 401) redirect(307, loginUrl(url.pathname + url.search));
	error(me.status ?? 503, me.error.message);
};
