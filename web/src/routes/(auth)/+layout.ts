import { redirect } from '@sveltejs/kit';
import { safeNext } from '#lib/navigation.ts';
import type { LayoutLoad } from './$types';

// Someone who is already signed in has no business on /login or /signup. Links from emails
// (verification, invitation, password reset) are opened signed in or not, so those pages stay put.
const OPEN_WHEN_SIGNED_IN = new Set(['/(auth)/verify-email', '/(auth)/accept-invite', '/(auth)/reset-password', '/(auth)/forgot-password', '/(auth)/checkout/complete', '/(auth)/checkout/cancelled']);
// Issue 11: Stripe's checkout sends the payer (signed in or not, usually a client) back to these two.

export const load: LayoutLoad = async ({ parent, url, route }) => {
	if (route.id && OPEN_WHEN_SIGNED_IN.has(route.id)) return {};
	const { session } = await parent();
	if (session?.authenticated) redirect(307, safeNext(url.searchParams.get('next')));
	return {};
};
