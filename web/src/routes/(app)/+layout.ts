import { error, redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import type { LayoutLoad } from './$types';

// Every staff page needs to know who is signed in (and into which studio).
export const load: LayoutLoad = async ({ parent, url }) => {
	const { session, sessionError } = await parent();
	if (!session) error(sessionError?.status ?? 503, sessionError?.message ?? '');
	if (!session.authenticated || !session.me) redirect(307, loginUrl(url.pathname + url.search));
	return { me: session.me };
};
