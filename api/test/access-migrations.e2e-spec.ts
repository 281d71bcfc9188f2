import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CONTROL_MIGRATIONS } from '../src/control/control-migrations.js';
import { AccountsAccess1764600000000 } from '../src/control/migrations/1764600000000-AccountsAccess.js';
import { withDatabase } from '../src/database/postgres-url.js';
import { CreateAuditLog1764600000001 } from '../src/tenant-schema/migrations/1764600000001-CreateAuditLog.js';
import { TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';

/** Issue 7's migrations (invites and api_keys in the control database, audit_log in tenants) go down and up again cleanly. */
describe('accounts-access migrations', () => {
  const server = () => {
    const url = process.env.RSM_TEST_PG_URL;
    if (!url) throw new Error('RSM_TEST_PG_URL is not set: run through jest (global setup)');
    return url;
  };
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: withDatabase(server(), 'postgres') });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
  });

  const tablesOf = async (ds: DataSource) =>
    ((await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)) as Array<{ tablename: string }>).map((r) => r.tablename);

  /** Whether the migration named `name` (class name) is applied. */
  const applied = async (ds: DataSource, name: string) => ((await ds.query(`SELECT 1 FROM migrations WHERE name = $1`, [name])) as unknown[]).length > 0;

  // Later migrations (other branches') sit on top of these: they are undone first, then everything is applied again.
  it.each([
    ['control', CONTROL_MIGRATIONS, AccountsAccess1764600000000.name, ['api_keys', 'invites']],
    ['tenant', TENANT_MIGRATIONS, CreateAuditLog1764600000001.name, ['audit_log']],
  ] as const)('%s: the accounts-access migration goes down (its tables gone) and up again', async (_kind, migrations, migration, tables) => {
    const name = `rsm_down_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const ds = new DataSource({ type: 'postgres', url: withDatabase(server(), name), migrations: [...migrations], migrationsTransactionMode: 'each' });
    try {
      await ds.initialize();
      await ds.runMigrations();
      for (const table of tables) expect(await tablesOf(ds)).toContain(table);
      expect(await applied(ds, migration)).toBe(true);
      while (await applied(ds, migration)) await ds.undoLastMigration();
      for (const table of tables) expect(await tablesOf(ds)).not.toContain(table);
      await ds.runMigrations();
      for (const table of tables) expect(await tablesOf(ds)).toContain(table);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
