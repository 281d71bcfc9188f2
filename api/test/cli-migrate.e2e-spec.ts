import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EXIT } from '../src/cli/exit-codes.js';
import { loadConfig } from '../src/config/app-config.js';
import { CONTROL_MIGRATIONS } from '../src/control/control-migrations.js';
import { databaseNameOf, withDatabase } from '../src/database/postgres-url.js';
import { TenantMigrator, type TenantMigrationResult } from '../src/tenancy/tenant-migrator.service.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';
import { createTenants, onDatabase, rsm, versionOf } from './support/cli.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { versionOf as migrationVersion } from '../src/tenancy/tenant-schema-steps.js';

/**
 * A test-only next migration (its timestamp far ahead of any real one), given to the migrator as the code's list plus one (the one code path
 * the CLI uses): it fails on a tenant where someone planted a table of the same name.
 */
class CliTestMarker1899000000001 implements MigrationInterface {
  name = 'CliTestMarker1899000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cli_test_marker" ("id" integer PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cli_test_marker"`);
  }
}
const NEXT = [...TENANT_MIGRATIONS, CliTestMarker1899000000001];
const NEXT_VERSION = '1899000000001';

interface MigrateJson {
  target: string;
  template: Array<{ name: string; direction: string }>;
  tenants: TenantMigrationResult[];
  summary: Record<string, number>;
  control: { applied?: string[]; pending?: string[] };
}

/** Issue 8: `rsm migrate` across every tenant. */
describe('rsm migrate: 200 tenants, one failing', () => {
  let t: TestApp;
  let ids: string[];
  const registry = async () =>
    (await t.control.query(`SELECT organization_id AS id, database_name AS db, schema_version::text AS version, migration_status AS status, migration_error AS error, updated_at FROM tenant_databases ORDER BY organization_id`))
      .rows as Array<{ id: string; db: string; version: string; status: string | null; error: string | null; updated_at: Date }>;

  beforeAll(async () => {
    t = await createTestApp();
    const started = Date.now();
    ids = await createTenants(t, 200, 6);
    process.stderr.write(`cli-migrate: created 200 tenant databases in ${Date.now() - started} ms\n`);
  }, 240_000);
  afterAll(async () => {
    await t?.close(); // drops every database it made: 200 of them take a while on a busy machine
  }, 240_000);

  it('--dry-run lists the pending migration for the template and every tenant, and changes nothing', async () => {
    const before = await registry();
    const run = await rsm(t, ['migrate', '--dry-run', '--json'], { migrations: NEXT });
    expect(run.code).toBe(EXIT.OK);
    const report = run.json<MigrateJson>();
    expect(report.control.pending).toEqual([]);
    expect(report.template).toEqual([expect.objectContaining({ name: 'CliTestMarker1899000000001', direction: 'up' })]);
    expect(report.tenants).toHaveLength(200);
    expect(report.tenants.every((r) => r.outcome === 'pending' && r.steps.map((s) => s.name).join() === 'CliTestMarker1899000000001')).toBe(true);
    expect(await registry()).toEqual(before);
    expect(await versionOf(t, t.config.tenancy.templateDatabase)).toBe(LATEST_TENANT_SCHEMA_VERSION);
    for (const id of [ids[0], ids[99], ids[199]]) {
      const db = before.find((r) => r.id === id)!.db;
      expect(await versionOf(t, db)).toBe(LATEST_TENANT_SCHEMA_VERSION);
    }
  }, 120_000);

  it('the other 199 reach the new version, the failed one is reported with a non-zero exit; a re-run finishes it', async () => {
    const victim = ids[137];
    const victimDb = (await registry()).find((r) => r.id === victim)!.db;
    await onDatabase(t, victimDb, (c) => c.query(`CREATE TABLE "cli_test_marker" ("planted" text)`));

    const run = await rsm(t, ['migrate', '--concurrency', '6'], { migrations: NEXT });
    expect(run.code).toBe(EXIT.TENANTS_FAILED);
    expect(run.stdout).toMatch(/failed\s+1\b/);
    expect(run.stdout).toMatch(/migrated\s+199\b/);
    expect(run.stdout).toContain(victim);
    expect(run.stdout).toMatch(/already exists/);
    // Plain progress lines on stderr (not a terminal): one per tenant.
    expect(run.stderr.split('\n').filter((l) => /^\[\s*\d+\/200\] /.test(l))).toHaveLength(200);

    const rows = await registry();
    const others = rows.filter((r) => r.id !== victim);
    expect(others).toHaveLength(199);
    expect(others.every((r) => r.version === NEXT_VERSION && r.status === 'done' && r.error === null)).toBe(true);
    const failed = rows.find((r) => r.id === victim)!;
    expect(failed).toMatchObject({ version: LATEST_TENANT_SCHEMA_VERSION, status: 'failed' });
    expect(failed.error).toMatch(/cli_test_marker.*already exists/);
    // The registry tells the truth: every database is where its row says.
    for (const row of rows) expect(await versionOf(t, row.db)).toBe(row.version);
    expect(await versionOf(t, t.config.tenancy.templateDatabase)).toBe(NEXT_VERSION);

    // The operator removes the planted table; the same command finishes the job and touches no one else.
    await onDatabase(t, victimDb, (c) => c.query(`DROP TABLE "cli_test_marker"`));
    const again = await rsm(t, ['migrate', '--json'], { migrations: NEXT });
    expect(again.code).toBe(EXIT.OK);
    const report = again.json<MigrateJson>();
    expect(report.summary).toMatchObject({ migrated: 1, 'up-to-date': 199, failed: 0 });
    expect(report.tenants.find((r) => r.outcome === 'migrated')!.organizationId).toBe(victim);
    expect(await versionOf(t, victimDb)).toBe(NEXT_VERSION);
    expect((await registry()).find((r) => r.id === victim)).toMatchObject({ version: NEXT_VERSION, status: 'done', error: null });
  }, 240_000);
});

describe('rsm migrate: canary, resume, only; MIGRATE_ON_START', () => {
  let t: TestApp;
  let ids: string[];
  const versions = async () =>
    Object.fromEntries(
      (await t.control.query(`SELECT organization_id AS id, schema_version::text AS v FROM tenant_databases`)).rows.map((r: { id: string; v: string }) => [r.id, r.v]),
    ) as Record<string, string>;
  const plant = async (id: string) => {
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [id]);
    await onDatabase(t, rows[0].database_name, (c) => c.query(`CREATE TABLE "cli_test_marker" ("planted" text)`));
    return () => onDatabase(t, rows[0].database_name, (c) => c.query(`DROP TABLE "cli_test_marker"`));
  };

  beforeAll(async () => {
    t = await createTestApp();
    ids = await createTenants(t, 20);
  }, 120_000);
  afterAll(async () => {
    await t?.close(); // drops every database it made: 200 of them take a while on a busy machine
  }, 240_000);

  it('--canary N: a failing canary stops the run before the other tenants', async () => {
    const unplant = await plant(ids[1]);
    const run = await rsm(t, ['migrate', '--canary', '3', '--json'], { migrations: NEXT });
    expect(run.code).toBe(EXIT.TENANTS_FAILED);
    const report = run.json<MigrateJson>();
    expect(report.tenants.map((r) => r.outcome)).toEqual(['migrated', 'failed', 'migrated', ...Array(17).fill('skipped')]);
    const v = await versions();
    expect(ids.slice(3).every((id) => v[id] === LATEST_TENANT_SCHEMA_VERSION)).toBe(true); // untouched
    await unplant();
  });

  it('--from resumes at a tenant; --only takes just the named ones', async () => {
    const only = await rsm(t, ['migrate', '--only', `${ids[5]},${ids[6]}`, '--json'], { migrations: NEXT });
    expect(only.code).toBe(EXIT.OK);
    expect(only.json<MigrateJson>().tenants.map((r) => [r.organizationId, r.outcome])).toEqual([
      [ids[5], 'migrated'],
      [ids[6], 'migrated'],
    ]);
    const from = await rsm(t, ['migrate', '--from', ids[10], '--json'], { migrations: NEXT });
    expect(from.code).toBe(EXIT.OK);
    const resumed = from.json<MigrateJson>().tenants;
    expect(resumed.map((r) => r.organizationId)).toEqual(ids.slice(10));
    expect(resumed.every((r) => r.outcome === 'migrated')).toBe(true);
    const v = await versions();
    expect(ids.filter((id) => v[id] === NEXT_VERSION)).toEqual([ids[0], ids[2], ids[5], ids[6], ...ids.slice(10)]);
    expect((await rsm(t, ['migrate', '--from', '00000000-0000-4000-8000-000000000000'], { migrations: NEXT })).code).toBe(EXIT.USAGE);
    // Back to the code's version for the next test.
    expect((await rsm(t, ['migrate', '--to', LATEST_TENANT_SCHEMA_VERSION], { migrations: NEXT })).code).toBe(EXIT.OK);
  });

  it('--dry-run before the template exists lists every migration up to the target for it, and creates nothing', async () => {
    // A fresh install, before the first start or `rsm migrate`: the template is not there yet.
    const missing = `${t.config.tenancy.templateDatabase}_not_yet`;
    const onFreshInstall = { ...t, config: { ...t.config, tenancy: { ...t.config.tenancy, templateDatabase: missing } } };
    const steps = (migrations: typeof NEXT) => migrations.map((m) => ({ version: migrationVersion(m), direction: 'up', name: m.name }));
    const all = await rsm(onFreshInstall, ['migrate', '--dry-run', '--json'], { migrations: NEXT });
    expect(all.code).toBe(EXIT.OK);
    expect(all.json<MigrateJson>().template).toEqual(steps(NEXT));
    // With --to, the steps stop at that version, the target itself included.
    const previous = migrationVersion(TENANT_MIGRATIONS.at(-2)!);
    const upTo = await rsm(onFreshInstall, ['migrate', '--dry-run', '--to', previous, '--json'], { migrations: NEXT });
    expect(upTo.code).toBe(EXIT.OK);
    expect(upTo.json<MigrateJson>().template).toEqual(steps(TENANT_MIGRATIONS.slice(0, -1)));
    const exists = await t.control.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [missing]);
    expect(exists.rowCount).toBe(0);
  });

  it('a first rsm migrate on a new server creates the control database and migrates it', async () => {
    const fresh = databaseNameOf(t.config.databaseUrl!).replace(/_control$/, '_fresh'); // dropped with the test app
    const run = await rsm({ ...t, config: { ...t.config, databaseUrl: withDatabase(t.config.databaseUrl!, fresh) } }, ['migrate', '--json']);
    expect(run.code).toBe(EXIT.OK);
    expect(run.json<MigrateJson>().control.applied).toEqual(CONTROL_MIGRATIONS.map((m) => m.name));
    expect(await onDatabase(t, fresh, async (c) => (await c.query(`SELECT count(*)::int AS n FROM migrations`)).rows[0].n)).toBe(CONTROL_MIGRATIONS.length);
  });

  it('MIGRATE_ON_START=false: start-up leaves tenants that are behind to rsm migrate; true (the default) migrates them', async () => {
    const previous = migrationVersion(TENANT_MIGRATIONS.at(-2)!);
    expect((await rsm(t, ['migrate', '--to', previous, '--only', ids[0]])).code).toBe(EXIT.OK);
    const migrator = t.app.get(TenantMigrator);
    const config = t.config as { migrateOnStart: boolean };
    expect(loadConfigDefaults().migrateOnStart).toBe(true);
    config.migrateOnStart = false;
    try {
      await migrator.migrateOnStart();
      expect((await versions())[ids[0]]).toBe(previous);
    } finally {
      config.migrateOnStart = true;
    }
    await migrator.migrateOnStart();
    expect((await versions())[ids[0]]).toBe(LATEST_TENANT_SCHEMA_VERSION);
  });
});

/** The configuration with no MIGRATE_ON_START set (its default). */
function loadConfigDefaults() {
  return loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x' });
}
