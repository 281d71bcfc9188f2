import type { FastifyInstance } from 'fastify';
import type { Caller } from '../auth/auth.types.js';
import type { DependencyHealth } from '../metrics/dependency-health.js';

const TENANT_ROUTE = /^\/api\/v\d+\/(?!auth\/)/;

/**
 * Ends an outage DependencyHealth recorded, from ordinary traffic: an authenticated request that
 * did not fail proves the control database answered (the session was read from it), and one on a
 * studio route proves that studio's database did.
 */
export function trackDependencyRecovery(fastify: FastifyInstance, health: DependencyHealth): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const principal = (request as { user?: Caller }).user;
    if (health.anyDown && principal && reply.statusCode < 500) {
      health.succeeded('control');
      if (TENANT_ROUTE.test(request.routeOptions.url ?? '')) health.succeeded('tenant', principal.organizationId);
    }
    done();
  });
}
