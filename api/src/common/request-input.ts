import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findUnsafeInput, UNSAFE_INPUT_MESSAGES } from './input-safety.js';
import { ValidationProblem } from './problem.js';
import { routeConfig } from './route-config.js';

/**
 * The API reads JSON bodies only. Fastify's text/plain parser and the urlencoded one Nest's adapter
 * would add (NestFactory is created with `bodyParser: false`) are gone: a browser form can post
 * urlencoded, multipart or text/plain cross-site without a CORS preflight, never JSON. Any other
 * content type is Fastify's 415, rendered as a problem.
 *
 * Parsing uses Fastify's own JSON parser (secure-json-parse, prototype poisoning refused), then one
 * walk refuses over-deep documents and text PostgreSQL cannot store, before any DTO code runs.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Issue 11, stripe: a webhook's signature covers the exact bytes sent, so routes marked @KeepRawBody()
    // also get the text as received (the one place bodies are read: no second parser, no other route).
    if (routeConfig(request.routeOptions).rawBody) (request as RawBodyRequest).rawBody = body as string;
    parseJson(request, body as string, (err, parsed) => {
      if (err) return done(err, undefined);
      const unsafe = findUnsafeInput(parsed);
      if (!unsafe) return done(null, parsed);
      const detail = unsafe.reason === 'too-deep' ? 'The request body is nested too deeply.' : 'The request body contains characters that cannot be stored.';
      done(new ValidationProblem([{ field: unsafe.field, messages: [UNSAFE_INPUT_MESSAGES[unsafe.reason]] }], detail), undefined);
    });
  });
}

/** Issue 11, stripe: a request whose route keeps its raw JSON text (see KeepRawBody in api/src/stripe/raw-body.ts). */
export type RawBodyRequest = FastifyRequest & { rawBody?: string };

/**
 * Query values and path parameters reach SQL too (`?q=%00` was a 500): the same text rule, for every
 * route, before guards and pipes run.
 */
export function refuseUnstorableQueryAndParams(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    for (const source of [request.query, request.params]) {
      const unsafe = findUnsafeInput(source);
      if (unsafe) {
        return done(new ValidationProblem([{ field: unsafe.field, messages: [UNSAFE_INPUT_MESSAGES[unsafe.reason]] }], 'The request URL contains characters that cannot be stored.'));
      }
    }
    done();
  });
}
