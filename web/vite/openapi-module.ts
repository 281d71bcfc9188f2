/**
 * The one shape of the build-time plugins that expose a view of openapi.json as a virtual module
 * (`virtual:api-constraints`, `virtual:api-access`): resolve the spec next to the Vite root, read it
 * when the module is loaded, watch it so a regenerated spec rebuilds, and export what `extract` keeps.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The few Vite plugin hooks used, typed here so the plugin fits whichever Vite copy loads it. */
export interface OpenApiModulePlugin {
	name: string;
	configResolved(config: { root: string }): void;
	resolveId(id: string): string | undefined;
	load(this: { addWatchFile(file: string): void }, id: string): string | undefined;
}

export function openApiModule<Spec>(name: string, id: string, specPath: string, extract: (spec: Spec) => unknown): OpenApiModulePlugin {
	const resolved = '\0' + id;
	let file = '';
	return {
		name,
		configResolved(config) {
			file = resolve(config.root, specPath);
		},
		resolveId: (requested) => (requested === id ? resolved : undefined),
		load(requested) {
			if (requested !== resolved) return;
			this.addWatchFile(file);
			const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
			return `export default ${JSON.stringify(extract(spec))};`;
		}
	};
}
