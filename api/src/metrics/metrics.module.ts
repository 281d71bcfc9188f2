import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppInfoMetrics } from './app-info-metrics.js';
import { DependencyHealth } from './dependency-health.js';
import { HttpMetrics } from './http-metrics.js';
import { JobMetrics } from './job-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { METRICS_REGISTRY } from './metrics.registry.js';
import { TenantMigrationMetrics } from './tenant-migration-metrics.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    DependencyHealth,
    MetricsAccessGuard,
    MetricsServer,
    // Issue 8, ops-deploy.
    AppInfoMetrics,
    HttpMetrics,
    JobMetrics,
    TenantMigrationMetrics,
  ],
  exports: [METRICS_REGISTRY, DependencyHealth, HttpMetrics, JobMetrics, TenantMigrationMetrics],
})
export class MetricsModule {}
