import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TENANT_DATABASE_STATUSES } from '../control/tenant-database.entity.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../tenant-schema/tenant-migrations.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

/** What happened to one tenant database in a migration run (`rsm migrate`, start-up, `--to`). */
export const TENANT_MIGRATION_OUTCOMES = ['migrated', 'failed', 'rolled_back'] as const;
export type TenantMigrationOutcome = (typeof TENANT_MIGRATION_OUTCOMES)[number];

/** Where a tenant's schema stands against the newest migration this build knows. */
const SCHEMA_RELATIONS = ['behind', 'current', 'ahead'] as const;

/**
 * Tenant migration metrics (issue 8), two views:
 * - `record()`: the migrator reports each tenant it migrated, in the process that ran it (start-up
 *   migration in the API; a CLI run has no scraper, so it is the registry view that shows its result);
 * - `rsm_tenant_databases`: the registry itself (`tenant_databases`), counted at scrape time by
 *   status and schema position: `failed` or `behind` tenants are visible whoever migrated them.
 */
@Injectable()
export class TenantMigrationMetrics {
  private readonly outcomes: Counter<'outcome'>;
  private readonly duration: Histogram;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {
    this.outcomes = new Counter({
      name: 'rsm_tenant_migrations_total',
      help: 'Tenant databases migrated by this process, by outcome (migrated, failed, rolled_back)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of TENANT_MIGRATION_OUTCOMES) this.outcomes.inc({ outcome }, 0);
    this.duration = new Histogram({
      name: 'rsm_tenant_migration_duration_seconds',
      help: 'Time to migrate (or roll back) one tenant database',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    const self = this;
    new Gauge({
      name: 'rsm_tenant_databases',
      help: `Tenant databases in the registry by status and schema against this build's newest migration (${LATEST_TENANT_SCHEMA_VERSION})`,
      labelNames: ['status', 'schema'],
      registers: [registry],
      async collect() {
        const rows = await self.registryCounts();
        this.reset();
        if (!rows) return; // control database unreachable: no series rather than a failed scrape
        for (const status of TENANT_DATABASE_STATUSES) for (const schema of SCHEMA_RELATIONS) this.set({ status, schema }, 0);
        for (const row of rows) this.set({ status: row.status, schema: row.schema }, row.count);
      },
    });
  }

  /** Call once per tenant database a migration run touched; `seconds`: how long it took. */
  record(outcome: TenantMigrationOutcome, seconds?: number): void {
    this.outcomes.inc({ outcome });
    if (seconds !== undefined) this.duration.observe(seconds);
  }

  /** One GROUP BY over the registry (one row per studio: small), at each scrape. */
  private async registryCounts(): Promise<Array<{ status: string; schema: string; count: number }> | undefined> {
    if (!this.control.isInitialized) return undefined;
    try {
      return await this.control.query(
        `SELECT status::text AS status,
                CASE WHEN schema_version < $1 THEN 'behind' WHEN schema_version > $1 THEN 'ahead' ELSE 'current' END AS schema,
                count(*)::int AS count
           FROM tenant_databases GROUP BY 1, 2`,
        [LATEST_TENANT_SCHEMA_VERSION],
      );
    } catch {
      return undefined;
    }
  }
}
