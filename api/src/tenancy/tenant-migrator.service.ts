import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { withMigrationLock, CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { ensureDatabaseExists, withDatabase } from '../database/postgres-url.js';
import { TENANT_ENTITIES } from '../tenant-schema/tenant-entities.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../tenant-schema/tenant-migrations.js';
import { TenantRegistry } from './tenant-registry.service.js';

export interface TenantMigrationResult {
  organizationId: string;
  databaseName: string;
  applied: number;
  error?: string;
}

/** Keeps the tenant template and every tenant database at the latest tenant schema. */
@Injectable()
export class TenantMigrator {
  private readonly logger = new Logger(TenantMigrator.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly registry: TenantRegistry,
  ) {}

  /**
   * Start-up: brings the template and every tenant that is behind to the latest schema, one
   * instance at a time (concurrent starts wait for each other instead of racing).
   */
  async migrateOnStart(): Promise<TenantMigrationResult[]> {
    return withMigrationLock(this.control, async () => {
      await this.prepareTemplate();
      return this.migrateAll();
    });
  }

  /** Creates (if needed) and migrates the template that new studios' databases are copied from. */
  async prepareTemplate(): Promise<void> {
    const name = this.config.tenancy.templateDatabase;
    const url = withDatabase(this.config.databaseUrl!, name);
    if (await ensureDatabaseExists(url)) this.logger.log(`Created tenant template ${name}`);
    const applied = await this.migrateDatabase(url);
    if (applied) this.logger.log(`Applied ${applied} migration(s) to tenant template ${name}`);
  }

  /** Migrates every ready tenant, `concurrency` at a time, going on past failures. */
  async migrateAll(concurrency = 4): Promise<TenantMigrationResult[]> {
    const tenants = await this.registry.listReady();
    const behind = tenants.filter((t) => t.schemaVersion !== LATEST_TENANT_SCHEMA_VERSION);
    const results: TenantMigrationResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < behind.length) {
        const tenant = behind[next++];
        const result: TenantMigrationResult = { organizationId: tenant.organizationId, databaseName: tenant.databaseName, applied: 0 };
        try {
          result.applied = await this.migrateDatabase(withDatabase(this.config.databaseUrl!, tenant.databaseName));
          await this.registry.setSchemaVersion(tenant.organizationId, LATEST_TENANT_SCHEMA_VERSION);
        } catch (err) {
          result.error = String(err);
          this.logger.error({ tenantId: tenant.organizationId, err: String(err) }, 'Tenant migration failed');
        }
        results.push(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, behind.length) }, worker));
    if (behind.length) this.logger.log(`Migrated ${results.filter((r) => !r.error).length}/${behind.length} tenant database(s)`);
    return results;
  }

  /** Runs pending tenant migrations on one database in one transaction; returns how many ran. */
  private async migrateDatabase(url: string): Promise<number> {
    const ds = new DataSource({
      type: 'postgres',
      url,
      entities: TENANT_ENTITIES,
      migrations: TENANT_MIGRATIONS,
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      applicationName: 'rsm:migrator',
      poolSize: 1,
      logging: false,
    });
    await ds.initialize();
    try {
      return (await ds.runMigrations({ transaction: 'all' })).length;
    } finally {
      await ds.destroy();
    }
  }
}
