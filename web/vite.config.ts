import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { apiAccess } from './vite/api-access.ts';
import { apiConstraints } from './vite/api-constraints.ts';
import { currencyExponents } from './vite/currency-exponents.ts';

// In development the API runs separately (`npm start` / `npm run start -w api`
// on port 3000); proxy the same-origin paths the app calls so cookies just work.
const apiTarget = process.env.RSM_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
	plugins: [
		// Messages in messages/{en,fr}.json → typed functions in src/lib/paraglide (git-ignored output).
		// Under vitest `npm run i18n` has compiled them already, and the plugin's watcher would keep
		// the test run from exiting.
		process.env.VITEST
			? null
			: paraglideVitePlugin({
					project: './project.inlang',
					outdir: './src/lib/paraglide',
					// custom-rsm: the user's remembered choice, else the browser's languages (src/lib/i18n.ts).
					strategy: ['custom-rsm', 'baseLocale']
				}),
		// The API's request-body constraints (from ../openapi.json) for client-side validation.
		apiConstraints('../openapi.json'),
		// Which roles may call each operation (x-rsm-roles), for role-aware navigation (src/lib/access.ts).
		apiAccess('../openapi.json'),
		// ISO 4217 minor-unit exponents, the API's (src/lib/format.ts currencyDigits).
		currencyExponents(),
		// SvelteKit 3 takes its configuration here (svelte.config.js is no longer read).
		sveltekit({
			preprocess: vitePreprocess(),
			// Single-page app: the API serves build/ and falls back to index.html for
			// every non-file route, so client-side routing takes over.
			adapter: adapter({
				pages: 'build',
				assets: 'build',
				fallback: 'index.html',
				precompress: false,
				strict: true
			})
		})
	],
	// The dependency pre-bundler chokes on Svelte component libraries (bits-ui, @lucide/svelte ship
	// .svelte files): `vite dev` would not start. They are served as source instead; the app never
	// renders on the server (ssr = false).
	ssr: { optimizeDeps: { noDiscovery: true, include: [] } },
	optimizeDeps: { exclude: ['bits-ui', '@lucide/svelte'] },
	server: {
		proxy: {
			'/api': { target: apiTarget, changeOrigin: false },
			'/health': { target: apiTarget, changeOrigin: false }
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
