import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { PROBLEM_CONTENT_TYPE, problemTypeFor } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { METRICS_REGISTRY } from './metrics.registry.js';
import { bearerMatches } from './metrics-access.guard.js';

/**
 * With METRICS_PORT, /metrics is served by this plain HTTP listener on HOST:METRICS_PORT (for a
 * monitoring network, firewalled from the public), and nothing else is served there.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
        const token = this.config.metrics.token;
        // METRICS_TOKEN guards this port too: it may be bound to an interface others can reach.
        if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
          res
            .writeHead(401, { 'content-type': PROBLEM_CONTENT_TYPE, 'www-authenticate': 'Bearer' })
            .end(JSON.stringify({ type: problemTypeFor(401), title: 'Unauthorized', status: 401, detail: 'Metrics need the bearer token (METRICS_TOKEN).', requestId: randomUUID() }));
          return;
        }
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
        return;
      }
      const requestId = randomUUID();
      res
        .writeHead(404, { 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId })
        .end(JSON.stringify({ type: problemTypeFor(404), title: 'Not Found', status: 404, detail: 'Only /metrics is served here.', requestId }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`Metrics on http://${this.config.host}:${(server.address() as AddressInfo).port}/metrics`);
  }

  /** Where it listens (undefined without METRICS_PORT). */
  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
