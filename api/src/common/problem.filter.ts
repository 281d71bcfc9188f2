import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { DependencyHealth } from '../metrics/dependency-health.js';
import { TenantUnavailableError } from '../tenancy/tenancy.errors.js';
import { redactQuery } from './logging.js';
import { logSafeError } from './log-safe-error.js';
import { isDatabaseUnavailable, isPoolExhausted, pgErrorCode } from './pg-errors.js';
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE, type ProblemDto, ProblemException, problemTypeFor } from './problem.js';
import type { SpaFallback } from './spa-fallback.js';

const logger = new Logger('Problem');

/** Fastify's malformed-JSON errors (FST_ERR_CTP_INVALID_JSON_BODY, ...), however Nest wrapped them. */
function isMalformedJson(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: unknown; name?: unknown };
  return (
    [e?.code, e?.cause?.code].some((c) => typeof c === 'string' && /^FST_ERR_CTP_.*JSON/.test(c)) ||
    (typeof e?.message === 'string' && /^Body (is not valid JSON|cannot be empty) .*content-type is set to 'application\/json'/.test(e.message))
  );
}

/** Details for Fastify's own errors whose messages would echo the (possibly huge) input back. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Request bodies must be JSON (Content-Type: application/json).',
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment of the URL is too long.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
};

const BUSY = PROBLEM_BASE + 'database-busy';

const problem = (status: number, detail: string, type = problemTypeFor(status)): ProblemDto => ({ type, title: STATUS_CODES[status] ?? 'Error', status, detail });

/** Turns anything thrown into an RFC 9457 body. Unknown errors become a bare 500: no message, no stack. */
export function toProblem(err: unknown): ProblemDto {
  if (err instanceof ProblemException) return err.toProblem();
  if (isMalformedJson(err)) return problem(400, 'The request body is not valid JSON.');
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : err.message;
    // Nest wraps Fastify's 415 (FST_ERR_CTP_INVALID_MEDIA_TYPE) in an HttpException: say what is accepted.
    if (status === 415) return problem(415, FASTIFY_DETAILS.FST_ERR_CTP_INVALID_MEDIA_TYPE);
    return problem(status, Array.isArray(message) ? message.join('; ') : String(message));
  }
  // Fastify's own client errors (body too large, unsupported media type, bad URL, ...).
  const fastifyStatus = (err as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code = (err as { code?: unknown }).code;
    return problem(fastifyStatus, (typeof code === 'string' && FASTIFY_DETAILS[code]) || (err as Error).message);
  }
  switch (pgErrorCode(err)) {
    // Text the database cannot store (input checks refuse it first; this is the defence in depth).
    case '22021': // character_not_in_repertoire / invalid byte sequence (NUL)
    case '22P05': // untranslatable_character
      return problem(400, 'The request contains characters that cannot be stored.');
    // statement_timeout (DB_STATEMENT_TIMEOUT_MS) or a cancelled query: busy, like a pool timeout.
    case '57014':
      return problem(503, 'The database is busy; retry shortly.', BUSY);
  }
  if (isPoolExhausted(err)) return problem(503, 'The database is busy; retry shortly.', BUSY);
  // A database that is down is a dependency failure (503, retry later), not a bug.
  if (isDatabaseUnavailable(err)) return problem(503, 'A database is unavailable; retry shortly.');
  return problem(500, 'An unexpected error occurred. It has been logged.');
}

/** Logs a 5xx once, safely: outages through DependencyHealth (once per state change), the rest as is. */
function report(err: unknown, status: number, request: FastifyRequest, health?: DependencyHealth): void {
  if (err instanceof TenantUnavailableError && err.reason === 'unreachable' && health) {
    return health.failed('tenant', { error: logSafeError(err.cause) }, err.tenantId);
  }
  if (!(err instanceof ProblemException) && isDatabaseUnavailable(err) && health) {
    return health.failed('control', { error: logSafeError(err) });
  }
  if (err instanceof ProblemException && err.problemType === 'not-ready') return; // readiness: DependencyHealth logged it
  const level = status === 503 ? 'warn' : 'error';
  logger[level]({ error: logSafeError(err), reqId: request.id, url: redactQuery(request.url) }, `${status} ${STATUS_CODES[status]}`);
}

export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply, health?: DependencyHealth): void {
  const body = toProblem(err);
  if (body.status >= 500) report(err, body.status, request, health);
  if (body.status === 503) reply.header('retry-after', '2');
  reply
    .status(body.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('x-request-id', String(request.id)) // also on errors raised before our onRequest hook
    .send(JSON.stringify({ ...body, instance: request.url.split('?')[0].slice(0, 200), requestId: String(request.id) }));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    private readonly spa?: SpaFallback,
    private readonly health?: DependencyHealth,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    if (this.spa?.handles(exception, request)) return void this.spa.send(reply);
    sendProblem(exception, request, reply, this.health);
  }
}
