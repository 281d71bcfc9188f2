import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BaseLogger } from 'pino';
import type { Options } from 'pino-http';
import { type Caller, isApiKeyCaller } from '../auth/auth.types.js';
import type { AppConfig } from '../config/app-config.js';
import { currentRequest } from './request-context.js';
import { requestIdFrom } from './request-id.js';
import { decodedPath } from './decoded-path.js';
import { bodyTimedOut } from './http-server.js';

/** Field names whose values are secrets or personal data wherever they appear in a log object. */
const SECRET_KEYS = ['password', 'passwordHash', 'password_hash', 'token', 'cookie', 'authorization', 'parameters', 'driverError'];

/**
 * pino `redact` paths: the request/response headers that carry credentials, and every secret key at
 * the top level and up to three levels down (pino's redaction has no "any depth" wildcard).
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/**
 * A URL as logged: the path and the query's keys, never its values (search terms are names and
 * emails): `/api/v1/clients?q=[redacted]`.
 */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const keys = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, at)}?${keys.join('&')}`;
}

/** Routes of the API itself; every other GET is the web app (its assets, or its index.html). */
const API_PATH = /^\/(api|health|metrics)(\/|\?|$)/;
const isWebAppRequest = (req: IncomingMessage) => (req.method === 'GET' || req.method === 'HEAD') && !API_PATH.test(decodedPath(req.url));

/**
 * Issue 14, perf: the fields of the request being served, for every line logged while serving it. Read
 * when a line is written (pino's mixin), not bound per request: pino-http made a child logger per
 * request (serializing and redacting its bindings) and nestjs-pino's assign() two more once the caller
 * was known, ~20 µs of object churn per request whether anything was logged or not. The caller's studio
 * and user come from the request's principal, set by the session guard.
 */
export function requestLogFields(request: FastifyRequest | undefined): Record<string, unknown> {
  if (!request) return {};
  const fields: Record<string, unknown> = { req: { id: request.id, method: request.raw.method, url: request.raw.url } };
  const user = (request as FastifyRequest & { user?: Caller }).user;
  if (user) {
    fields.tenantId = user.organizationId;
    fields.userId = user.userId;
    if (isApiKeyCaller(user)) fields.apiKeyId = user.apiKeyId;
  }
  return fields;
}

/** What the access line's `res` serializer reads (pino's reports a status only once headers were sent). */
const TIMED_OUT_RESPONSE = { statusCode: 408, headersSent: true, getHeaders: () => ({}) };

/**
 * The access line of every request (as pino-http wrote it, with its messages, level rule and fields)
 * by the app's one logger, when the response closes: `request completed` (or `request errored` for a
 * 5xx) once the answer was sent, `request aborted` when the client went away before it — a request
 * waiting on a lock, or a stream the handler took over (an SSE stream ends that way); `request timed out`
 * (408) when its body missed the deadline. Fastify's
 * onResponse runs for neither of those, and its onRequestAbort only while the body is still arriving.
 */
export function logRequests(fastify: FastifyInstance, logger: BaseLogger & { isLevelEnabled(level: string): boolean }): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.once('close', () => {
      const level = isWebAppRequest(request.raw) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      // A body past its deadline was answered 408 on the socket itself (enforceBodyDeadlines), not through the reply.
      if (bodyTimedOut(request.raw)) {
        logger[level]({ ...requestLogFields(request), res: TIMED_OUT_RESPONSE, responseTime: Math.round(reply.elapsedTime) }, 'request timed out');
        return;
      }
      const message = !reply.raw.writableFinished ? 'request aborted' : reply.statusCode >= 500 ? 'request errored' : 'request completed';
      logger[level]({ ...requestLogFields(request), res: reply.raw, responseTime: Math.round(reply.elapsedTime) }, message);
    });
    done();
  });
}

/**
 * Options of the app's one logger (every Nest Logger call, and the access lines of logRequests). Built
 * by pino-http (through nestjs-pino, which keeps it as the root logger) for its serializers; its
 * per-request middleware is not mounted (app.module.ts).
 */
export function pinoHttpOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    // The current request's id, method, URL, studio and user on every line logged while serving it.
    mixin: () => requestLogFields(currentRequest()),
    // The id Fastify gave the request (see requestIdFrom), so logs and problem bodies agree.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestIdFrom(req),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactQuery(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Web app assets are many and dull: debug. A 5xx is logged (once, without its data) by the
    // problem filter or as a dependency outage, so the access line is an ordinary info line.
    customLogLevel: (req: IncomingMessage, _res: ServerResponse) => (isWebAppRequest(req) ? 'debug' : 'info'),
    // pino-http would attach a fresh Error (with a stack) to every 5xx access line.
    customErrorObject: (_req, _res, _err, val: Record<string, unknown>) => ({ ...val, err: undefined }),
    ...(config.env === 'development' && process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { singleLine: true } } }
      : {}),
  };
}
