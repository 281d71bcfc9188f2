import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';
import { requestIdFrom } from './request-id.js';
import { decodedPath } from './decoded-path.js';

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

/** pino-http options of the app's one logger (request lines and every Nest Logger call). */
export function pinoHttpOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
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
