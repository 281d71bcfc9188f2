import { redirect } from '@sveltejs/kit';
import { HOME } from '#lib/navigation.ts';
import type { PageLoad } from './$types';

// "/" has no page of its own: the clients page redirects on to /login when
// nobody is signed in.
export const load: PageLoad = () => {
	redirect(307, HOME);
};
