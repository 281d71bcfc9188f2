import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { withMigrationLock, CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { ensureDatabaseExists, withDatabase } from '../database/postgres-url.js';
import { TENANT_ENTITIES } from '../tenant-schema/tenant-entities.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../tenant-schema/tenant-migrations.js';
import { tenantStamp } from './tenant-provisioner.service.js';
import { TenantRegistry } from './tenant-registry.service.js';
import { TenantRoles, type Sql } from './tenant-roles.js';

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
    private readonly roles: TenantRoles,
  ) {}

  private readonly controlSql: Sql = (sql, parameters) => this.control.query(sql, parameters);

  /**
   * Start-up: brings the template and every tenant that is behind to the latest schema, one
   * instance at a time (concurrent starts wait for each other instead of racing), and gives every
   * tenant that lacks it its own database role (tenants made before per-tenant roles).
   */
  async migrateOnStart(): Promise<TenantMigrationResult[]> {
    return withMigrationLock(this.control, async () => {
      await this.prepareTemplate();
      const results = await this.migrateAll();
      await this.ensureTenantAccess();
      return results;
    });
  }

  /**
   * Creates (if needed) and migrates the template that new studios' databases are copied from,
   * with the group role's table rights in it, so every copy carries them.
   */
  async prepareTemplate(): Promise<void> {
    const name = this.config.tenancy.templateDatabase;
    const url = withDatabase(this.config.databaseUrl!, name);
    if (await ensureDatabaseExists(url)) this.logger.log(`Created tenant template ${name}`);
    await this.roles.ensureGroup(this.controlSql);
    await this.roles.closeToPublic(this.controlSql, name);
    const applied = await this.migrateDatabase(url);
    if (applied) this.logger.log(`Applied ${applied} migration(s) to tenant template ${name}`);
  }

  /**
   * Gives each ready tenant missing its role, membership or CONNECT rights all of them (going on
   * past failures), and re-derives every tenant role's password when RSM_SECRET_KEY changed.
   */
  async ensureTenantAccess(): Promise<void> {
    const tenants = await this.registry.listReady();
    const missing = new Set(await this.roles.missingAccess(this.controlSql, tenants.map((t) => t.databaseName)));
    let done = 0;
    for (const tenant of tenants.filter((t) => missing.has(t.databaseName))) {
      // Grant nothing on a database the registry may have mixed up: its name must be the one derived
      // for this organization, and its stamp this organization's. Else a swapped row would hand one
      // studio's role CONNECT on another studio's database.
      const stamp = await this.stampOf(tenant.databaseName);
      if (tenant.databaseName !== this.roles.roleFor(tenant.organizationId) || stamp !== tenantStamp(tenant.organizationId)) {
        this.logger.error(
          { tenantId: tenant.organizationId, database: tenant.databaseName, stamp },
          'Registry names a database that is not this tenant\'s: not giving it access (fix the tenant_databases row)',
        );
        continue;
      }
      try {
        await this.withDataSource(withDatabase(this.config.databaseUrl!, tenant.databaseName), (ds) =>
          this.roles.grantSchemaAccess((sql, parameters) => ds.query(sql, parameters)),
        );
        await this.roles.ensureTenantRole(this.controlSql, tenant.databaseName, tenant.organizationId);
        done++;
      } catch (err) {
        this.logger.error({ tenantId: tenant.organizationId, err: String(err) }, 'Could not give a tenant database its role');
      }
    }
    if (missing.size) this.logger.log(`Gave ${done}/${missing.size} tenant database(s) their own role`);
    if (await this.roles.keyChanged(this.controlSql)) {
      // RSM_SECRET_KEY changed (or was never recorded): set every tenant role's password from it.
      const others = tenants.filter((t) => !missing.has(t.databaseName));
      for (const tenant of others) await this.roles.resetPassword(this.controlSql, tenant.organizationId);
      await this.roles.rememberKey(this.controlSql);
      if (others.length) this.logger.log(`Set ${others.length} tenant role password(s) from the current RSM_SECRET_KEY`);
    }
  }

  private async stampOf(databaseName: string): Promise<string | null> {
    const [row] = (await this.controlSql(`SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`, [databaseName])) as Array<{
      stamp: string | null;
    }>;
    return row?.stamp ?? null;
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

  /**
   * Runs pending tenant migrations on one database in one transaction, then re-grants the group's
   * table rights (default privileges cover new tables only when the same role created them);
   * returns how many migrations ran.
   */
  private migrateDatabase(url: string): Promise<number> {
    return this.withDataSource(url, async (ds) => {
      const applied = (await ds.runMigrations({ transaction: 'all' })).length;
      await this.roles.grantSchemaAccess((sql, parameters) => ds.query(sql, parameters));
      return applied;
    });
  }

  /** Runs `fn` on a one-connection DataSource to `url` (as the admin role), closed afterwards. */
  private async withDataSource<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
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
      return await fn(ds);
    } finally {
      await ds.destroy();
    }
  }
}
