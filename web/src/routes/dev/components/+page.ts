import { error } from '@sveltejs/kit';
import { dev } from '$app/env';

// The component gallery is a development tool: production builds answer 404.
export const load = () => {
	if (!dev) error(404, 'Not found');
};
