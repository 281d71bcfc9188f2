import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { TenantConnection } from './tenant-connection.js';
import { TenantDataSources } from './tenant-data-sources.service.js';
import { TenantMigrator } from './tenant-migrator.service.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';
import { TenantRegistry } from './tenant-registry.service.js';

/** Tenancy core: registry, pools, provisioning, migrations, and the request-scoped TenantConnection. */
@Global()
@Module({
  providers: [TenantRegistry, TenantDataSources, TenantProvisioner, TenantMigrator, TenantConnection],
  exports: [TenantRegistry, TenantDataSources, TenantProvisioner, TenantMigrator, TenantConnection],
})
export class TenancyModule implements OnModuleInit {
  constructor(@Inject(TenantMigrator) private readonly migrator: TenantMigrator) {}

  /** Before serving: the template is at the latest schema, and so is every tenant we can reach. */
  async onModuleInit(): Promise<void> {
    await this.migrator.migrateOnStart();
  }
}
