import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { TenantUnavailableError } from '../tenancy/tenancy.errors.js';
import { isDatabaseUnavailable } from './pg-errors.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDto, ProblemException, problemTypeFor } from './problem.js';
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

/** Turns anything thrown into an RFC 9457 body. Unknown errors become a bare 500: no message, no stack. */
export function toProblem(err: unknown): ProblemDto {
  if (err instanceof ProblemException) return err.toProblem();
  if (isMalformedJson(err)) return { type: problemTypeFor(400), title: 'Bad Request', status: 400, detail: 'The request body is not valid JSON.' };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : err.message;
    return { type: problemTypeFor(status), title: STATUS_CODES[status] ?? 'Error', status, detail: Array.isArray(message) ? message.join('; ') : String(message) };
  }
  // Fastify's own client errors (malformed JSON, body too large, unsupported media type).
  const fastifyStatus = (err as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { type: problemTypeFor(fastifyStatus), title: STATUS_CODES[fastifyStatus] ?? 'Error', status: fastifyStatus, detail: (err as Error).message };
  }
  // A database that is down is a dependency failure (503, retry later), not a bug.
  if (isDatabaseUnavailable(err)) {
    return { type: problemTypeFor(503), title: 'Service Unavailable', status: 503, detail: 'A database is unavailable; retry shortly.' };
  }
  return { type: problemTypeFor(500), title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred. It has been logged.' };
}

export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const problem = toProblem(err);
  if (problem.status >= 500) {
    const level = err instanceof TenantUnavailableError ? 'warn' : 'error';
    logger[level]({ err, reqId: request.id, url: request.url, cause: (err as { cause?: unknown })?.cause }, problem.detail);
  }
  if (problem.status === 503) reply.header('retry-after', '2');
  reply
    .status(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problem, instance: request.url.split('?')[0], requestId: String(request.id) }));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly spa?: SpaFallback) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    if (this.spa?.handles(exception, request)) return void this.spa.send(reply);
    sendProblem(exception, request, reply);
  }
}
