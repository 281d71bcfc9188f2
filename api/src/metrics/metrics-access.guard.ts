import { type CanActivate, type ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const notHere = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'Not found.');

/** Compares without leaking, through timing, how much of the token was right. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether an Authorization header carries `Bearer <token>`: the one check, on either port. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const [scheme, given] = (authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && !!given && sameSecret(given, token);
}

/**
 * Who may read /metrics on the main port (metrics name tenants' ids and reveal load):
 * - METRICS_PORT set: nobody here; it is served on that port only (MetricsServer);
 * - METRICS_TOKEN set: scrapers presenting `Authorization: Bearer <token>`;
 * - neither: anyone in development and test (as before), nobody in production (404), so a
 *   production deployment must choose one of the two.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { port, token } = this.config.metrics;
    if (port !== undefined) throw notHere();
    if (token !== undefined) {
      const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization;
      if (bearerMatches(header, token)) return true;
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'Metrics need the bearer token (METRICS_TOKEN).');
    }
    if (this.config.env === 'production') throw notHere();
    return true;
  }
}
