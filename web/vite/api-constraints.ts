/**
 * Vite plugin: `import constraints from 'virtual:api-constraints'` gives the validation constraints
 * of every request body in openapi.json (required fields, type, format, min/max length, pattern),
 * read at build time. WHY: the browser checks a form with the very rules the API enforces (the DTOs
 * generate openapi.json), so `a@b` is refused before sending and the two can never drift apart.
 * Only request bodies are included, to keep the bundle small.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ID = 'virtual:api-constraints';
const RESOLVED = '\0' + ID;
const KEPT = ['type', 'format', 'minLength', 'maxLength', 'pattern', 'nullable', 'minimum', 'maximum', 'enum'] as const;

type JsonSchema = { $ref?: string; properties?: Record<string, Record<string, unknown>>; required?: string[]; allOf?: JsonSchema[] };
interface Spec {
	paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
	components: { schemas: Record<string, JsonSchema> };
}

export function extractConstraints(spec: Spec) {
	const names = new Set<string>();
	for (const operations of Object.values(spec.paths)) {
		for (const operation of Object.values(operations)) {
			for (const media of Object.values(operation?.requestBody?.content ?? {})) {
				const ref = media.schema?.$ref;
				if (ref?.startsWith('#/components/schemas/')) names.add(ref.slice('#/components/schemas/'.length));
			}
		}
	}
	const out: Record<string, { required: string[]; properties: Record<string, Record<string, unknown>> }> = {};
	for (const name of [...names].sort()) {
		const schema = spec.components.schemas[name];
		const properties: Record<string, Record<string, unknown>> = {};
		for (const [field, property] of Object.entries(schema.properties ?? {})) {
			properties[field] = Object.fromEntries(KEPT.filter((k) => k in property).map((k) => [k, property[k]]));
		}
		out[name] = { required: schema.required ?? [], properties };
	}
	return out;
}

/** The few Vite plugin hooks used, typed here so the plugin fits whichever Vite copy loads it. */
interface ConstraintsPlugin {
	name: string;
	configResolved(config: { root: string }): void;
	resolveId(id: string): string | undefined;
	load(this: { addWatchFile(file: string): void }, id: string): string | undefined;
}

export function apiConstraints(specPath: string): ConstraintsPlugin {
	let file = '';
	return {
		name: 'rsm-api-constraints',
		configResolved(config) {
			file = resolve(config.root, specPath);
		},
		resolveId: (id) => (id === ID ? RESOLVED : undefined),
		load(id) {
			if (id !== RESOLVED) return;
			this.addWatchFile(file);
			const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
			return `export default ${JSON.stringify(extractConstraints(spec))};`;
		}
	};
}
