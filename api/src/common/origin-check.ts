import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from './problem.js';

/** Methods that change nothing; every other method is held to the Origin rule (a list of safe ones fails closed). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `https://Example.com:443` → `https://example.com`; undefined for anything that is not an http(s) origin. */
function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return /^https?:$/.test(url.protocol) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The entry the nearest proxy added to a (possibly repeated, comma-separated) forwarding header. */
function nearestEntry(value: string | string[] | undefined): string | undefined {
  const last = (Array.isArray(value) ? value.join(',') : value)?.split(',').pop()?.trim();
  return last || undefined;
}

/**
 * The origin the client addressed: scheme and host of this request. Behind TRUST_PROXY hops the
 * nearest proxy's X-Forwarded-Proto / X-Forwarded-Host entry says it (read here, explicitly, rather
 * than through Fastify's request.protocol/host, so the rule does not depend on how Fastify picks an
 * entry of a repeated header); otherwise the socket and the Host header do.
 */
function ownOrigin(request: FastifyRequest, proxyHops: number): string | undefined {
  const forwarded = (name: string) => (proxyHops > 0 ? nearestEntry(request.headers[name]) : undefined);
  const scheme = forwarded('x-forwarded-proto') ?? ((request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
  const host = forwarded('x-forwarded-host') ?? request.headers.host;
  return host ? normalizeOrigin(`${scheme}://${host}`) : undefined;
}

/**
 * Why a browser may send this unsafe request, or undefined when it may not. The CSRF defence of
 * the whole API, login and register included (login CSRF signs a victim into the attacker's studio):
 *
 * - `Sec-Fetch-Site` (sent by every current browser) must say `same-origin`, or `none` (typed by
 *   the user), unless the Origin is one we trust;
 * - otherwise a present `Origin` must be ours or a trusted one (`Origin: null` never is);
 * - a request with neither header is not from a browser (curl, integrators, tests): every current
 *   browser sends Origin on cross-origin requests and on every POST/PUT/PATCH/DELETE, so an attack
 *   driven from a web page always carries one of them. Such clients cannot ride a victim's cookie.
 */
export function allowedOrigin(request: FastifyRequest, trusted: ReadonlySet<string>, proxyHops: number): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  const originHeader = request.headers.origin;
  const origin = typeof originHeader === 'string' ? normalizeOrigin(originHeader) : undefined;
  const isTrusted = origin !== undefined && (trusted.has(origin) || origin === ownOrigin(request, proxyHops));
  if (fetchSite !== undefined) return fetchSite === 'same-origin' || fetchSite === 'none' || isTrusted;
  if (originHeader !== undefined) return isTrusted;
  return true;
}

/** The Origin rule, as one onRequest hook for every route: refused before any body is read. */
export function refuseCrossSiteWrites(fastify: FastifyInstance, config: { trustedOrigins: readonly string[]; trustProxyHops: number }): void {
  const trusted = new Set(config.trustedOrigins.map(normalizeOrigin).filter((o): o is string => o !== undefined));
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method) || allowedOrigin(request, trusted, config.trustProxyHops)) return done();
    done(new ProblemException(HttpStatus.FORBIDDEN, 'cross-site-request', 'This request comes from another site; it was refused.'));
  });
}
