import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// In development the API runs separately (`npm start` / `npm run start -w api`
// on port 3000); proxy the same-origin paths the app calls so cookies just work.
const apiTarget = process.env.RSM_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
	plugins: [
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
