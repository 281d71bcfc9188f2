// Pure single-page app: the API serves build/index.html for every route.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
