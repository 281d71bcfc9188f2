import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { StartupError } from '../database/embedded-preflight.js';
import { databaseNameOf, ensureDatabaseExists, quoteIdent } from '../database/postgres-url.js';
import { CONTROL_ENTITIES } from './control-entities.js';
import { CONTROL_MIGRATIONS } from './control-migrations.js';

export const CONTROL_DATA_SOURCE = Symbol('CONTROL_DATA_SOURCE');

export function controlDataSourceOptions(url: string) {
  return {
    type: 'postgres' as const,
    url,
    entities: CONTROL_ENTITIES,
    migrations: CONTROL_MIGRATIONS,
    migrationsTransactionMode: 'all' as const,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    applicationName: 'rsm:control',
    poolSize: 10,
    logging: false,
  };
}

/** The oldest PostgreSQL whose role model the tenancy relies on (server_version_num). */
export const MINIMUM_POSTGRES_VERSION_NUM = 160000;

/**
 * Stops start-up on a PostgreSQL older than 16: tenant roles use `GRANT … WITH INHERIT TRUE, SET
 * FALSE` and CREATEROLE's ADMIN OPTION model, both new in 16. Without this check an older server
 * fails later, halfway through provisioning, with a syntax error.
 */
export function requireSupportedPostgres(versionNum: number, version: string): void {
  if (versionNum >= MINIMUM_POSTGRES_VERSION_NUM) return;
  throw new StartupError(`PostgreSQL ${version} is too old: Recording Studio Manager needs PostgreSQL 16 or later (DATABASE_URL points at it)`);
}

/**
 * Opens the control database (creating it when missing) and brings it to the latest migration.
 * An advisory lock keyed by the database makes concurrent instances migrate one at a time.
 */
export async function openControlDatabase(config: AppConfig, { migrate = true }: { migrate?: boolean } = {}): Promise<DataSource> {
  const url = config.databaseUrl;
  if (!url) throw new Error('No database URL: start-up must set one (DATABASE_URL or the embedded server)');
  const logger = new Logger('ControlDatabase');
  // Issue 8, ops-cli: `rsm` opens it with migrate: false (a dry run changes nothing; `rsm migrate` calls
  // migrateControlDatabase itself, as its first step).
  if (migrate && (await ensureDatabaseExists(url))) logger.log('Created the control database');
  const ds = new DataSource({
    ...controlDataSourceOptions(url),
    extra: {
      connectionTimeoutMillis: config.tenancy.connectTimeoutMs,
      statement_timeout: config.tenancy.statementTimeoutMs,
    },
  });
  await ds.initialize();
  const [server] = (await ds.query(`SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS version`)) as Array<{
    num: number;
    version: string;
  }>;
  try {
    requireSupportedPostgres(server.num, server.version);
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  if (migrate) await migrateControlDatabase(ds).catch(async (err) => {
    await ds.destroy();
    throw err;
  });
  return ds;
}

/**
 * Brings the control database to its latest migration, one instance at a time (advisory lock), and
 * closes it to PUBLIC. Returns the names of the migrations it applied.
 */
export async function migrateControlDatabase(ds: DataSource): Promise<string[]> {
  const logger = new Logger('ControlDatabase');
  return withMigrationLock(ds, async () => {
    // Tenant roles (and anyone else) may not even connect here. Takes effect only when we own the
    // database; otherwise PostgreSQL just warns, and its owner decides. Under the lock and only when
    // needed: two REVOKEs at once on one database fail with "tuple concurrently updated" (XX000).
    const database = databaseNameOf((ds.options as { url: string }).url);
    const [publicAccess] = (await ds.query(`SELECT has_database_privilege('public', $1, 'CONNECT') AS open`, [database])) as Array<{ open: boolean }>;
    if (publicAccess.open) await ds.query(`REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
    const applied = await ds.runMigrations({ transaction: 'all' });
    if (applied.length) logger.log(`Applied ${applied.length} control migration(s)`);
    return applied.map((m) => m.name);
  });
}

/**
 * Runs `fn` holding a transaction-level advisory lock (keyed by the database) on one dedicated
 * connection of `ds`; `fn` itself may use other connections. Transaction-scoped, so it is safe
 * behind PgBouncer's transaction pooling and needs no session `SET`.
 */
export async function withMigrationLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // Waiting for another instance's migrations may take longer than the usual statement timeout.
    await runner.query(`SET LOCAL statement_timeout = 0`);
    await runner.query(`SELECT pg_advisory_xact_lock(hashtext('rsm:migrate:' || current_database()))`);
    const result = await fn();
    await runner.commitTransaction();
    return result;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.release();
  }
}
