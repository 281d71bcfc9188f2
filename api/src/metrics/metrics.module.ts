import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DependencyHealth } from './dependency-health.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

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
  ],
  exports: [METRICS_REGISTRY, DependencyHealth],
})
export class MetricsModule {}
