import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// In development the API runs separately (`npm start` / `npm run start -w api`
// on port 3000); proxy the same-origin paths the app calls so cookies just work.
const apiTarget = process.env.RSM_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
	plugins: [sveltekit()],
	ssr: {
		// Kit's server runtime (only used at build time to analyse the app, as
		// ssr is off) imports `cookie` v0.6, which npm nests under
		// @sveltejs/kit because the API hoists cookie v2 to the root. Bundle it
		// so it resolves from Kit's own node_modules instead of the root's.
		noExternal: ['cookie']
	},
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
