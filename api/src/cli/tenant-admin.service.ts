import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantDatabase } from '../control/tenant-database.entity.js';
import { TenantUnavailableError } from '../tenancy/tenancy.errors.js';
import { TenantDataSources } from '../tenancy/tenant-data-sources.service.js';
import { TenantMigrator } from '../tenancy/tenant-migrator.service.js';
import { TenantProvisioner } from '../tenancy/tenant-provisioner.service.js';
import { notifyTenantChanged } from '../tenancy/tenant-registry-watch.service.js';
import { CliError, EXIT } from './exit-codes.js';

export interface TenantRow {
  organizationId: string;
  name: string | null;
  databaseName: string;
  server: string;
  status: string;
  schemaVersion: string;
  migrationStatus: string | null;
  migrationError: string | null;
  migratedAt: Date | null;
  createdAt: Date;
}

export interface TenantCheck {
  organizationId: string;
  databaseName: string;
  status: string;
  /** 'ok', or what is wrong: the API's own refusal reason (wrong-database, schema-mismatch, ...) or 'registry-stale'. */
  result: string;
  registryVersion: string;
  databaseVersion: string | null;
  detail?: string;
}

export interface OrphanDatabase {
  databaseName: string;
  stamp: string | null;
  /** When a sweep first saw it without a registry row (null: never seen before this dry run). */
  firstSeenAt: Date | null;
  dropped: boolean;
  /** Why it was kept: within the grace period, or a dry run. */
  kept?: string;
}

/** `rsm tenants …`: the registry seen from the operator's side, through the API's own tenancy services. */
@Injectable()
export class TenantAdmin {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly dataSources: TenantDataSources,
    private readonly migrator: TenantMigrator,
    private readonly provisioner: TenantProvisioner,
  ) {}

  async list(): Promise<TenantRow[]> {
    const rows = await this.control
      .getRepository(TenantDatabase)
      .createQueryBuilder('t')
      .leftJoin('t.organization', 'o')
      .addSelect('o.name', 'name')
      .orderBy('t.created_at', 'ASC')
      .addOrderBy('t.organization_id', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((t, i) => this.toRow(t, (rows.raw[i] as { name: string | null }).name));
  }

  async show(organizationId: string): Promise<TenantRow & { stamp: string | null; databaseExists: boolean }> {
    const row = (await this.list()).find((t) => t.organizationId === organizationId);
    if (!row) throw new CliError(EXIT.USAGE, `No tenant ${organizationId} in the registry`);
    return { ...row, stamp: await this.migrator.stampOf(row.databaseName, row.server), databaseExists: await this.migrator.databaseExists(row.databaseName, row.server) };
  }

  /**
   * Opens each ready tenant exactly as the API does (TenantDataSources: its own role, current_database()
   * against the registry, the owner stamp, the schema version the code serves), so "ok" means the API
   * would serve it. Also flags a registry version that disagrees with the database's.
   */
  async check(organizationIds?: string[], concurrency = 4): Promise<TenantCheck[]> {
    let tenants = await this.control.getRepository(TenantDatabase).find({ order: { createdAt: 'ASC', organizationId: 'ASC' } });
    if (organizationIds) tenants = tenants.filter((t) => organizationIds.includes(t.organizationId));
    const results = new Array<TenantCheck>(tenants.length);
    let next = 0;
    const worker = async () => {
      while (next < tenants.length) {
        const i = next++;
        results[i] = await this.checkOne(tenants[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, tenants.length) }, worker));
    return results;
  }

  private async checkOne(tenant: TenantDatabase): Promise<TenantCheck> {
    const base = { organizationId: tenant.organizationId, databaseName: tenant.databaseName, status: tenant.status, registryVersion: String(tenant.schemaVersion) };
    if (tenant.status === 'archived') return { ...base, result: 'archived', databaseVersion: null };
    try {
      const [row] = (await this.dataSources.withTenant(tenant.organizationId, (ds) => ds.query(`SELECT max("timestamp")::text AS version FROM "migrations"`))) as Array<{
        version: string;
      }>;
      const result = row.version === base.registryVersion ? 'ok' : 'registry-stale';
      return { ...base, result, databaseVersion: row.version };
    } catch (err) {
      const databaseVersion = await this.migrator.databaseVersionOf(tenant).catch(() => null);
      if (err instanceof TenantUnavailableError) {
        const cause = err.cause instanceof Error ? err.cause.message : undefined;
        return { ...base, result: err.reason, databaseVersion, detail: cause };
      }
      return { ...base, result: 'error', databaseVersion, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Archived tenants are refused (503) by every API instance that opens their pool from now on. */
  async archive(organizationId: string): Promise<TenantRow> {
    await this.flip(organizationId, 'ready', 'archived');
    return this.show(organizationId);
  }

  /** Brings the tenant to the latest schema first (it was skipped while archived), then serves it again. */
  async restore(organizationId: string): Promise<TenantRow> {
    const tenant = await this.control.getRepository(TenantDatabase).findOneBy({ organizationId });
    if (!tenant) throw new CliError(EXIT.USAGE, `No tenant ${organizationId} in the registry`);
    if (tenant.status !== 'archived') throw new CliError(EXIT.USAGE, `Tenant ${organizationId} is ${tenant.status}, not archived`);
    const result = await this.migrator.migrateTenant(tenant, this.migrator.latestVersion);
    if (result.outcome === 'failed') throw new CliError(EXIT.TENANTS_FAILED, `Could not migrate ${organizationId} before restoring it: ${result.error}`);
    await this.flip(organizationId, 'archived', 'ready');
    return this.show(organizationId);
  }

  private async flip(organizationId: string, from: 'ready' | 'archived', to: 'ready' | 'archived'): Promise<void> {
    const result = await this.control.getRepository(TenantDatabase).update({ organizationId, status: from }, { status: to });
    if (!result.affected) {
      const tenant = await this.control.getRepository(TenantDatabase).findOneBy({ organizationId });
      throw new CliError(EXIT.USAGE, tenant ? `Tenant ${organizationId} is ${tenant.status}, not ${from}` : `No tenant ${organizationId} in the registry`);
    }
    // Instances with a pool open for this studio retire it now (an archived studio is refused at once).
    await notifyTenantChanged((sql, parameters) => this.control.query(sql, parameters), organizationId);
  }

  /**
   * Databases named like a tenant's (prefix + 32 hex digits, so never the template or anything else)
   * that no registry row names: left by a sign-up that crashed between CREATE DATABASE and its
   * registry commit. PostgreSQL records no creation time that a non-superuser can read, so the
   * grace period runs from the first sweep that saw the database orphaned; a database that gained its
   * registry row since is forgotten. Dropped (with its role) once seen for longer than `olderThanMs`.
   */
  async sweep({ olderThanMs, dryRun }: { olderThanMs: number; dryRun: boolean }): Promise<OrphanDatabase[]> {
    const prefix = this.config.tenancy.databasePrefix;
    const orphans = (await this.control.query(
      `SELECT d.datname AS "databaseName", shobj_description(d.oid, 'pg_database') AS stamp, s.first_seen_at AS "firstSeenAt"
         FROM pg_database d
         LEFT JOIN orphan_database_sightings s ON s.database_name = d.datname
        WHERE left(d.datname, length($1)) = $1 AND substr(d.datname, length($1) + 1) ~ '^[0-9a-f]{32}$'
          AND NOT EXISTS (SELECT 1 FROM tenant_databases t WHERE t.database_name = d.datname)
        ORDER BY d.datname`,
      [prefix],
    )) as Array<Omit<OrphanDatabase, 'dropped'>>;
    if (!dryRun) {
      await this.control.query(
        `DELETE FROM orphan_database_sightings s WHERE NOT (s.database_name = ANY($1::text[]))`,
        [orphans.map((o) => o.databaseName)],
      );
      for (const orphan of orphans.filter((o) => !o.firstSeenAt)) {
        const [row] = (await this.control.query(
          `INSERT INTO orphan_database_sightings (database_name) VALUES ($1)
           ON CONFLICT (database_name) DO UPDATE SET database_name = EXCLUDED.database_name RETURNING first_seen_at AS "firstSeenAt"`,
          [orphan.databaseName],
        )) as Array<{ firstSeenAt: Date }>;
        orphan.firstSeenAt = row.firstSeenAt;
      }
    }
    const cutoff = Date.now() - olderThanMs;
    const out: OrphanDatabase[] = [];
    for (const orphan of orphans) {
      const old = orphan.firstSeenAt !== null && orphan.firstSeenAt.getTime() <= cutoff;
      if (!old) out.push({ ...orphan, dropped: false, kept: 'within the grace period' });
      else if (dryRun) out.push({ ...orphan, dropped: false, kept: 'dry run' });
      else {
        await this.provisioner.dropDatabase(orphan.databaseName);
        await this.control.query(`DELETE FROM orphan_database_sightings WHERE database_name = $1`, [orphan.databaseName]);
        out.push({ ...orphan, dropped: true });
      }
    }
    return out;
  }

  private toRow(t: TenantDatabase, name: string | null): TenantRow {
    return {
      organizationId: t.organizationId,
      name,
      databaseName: t.databaseName,
      server: t.server,
      status: t.status,
      schemaVersion: String(t.schemaVersion),
      migrationStatus: t.migrationStatus ?? null,
      migrationError: t.migrationError ?? null,
      migratedAt: t.migratedAt ?? null,
      createdAt: t.createdAt,
    };
  }
}
