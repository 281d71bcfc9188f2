import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Settings opens on the section every member has.
export const load: PageLoad = () => redirect(307, '/settings/profile');
