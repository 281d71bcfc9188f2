import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT, PROBLEM_RESPONSES } from './problem-responses.js';
import { rolesAdmittedBy } from '../auth/access.decorator.js';
import type { RouteFacts } from './route-facts.js';

/**
 * The cross-cutting half of the contract, added to the generated document from each route's
 * metadata (public or not, method, path parameters) rather than repeated on every route: security,
 * the problem responses a route of that kind can return, rate-limit headers, UUID ids, and closed
 * request schemas. Route-specific problems (409, ...) stay on the route with @ApiProblems.
 */

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: Array<{ in: string; name: string; schema?: Json }>;
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
  security?: unknown[];
  'x-rsm-access'?: string;
  'x-rsm-roles'?: string[];
}

const UNSAFE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const INT32 = { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 };

/** Rate-limit headers (IETF draft RateLimit fields) sent by the /api limiter, plus Retry-After. */
const HEADERS: Record<string, Json> = {
  'RateLimit-Limit': { description: 'Requests allowed in the current window', schema: INT32 },
  'RateLimit-Remaining': { description: 'Requests left in the current window', schema: INT32 },
  'RateLimit-Reset': { description: 'Seconds until the current window resets', schema: INT32 },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: INT32 },
};
const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

const headerRefs = (names: string[]) => Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));

/** Schema string formats whose length is fixed by the format itself. */
const FORMAT_MAX_LENGTH: Record<string, number> = { uuid: 36, 'date-time': 30 };

export function applyContract(document: OpenAPIObject, routes: Map<string, RouteFacts>): void {
  const components = document.components as Json & { schemas: Record<string, Json> };
  components.headers = HEADERS;
  components.responses = problemResponseComponents();

  for (const [path, item] of Object.entries(document.paths)) {
    // Every /api route passes the rate limiter; health probes do not (a load balancer must never be throttled).
    const rateLimited = path.startsWith('/api/');
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const facts = routes.get(op.operationId);
      if (!facts) throw new Error(`No route metadata for operation ${op.operationId} (${method.toUpperCase()} ${path})`);
      const unsafe = UNSAFE_METHODS.has(method);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      for (const param of pathParams) {
        if (facts.uuidParams.has(param.name)) param.schema = { type: 'string', format: 'uuid', maxLength: 36 };
      }

      // Who may call it, from the route's @Access()/@Public() declaration (enforced by SessionAuthGuard):
      // the minimum it declares and the roles that admits; an API key is offered where keys are allowed.
      const rule = facts.rule;
      op['x-rsm-access'] = rule === 'public' ? 'public' : rule.level;
      op['x-rsm-roles'] = rolesAdmittedBy(rule);
      // Issue 12: portal routes take the portal cookie only.
      op.security = rule === 'public' ? [] : rule.level === 'portal' ? [{ portal: [] }] : rule.sessionOnly ? [{ cookie: [] }] : [{ cookie: [] }, { apiKey: [] }];

      const problems = new Set(Object.keys(op.responses).map(Number).filter((s) => isProblem(op.responses[s])));
      // Any request can be malformed before it reaches a route (bad %-encoding, a body the HTTP parser
      // refuses): 400. Fastify reads the body of an unsafe request: too large (413), not JSON (415).
      problems.add(400);
      if (unsafe) [403, 413, 415].forEach((s) => problems.add(s));
      // Behind the guard: no session is a 401, a database down a 503; a role too low, an API key on a
      // session-only route or a suspended studio a 403.
      if (!facts.isPublic) [401, 403, 503].forEach((s) => problems.add(s));
      // Issue 11: a studio whose subscription lapsed is read-only; the guard answers its writes 402.
      if (!facts.isPublic && unsafe && !facts.allowedWhileReadOnly) problems.add(402);
      // A valid id may name nothing in your studio (404); an absurdly long one stops at Fastify's router (414).
      if (pathParams.length > 0) [404, 414].forEach((s) => problems.add(s));
      if (rateLimited) problems.add(429);
      problems.add(500);
      for (const status of problems) {
        const known = PROBLEM_RESPONSES[status];
        if (!known) throw new Error(`${op.operationId}: no shared problem response for ${status}`);
        // A route may declare a richer problem body for a status (e.g. a booking conflict's `conflicts`,
        // see ApiProblemWith): its schema is kept, with the shared description and headers.
        const own = ownProblemContent(op.responses[status]);
        if (own) {
          const headers = [...(rateLimited && status < 500 ? RATE_LIMIT_HEADERS : []), ...(status === 429 || status === 503 ? ['Retry-After'] : [])];
          op.responses[status] = { description: known.description, content: own, ...(headers.length ? { headers: headerRefs(headers) } : {}) };
          continue;
        }
        // Outside /api no rate-limit headers: the response is spelled out without them.
        op.responses[status] =
          rateLimited || status >= 500 ? { $ref: `#/components/responses/${known.name}` } : { description: known.description, content: PROBLEM_CONTENT };
      }
      if (rateLimited) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (status.startsWith('2')) response.headers = { ...(response.headers as Json), ...headerRefs(RATE_LIMIT_HEADERS) };
        }
      }
    }
  }

  closeRequestSchemas(document);
  unwrapSingleAllOf(document);
  walkSchemas(document, (schema) => {
    const max = FORMAT_MAX_LENGTH[schema.format as string];
    if (schema.type === 'string' && max && schema.maxLength === undefined) schema.maxLength = max;
  });
}

/** The problem+json content of a response when its schema is not the shared ProblemDto (a route's own). */
function ownProblemContent(response: Json | undefined): Json | undefined {
  const content = (response?.content as Json | undefined)?.['application/problem+json'] as Json | undefined;
  const schema = content?.schema as Json | undefined;
  if (!schema || schema.$ref === '#/components/schemas/ProblemDto') return undefined;
  return { 'application/problem+json': content };
}

function isProblem(response: Json): boolean {
  return Boolean((response.content as Json | undefined)?.['application/problem+json']);
}

function problemResponseComponents(): Json {
  return Object.fromEntries(
    Object.entries(PROBLEM_RESPONSES).map(([status, { name, description }]) => {
      const code = Number(status);
      // 4xx responses of /api routes carry the rate-limit headers; 429 and 503 say when to come back.
      const headers = [...(code < 500 ? RATE_LIMIT_HEADERS : []), ...(code === 429 || code === 503 ? ['Retry-After'] : [])];
      return [name, { description, content: PROBLEM_CONTENT, ...(headers.length ? { headers: headerRefs(headers) } : {}) }];
    }),
  );
}

/**
 * Request bodies are validated with forbidNonWhitelisted (unknown fields are a 400), so their schemas
 * are closed: additionalProperties false. Only schemas that no response uses.
 */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  const reachable = (roots: unknown[]) => {
    const seen = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      const ref = (node as Json).$ref;
      if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
        const name = ref.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          visit(schemas[name]);
        }
      }
      Object.values(node).forEach(visit);
    };
    roots.forEach(visit);
    return seen;
  };
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, Operation>));
  const requests = reachable(operations.map((op) => op.requestBody));
  const responses = reachable(operations.map((op) => op.responses));
  for (const name of requests) {
    if (!responses.has(name) && schemas[name]?.type === 'object') schemas[name].additionalProperties = false;
  }
}

/** Nest wraps an enum reference as `allOf: [$ref]`; a lone $ref says the same (redocly: illogical composition). */
function unwrapSingleAllOf(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const record = node as Json;
  for (const [key, value] of Object.entries(record)) {
    const allOf = (value as Json | null)?.allOf;
    if (Array.isArray(allOf) && allOf.length === 1 && Object.keys(value as Json).length === 1) record[key] = allOf[0];
    unwrapSingleAllOf(record[key]);
  }
}

/** Calls fn on every schema object in the document (components, parameters, bodies, responses). */
function walkSchemas(node: unknown, fn: (schema: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walkSchemas(n, fn));
  if (!node || typeof node !== 'object') return;
  if (typeof (node as Json).type === 'string') fn(node as Json);
  Object.values(node).forEach((n) => walkSchemas(n, fn));
}
