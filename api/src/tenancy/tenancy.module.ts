import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '../common/request-context.js';
import { TenantConnection } from './tenant-connection.js';
import { TenantDataSources } from './tenant-data-sources.service.js';
import { TenantMigrator } from './tenant-migrator.service.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';
import { TenantRegistry } from './tenant-registry.service.js';
import { TenantRoles } from './tenant-roles.js';
import { TenantServers } from './tenant-servers.service.js'; // issue 8, ops-servers
import { TenantRegistryWatch } from './tenant-registry-watch.service.js'; // issue 8, ops-servers
import { TenantMover } from './tenant-mover.service.js'; // issue 8, ops-servers
import { TypedSql } from './typed-sql.js'; // issue 14, perf
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** Issue 14, perf: the hot reads' SQL runner, prepared or not by DB_PREPARED_STATEMENTS. */
const typedSqlProvider = { provide: TypedSql, useFactory: (config: AppConfig) => new TypedSql(config.preparedStatements), inject: [APP_CONFIG] };

/** Tenancy core: registry, pools, provisioning, migrations, and TenantConnection (the request's tenant data). */
@Global()
@Module({
  providers: [RequestContext, TenantRoles, TenantServers, TenantRegistry, TenantDataSources, TenantProvisioner, TenantMigrator, TenantConnection, TenantRegistryWatch, TenantMover, typedSqlProvider],
  exports: [RequestContext, TenantRoles, TenantServers, TenantRegistry, TenantDataSources, TenantProvisioner, TenantMigrator, TenantConnection, TenantRegistryWatch, TenantMover, TypedSql],
})
export class TenancyModule implements OnModuleInit {
  constructor(@Inject(TenantMigrator) private readonly migrator: TenantMigrator) {}

  /** Before serving: the template is at the latest schema, and so is every tenant we can reach. */
  async onModuleInit(): Promise<void> {
    await this.migrator.migrateOnStart();
  }
}
