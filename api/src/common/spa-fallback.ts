import { NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodedPath } from './decoded-path.js';

/**
 * Paths that are not app pages: the API's, and the web app's built assets (a missing asset must be a
 * 404, not index.html served as a script). A 404 there is a problem+json.
 */
const NOT_A_PAGE = /^\/(api|health|metrics|_app)(\/|$|\?)/;

/**
 * The web app is a single-page app: an unknown GET path outside the API gets its index.html,
 * and the client-side router shows the page.
 */
export class SpaFallback {
  private readonly indexHtml: Buffer;

  constructor(readonly root: string) {
    this.indexHtml = readFileSync(join(root, 'index.html'));
  }

  static fromDir(dir: string | undefined): SpaFallback | undefined {
    return dir && existsSync(join(dir, 'index.html')) ? new SpaFallback(dir) : undefined;
  }

  handles(exception: unknown, request: FastifyRequest): boolean {
    return exception instanceof NotFoundException && request.method === 'GET' && !NOT_A_PAGE.test(decodedPath(request.url));
  }

  send(reply: FastifyReply): void {
    reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(this.indexHtml);
  }

  /** Inline scripts in index.html, as CSP hashes, so the CSP can stay free of 'unsafe-inline'. */
  inlineScriptHashes(hash: (text: string) => string): string[] {
    const html = this.indexHtml.toString('utf8');
    return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${hash(m[1])}'`);
  }
}
