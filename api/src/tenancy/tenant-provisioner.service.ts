import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { quoteIdent } from '../database/postgres-url.js';
import { quoteLiteral } from '../database/secrets.js';
import { TenantRoles } from './tenant-roles.js';
import { DEFAULT_SERVER, TenantServers } from './tenant-servers.service.js';

/** The comment a tenant database carries: whose data it holds. */
export const tenantStamp = (organizationId: string) => `rsm:tenant:${organizationId}`;

/** Creates and drops tenant databases (and their login roles). A new one is a copy of the migrated template. */
@Injectable()
export class TenantProvisioner {
  private readonly logger = new Logger(TenantProvisioner.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly roles: TenantRoles,
    private readonly servers: TenantServers,
  ) {}

  /** Issue 8, ops-servers: the server a new tenant's database goes on (see TenantServers.place). */
  placeTenant(preferred?: string): Promise<string> {
    return this.servers.place(preferred);
  }

  /** The same name as the tenant's role (TenantRoles.roleFor). */
  databaseNameFor(organizationId: string): string {
    return this.roles.roleFor(organizationId);
  }

  /**
   * `CREATE DATABASE … TEMPLATE` (PostgreSQL's default WAL_LOG strategy: ~20 ms measured for a small
   * schema), then stamps the database with its owner's id, which every pool checks before use, and
   * gives it its own login role, the only one besides the owner that may connect.
   */
  async createDatabase(databaseName: string, organizationId: string, server = DEFAULT_SERVER): Promise<void> {
    await this.servers.prepare(server);
    const sql = this.servers.sql(server);
    await this.copyTemplate(databaseName, server);
    await this.stampOwner(databaseName, organizationId, server);
    await this.roles.ensureTenantRole(sql, databaseName, organizationId);
  }

  async stampOwner(databaseName: string, organizationId: string, server = DEFAULT_SERVER): Promise<void> {
    await this.servers.sql(server)(`COMMENT ON DATABASE ${quoteIdent(databaseName)} IS ${quoteLiteral(tenantStamp(organizationId))}`);
  }

  private async copyTemplate(databaseName: string, server: string): Promise<void> {
    const sql = `CREATE DATABASE ${quoteIdent(databaseName)} TEMPLATE ${quoteIdent(this.config.tenancy.templateDatabase)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.servers.sql(server)(sql);
        return;
      } catch (err) {
        // 55006: someone is briefly connected to the template (another instance checking it); retry.
        if (pgErrorCode(err) !== '55006' || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /**
   * Drops a tenant database, disconnecting anyone still on it, then its role. Used to undo a failed
   * sign-up and to remove an unverified studio. Without `server`, the registry's row for the
   * database says where it is (the default server when there is none).
   */
  async dropDatabase(databaseName: string, server?: string): Promise<void> {
    try {
      const [row] = server
        ? [{ server }]
        : ((await this.control.query(`SELECT server FROM tenant_databases WHERE database_name = $1`, [databaseName])) as Array<{ server: string }>);
      const sql = this.servers.sql(row?.server ?? DEFAULT_SERVER);
      await sql(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName)} WITH (FORCE)`);
      await this.roles.dropTenantRole(sql, databaseName);
    } catch (err) {
      this.logger.error({ databaseName, server, err: String(err) }, 'Could not drop tenant database');
      throw err;
    }
  }
}
