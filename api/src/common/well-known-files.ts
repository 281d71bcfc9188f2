import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendProblem } from './problem.filter.js';
import { ProblemException } from './problem.js';

const ROBOTS_TXT = 'User-agent: *\nDisallow: /api/\nDisallow: /health/\nDisallow: /metrics\n';

/**
 * /robots.txt and /favicon.ico, asked for by crawlers and browsers on their own: real answers
 * instead of the web app's index.html. A file of that name in the web build wins (it is served
 * as a static file, so no route is added here).
 */
export function serveWellKnownFiles(fastify: FastifyInstance, webRoot: string | undefined): void {
  const inWebBuild = (name: string) => webRoot !== undefined && existsSync(join(webRoot, name));
  if (!inWebBuild('robots.txt')) {
    fastify.get('/robots.txt', (_request, reply) => {
      reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(ROBOTS_TXT);
    });
  }
  if (!inWebBuild('favicon.ico')) {
    // Browsers take an SVG icon from /favicon.ico too; the web app ships favicon.svg.
    const svg = inWebBuild('favicon.svg') ? readFileSync(join(webRoot!, 'favicon.svg')) : undefined;
    fastify.get('/favicon.ico', (request, reply) => {
      if (!svg) return sendProblem(new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'This server has no icon.'), request, reply);
      reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(svg);
    });
  }
}
