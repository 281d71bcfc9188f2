import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { isDatabaseUnavailable } from '../common/pg-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DependencyHealth } from '../metrics/dependency-health.js';
import { TenantDataSources } from './tenant-data-sources.service.js';
import { TenantRegistry } from './tenant-registry.service.js';

/** The channel on the control database that says "this tenant's registry row changed" (payload: its id). */
export const TENANT_REGISTRY_CHANNEL = 'rsm_tenant_registry';

/** Tells every instance (after the caller's transaction commits, if it runs in one) to re-check a tenant. */
export async function notifyTenantChanged(query: (sql: string, params: unknown[]) => Promise<unknown>, organizationId: string): Promise<void> {
  await query(`SELECT pg_notify($1, $2)`, [TENANT_REGISTRY_CHANNEL, organizationId]);
}

/**
 * Issue 8, ops-servers: keeps this instance's open tenant pools true to the registry. A pool is
 * verified once, when it opens (database, owner stamp, role, schema version); afterwards another
 * instance may migrate the tenant past this release, move it to another server, or archive it. Every
 * TENANT_REGISTRY_WATCH_MS, one query compares the open pools with their registry rows, and a
 * NOTIFY on `rsm_tenant_registry` (sent by TenantMover, and by anyone else who changes a row) makes
 * it check at once. A pool whose row changed is retired; the next request verifies a new one, and gets
 * a 503 (schema-ahead, not-ready) rather than stale SQL when the tenant can no longer be served.
 *
 * The interval is the guarantee (a lost LISTEN connection only delays it); NOTIFY makes it prompt.
 */
@Injectable()
export class TenantRegistryWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TenantRegistryWatch.name);
  private timer?: NodeJS.Timeout;
  private listener?: pg.Client;
  private stopped = false;
  private checking?: Promise<number>;
  /** The last check failed: the next failures are not warned again (see checkNow). */
  private failing = false;
  /** The last LISTEN attempt failed: likewise. */
  private listenFailing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: TenantRegistry,
    private readonly dataSources: TenantDataSources,
    private readonly health: DependencyHealth,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.tenantServers.registryWatchMs;
    if (!every) return;
    this.timer = setInterval(() => void this.checkNow().catch(() => undefined), every);
    this.timer.unref();
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
  }

  /**
   * Compares every open pool (or those of `tenantIds`) with its registry row; retires the ones whose
   * server, status or schema version changed. Returns how many tenants it retired.
   */
  checkNow(tenantIds?: string[]): Promise<number> {
    // One check at a time; a call during a check waits for it and then runs its own (fresh rows).
    const run = (this.checking ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => this.check(tenantIds))
      .then(
        (retired) => {
          if (this.failing) this.logger.log('Tenant registry checks work again');
          this.failing = false;
          return retired;
        },
        (err: unknown) => {
          // The control database unreachable is its outage, logged once by DependencyHealth (with the
          // requests' own); another failure is warned once, and the checks failing after it, every few
          // seconds until it clears, are debug lines.
          const controlOutage = isDatabaseUnavailable(err);
          if (controlOutage) this.health.backgroundFailed({ source: 'tenant registry check', err: String(err) });
          if (this.failing || controlOutage) this.logger.debug({ err: String(err) }, 'Tenant registry check failed');
          else this.logger.warn({ err: String(err) }, 'Tenant registry check failed');
          this.failing = true;
          throw err;
        },
      );
    this.checking = run;
    return run;
  }

  private async check(tenantIds?: string[]): Promise<number> {
    const open = this.dataSources.openPools().filter((p) => !tenantIds || tenantIds.includes(p.tenantId));
    if (!open.length) return 0;
    const rows = new Map((await this.registry.findMany([...new Set(open.map((p) => p.tenantId))])).map((r) => [r.organizationId, r]));
    this.health.succeeded('control'); // it answered: ends an outage that background work or requests met
    const retired = new Set<string>();
    for (const pool of open) {
      const row = rows.get(pool.tenantId);
      const reason = !row
        ? 'no registry row'
        : row.status !== 'ready'
          ? `status ${row.status}`
          : row.server !== pool.server
            ? `moved to ${row.server}`
            : row.schemaVersion !== pool.schemaVersion
              ? `schema version ${row.schemaVersion}`
              : undefined;
      if (reason && !retired.has(pool.tenantId)) {
        this.dataSources.retireTenant(pool.tenantId, reason);
        retired.add(pool.tenantId);
      }
    }
    return retired.size;
  }

  /** LISTEN on its own connection; reconnects after a loss (the interval covers the gap). */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'rsm:registry-watch' });
    const retry = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen(), 5_000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message) => {
      if (message.channel !== TENANT_REGISTRY_CHANNEL || !message.payload) return;
      void this.checkNow([message.payload]).catch(() => undefined); // logged by checkNow
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${TENANT_REGISTRY_CHANNEL}`);
      if (this.listenFailing) this.logger.log('Listening for tenant registry changes again');
      this.listenFailing = false;
    } catch (err) {
      if (this.listenFailing) this.logger.debug({ err: String(err) }, 'Could not LISTEN for tenant registry changes again');
      else this.logger.warn({ err: String(err) }, 'Could not LISTEN for tenant registry changes; relying on the interval');
      this.listenFailing = true;
      retry();
    }
  }
}
