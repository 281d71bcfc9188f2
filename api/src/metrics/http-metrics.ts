import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { routeConfig } from '../common/route-config.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

/** Route label of requests no route matched: never the raw URL, which anyone can vary without end. */
export const UNMATCHED_ROUTE = '(unmatched)';
/**
 * Route label of the web app's files: @fastify/static registers one route per file, and their hashed
 * names change with every release, so each would be a new series.
 */
export const STATIC_ROUTE = '(static)';

function routeLabel(routeOptions: { url?: string; config?: unknown }): string {
  if (routeOptions.url === undefined) return UNMATCHED_ROUTE;
  return routeConfig(routeOptions).file !== undefined ? STATIC_ROUTE : routeOptions.url;
}

/**
 * HTTP request metrics (issue 8): a duration histogram by route TEMPLATE (`/api/v1/clients/:id`),
 * method and status code, and the requests in flight (what a graceful shutdown waits for).
 */
@Injectable()
export class HttpMetrics {
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  readonly inFlight: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'rsm_http_request_duration_seconds',
      help: 'HTTP requests answered, by route template, method and status code (seconds from request to response)',
      labelNames: ['method', 'route', 'status_code'],
      // From a cached read (~1 ms) to the request timeout (30 s by default).
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'rsm_http_requests_in_flight',
      help: 'HTTP requests received and not answered yet',
      registers: [registry],
    });
  }
}

/**
 * Hooks the metrics into Fastify. Registered before every other hook, so requests refused early
 * (cross-site writes, bad input) are counted too. The in-flight gauge goes down when the response's
 * connection is done with it, answered or abandoned, so it never drifts.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: HttpMetrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    metrics.inFlight.inc();
    reply.raw.once('close', () => metrics.inFlight.dec());
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.duration.observe(
      { method: request.method, route: routeLabel(request.routeOptions), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
