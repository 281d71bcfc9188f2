import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE, openControlDatabase } from '../control/control-database.js';
import { DependencyHealth } from '../metrics/dependency-health.js';
import { METRICS_REGISTRY } from '../metrics/metrics.registry.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { TENANT_MIGRATION_OPTIONS, type TenantMigrationOptions } from '../tenancy/tenant-migrator.service.js';
import { JobAdmin } from './job-admin.service.js';
import { TenantAdmin } from './tenant-admin.service.js';

/**
 * What the CLI needs besides the API's own modules: the control database opened WITHOUT migrating it
 * (a dry run changes nothing; `rsm migrate` migrates it as its first step), tenancy told not to
 * migrate at start-up, and a metrics registry of its own (TenantDataSources records into one) with the
 * outage tracking tenancy reports to (DependencyHealth: TenantRegistryWatch).
 */
@Global()
@Module({})
class CliInfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  static register(migrationOptions: TenantMigrationOptions): DynamicModule {
    const providers = [
      { provide: CONTROL_DATA_SOURCE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openControlDatabase(config, { migrate: false }) },
      { provide: TENANT_MIGRATION_OPTIONS, useValue: { ...migrationOptions, skipStartup: true } },
      { provide: METRICS_REGISTRY, useFactory: () => new Registry() },
      DependencyHealth,
    ];
    return { module: CliInfrastructureModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.control.isInitialized) await this.control.destroy();
  }
}

@Module({})
class CliConfigModule {}

/** The `rsm` application context: the API's configuration, control database and tenancy, no HTTP. */
@Module({})
export class CliModule {
  static register(config: AppConfig, migrationOptions: TenantMigrationOptions = {}): DynamicModule {
    return {
      module: CliModule,
      imports: [
        // The API's APP_CONFIG token with the same validated AppConfig (not AppModule's ConfigModule: importing
        // app.module.js loads every feature module, +1.3 s per rsm start).
        { module: CliConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        CliInfrastructureModule.register(migrationOptions),
        TenancyModule,
      ],
      providers: [TenantAdmin, JobAdmin],
      exports: [TenantAdmin, JobAdmin],
    };
  }
}
