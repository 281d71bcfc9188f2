import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CONTROL_MIGRATIONS } from '../src/control/control-migrations.js';
import { withDatabase } from '../src/database/postgres-url.js';
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

  it.each([
    ['control', CONTROL_MIGRATIONS, ['api_keys', 'invites']],
    ['tenant', TENANT_MIGRATIONS, ['audit_log']],
  ] as const)('%s: the last migration goes down (its tables gone) and up again', async (_kind, migrations, tables) => {
    const name = `rsm_down_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const ds = new DataSource({ type: 'postgres', url: withDatabase(server(), name), migrations: [...migrations], migrationsTransactionMode: 'each' });
    try {
      await ds.initialize();
      await ds.runMigrations();
      for (const table of tables) expect(await tablesOf(ds)).toContain(table);
      await ds.undoLastMigration();
      for (const table of tables) expect(await tablesOf(ds)).not.toContain(table);
      await ds.runMigrations();
      for (const table of tables) expect(await tablesOf(ds)).toContain(table);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
