import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantServer } from '../control/tenant-server.entity.js';
import { ensureDatabaseExists, withCredentials, withDatabase } from '../database/postgres-url.js';
import { TENANT_ENTITIES } from '../tenant-schema/tenant-entities.js';
import { TENANT_MIGRATIONS } from '../tenant-schema/tenant-migrations.js';
import { TenantRoles, type Sql } from './tenant-roles.js';

/** The server DATABASE_URL points at, unless TENANT_SERVERS gives `default` another URL. */
export const DEFAULT_SERVER = 'default';

export class UnknownTenantServerError extends Error {}

/**
 * Issue 8, ops-servers: the PostgreSQL servers tenant databases live on. `tenant_servers` (control
 * database) says which exist, how many tenants each may hold and whether it takes new ones; the
 * configuration (TENANT_SERVERS) says how to reach each one, so no password is ever stored in a table.
 * Each server gets, on first use by this process, the same group role and a template migrated to the
 * same tenant migrations as the default one: a tenant database is a copy of its server's template.
 */
@Injectable()
export class TenantServers implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantServers.name);
  private readonly urls = new Map<string, string>();
  private readonly adminPools = new Map<string, pg.Pool>();
  private readonly prepared = new Map<string, Promise<void>>();
  private recorded?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly roles: TenantRoles,
  ) {
    for (const server of config.tenantServers.servers) {
      const url = server.url ?? (server.urlFile ? readFileSync(server.urlFile, 'utf8').trim() : undefined);
      if (url) this.urls.set(server.name, url);
    }
  }

  /**
   * Records every configured server (capacity when configured; status stays the operators'), once per
   * process, before the first placement or lookup: not at start-up, so that a CLI dry run on a control
   * database not migrated yet neither fails nor writes.
   */
  private recordConfigured(): Promise<void> {
    this.recorded ??= (async () => {
      for (const server of this.config.tenantServers.servers) {
        await this.control.query(
          `INSERT INTO tenant_servers (name, capacity) VALUES ($1, COALESCE($2, 5000))
           ON CONFLICT (name) DO UPDATE SET capacity = COALESCE($2, tenant_servers.capacity), updated_at = now()
           WHERE $2 IS NOT NULL AND tenant_servers.capacity <> $2`,
          [server.name, server.capacity ?? null],
        );
      }
    })().catch((err) => {
      this.recorded = undefined;
      throw err;
    });
    return this.recorded;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.adminPools.values()].map((p) => p.end().catch(() => undefined)));
    this.adminPools.clear();
  }

  /** Server names this instance can reach. */
  known(): string[] {
    return [...new Set([DEFAULT_SERVER, ...this.urls.keys()])];
  }

  /** The admin URL of `server` (a CREATEDB CREATEROLE role), on its maintenance database. */
  adminUrl(server: string): string {
    const url = this.urls.get(server) ?? (server === DEFAULT_SERVER ? this.config.databaseUrl : undefined);
    if (!url) throw new UnknownTenantServerError(`Tenant server "${server}" is not configured on this instance (TENANT_SERVERS)`);
    return url;
  }

  /** As the admin role, on one database of `server` (migrations, copies, checks). */
  databaseAdminUrl(server: string, databaseName: string): string {
    return withDatabase(this.adminUrl(server), databaseName);
  }

  /** What a tenant pool connects with: the tenant's own role, on its database, on its server. */
  tenantUrl(server: string, databaseName: string, organizationId: string): string {
    if (server === DEFAULT_SERVER && !this.urls.has(DEFAULT_SERVER)) return this.roles.connectionUrl(databaseName, organizationId);
    return withCredentials(this.databaseAdminUrl(server, databaseName), this.roles.roleFor(organizationId), this.roles.passwordFor(organizationId));
  }

  /** Runs statements on `server` as its admin role (the control DataSource for the default server). */
  sql(server: string): Sql {
    if (server === DEFAULT_SERVER && !this.urls.has(DEFAULT_SERVER)) return (statement, parameters) => this.control.query(statement, parameters);
    let pool = this.adminPools.get(server);
    if (!pool) {
      pool = new pg.Pool({ connectionString: this.adminUrl(server), max: 2, application_name: 'rsm:servers', idleTimeoutMillis: 30_000 });
      pool.on('error', (err) => this.logger.warn({ server, err: String(err) }, 'Idle admin connection to a tenant server failed'));
      this.adminPools.set(server, pool);
    }
    const p = pool;
    return async (statement, parameters) => (await p.query(statement, parameters as unknown[])).rows;
  }

  /**
   * Where a new tenant goes: `preferred` when given (it must be active and have room), otherwise
   * the active server this instance can reach with the most room left. Capacity is a soft limit:
   * two sign-ups at the same moment may both take the last place.
   */
  async place(preferred?: string): Promise<string> {
    await this.recordConfigured();
    const rows = (await this.control.query(
      `SELECT s.name, s.status, s.capacity - count(d.organization_id)::int AS room
         FROM tenant_servers s LEFT JOIN tenant_databases d ON d.server = s.name AND d.status <> 'archived'
        WHERE s.name = ANY($1)
        GROUP BY s.name
        ORDER BY room DESC, s.name`,
      [preferred ? [preferred] : this.known()],
    )) as Array<{ name: string; status: TenantServer['status']; room: number }>;
    const choice = rows.find((r) => r.status === 'active' && r.room > 0);
    if (!choice && preferred) throw new UnknownTenantServerError(`Tenant server "${preferred}" is unknown, not active or full`);
    if (!choice) {
      this.logger.error({ servers: rows }, 'No active tenant server has room for another tenant (tenant_servers capacity)');
      throw new ProblemException(503, 'no-tenant-capacity', 'New studios cannot be created right now; retry later.');
    }
    return choice.name;
  }

  /** The server's status and capacity as the control database has them. */
  async find(server: string): Promise<TenantServer | null> {
    await this.recordConfigured();
    return this.control.getRepository(TenantServer).findOneBy({ name: server });
  }

  /**
   * Makes `server` ready to hold tenants: the group role and a template at the latest tenant schema.
   * The default server's template is the migrator's (start-up); others are prepared here, once per
   * process, under an advisory lock on that server so that instances do it one at a time.
   */
  prepare(server: string): Promise<void> {
    if (server === DEFAULT_SERVER && !this.urls.has(DEFAULT_SERVER)) return Promise.resolve();
    let ready = this.prepared.get(server);
    if (!ready) {
      ready = this.prepareServer(server);
      ready.catch(() => this.prepared.delete(server)); // a failure is retried by the next caller
      this.prepared.set(server, ready);
    }
    return ready;
  }

  private async prepareServer(server: string): Promise<void> {
    const admin = new pg.Client({ connectionString: this.adminUrl(server), application_name: 'rsm:servers' });
    await admin.connect();
    try {
      // A session lock on this dedicated connection (not a transaction: what it creates must be
      // visible to the migration's own connection); ending the connection releases it.
      await admin.query(`SET statement_timeout = 0`);
      await admin.query(`SELECT pg_advisory_lock(hashtext('rsm:prepare-server'))`);
      const sql: Sql = async (statement, parameters) => (await admin.query(statement, parameters as unknown[])).rows;
      await this.roles.ensureGroup(sql);
      const template = this.config.tenancy.templateDatabase;
      const templateUrl = this.databaseAdminUrl(server, template);
      if (await ensureDatabaseExists(templateUrl)) this.logger.log({ server }, `Created tenant template ${template}`);
      await this.roles.closeToPublic(sql, template);
      const ds = new DataSource({
        type: 'postgres',
        url: templateUrl,
        entities: TENANT_ENTITIES,
        migrations: TENANT_MIGRATIONS,
        uuidExtension: 'pgcrypto',
        installExtensions: false,
        applicationName: 'rsm:servers',
        poolSize: 1,
        logging: false,
      });
      await ds.initialize();
      try {
        await ds.runMigrations({ transaction: 'all' });
        await this.roles.grantSchemaAccess((statement, parameters) => ds.query(statement, parameters));
      } finally {
        await ds.destroy();
      }
    } finally {
      await admin.end();
    }
  }
}
