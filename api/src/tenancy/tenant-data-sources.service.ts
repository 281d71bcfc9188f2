import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DataSource, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isDatabaseUnavailable, isPoolExhausted, pgErrorCode } from '../common/pg-errors.js';
import { METRICS_REGISTRY } from '../metrics/metrics.registry.js';
import type { TenantDatabase } from '../control/tenant-database.entity.js';
import { closeTenantPool } from './pool-sockets.js';
import { TenantUnavailableError } from './tenancy.errors.js';
import { isConnectRevoked, isSchemaAhead, openVerifiedPool } from './tenant-pool-verification.js';
import { TenantRegistry } from './tenant-registry.service.js';
import { TenantRoles } from './tenant-roles.js';
import { TenantServers } from './tenant-servers.service.js';

/**
 * One tenant's pool on one server. `leases` counts the operations using it right now; it is never
 * closed while > 0. Keyed by tenant and server (issue 8): once this process learns that a tenant
 * moved, its requests look up the new server's pool and can no longer reach the old one.
 */
interface PoolEntry {
  readonly key: string;
  readonly tenantId: string;
  readonly server: string;
  /** The registry's schema version when the pool was verified. */
  schemaVersion?: string;
  readonly ready: Promise<DataSource>;
  dataSource?: DataSource;
  leases: number;
  retired: boolean;
  evicted?: boolean;
}

export interface TenantPoolStats {
  open: number;
  peak: number;
  retiring: number;
  capacity: number;
  leases: number;
  /** Requests waiting for a pool slot. */
  waiting: number;
  /** The pools those requests wait for (several requests for one studio wait for one pool): how many evictions may be in flight. */
  poolsWaitedFor: number;
}

/**
 * Owns every tenant database pool of this process.
 *
 * - One TypeORM DataSource per tenant, created on first use. Creation is single-flight (concurrent
 *   first requests share one promise) and a failed creation is forgotten, so the next request retries.
 * - At most `DB_CONNECTION_BUDGET / TENANT_POOL_SIZE` pools exist at once (retiring ones included, since
 *   they still hold connections). When full, the least recently used pool with no lease is closed; when
 *   every pool is leased, the caller waits up to TENANT_ACQUIRE_TIMEOUT_MS and then gets a 503.
 * - A new pool proves it reached the registered database (`current_database()`) at the schema version
 *   this code serves before it is used; otherwise the tenant gets a 503, never another tenant's data.
 * - A pool whose database vanished or restarted (3D000, 57P01, ...) is retired and rebuilt on next use.
 *
 * Map insertion order is the LRU order: each use re-inserts the entry at the end.
 */
@Injectable()
export class TenantDataSources implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantDataSources.name);
  private readonly entries = new Map<string, PoolEntry>();
  /** The server each tenant with a pool is on, as the registry said when it was opened or last watched. */
  private readonly routes = new Map<string, string>();
  /** Registry reads in flight for tenants without a route: concurrent cold requests share one. */
  private readonly resolving = new Map<string, Promise<TenantDatabase>>();
  private readonly retiring = new Set<PoolEntry>();
  private readonly waiters = new Set<() => void>();
  /**
   * Waiting requests per pool key (tenant@server) they need opened. Room is made per pool, not per
   * request: a burst for one cold studio needs one slot, since its requests share the pool it opens.
   */
  private readonly waitingFor = new Map<string, number>();
  private readonly capacity: number;
  /** Idle pools retired to make room and not closed yet. */
  private evicting = 0;
  /** Most pools (open + retiring) ever held at once: must never pass `capacity`. */
  private peakPools = 0;
  private shuttingDown = false;

  private readonly evictions: Counter;
  private readonly coldStarts: Counter;
  private readonly leaseWait: Histogram;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: TenantRegistry,
    private readonly roles: TenantRoles,
    private readonly servers: TenantServers,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.capacity = Math.max(1, Math.floor(config.tenancy.connectionBudget / config.tenancy.poolSize));
    const self = this;
    new Gauge({
      name: 'rsm_tenant_pools_open',
      help: 'Tenant pools open (including ones retiring)',
      registers: [metrics],
      collect() {
        this.set(self.entries.size + self.retiring.size);
      },
    });
    new Gauge({
      name: 'rsm_tenant_connections_in_use',
      help: 'Tenant database connections checked out of their pools',
      registers: [metrics],
      collect() {
        this.set(self.pools().reduce((n, p) => n + (p.totalCount - p.idleCount), 0));
      },
    });
    new Gauge({
      name: 'rsm_tenant_connections_waiting',
      help: 'Requests waiting for a tenant pool slot or a connection',
      registers: [metrics],
      collect() {
        this.set(self.waiters.size + self.pools().reduce((n, p) => n + p.waitingCount, 0));
      },
    });
    this.evictions = new Counter({ name: 'rsm_tenant_pool_evictions_total', help: 'Idle tenant pools closed to stay within budget', registers: [metrics] });
    this.coldStarts = new Counter({ name: 'rsm_tenant_pool_cold_starts_total', help: 'Tenant pools created', registers: [metrics] });
    this.leaseWait = new Histogram({
      name: 'rsm_tenant_lease_wait_seconds',
      help: 'Time to obtain a lease on a tenant pool (includes creating it)',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [metrics],
    });
  }

  /**
   * Runs `fn` with the tenant's DataSource, holding a lease for its whole duration.
   * A database-unavailable failure retires the pool and becomes a 503 for this tenant only.
   */
  async withTenant<T>(tenantId: string, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const { entry, dataSource } = await this.lease(tenantId);
    try {
      return await fn(dataSource);
    } catch (err) {
      if (isPoolExhausted(err)) throw new TenantUnavailableError('busy', tenantId, err);
      // default_transaction_read_only, set on the database while it moves to another server (TenantMover).
      if (pgErrorCode(err) === '25006') throw new TenantUnavailableError('read-only', tenantId, err);
      // The second: its connection was ended while idle inside a transaction (TypeORM then releases the
      // query runner, and the next statement reports that instead of the connection's fate).
      if (isDatabaseUnavailable(err) || err instanceof QueryRunnerAlreadyReleasedError) {
        this.retire(entry, err);
        throw new TenantUnavailableError('unreachable', tenantId, err);
      }
      if (isConnectRevoked(err)) {
        // A new connection of an open pool was refused CONNECT: the database was fenced after a move
        // (TenantMover). Retire the pool; the next request follows the registry.
        this.retire(entry);
        throw new TenantUnavailableError('moving', tenantId, err);
      }
      throw err;
    } finally {
      this.release(entry);
    }
  }

  /** Issue 8: the open pools and what the registry said when each was verified (TenantRegistryWatch). */
  openPools(): Array<{ tenantId: string; server: string; schemaVersion: string | undefined }> {
    return [...this.entries.values()].filter((e) => e.dataSource).map((e) => ({ tenantId: e.tenantId, server: e.server, schemaVersion: e.schemaVersion }));
  }

  /**
   * Issue 8: closes this tenant's pools (each once its leases end) and forgets its route, so the next
   * request reads the registry again and verifies a new pool: after a move, or when the registry's
   * schema version or status changed under an open pool.
   */
  retireTenant(tenantId: string, reason: string): void {
    this.routes.delete(tenantId);
    for (const entry of [...this.entries.values()]) {
      if (entry.tenantId !== tenantId) continue;
      this.logger.log({ tenantId, server: entry.server, reason }, 'Retiring tenant pool: the registry changed');
      this.retire(entry);
    }
  }

  stats(): TenantPoolStats {
    const { entries, retiring, waiters, waitingFor } = this;
    let leases = 0;
    for (const e of entries.values()) leases += e.leases;
    for (const e of retiring) leases += e.leases;
    return { open: entries.size, peak: this.peakPools, retiring: retiring.size, capacity: this.capacity, leases, waiting: waiters.size, poolsWaitedFor: waitingFor.size };
  }

  /** Closes every pool (tests, shutdown). Leased pools close when their lease ends, waiting at most `maxWaitMs`. */
  async closeAll(maxWaitMs = 10_000): Promise<void> {
    for (const entry of [...this.entries.values()]) this.retire(entry);
    const deadline = Date.now() + maxWaitMs;
    while (this.retiring.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.wakeAll();
    await this.closeAll();
  }

  private async lease(tenantId: string): Promise<{ entry: PoolEntry; dataSource: DataSource }> {
    const end = this.leaseWait.startTimer();
    const deadline = Date.now() + this.config.tenancy.acquireTimeoutMs;
    for (;;) {
      if (this.shuttingDown) throw new TenantUnavailableError('busy', tenantId);
      let server = this.routes.get(tenantId);
      let registered: TenantDatabase | undefined;
      if (server === undefined) {
        registered = await this.resolve(tenantId);
        server = registered.server;
      }
      const key = `${tenantId}@${server}`;
      const entry = this.entries.get(key) ?? (this.hasRoom() ? this.create(tenantId, server, registered) : undefined);
      if (entry) {
        entry.leases++;
        this.entries.delete(key); // move to the most-recently-used end
        this.entries.set(key, entry);
        try {
          const dataSource = await entry.ready;
          end();
          return { entry, dataSource };
        } catch (err) {
          this.release(entry);
          throw err;
        }
      }
      // Full: close the least recently used idle pool, and open ours only once it is gone, so that
      // PostgreSQL never sees more than the budget. Otherwise wait for a lease to end. One eviction
      // in flight per pool waited for is enough: the other requests for it share the pool that the
      // freed slot opens, so evicting per request would close pools nobody needs closed (issue 14).
      const poolsWaitedFor = this.waitingFor.size + (this.waitingFor.has(key) ? 0 : 1);
      if (this.evicting < poolsWaitedFor) this.evictOne();
      await this.waitForRoom(deadline, tenantId, key);
    }
  }

  private release(entry: PoolEntry): void {
    entry.leases--;
    if (entry.leases === 0 && entry.retired) void this.destroy(entry);
    if (entry.leases === 0) this.wakeAll();
  }

  private hasRoom(): boolean {
    return this.entries.size + this.retiring.size < this.capacity;
  }

  /** Retires the least recently used pool that nobody holds. Pending creations are leased, so never picked. */
  private evictOne(): boolean {
    for (const entry of this.entries.values()) {
      if (entry.leases === 0) {
        this.evictions.inc();
        this.evicting++;
        entry.evicted = true;
        this.retire(entry);
        return true;
      }
    }
    return false;
  }

  private retire(entry: PoolEntry, cause?: unknown): void {
    if (entry.retired) return;
    entry.retired = true;
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    if (this.routes.get(entry.tenantId) === entry.server) this.routes.delete(entry.tenantId);
    this.retiring.add(entry);
    if (cause) this.logger.warn({ tenantId: entry.tenantId, code: pgErrorCode(cause), err: String(cause) }, 'Retiring tenant pool: database unavailable');
    if (entry.leases === 0) void this.destroy(entry);
  }

  private async destroy(entry: PoolEntry): Promise<void> {
    if (!this.retiring.has(entry)) return;
    try {
      const ds = entry.dataSource ?? (await entry.ready.catch(() => undefined));
      // Only once PostgreSQL has seen every connection go is the slot free again (pool-sockets.ts).
      const stillOpen = ds ? await closeTenantPool(ds) : 0;
      if (stillOpen) this.logger.warn({ tenantId: entry.tenantId, stillOpen }, 'Tenant pool connections still open after closing');
    } catch (err) {
      this.logger.warn({ tenantId: entry.tenantId, err: String(err) }, 'Error closing tenant pool');
    } finally {
      this.retiring.delete(entry);
      if (entry.evicted) this.evicting--;
      this.wakeAll();
    }
  }

  private create(tenantId: string, server: string, registered?: TenantDatabase): PoolEntry {
    this.coldStarts.inc();
    const key = `${tenantId}@${server}`;
    const entry: PoolEntry = { key, tenantId, server, leases: 0, retired: false, ready: undefined as never };
    (entry as { ready: Promise<DataSource> }).ready = this.open(entry, registered).then(
      (ds) => {
        entry.dataSource = ds;
        return ds;
      },
      (err) => {
        // Forget the failure so the next request tries again; free the slot it reserved.
        if (this.entries.get(key) === entry) this.entries.delete(key);
        if (this.routes.get(tenantId) === server) this.routes.delete(tenantId);
        entry.retired = true;
        this.wakeAll();
        throw err;
      },
    );
    this.entries.set(key, entry);
    // Routed at once, so that requests arriving while it opens share it (single-flight) instead of reading the registry again.
    this.routes.set(tenantId, server);
    this.peakPools = Math.max(this.peakPools, this.entries.size + this.retiring.size);
    return entry;
  }

  private resolve(tenantId: string): Promise<TenantDatabase> {
    let pending = this.resolving.get(tenantId);
    if (!pending) {
      pending = this.findRegistered(tenantId).finally(() => this.resolving.delete(tenantId));
      this.resolving.set(tenantId, pending);
    }
    return pending;
  }

  /** The tenant's registry row, when it may be served; otherwise the 503 that says why not. */
  private async findRegistered(tenantId: string): Promise<TenantDatabase> {
    let registered;
    try {
      registered = await this.registry.find(tenantId);
    } catch (err) {
      throw new TenantUnavailableError('unreachable', tenantId, err); // the control database hiccuped
    }
    if (!registered || registered.status !== 'ready') throw new TenantUnavailableError('not-ready', tenantId);
    // Another instance migrated this tenant past what this code knows (a rolling deploy): running our
    // SQL on it could fail or, worse, write what the new schema no longer means. Refuse until replaced.
    if (isSchemaAhead(registered.schemaVersion)) throw new TenantUnavailableError('schema-ahead', tenantId);
    return registered;
  }

  private async open(entry: PoolEntry, known?: TenantDatabase): Promise<DataSource> {
    const { tenantId } = entry;
    // Read again unless just read for this very pool: the route may be older than a move.
    const registered = known ?? (await this.findRegistered(tenantId));
    if (registered.server !== entry.server) {
      // Moved since this process last looked: the next request follows the registry to the new server.
      throw new TenantUnavailableError('moving', tenantId);
    }
    let url: string;
    try {
      // The tenant's own role, on its server, which may connect to its own database only (never the admin role).
      url = this.servers.tenantUrl(registered.server, registered.databaseName, tenantId);
    } catch (err) {
      this.logger.error({ tenantId, server: registered.server, err: String(err) }, 'Tenant registered on a server this instance cannot reach');
      throw new TenantUnavailableError('not-ready', tenantId, err);
    }
    entry.schemaVersion = registered.schemaVersion;
    return openVerifiedPool({
      tenancy: this.config.tenancy,
      url,
      tenantId,
      databaseName: registered.databaseName,
      role: this.roles.roleFor(tenantId),
      logger: this.logger,
      // An idle client's error (database dropped or restarted) must not crash the process; it retires the pool.
      onPoolError: (err) => this.retire(entry, err),
    });
  }

  private waitForRoom(deadline: number, tenantId: string, key: string): Promise<void> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.reject(new TenantUnavailableError('busy', tenantId));
    return new Promise<void>((resolve, reject) => {
      const stopWaiting = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        const left = (this.waitingFor.get(key) ?? 1) - 1;
        if (left > 0) this.waitingFor.set(key, left);
        else this.waitingFor.delete(key);
      };
      const wake = () => {
        stopWaiting();
        resolve();
      };
      const timer = setTimeout(() => {
        stopWaiting();
        reject(new TenantUnavailableError('busy', tenantId));
      }, remaining);
      this.waiters.add(wake);
      this.waitingFor.set(key, (this.waitingFor.get(key) ?? 0) + 1);
    });
  }

  /** Wakes every waiter; each re-checks (its tenant may now be open, or a pool may be evictable). */
  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private pools(): Pool[] {
    const out: Pool[] = [];
    for (const e of [...this.entries.values(), ...this.retiring]) {
      const master = (e.dataSource?.driver as { master?: Pool } | undefined)?.master;
      if (master) out.push(master);
    }
    return out;
  }
}
