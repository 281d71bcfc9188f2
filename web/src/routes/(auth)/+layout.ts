import { redirect } from '@sveltejs/kit';
import { api, settle } from '#lib/api/client.ts';
import { safeNext } from '#lib/navigation.ts';
import type { LayoutLoad } from './$types';

// Someone who is already signed in has no business on /login or /signup. The email verification
// link is opened signed in or not, so that page stays put.
export const load: LayoutLoad = async ({ fetch, url, route }) => {
	if (route.id === '/(auth)/verify-email') return {};
	const session = await settle(api.GET('/api/v1/auth/session', { fetch }));
	if (session.ok && session.data.authenticated) redirect(307, safeNext(url.searchParams.get('next')));
	return {};
};
