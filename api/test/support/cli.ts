import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { type CliOverrides, runCli } from '../../src/cli/cli.js';
import { withDatabase } from '../../src/database/postgres-url.js';
import { TenantProvisioner } from '../../src/tenancy/tenant-provisioner.service.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../../src/tenant-schema/tenant-migrations.js';
import type { TestApp } from './test-app.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `rsm <argv>` in-process on the test app's configuration (streams are not terminals: plain output). */
export async function rsm(t: TestApp, argv: string[], overrides: Omit<CliOverrides, 'config'> = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(argv, { stdout, stderr }, { config: t.config, ...overrides });
  return { code, stdout: out, stderr: err, json: () => JSON.parse(out) };
}

/**
 * Makes `count` ready tenants the way sign-up's provisioning does (a copy of the template, stamped,
 * with its own role, registered ready), without the HTTP sign-up and its password hashing: the CLI
 * tests need many tenants, not many users. Returns their organization ids in creation order.
 */
export async function createTenants(t: TestApp, count: number, concurrency = 4): Promise<string[]> {
  const provisioner = t.app.get(TenantProvisioner);
  const ids = Array.from({ length: count }, () => randomUUID());
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const databaseName = provisioner.databaseNameFor(id);
      await t.control.query(`INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)`, [id, `CLI studio ${id.slice(0, 8)}`, `cli-${id}`]);
      await provisioner.createDatabase(databaseName, id);
      await t.control.query(
        `INSERT INTO tenant_databases (organization_id, database_name, server, schema_version, status) VALUES ($1, $2, 'default', $3, 'ready')`,
        [id, databaseName, LATEST_TENANT_SCHEMA_VERSION],
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // The run order is created_at then id; make it the creation order above, so tests can name positions.
  await t.control.query(
    `UPDATE tenant_databases t SET created_at = now() - interval '1 hour' + o.ord * interval '1 millisecond'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord) WHERE t.organization_id = o.id`,
    [ids],
  );
  return ids;
}

/** Runs `fn` with an admin client on a database of the test app's server. */
export async function onDatabase<T>(t: TestApp, database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A database's schema version (its newest applied migration). */
export async function versionOf(t: TestApp, database: string): Promise<string> {
  return onDatabase(t, database, async (c) => (await c.query(`SELECT max("timestamp")::text AS v FROM migrations`)).rows[0].v as string);
}

/** Row count and an md5 of every row (sorted) of each table in `public` but `migrations`. */
export async function tableChecksums(t: TestApp, database: string): Promise<Record<string, { rows: number; md5: string }>> {
  return onDatabase(t, database, async (c) => {
    const { rows: tables } = await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY tablename`);
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const { tablename } of tables as Array<{ tablename: string }>) {
      const { rows } = await c.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS md5 FROM "${tablename}" r`);
      out[tablename] = { rows: rows[0].n, md5: rows[0].md5 };
    }
    return out;
  });
}
