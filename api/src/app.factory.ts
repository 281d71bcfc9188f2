import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppModule } from './app.module.js';
import { refuseMultipartOutsideUploads } from './files/multipart-upload.js';
import { trackDependencyRecovery } from './common/dependency-recovery.js';
import { closeConnectionsWhileDraining, ShutdownState } from './common/graceful-shutdown.js';
import { enforceBodyDeadlines, frameworkErrors, serverTimeouts, writeClientErrorProblem } from './common/http-server.js';
import { refuseCrossSiteWrites } from './common/origin-check.js';
import { ProblemFilter } from './common/problem.filter.js';
import { RequestContext } from './common/request-context.js';
import { logRequests } from './common/logging.js'; // issue 14, perf
import { requestIdFrom } from './common/request-id.js';
import { acceptJsonBodiesOnly, refuseUnstorableQueryAndParams } from './common/request-input.js';
import { computeSecurityHeaders, sendSecurityHeaders } from './common/security-headers.js'; // issue 14, perf
import { SpaFallback } from './common/spa-fallback.js';
import { StrictValidationPipe } from './common/validation.js';
import { serveWellKnownFiles } from './common/well-known-files.js';
import type { AppConfig } from './config/app-config.js';
import { DependencyHealth } from './metrics/dependency-health.js';
import { HttpMetrics, instrumentHttp } from './metrics/http-metrics.js';
import { buildOpenApiDocument, setupSwaggerUi } from './openapi/swagger.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the built web app is: WEB_DIST_DIR, else web/build next to the api workspace. */
export function resolveWebDist(config: AppConfig): string | undefined {
  const dir = config.webDistDir ?? resolve(here, '../../web/build');
  return existsSync(dir) ? dir : undefined;
}

export interface CreateAppOptions {
  /** Where log lines go instead of stdout (tests read them back). */
  logDestination?: DestinationStream;
}

/** Builds the whole application (not listening). Used by main, the tests and the bench alike. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const hops = config.trustProxyHops;
  const adapter = new FastifyAdapter({
    bodyLimit: 256 * 1024,
    // Fastify 5.12 ignores a bare hop count (it trusts no hop at all), so request.ip was the proxy's
    // and every client behind it shared one rate-limit budget. A function keeps TRUST_PROXY's meaning:
    // believe the last `hops` entries of X-Forwarded-For.
    trustProxy: hops ? (_address: string, hop: number) => hop < hops : false,
    genReqId: requestIdFrom,
    ...serverTimeouts(config),
    frameworkErrors,
    clientErrorHandler: writeClientErrorProblem,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options.logDestination), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false, // JSON only, parsed by acceptJsonBodiesOnly (no urlencoded parser)
  });
  app.useLogger(app.get(Logger));
  await configureApp(app, config);
  return app;
}

export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const spa = SpaFallback.fromDir(resolveWebDist(config));
  const dependencies = app.get(DependencyHealth);

  // Issue 8, ops-deploy: first hook, so every request is counted (refused early ones included).
  instrumentHttp(fastify, app.get(HttpMetrics));
  closeConnectionsWhileDraining(fastify, app.get(ShutdownState));
  // Issue 14, perf: one access line per request from the app's one logger (no pino-http middleware).
  logRequests(fastify, (await app.resolve(PinoLogger)).logger);

  const context = app.get(RequestContext);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    context.run(request, done); // the rest of the request runs in its own context
  });
  enforceBodyDeadlines(fastify, config);
  refuseCrossSiteWrites(fastify, config);
  acceptJsonBodiesOnly(fastify);
  // Issue 10, files: multipart/form-data, only on the upload routes (@MultipartUpload(): anywhere else it is
  // the same 415 as before), which stream the one `file` part to storage (api/src/files/multipart-upload.ts).
  // Cross-site forms are still refused by the Origin rule above.
  // preservePath: the client's name is kept whole as a display name (it never becomes a path).
  await app.register(fastifyMultipart, {
    preservePath: true,
    limits: { fileSize: config.files.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 20 },
  });
  refuseMultipartOutsideUploads(fastify);
  refuseUnstorableQueryAndParams(fastify);
  trackDependencyRecovery(fastify, dependencies);
  await app.register(fastifyCookie);
  const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
  // Issue 14, perf: helmet's headers, computed once here with the same options (not per request).
  const securityHeaders = computeSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // SvelteKit's bootstrap is one inline script: allowed by its hash, not by 'unsafe-inline'.
        scriptSrc: ["'self'", ...(spa?.inlineScriptHashes(sha256) ?? [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.cookie.secure ? [] : null,
      },
    },
    hsts: config.cookie.secure,
  });
  sendSecurityHeaders(fastify, securityHeaders);

  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemFilter(spa, dependencies));

  // API documentation is public (it is documentation); API_DOCS=false turns it off. Built on first request.
  if (config.apiDocs) setupSwaggerUi(app, () => buildOpenApiDocument(app));

  serveWellKnownFiles(fastify, spa?.root);
  if (spa) {
    await app.register(fastifyStatic, {
      root: spa.root,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (res, path) => {
        if (path.includes('/_app/immutable/')) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
}
