import pg from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CONTROL_MIGRATIONS } from '../src/control/control-migrations.js';
import { TenantServers1796400000000 } from '../src/control/migrations/1796400000000-TenantServers.js';
import { withDatabase } from '../src/database/postgres-url.js';

/** Issue 8, ops-servers: the tenant_servers migration on a control database that already has tenants, down and up. */
describe('control migration 1796400000000 (tenant servers)', () => {
  const server = process.env.RSM_TEST_PG_URL!;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
  });

  it('gives every server already named in the registry its row, enforces the reference, and goes down and up again', async () => {
    const name = `rsm_servers_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const before = CONTROL_MIGRATIONS.filter((m) => m !== TenantServers1796400000000);
    const open = async (migrations: Function[]) => {
      const ds = new DataSource({ type: 'postgres', url: withDatabase(server, name), migrations, migrationsTransactionMode: 'each' });
      await ds.initialize();
      return ds;
    };
    const registerTenant = (ds: DataSource, serverName: string) => {
      const id = randomUUID();
      return ds.query(
        `WITH o AS (INSERT INTO organizations (id, name, slug) VALUES ($1::uuid, $1::text, $1::text) RETURNING id)
         INSERT INTO tenant_databases (organization_id, database_name, server, schema_version, status) SELECT id, 'db_' || replace(id::text, '-', ''), $2, 1, 'ready' FROM o`,
        [id, serverName],
      );
    };
    let ds = await open(before);
    try {
      await ds.runMigrations();
      await registerTenant(ds, 'default');
      await registerTenant(ds, 'legacy');
      await ds.destroy();
      ds = await open([...CONTROL_MIGRATIONS]);
      await ds.runMigrations();
      const servers = (await ds.query(`SELECT name, status, capacity FROM tenant_servers ORDER BY name`)) as unknown[];
      expect(servers).toEqual([
        { name: 'default', status: 'active', capacity: 5000 },
        { name: 'legacy', status: 'active', capacity: 5000 },
      ]);
      await expect(registerTenant(ds, 'nowhere')).rejects.toMatchObject({ code: '23503' });
      while (((await ds.query(`SELECT 1 FROM migrations WHERE name = $1`, [TenantServers1796400000000.name])) as unknown[]).length) await ds.undoLastMigration();
      expect((await ds.query(`SELECT to_regclass('tenant_servers') AS t, to_regclass('tenant_moves') AS m`))[0]).toEqual({ t: null, m: null });
      expect((await ds.query(`SELECT count(*)::int AS n FROM tenant_databases`))[0].n).toBe(2);
      await ds.runMigrations();
      expect((await ds.query(`SELECT count(*)::int AS n FROM tenant_servers`))[0].n).toBe(2);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
