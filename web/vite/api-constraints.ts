/**
 * Vite plugin: `import constraints from 'virtual:api-constraints'` gives the validation constraints
 * of every request body in openapi.json (required fields, type, format, min/max length, pattern),
 * read at build time. WHY: the browser checks a form with the very rules the API enforces (the DTOs
 * generate openapi.json), so `a@b` is refused before sending and the two can never drift apart.
 * Only request bodies are included, to keep the bundle small. An array field keeps its items' enum:
 * the choices a form offers come from the API too (e.g. the webhook event types).
 */
import { openApiModule, type OpenApiModulePlugin } from './openapi-module.ts';

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
			const kept: Record<string, unknown> = Object.fromEntries(KEPT.filter((k) => k in property).map((k) => [k, property[k]]));
			// An array of allowed values (e.g. a webhook endpoint's event types): the choices a form offers.
			const items = property.items as { enum?: unknown[] } | undefined;
			if (items?.enum) kept.items = { enum: items.enum };
			properties[field] = kept;
		}
		out[name] = { required: schema.required ?? [], properties };
	}
	return out;
}

export function apiConstraints(specPath: string): OpenApiModulePlugin {
	return openApiModule<Spec>('rsm-api-constraints', 'virtual:api-constraints', specPath, extractConstraints);
}
