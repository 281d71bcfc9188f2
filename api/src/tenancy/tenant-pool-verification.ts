import type { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { isDatabaseUnavailable, pgErrorCode } from '../common/pg-errors.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../tenant-schema/tenant-migrations.js';
import { TenantUnavailableError } from './tenancy.errors.js';
import { closeTenantPool, PoolSockets, trackPoolSockets } from './pool-sockets.js';
import { tenantStamp } from './tenant-provisioner.service.js';
import { parseServerVersion, type ServerFacts, TENANT_MAPPING_OPTIONS, TenantDataSource } from './tenant-metadata.js';

/**
 * Issue 14, perf: the server version and search schema TypeORM probes after connecting, per server
 * (host:port of the URL), as the last verified pool there read them. Saves two round trips per cold start.
 */
export const knownServerFacts = new Map<string, ServerFacts>(); // exported for a test that presets wrong facts
function serverOf(url: string): string | undefined {
  // A URL the WHATWG parser refuses (pg's own parser may still take it) only loses the preset.
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return `${parsed.host}${parsed.searchParams.get('host') ?? ''}`; // a socket URL names its directory as ?host=
}

/** True when a registry or database schema version is newer than the newest tenant migration this code has (issue 8). */
export const isSchemaAhead = (version: string | null | undefined) => version != null && BigInt(version) > BigInt(LATEST_TENANT_SCHEMA_VERSION);

/** The server refused a new connection to the database itself (CONNECT privilege), not a statement (issue 8). */
export const isConnectRevoked = (err: unknown) => pgErrorCode(err) === '42501' && (err as { routine?: string }).routine === 'CheckMyDatabase';

export interface TenantPoolTarget {
  tenancy: AppConfig['tenancy'];
  /** The tenant's own role on its registered database and server. */
  url: string;
  tenantId: string;
  /** The database the registry names. */
  databaseName: string;
  /** The tenant's role (TenantRoles.roleFor). */
  role: string;
  logger: Logger;
  onPoolError: (err: unknown) => void;
}

/**
 * Opens one tenant's pool (TypeORM DataSource) and proves, before anything uses it, that it reached
 * the registered database, stamped for this tenant, as the tenant's role, at the schema version this
 * code serves; otherwise it is closed and the tenant gets a 503 saying why.
 */
export async function openVerifiedPool(target: TenantPoolTarget): Promise<DataSource> {
  const { tenancy: t, tenantId, logger } = target;
  const sockets = new PoolSockets();
  // Its own driver and pg pool; the entity metadata shared by every tenant pool (tenant-metadata.ts).
  const dataSource = new TenantDataSource({
    ...TENANT_MAPPING_OPTIONS,
    url: target.url,
    poolSize: t.poolSize,
    applicationName: `rsm:${tenantId}`,
    connectTimeoutMS: t.connectTimeoutMs,
    extra: {
      statement_timeout: t.statementTimeoutMs,
      idle_in_transaction_session_timeout: t.statementTimeoutMs,
      idleTimeoutMillis: 60_000,
      Client: sockets.Client,
    },
    poolErrorHandler: target.onPoolError,
  });
  trackPoolSockets(dataSource, sockets);
  const server = serverOf(target.url);
  dataSource.presetServerFacts(server === undefined ? undefined : knownServerFacts.get(server));
  try {
    await dataSource.initialize();
  } catch (err) {
    // initialize() may have created the pg pool before failing; close it so it holds nothing.
    await (dataSource.driver as { master?: Pool }).master?.end().catch(() => undefined);
    await sockets.allClosed(t.connectTimeoutMs + 1_000);
    if (pgErrorCode(err) === '42501') {
      // Our role may not connect there: it is not this tenant's database (a registry mix-up), or it
      // was fenced after a move and this registry read is already stale.
      logger.error({ tenantId, database: target.databaseName }, 'Tenant role may not connect to the registered database');
      throw new TenantUnavailableError('wrong-database', tenantId, err);
    }
    if (pgErrorCode(err) === '28P01') logger.error({ tenantId }, 'Tenant role could not sign in (missing role or changed RSM_SECRET_KEY?)');
    throw new TenantUnavailableError(isDatabaseUnavailable(err) ? 'unreachable' : 'not-ready', tenantId, err);
  }
  try {
    const [row] = await dataSource.query(
      `SELECT current_database() AS database, current_user AS "user",
              shobj_description((SELECT oid FROM pg_database WHERE datname = current_database()), 'pg_database') AS stamp,
              (SELECT max("timestamp")::text FROM "migrations") AS version,
              version() AS server_version, current_schema() AS search_schema`,
    );
    const facts = { version: parseServerVersion(row.server_version), searchSchema: row.search_schema };
    dataSource.confirmServerFacts(facts);
    // The registry's name, and the owner stamped at provisioning: a mix-up anywhere (registry,
    // proxy, DNS) is refused instead of serving someone else's rows. And the tenant's own role: a
    // URL whose user got lost (a socket URL such as postgres:///db?host=/run/postgresql) signs in
    // as the OS user or the admin, which CONNECT rights would no longer keep to one studio.
    if (row.database !== target.databaseName || row.stamp !== tenantStamp(tenantId) || row.user !== target.role) {
      logger.error({ tenantId, database: row.database, stamp: row.stamp, user: row.user, role: target.role }, 'Tenant pool reached the wrong database or signed in as the wrong role');
      throw new TenantUnavailableError('wrong-database', tenantId);
    }
    if (isSchemaAhead(row.version)) {
      logger.warn({ tenantId, version: row.version, latest: LATEST_TENANT_SCHEMA_VERSION }, 'Tenant database is at a newer schema than this release knows');
      throw new TenantUnavailableError('schema-ahead', tenantId);
    }
    if (row.version !== LATEST_TENANT_SCHEMA_VERSION) {
      logger.error({ tenantId, version: row.version, expected: LATEST_TENANT_SCHEMA_VERSION }, 'Tenant schema version mismatch');
      throw new TenantUnavailableError('schema-mismatch', tenantId);
    }
    if (server !== undefined) knownServerFacts.set(server, facts);
    return dataSource;
  } catch (err) {
    await closeTenantPool(dataSource, t.connectTimeoutMs + 1_000).catch(() => undefined);
    if (err instanceof TenantUnavailableError) throw err;
    if (pgErrorCode(err) === '42P01') throw new TenantUnavailableError('schema-mismatch', tenantId, err);
    throw new TenantUnavailableError(isDatabaseUnavailable(err) ? 'unreachable' : 'not-ready', tenantId, err);
  }
}
