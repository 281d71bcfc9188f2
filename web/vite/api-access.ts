/**
 * Vite plugin: `import access from 'virtual:api-access'` gives, for every operation of openapi.json,
 * the roles its `x-rsm-roles` extension allows (`"POST /api/v1/invites": ["owner", "admin"]`), read
 * at build time. WHY: the navigation hides what a role may not do from the very rules the API's
 * guard enforces (the `@Access` decorators generate openapi.json), so the two cannot drift apart.
 */
import { openApiModule, type OpenApiModulePlugin } from './openapi-module.ts';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Spec {
	paths: Record<string, Partial<Record<(typeof METHODS)[number], { 'x-rsm-roles'?: string[] }>>>;
}

/** `"METHOD /path"` → roles allowed; `[]` for public operations. */
export function extractAccess(spec: Spec): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const [path, operations] of Object.entries(spec.paths)) {
		for (const method of METHODS) {
			const operation = operations[method];
			if (operation) out[`${method.toUpperCase()} ${path}`] = operation['x-rsm-roles'] ?? [];
		}
	}
	return out;
}

export function apiAccess(specPath: string): OpenApiModulePlugin {
	return openApiModule<Spec>('rsm-api-access', 'virtual:api-access', specPath, extractAccess);
}
