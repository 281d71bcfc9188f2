import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import { sendProblem } from './problem.filter.js';
import { PROBLEM_CONTENT_TYPE, problemTypeFor } from './problem.js';
import { routeConfig } from './route-config.js';

/**
 * Timeouts of the HTTP server (all from the configuration table):
 * - REQUEST_TIMEOUT_MS: the whole request, body included, must arrive in time (a slow body is a
 *   408 and the connection is closed: a client can no longer hold a socket with a trickle); upload
 *   routes get UPLOAD_TIMEOUT_MS instead (enforceBodyDeadlines: Node's own deadline is one for the
 *   whole server, so it is set to the longer of the two and each route's is applied per request);
 * - HEADERS_TIMEOUT_MS: the request line and headers alone (slowloris);
 * - KEEP_ALIVE_TIMEOUT_MS: how long an idle keep-alive connection stays open between requests
 *   (above the usual 60 s of load balancers, so they close first);
 * - CONNECTION_TIMEOUT_MS: a socket with no activity at all while a request is handled.
 * Node checks request and header deadlines every `connectionsCheckingInterval` (30 s by default,
 * far coarser than a short timeout): checked at a tenth of the shorter deadline, at most every 1 s.
 */
export function serverTimeouts(config: AppConfig): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'> & { http: ServerOptions } {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, connectionTimeoutMs } = config.http;
  const serverDeadline = Math.max(requestTimeoutMs, config.files.uploadTimeoutMs); // a backstop: see enforceBodyDeadlines
  return {
    requestTimeout: serverDeadline,
    connectionTimeout: connectionTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      requestTimeout: serverDeadline,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(requestTimeoutMs, headersTimeoutMs) / 10))),
    },
  };
}

/**
 * Errors Fastify's router raises before any hook (FST_ERR_BAD_URL 400 for `/clients/%E0%A4%A`,
 * FST_ERR_MAX_PARAM_LENGTH 414 for an over-long id): problems like every other error.
 */
export const frameworkErrors: FastifyServerOptions['frameworkErrors'] = (error, request, reply) => {
  sendProblem(error, request, reply);
};

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are too large.' },
};

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers too large, request or
 * header timeout, malformed request line): written to the socket as a problem, then closed.
 */
export function writeClientErrorProblem(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[err.code ?? ''] ?? { status: 400, detail: 'The request is not valid HTTP.' };
  const requestId = randomUUID();
  const title = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ type: problemTypeFor(status), title, status, detail, requestId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

const BODY_TIMED_OUT = Symbol('rsm.bodyTimedOut');

/** The request's body missed its deadline and the 408 went straight to the socket (the access log says so). */
function markBodyTimedOut(raw: IncomingMessage): void {
  (raw as IncomingMessage & { [BODY_TIMED_OUT]?: true })[BODY_TIMED_OUT] = true;
}

export function bodyTimedOut(raw: IncomingMessage): boolean {
  return (raw as IncomingMessage & { [BODY_TIMED_OUT]?: true })[BODY_TIMED_OUT] === true;
}

/**
 * The body deadline of each request: REQUEST_TIMEOUT_MS, or UPLOAD_TIMEOUT_MS on upload routes (route
 * config `longBody`, set by files' @MultipartUpload), counted from the moment the headers are in. A body
 * still arriving then gets the same 408 problem Node writes for its own deadline, and the connection
 * is closed. Requests without a body set no timer.
 */
export function enforceBodyDeadlines(fastify: FastifyInstance, config: AppConfig): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw;
    const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
    if (!hasBody || raw.complete) return done();
    const longBody = routeConfig(request.routeOptions).longBody === true;
    const timer = setTimeout(
      () => {
        if (raw.complete) return;
        markBodyTimedOut(raw);
        writeClientErrorProblem(Object.assign(new Error('Request body timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), raw.socket);
      },
      longBody ? config.files.uploadTimeoutMs : config.http.requestTimeoutMs,
    );
    timer.unref();
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
    done();
  });
}
