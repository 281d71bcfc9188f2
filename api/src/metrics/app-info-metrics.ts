import { Inject, Injectable } from '@nestjs/common';
import { createRequire } from 'node:module';
import { Gauge, type Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../tenant-schema/tenant-migrations.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * What this instance is (issue 8): its release and the tenant schema it needs, so a dashboard shows
 * which instances run what during a deploy; and its connection budget, the denominator of the pool
 * saturation alert.
 */
@Injectable()
export class AppInfoMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(APP_CONFIG) config: AppConfig) {
    new Gauge({
      name: 'rsm_build_info',
      help: 'Always 1; labels: package version, release (RSM_RELEASE, the image tag) and the newest tenant schema version it runs on',
      labelNames: ['version', 'release', 'tenant_schema_version'],
      registers: [registry],
    }).set({ version, release: config.release, tenant_schema_version: LATEST_TENANT_SCHEMA_VERSION }, 1);
    new Gauge({
      name: 'rsm_tenant_connection_budget',
      help: 'Tenant database connections this instance may hold at once (DB_CONNECTION_BUDGET)',
      registers: [registry],
    }).set(config.tenancy.connectionBudget);
  }
}
