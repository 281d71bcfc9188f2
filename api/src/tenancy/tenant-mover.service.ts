import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantMove } from '../control/tenant-move.entity.js';
import { quoteIdent } from '../database/postgres-url.js';
import { copyRows, copySequences, migrationHistory, setComparableOutput, type TableChecksum, tableChecksums, tablesInForeignKeyOrder } from './tenant-copy.js';
import { TenantDataSources } from './tenant-data-sources.service.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';
import { notifyTenantChanged } from './tenant-registry-watch.service.js';
import { TenantRegistry } from './tenant-registry.service.js';
import { TenantRoles } from './tenant-roles.js';
import { TenantServers } from './tenant-servers.service.js';

export class TenantMoveError extends Error {
  /** `refused`: the move was not started (nothing changed); otherwise it failed and was undone. */
  constructor(
    message: string,
    readonly refused = false,
  ) {
    super(message);
  }
}

export interface TenantMoveResult {
  moveId: string;
  organizationId: string;
  databaseName: string;
  /** The old copy's name on `from` until the sweep drops it. */
  retiredDatabase: string;
  from: string;
  to: string;
  tables: TableChecksum[];
  sequences: number;
  dropAfter: Date;
}

/**
 * Issue 8, ops-servers: moves a tenant database to another PostgreSQL server, losing nothing that was
 * acknowledged.
 *
 * 1. Read-only: `ALTER DATABASE … SET default_transaction_read_only = on` on the old copy, then its
 *    tenant sessions are ended. Every session from then on, on any instance, can read but a write
 *    fails with 25006, which TenantDataSources turns into a 503 `tenant-read-only` with Retry-After:
 *    one mechanism, in the database every instance writes through, needing no message to arrive.
 * 2. The new copy is made from the target server's template (same migrations, checked equal), and
 *    in one transaction per side every table is streamed with COPY, parents first, from one
 *    REPEATABLE READ snapshot taken after `LOCK … IN SHARE MODE` on every table: a write that slipped
 *    past step 1 waits for that lock and never commits (its session is ended in step 4). Sequences follow.
 * 3. Row counts and a checksum per table are compared on both sides; any difference abandons the move.
 * 4. The registry is flipped (with a NOTIFY on the registry channel), then the old copy is fenced: the
 *    tenant role loses CONNECT there and its sessions are ended. Instances that did not hear the
 *    NOTIFY find their old pool's connections gone and refused, and their next pool follows the
 *    registry; TenantRegistryWatch also retires pools whose server changed. Writes reopen on the new copy.
 * 5. The old copy is renamed out of the way and kept for TENANT_MOVE_GRACE_HOURS (recorded in
 *    `tenant_moves`), then dropped by the sweep.
 *
 * A failure before the flip drops the new copy and makes the old one writable again.
 */
@Injectable()
export class TenantMover implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TenantMover.name);
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly registry: TenantRegistry,
    private readonly servers: TenantServers,
    private readonly provisioner: TenantProvisioner,
    private readonly roles: TenantRoles,
    private readonly dataSources: TenantDataSources,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.tenantServers.registryWatchMs) return;
    const run = () => void this.sweepMovedCopies().catch((err) => this.logger.warn({ err: String(err) }, 'Sweep of moved tenant copies failed'));
    this.sweepTimer = setInterval(run, 15 * 60_000);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  async move(organizationId: string, to: string): Promise<TenantMoveResult> {
    const tenant = await this.registry.find(organizationId);
    if (!tenant || tenant.status !== 'ready') throw new TenantMoveError(`Tenant ${organizationId} is not a ready tenant`, true);
    const from = tenant.server;
    if (from === to) throw new TenantMoveError(`Tenant ${organizationId} is already on ${to}`, true);
    const target = await this.servers.find(to);
    if (!target || target.status !== 'active') throw new TenantMoveError(`Tenant server "${to}" is unknown or not active`, true);
    try {
      this.servers.adminUrl(to);
    } catch {
      throw new TenantMoveError(`Tenant server "${to}" is not configured on this instance (TENANT_SERVERS)`, true);
    }
    await this.servers.prepare(to);
    const db = tenant.databaseName;
    const role = this.roles.roleFor(organizationId);
    const [move] = (await this.control.query(
      `INSERT INTO tenant_moves (organization_id, database_name, from_server, to_server, status) VALUES ($1, $2, $3, $4, 'copying') RETURNING id`,
      [organizationId, db, from, to],
    )) as Array<{ id: string }>;
    this.logger.log({ tenantId: organizationId, from, to, moveId: move.id }, 'Moving tenant database');
    const fromSql = this.servers.sql(from);
    const toSql = this.servers.sql(to);
    let flipped = false;
    let source: pg.Client | undefined;
    let targetClient: pg.Client | undefined;
    try {
      // 1. Read-only everywhere: new sessions cannot write; old ones are ended.
      await fromSql(`ALTER DATABASE ${quoteIdent(db)} SET default_transaction_read_only = on`);
      await this.endWritableSessions(fromSql, db, role);
      this.dataSources.retireTenant(organizationId, 'moving');

      // 2. The new copy, from the target's template, then the rows in one snapshot.
      await toSql(`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`); // a crashed earlier attempt's leftover
      await this.provisioner.createDatabase(db, organizationId, to);
      source = await this.connect(this.servers.databaseAdminUrl(from, db));
      targetClient = await this.connect(this.servers.databaseAdminUrl(to, db));
      await source.query(`BEGIN ISOLATION LEVEL REPEATABLE READ, READ WRITE`); // READ WRITE: LOCK … SHARE is refused in read-only transactions
      await source.query(`SET LOCAL statement_timeout = 0`);
      const tables = await tablesInForeignKeyOrder(source);
      // Before the first query that takes the snapshot: no writer can commit from here on.
      if (tables.length) await source.query(`LOCK TABLE ${tables.map((t) => quoteIdent(t.table)).join(', ')} IN SHARE MODE`);
      const [sourceHistory, targetHistory] = [await migrationHistory(source), await migrationHistory(targetClient)];
      if (sourceHistory !== targetHistory) {
        throw new TenantMoveError(`Schema differs between the copies (${from}: ${sourceHistory.split(',').pop()}, ${to}: ${targetHistory.split(',').pop()}): migrate both first`);
      }
      await targetClient.query(`BEGIN`);
      await targetClient.query(`SET LOCAL statement_timeout = 0`);
      await copyRows(source, targetClient, tables);
      const sequences = await copySequences(source, targetClient);
      await targetClient.query(`COMMIT`);

      // 3. Same rows on both sides.
      await setComparableOutput(source);
      await setComparableOutput(targetClient);
      const before = await tableChecksums(source, tables);
      const after = await tableChecksums(targetClient, tables);
      const differing = before.filter((b, i) => b.rows !== after[i].rows || b.checksum !== after[i].checksum);
      if (differing.length) throw new TenantMoveError(`Copy differs from the original in ${differing.map((d) => d.table).join(', ')}`);

      // 4. Flip, then fence the old copy; the snapshot's locks are held until the old sessions are gone.
      const dropAfter = new Date(Date.now() + this.config.tenantServers.moveGraceMs);
      await this.control.transaction(async (m) => {
        const [, changed] = (await m.query(
          `UPDATE tenant_databases SET server = $2, updated_at = now() WHERE organization_id = $1 AND server = $3 AND status = 'ready'`,
          [organizationId, to, from],
        )) as [unknown, number];
        if (changed !== 1) throw new TenantMoveError(`The registry row of ${organizationId} changed during the move`);
        await m.query(`UPDATE tenant_moves SET status = 'done', finished_at = now(), drop_after = $2, report = $3 WHERE id = $1`, [
          move.id,
          dropAfter,
          JSON.stringify({ tables: before, sequences }),
        ]);
        await notifyTenantChanged((sql, params) => m.query(sql, params), organizationId);
      });
      flipped = true;
      await this.fence(fromSql, db, role);
      await source.query(`ROLLBACK`);
      await source.end();
      source = undefined;
      const retired = await this.retireOldCopy(fromSql, db, move.id);
      this.dataSources.retireTenant(organizationId, `moved to ${to}`);
      this.logger.log({ tenantId: organizationId, from, to, tables: before.length, rows: before.reduce((n, t) => n + t.rows, 0) }, 'Moved tenant database');
      return { moveId: move.id, organizationId, databaseName: db, retiredDatabase: retired, from, to, tables: before, sequences, dropAfter };
    } catch (err) {
      if (flipped) {
        // The move happened; only fencing the old copy failed. Its tenant role may still read it (stale,
        // read-only) until the sweep drops it; the registry and every new pool point at the new copy.
        this.logger.error({ tenantId: organizationId, from, err: String(err) }, 'Moved, but could not fence the old copy');
        throw err;
      }
      this.logger.error({ tenantId: organizationId, from, to, err: String(err) }, 'Tenant move failed; undoing it');
      await source?.query(`ROLLBACK`).catch(() => undefined);
      await targetClient?.end().catch(() => undefined);
      targetClient = undefined;
      await toSql(`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`).catch(() => undefined);
      await fromSql(`ALTER DATABASE ${quoteIdent(db)} RESET default_transaction_read_only`).catch(() => undefined);
      await this.endTenantSessions(fromSql, db, role).catch(() => undefined); // their sessions are read-only: make them reconnect writable
      await this.control
        .query(`UPDATE tenant_moves SET status = 'failed', finished_at = now(), report = $2 WHERE id = $1`, [move.id, JSON.stringify({ error: String(err) })])
        .catch(() => undefined);
      throw err;
    } finally {
      await source?.end().catch(() => undefined);
      await targetClient?.end().catch(() => undefined);
    }
  }

  /**
   * Drops the old copies whose grace period is over (by their retired name, so never a live database),
   * and the tenant's role on that server unless the tenant has moved back there. Returns what it dropped.
   */
  async sweepMovedCopies(now = new Date()): Promise<string[]> {
    const due = (await this.control.query(
      `SELECT m.id, m.organization_id AS "organizationId", m.database_name AS "databaseName", m.retired_database AS "retiredDatabase",
              m.from_server AS "fromServer", d.server AS "currentServer"
         FROM tenant_moves m LEFT JOIN tenant_databases d ON d.organization_id = m.organization_id
        WHERE m.status = 'done' AND m.dropped_at IS NULL AND m.drop_after <= $1
        ORDER BY m.drop_after`,
      [now],
    )) as Array<{ id: string; organizationId: string; databaseName: string; retiredDatabase: string | null; fromServer: string; currentServer: string | null }>;
    const dropped: string[] = [];
    for (const row of due) {
      try {
        const sql = this.servers.sql(row.fromServer);
        // Not renamed (the rename failed): its usual name is the live database again if the tenant moved back.
        const name = row.retiredDatabase ?? (row.currentServer === row.fromServer ? null : row.databaseName);
        if (name) {
          await sql(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
          dropped.push(`${row.fromServer}/${name}`);
        }
        if (row.currentServer !== row.fromServer) await this.roles.dropTenantRole(sql, row.databaseName);
        await this.control.query(`UPDATE tenant_moves SET dropped_at = now() WHERE id = $1`, [row.id]);
      } catch (err) {
        this.logger.warn({ tenantId: row.organizationId, server: row.fromServer, err: String(err) }, 'Could not drop a moved tenant\'s old copy; will retry');
      }
    }
    if (dropped.length) this.logger.log({ dropped }, 'Dropped old copies of moved tenants');
    return dropped;
  }

  /**
   * Renames the fenced old copy out of the way (`<name>_m<time>`), so that nothing that names the
   * tenant's database — a pool, start-up's grants, a migration run — can reach it, and a later move
   * back to this server finds the name free. Records the name for the sweep. A failure (someone still
   * connected) leaves it fenced under its own name.
   */
  private async retireOldCopy(sql: (s: string, p?: unknown[]) => Promise<unknown>, db: string, moveId: string): Promise<string> {
    const retired = `${db.slice(0, 52)}_m${Date.now().toString(36)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await sql(`ALTER DATABASE ${quoteIdent(db)} RENAME TO ${quoteIdent(retired)}`);
        break;
      } catch (err) {
        if (attempt >= 5) {
          this.logger.warn({ database: db, err: String(err) }, 'Could not rename the old copy of a moved tenant; it stays fenced under its name');
          return db;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    await this.control.query(`UPDATE tenant_moves SET retired_database = $2 WHERE id = $1`, [moveId, retired]);
    return retired;
  }

  /** The tenant role may no longer connect to the old copy, and its sessions there end. */
  private async fence(sql: (s: string, p?: unknown[]) => Promise<unknown>, db: string, role: string): Promise<void> {
    await sql(`REVOKE CONNECT ON DATABASE ${quoteIdent(db)} FROM ${quoteIdent(role)}`);
    await this.endTenantSessions(sql, db, role);
  }

  /**
   * Ends the tenant's sessions that started before the database became read-only (they may still
   * write), each once it is idle: a transaction in flight commits (and is copied) or fails on its own,
   * rather than being cut in the middle. Sessions started since are read-only and stay. After a
   * bounded wait the stragglers are ended anyway.
   */
  private async endWritableSessions(sql: (s: string, p?: unknown[]) => Promise<unknown>, db: string, role: string): Promise<void> {
    const [{ since }] = (await sql(`SELECT clock_timestamp() AS since`)) as Array<{ since: Date }>;
    const deadline = Date.now() + Math.max(5_000, 2 * this.config.tenancy.statementTimeoutMs);
    for (;;) {
      const sessions = (await sql(
        `SELECT pid, state FROM pg_stat_activity WHERE datname = $1 AND usename = $2 AND backend_start < $3 AND pid <> pg_backend_pid()`,
        [db, role, since],
      )) as Array<{ pid: number; state: string | null }>;
      if (!sessions.length) return;
      const late = Date.now() > deadline;
      const ending = sessions.filter((s) => late || s.state === 'idle').map((s) => s.pid);
      if (ending.length) await sql(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid`, [ending]);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async endTenantSessions(sql: (s: string, p?: unknown[]) => Promise<unknown>, db: string, role: string): Promise<void> {
    await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = $2 AND pid <> pg_backend_pid()`, [db, role]);
  }

  private async connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url, application_name: 'rsm:mover' });
    await client.connect();
    return client;
  }
}
