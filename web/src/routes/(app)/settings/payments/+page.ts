import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Stripe's onboarding sends the owner back to /settings/payments?stripe=return|refresh (the stripe
// module's return_url); the Stripe card lives with the billing settings.
export const load: PageLoad = ({ url }) => redirect(307, `/settings/billing${url.search}`);
