import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Issue 14, perf: the security headers, computed once at start-up. @fastify/helmet called `helmet()`
 * (re-parsing the CSP) from two async hooks on every request, ~15–20 µs each time, for headers that
 * depend only on the configuration. Here helmet itself writes them once, into a recorder, with the same
 * options, and one synchronous onRequest hook sets the recorded list on each answer, on the raw
 * response as @fastify/helmet did (so streamed and hijacked answers carry them too).
 * test/security-headers-snapshot.e2e-spec.ts holds every header as the plugin sent it.
 */
export function computeSecurityHeaders(options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase()); // X-Powered-By: Fastify never sets it, nothing to remove later
    },
  };
  let failure: unknown;
  let done = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
    done = true;
  });
  // helmet's middleware is synchronous; were it ever not, the recorded list would be incomplete.
  if (!done) throw new Error('helmet did not finish synchronously: the headers cannot be precomputed');
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return [...headers];
}

/** Sends `headers` on every answer (first thing, like the plugin it replaces). */
export function sendSecurityHeaders(fastify: FastifyInstance, headers: ReadonlyArray<readonly [string, string]>): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
