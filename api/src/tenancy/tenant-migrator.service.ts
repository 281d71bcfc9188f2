import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { withMigrationLock, CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantDatabase } from '../control/tenant-database.entity.js';
import { ensureDatabaseExists, withDatabase } from '../database/postgres-url.js';
import { TENANT_MIGRATIONS } from '../tenant-schema/tenant-migrations.js';
import { tenantStamp } from './tenant-provisioner.service.js';
import { TenantRegistry } from './tenant-registry.service.js';
import { notifyTenantChanged } from './tenant-registry-watch.service.js';
import { DEFAULT_SERVER, TenantServers } from './tenant-servers.service.js';
import { TenantRoles, type Sql } from './tenant-roles.js';
import { databaseVersion, latestVersionOf, migrateTo, type SchemaStep, stepsTo, type TenantMigrationClass, versionOf } from './tenant-schema-steps.js';

/**
 * Issue 8, ops-cli: how this process migrates. The CLI provides it (it migrates when told, not at
 * start-up); tests give a longer migration list through it, so they exercise the one code path.
 */
export const TENANT_MIGRATION_OPTIONS = Symbol('TENANT_MIGRATION_OPTIONS');
export interface TenantMigrationOptions {
  /** Skip the start-up pass entirely (the CLI). */
  skipStartup?: boolean;
  /** The tenant migration list; TENANT_MIGRATIONS unless a test adds some. */
  migrations?: TenantMigrationClass[];
}

export type TenantMigrationOutcome = 'migrated' | 'up-to-date' | 'pending' | 'failed' | 'skipped';

export interface TenantMigrationResult {
  organizationId: string;
  databaseName: string;
  outcome: TenantMigrationOutcome;
  /** Registry version before, and the database's version after (before, on a dry run or a failure). */
  fromVersion: string;
  toVersion: string;
  /** The migrations applied (or, on a dry run, that would be): `up` or `down`. */
  steps: SchemaStep[];
  error?: string;
}

export interface MigrateTenantsOptions {
  /** Target schema version (a migration timestamp); the latest when absent. Older: rolls back. */
  to?: string;
  dryRun?: boolean;
  concurrency?: number;
  /** Only these organization ids. */
  only?: string[];
  /** Resume: start at this organization id in the run order (created_at, then id). */
  from?: string;
  /** Migrate the first N first; stop before the others when any of them fails. */
  canary?: number;
  /** Called once the list is known, and after each tenant (progress). */
  onPlan?: (tenants: number) => void;
  onResult?: (result: TenantMigrationResult) => void;
}

/** Keeps the tenant template and every tenant database at the tenant schema version the code serves. */
@Injectable()
export class TenantMigrator {
  private readonly logger = new Logger(TenantMigrator.name);
  readonly migrations: TenantMigrationClass[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly registry: TenantRegistry,
    private readonly roles: TenantRoles,
    private readonly servers: TenantServers,
    @Optional() @Inject(TENANT_MIGRATION_OPTIONS) private readonly options: TenantMigrationOptions = {},
  ) {
    this.migrations = options?.migrations ?? TENANT_MIGRATIONS;
  }

  private readonly controlSql: Sql = (sql, parameters) => this.control.query(sql, parameters);

  /** The version the newest migration brings a database to. */
  get latestVersion(): string {
    return latestVersionOf(this.migrations);
  }

  /** Every version a database can be brought to (oldest first). */
  get versions(): string[] {
    return this.migrations.map(versionOf).sort();
  }

  /**
   * Start-up: brings the template (and, unless MIGRATE_ON_START=false, every tenant that is behind) to
   * the latest schema, one instance at a time (concurrent starts wait for each other instead of
   * racing), and gives every tenant that lacks it its own database role.
   */
  async migrateOnStart(): Promise<TenantMigrationResult[]> {
    if (this.options?.skipStartup) return [];
    return withMigrationLock(this.control, async () => {
      await this.prepareTemplate();
      let results: TenantMigrationResult[] = [];
      if (this.config.migrateOnStart) results = await this.migrateTenants();
      else this.logger.log('MIGRATE_ON_START=false: tenants behind the latest schema are left to `rsm migrate` (they get 503 until then)');
      await this.ensureTenantAccess();
      return results;
    });
  }

  /**
   * Creates (if needed) and migrates the template that new studios' databases are copied from,
   * with the group role's table rights in it, so every copy carries them. `to`: another version
   * (a rollback). Returns the steps taken (or, on a dry run, that would be).
   */
  async prepareTemplate({ to = this.latestVersion, dryRun = false }: { to?: string; dryRun?: boolean } = {}): Promise<SchemaStep[]> {
    const name = this.config.tenancy.templateDatabase;
    const url = withDatabase(this.config.databaseUrl!, name);
    if (dryRun) {
      if (!(await this.databaseExists(name))) return this.versions.filter((v) => v <= to).map((version) => ({ version, direction: 'up', name: this.nameOf(version) }));
      return this.withDataSource(url, (ds) => stepsTo(ds, to));
    }
    if (await ensureDatabaseExists(url)) this.logger.log(`Created tenant template ${name}`);
    await this.roles.ensureGroup(this.controlSql);
    await this.roles.closeToPublic(this.controlSql, name);
    const steps = await this.migrateDatabase(url, to);
    if (steps.length) this.logger.log(`Applied ${steps.length} migration(s) to tenant template ${name}`);
    return steps;
  }

  /**
   * Gives each ready tenant missing its role, membership or CONNECT rights all of them (going on
   * past failures), and re-derives every tenant role's password when RSM_SECRET_KEY changed.
   */
  async ensureTenantAccess(): Promise<void> {
    // The control database's server only: studios placed on other servers get their role and rights when
    // provisioned or moved there (TenantServers); repairing those here is not built yet (issue 8 note).
    const tenants = (await this.registry.listReady()).filter((t) => t.server === DEFAULT_SERVER);
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

  /** The owner stamp a database carries (COMMENT ON DATABASE) on the server it lives on, or null. */
  async stampOf(databaseName: string, server: string = DEFAULT_SERVER): Promise<string | null> {
    const [row] = (await this.servers.sql(server)(`SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`, [databaseName])) as Array<{
      stamp: string | null;
    }>;
    return row?.stamp ?? null;
  }

  async databaseExists(databaseName: string, server: string = DEFAULT_SERVER): Promise<boolean> {
    return ((await this.servers.sql(server)(`SELECT 1 FROM pg_database WHERE datname = $1`, [databaseName])) as unknown[]).length > 0;
  }

  /** The ready tenants in run order (oldest first, then by id: stable, so `from` can resume). */
  async runOrder(): Promise<TenantDatabase[]> {
    return this.control.getRepository(TenantDatabase).find({ where: { status: 'ready' }, order: { createdAt: 'ASC', organizationId: 'ASC' } });
  }

  /**
   * Brings ready tenants to `to` (default: the latest version), `concurrency` at a time, each in its
   * own transaction and its own try/catch: one tenant's failure is recorded on its registry row
   * (migration_status 'failed', migration_error) and the run goes on. A tenant whose registry version
   * is already the target is not touched. Results come in run order.
   */
  async migrateTenants(options: MigrateTenantsOptions = {}): Promise<TenantMigrationResult[]> {
    const target = options.to ?? this.latestVersion;
    if (!this.versions.includes(target)) throw new Error(`Unknown tenant schema version ${target} (known: ${this.versions.join(', ')})`);
    let tenants = await this.runOrder();
    if (options.only) {
      const only = new Set(options.only);
      tenants = tenants.filter((t) => only.has(t.organizationId));
    }
    if (options.from) {
      const start = tenants.findIndex((t) => t.organizationId === options.from);
      if (start < 0) throw new Error(`--from: no ready tenant ${options.from}`);
      tenants = tenants.slice(start);
    }
    options.onPlan?.(tenants.length);
    const results = new Array<TenantMigrationResult>(tenants.length);
    const run = async (indexes: number[]) => {
      let next = 0;
      const worker = async () => {
        while (next < indexes.length) {
          const i = indexes[next++];
          results[i] = await this.migrateTenant(tenants[i], target, options.dryRun ?? false);
          options.onResult?.(results[i]);
        }
      };
      await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 4), indexes.length) }, worker));
    };
    const all = tenants.map((_, i) => i);
    const canaries = Math.min(options.canary ?? 0, tenants.length);
    await run(all.slice(0, canaries));
    if (results.slice(0, canaries).some((r) => r.outcome === 'failed')) {
      for (const i of all.slice(canaries)) {
        results[i] = this.resultFor(tenants[i], 'skipped', []);
        options.onResult?.(results[i]);
      }
    } else {
      await run(all.slice(canaries));
    }
    const failed = results.filter((r) => r.outcome === 'failed').length;
    if (results.length && !options.dryRun) this.logger.log(`Tenant migration to ${target}: ${results.length - failed}/${results.length} tenant database(s) done`);
    return results;
  }

  /** One tenant, never throwing: its outcome (and, unless a dry run, its registry row) says what happened. */
  async migrateTenant(tenant: TenantDatabase, target: string, dryRun = false): Promise<TenantMigrationResult> {
    if (String(tenant.schemaVersion) === target && tenant.migrationStatus !== 'failed') return this.resultFor(tenant, 'up-to-date', []);
    const repo = this.control.getRepository(TenantDatabase);
    try {
      // Never migrate a database the registry may have mixed up (it would run another studio's DDL).
      const stamp = await this.stampOf(tenant.databaseName, tenant.server);
      if (stamp !== tenantStamp(tenant.organizationId)) throw new Error(`${tenant.databaseName} carries the stamp ${JSON.stringify(stamp)}, not this tenant's`);
      const url = this.urlOf(tenant);
      if (dryRun) {
        const steps = await this.withDataSource(url, (ds) => stepsTo(ds, target));
        return this.resultFor(tenant, steps.length ? 'pending' : 'up-to-date', steps);
      }
      await repo.update({ organizationId: tenant.organizationId }, { migrationStatus: 'running' });
      const { steps, version } = await this.withDataSource(url, async (ds) => {
        const taken = await migrateTo(ds, target);
        await this.roles.grantSchemaAccess((sql, parameters) => ds.query(sql, parameters));
        return { steps: taken, version: await databaseVersion(ds) };
      });
      await repo.update(
        { organizationId: tenant.organizationId },
        { schemaVersion: version ?? target, migrationStatus: 'done', migrationError: null, migratedAt: new Date() },
      );
      // Every instance re-checks its open pool for this studio now (a version it does not know → 503), not at its next watch tick.
      await notifyTenantChanged((sql, parameters) => this.control.query(sql, parameters), tenant.organizationId);
      return { ...this.resultFor(tenant, steps.length ? 'migrated' : 'up-to-date', steps), toVersion: version ?? target };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.logger.error({ tenantId: tenant.organizationId, err: error }, 'Tenant migration failed');
      if (!dryRun) {
        await repo
          .update({ organizationId: tenant.organizationId }, { migrationStatus: 'failed', migrationError: error.slice(0, 4000), migratedAt: new Date() })
          .catch((e: unknown) => this.logger.error({ tenantId: tenant.organizationId, err: String(e) }, 'Could not record the failure'));
      }
      return { ...this.resultFor(tenant, 'failed', []), error };
    }
  }

  /** The version one tenant database is at, read from the database itself. */
  databaseVersionOf(tenant: Pick<TenantDatabase, 'databaseName' | 'server'>): Promise<string | null> {
    return this.withDataSource(this.urlOf(tenant), databaseVersion);
  }

  private resultFor(tenant: TenantDatabase, outcome: TenantMigrationOutcome, steps: SchemaStep[]): TenantMigrationResult {
    const from = String(tenant.schemaVersion);
    return { organizationId: tenant.organizationId, databaseName: tenant.databaseName, outcome, fromVersion: from, toVersion: from, steps };
  }

  private nameOf(version: string): string {
    return this.migrations.find((m) => versionOf(m) === version)!.name;
  }

  /**
   * The admin URL of a tenant's database. One place, so that placing tenants on several servers
   * (ops-servers) changes only this.
   */
  /** The tenant's database on the server the registry places it on (several servers: issue 8). */
  private urlOf(tenant: Pick<TenantDatabase, 'databaseName' | 'server'>): string {
    return this.servers.databaseAdminUrl(tenant.server, tenant.databaseName);
  }

  /**
   * Brings one database to `to` in one transaction, then re-grants the group's table rights (default
   * privileges cover new tables only when the same role created them); returns the steps taken.
   */
  private migrateDatabase(url: string, to: string): Promise<SchemaStep[]> {
    return this.withDataSource(url, async (ds) => {
      const steps = await migrateTo(ds, to);
      await this.roles.grantSchemaAccess((sql, parameters) => ds.query(sql, parameters));
      return steps;
    });
  }

  /** Runs `fn` on a one-connection DataSource to `url` (as the admin role), closed afterwards. */
  private async withDataSource<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
    const ds = new DataSource({
      type: 'postgres',
      url,
      // No entities: migrations are plain SQL, so there is no entity metadata to build for each tenant's connection.
      entities: [],
      migrations: this.migrations,
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
