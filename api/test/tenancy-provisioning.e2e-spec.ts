import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TenantProvisioner } from '../src/tenancy/tenant-provisioner.service.js';
import { TenantRegistry } from '../src/tenancy/tenant-registry.service.js';
import { TenantRoles } from '../src/tenancy/tenant-roles.js';
import { DEFAULT_SERVER, TenantServers } from '../src/tenancy/tenant-servers.service.js';
import { createTestApp, registerStudio, type TestApp, tenantDatabaseOf, tenantRoleUrl } from './support/test-app.js';

/**
 * Provisioning's edges that the tenancy-setup mutation run found untested (RELIABILITY.md): the
 * tenant role's rights on its migration history, a role that already exists, a template someone is
 * connected to, and which registry rows the registry hands out.
 */
describe('tenant provisioning: rights, existing roles, a busy template, the registry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const tenantClient = async (organizationId: string) => {
    const client = new pg.Client({ connectionString: await tenantRoleUrl(t, organizationId) });
    await client.connect();
    return client;
  };
  const sqlState = (promise: Promise<unknown>) => promise.then(() => 'ok', (err: { code?: string }) => err.code ?? String(err));

  it("the tenant role reads which migrations ran but cannot rewrite them (a studio's credentials cannot fake its schema version)", async () => {
    const studio = await registerStudio(t, 'History');
    const client = await tenantClient(studio.organizationId);
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n, max("timestamp")::text AS latest FROM migrations`);
      expect(rows[0].n).toBeGreaterThan(0);
      // 42501 insufficient_privilege for every kind of change; its own data stays writable.
      expect(await sqlState(client.query(`INSERT INTO migrations ("timestamp", name) VALUES (9999999999999, 'Fake9999999999999')`))).toBe('42501');
      expect(await sqlState(client.query(`UPDATE migrations SET "timestamp" = "timestamp" + 1`))).toBe('42501');
      expect(await sqlState(client.query(`DELETE FROM migrations`))).toBe('42501');
      expect(await sqlState(client.query(`TRUNCATE migrations`))).toBe('42501');
      expect(await sqlState(client.query(`INSERT INTO clients (name) VALUES ('Own row')`))).toBe('ok');
      const after = await client.query(`SELECT count(*)::int AS n, max("timestamp")::text AS latest FROM migrations`);
      expect(after.rows[0]).toEqual(rows[0]);
    } finally {
      await client.end();
    }
  });

  it('a tenant role that already exists (another instance, a half-done sign-up) gets its password, membership and CONNECT set again', async () => {
    const studio = await registerStudio(t, 'Existing');
    const database = await tenantDatabaseOf(t, studio.organizationId);
    await t.app.get(TenantDataSources).closeAll();
    const group = `${t.config.tenancy.databasePrefix}app`;
    // As if left behind: a wrong password, no group membership, no CONNECT.
    await t.admin.query(`ALTER ROLE "${database}" PASSWORD 'left-behind-password'`);
    await t.admin.query(`REVOKE "${group}" FROM "${database}"`);
    await t.admin.query(`REVOKE CONNECT ON DATABASE "${database}" FROM "${database}"`);
    expect(await sqlState(tenantClient(studio.organizationId).then((c) => c.end()))).toMatch(/^(28P01|42501)$/);

    await t.app.get(TenantRoles).ensureTenantRole(t.app.get(TenantServers).sql(DEFAULT_SERVER), database, studio.organizationId);

    const client = await tenantClient(studio.organizationId);
    try {
      const { rows } = await client.query(`SELECT pg_has_role(current_user, $1, 'USAGE') AS member, (SELECT count(*)::int FROM clients) AS clients`, [group]);
      expect(rows[0]).toEqual({ member: true, clients: 0 });
    } finally {
      await client.end();
    }
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('a new database waits out a connection to the template (55006 "being accessed by other users") instead of failing the sign-up', async () => {
    // PostgreSQL itself waits ~5 s for other sessions on the template before 55006; this one stays 6 s.
    const holder = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, t.config.tenancy.templateDatabase) });
    await holder.connect();
    const released = new Promise((resolve) => setTimeout(resolve, 6_000)).then(() => holder.end());
    const organizationId = randomUUID();
    const provisioner = t.app.get(TenantProvisioner);
    const database = provisioner.databaseNameFor(organizationId);
    try {
      await provisioner.createDatabase(database, organizationId);
      await released;
      const { rows } = await t.admin.query(`SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`, [database]);
      expect(rows).toEqual([{ stamp: `rsm:tenant:${organizationId}` }]);
    } finally {
      await released.catch(() => undefined);
      await provisioner.dropDatabase(database, DEFAULT_SERVER);
    }
  }, 30_000);

  it('the registry lists ready studios only, oldest first, and finds exactly the ids asked for', async () => {
    const [a, b, c] = [await registerStudio(t, 'RegA'), await registerStudio(t, 'RegB'), await registerStudio(t, 'RegC')];
    const setRow = (organizationId: string, status: string, createdAt: string) =>
      t.control.query(`UPDATE tenant_databases SET status = $2, created_at = $3 WHERE organization_id = $1`, [organizationId, status, createdAt]);
    const registry = t.app.get(TenantRegistry);
    try {
      // Made in the order a, b, c and updated a first (rows in table order a, c); dated c, a, b; b is archived.
      await setRow(a.organizationId, 'ready', '2001-01-02T00:00:00Z');
      await setRow(c.organizationId, 'ready', '2001-01-01T00:00:00Z');
      await setRow(b.organizationId, 'archived', '2001-01-03T00:00:00Z');
      const ids = new Set([a.organizationId, b.organizationId, c.organizationId]);
      const ready = (await registry.listReady()).map((r) => r.organizationId).filter((id) => ids.has(id));
      expect(ready).toEqual([c.organizationId, a.organizationId]);

      const found = await registry.findMany([b.organizationId, c.organizationId]);
      expect(found.map((r) => r.organizationId).sort()).toEqual([b.organizationId, c.organizationId].sort());
      expect(await registry.findMany([])).toEqual([]);
    } finally {
      await setRow(b.organizationId, 'ready', new Date().toISOString());
    }
  });
});
