import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { quoteIdent } from '../database/postgres-url.js';
import { quoteLiteral } from '../database/secrets.js';
import { TenantRoles } from './tenant-roles.js';

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
  ) {}

  /** The same name as the tenant's role (TenantRoles.roleFor). */
  databaseNameFor(organizationId: string): string {
    return this.roles.roleFor(organizationId);
  }

  /**
   * `CREATE DATABASE … TEMPLATE` (PostgreSQL's default WAL_LOG strategy: ~20 ms measured for a small
   * schema), then stamps the database with its owner's id, which every pool checks before use, and
   * gives it its own login role, the only one besides the owner that may connect.
   */
  async createDatabase(databaseName: string, organizationId: string): Promise<void> {
    await this.copyTemplate(databaseName);
    await this.stampOwner(databaseName, organizationId);
    await this.roles.ensureTenantRole((sql, params) => this.control.query(sql, params), databaseName, organizationId);
  }

  async stampOwner(databaseName: string, organizationId: string): Promise<void> {
    await this.control.query(`COMMENT ON DATABASE ${quoteIdent(databaseName)} IS ${quoteLiteral(tenantStamp(organizationId))}`);
  }

  private async copyTemplate(databaseName: string): Promise<void> {
    const sql = `CREATE DATABASE ${quoteIdent(databaseName)} TEMPLATE ${quoteIdent(this.config.tenancy.templateDatabase)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.control.query(sql);
        return;
      } catch (err) {
        // 55006: someone is briefly connected to the template (another instance checking it); retry.
        if (pgErrorCode(err) !== '55006' || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /** Drops a tenant database, disconnecting anyone still on it, then its role. Used to undo a failed sign-up. */
  async dropDatabase(databaseName: string): Promise<void> {
    try {
      await this.control.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName)} WITH (FORCE)`);
      await this.roles.dropTenantRole((sql) => this.control.query(sql), databaseName);
    } catch (err) {
      this.logger.error({ databaseName, err: String(err) }, 'Could not drop tenant database');
      throw err;
    }
  }
}
