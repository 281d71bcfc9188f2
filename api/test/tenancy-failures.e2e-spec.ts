import { jest } from '@jest/globals';
import { SessionsService } from '../src/auth/sessions.service.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TenantProvisioner } from '../src/tenancy/tenant-provisioner.service.js';
import { TenantRegistry } from '../src/tenancy/tenant-registry.service.js';
import { withDatabase } from '../src/database/postgres-url.js';
import pg from 'pg';
import { metricOf } from './support/http-load.js';
import { LogCapture, settle } from './support/log-capture.js';
import { connectTenantDatabase, createTestApp, newStudio, registerStudio, tenantDatabases, type TestApp, tenantDatabaseOf } from './support/test-app.js';

describe('tenancy failure modes', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'warn' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  const databaseOf = (organizationId: string) => tenantDatabaseOf(t, organizationId);
  const metric = (name: string) => metricOf(t, name);
  const addClient = (cookie: string, name: string) => t.http().post('/api/v1/clients').set('cookie', cookie).send({ name });
  const listNames = async (cookie: string) => {
    const res = await t.http().get('/api/v1/clients').set('cookie', cookie);
    return { status: res.status, body: res.body, names: res.status === 200 ? res.body.items.map((c: { name: string }) => c.name) : null };
  };

  it('single-flight: 50 concurrent first requests for a cold tenant open one pool', async () => {
    const studio = await registerStudio(t, 'Cold');
    const registry = t.app.get(TenantRegistry);
    const realFind = registry.find.bind(registry);
    // Hold the pool's creation open long enough that all 50 requests arrive while it is pending.
    const find = jest.spyOn(registry, 'find').mockImplementation(async (id) => {
      await new Promise((r) => setTimeout(r, 300));
      return realFind(id);
    });
    const before = await metric('rsm_tenant_pool_cold_starts_total');
    const responses = await Promise.all(Array.from({ length: 50 }, () => t.http().get('/api/v1/clients').set('cookie', studio.cookie)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(find).toHaveBeenCalledTimes(1);
    expect((await metric('rsm_tenant_pool_cold_starts_total')) - before).toBe(1);
    find.mockRestore();
  });

  it('a failed pool creation is not cached: the next request retries and succeeds', async () => {
    const studio = await registerStudio(t, 'Retry');
    await t.control.query(`UPDATE tenant_databases SET status = 'migrating' WHERE organization_id = $1`, [studio.organizationId]);
    const refused = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(503);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/tenant-not-ready$/), detail: 'The studio database is not ready.' });
    await t.control.query(`UPDATE tenant_databases SET status = 'ready' WHERE organization_id = $1`, [studio.organizationId]);
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('a studio registered on a server this instance does not know → 503 not-ready, logged with the server; the others keep working', async () => {
    const studio = await registerStudio(t, 'Elsewhere');
    const other = await registerStudio(t, 'Here');
    // Another instance has this server in its TENANT_SERVERS; this one does not (a configuration mistake).
    await t.control.query(`INSERT INTO tenant_servers (name, status) VALUES ('elsewhere', 'active')`);
    await t.control.query(`UPDATE tenant_databases SET server = 'elsewhere' WHERE organization_id = $1`, [studio.organizationId]);
    logs.clear();
    const refused = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(503);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/tenant-not-ready$/), detail: 'The studio database is not ready.' });
    await settle();
    expect(logs.lines().filter((l) => l.msg === 'Tenant registered on a server this instance cannot reach')).toEqual([
      expect.objectContaining({ tenantId: studio.organizationId, server: 'elsewhere', err: expect.stringMatching(/"elsewhere" is not configured/) }),
    ]);
    await t.http().get('/api/v1/clients').set('cookie', other.cookie).expect(200);

    // Not cached: once the registry is right again, the next request is served.
    await t.control.query(`UPDATE tenant_databases SET server = 'default' WHERE organization_id = $1`, [studio.organizationId]);
    await t.control.query(`DELETE FROM tenant_servers WHERE name = 'elsewhere'`);
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('a database dropped behind the app → 503 for that studio only; the others keep working', async () => {
    const victim = await registerStudio(t, 'Victim');
    const bystander = await registerStudio(t, 'Bystander');
    await addClient(victim.cookie, 'Victim row').expect(201);
    await addClient(bystander.cookie, 'Bystander row').expect(201);
    expect((await listNames(victim.cookie)).names).toEqual(['Victim row']); // its pool is warm

    await t.admin.query(`DROP DATABASE "${await databaseOf(victim.organizationId)}" WITH (FORCE)`);

    for (let i = 0; i < 5; i++) {
      const res = await listNames(victim.cookie);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 503, type: expect.stringMatching(/tenant-unreachable$/), detail: 'The studio database is unavailable.' });
      const write = await addClient(victim.cookie, 'lost?');
      expect(write.status).toBe(503);
      expect((await listNames(bystander.cookie)).names).toEqual(['Bystander row']);
    }
    await addClient(bystander.cookie, 'Bystander row 2').expect(201);
    expect((await listNames(bystander.cookie)).names).toEqual(['Bystander row', 'Bystander row 2']);
  });

  it('a studio database set read-only (as while it moves to another server) → writes get 503 read-only and write nothing; reads work', async () => {
    const studio = await registerStudio(t, 'ReadOnly');
    await addClient(studio.cookie, 'Before').expect(201);
    const database = await databaseOf(studio.organizationId);
    const pools = t.app.get(TenantDataSources);
    await t.admin.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = on`);
    await pools.closeAll(); // the setting applies to new connections
    try {
      const refused = await addClient(studio.cookie, 'During');
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({
        type: expect.stringMatching(/tenant-read-only$/),
        detail: 'The studio is read-only while its data is being moved; retry shortly.',
      });
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(await listNames(studio.cookie)).toMatchObject({ status: 200, names: ['Before'] });
    } finally {
      await t.admin.query(`ALTER DATABASE "${database}" RESET default_transaction_read_only`);
      await pools.closeAll();
    }
    await addClient(studio.cookie, 'After').expect(201);
  });

  it('a tenant whose schema is behind → 503, and no query runs against it', async () => {
    const behind = await registerStudio(t, 'Behind');
    const tenant = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, await databaseOf(behind.organizationId)) });
    await tenant.connect();
    await tenant.query(`DELETE FROM migrations WHERE "timestamp" = (SELECT max("timestamp") FROM migrations)`);
    // Were any query to reach the clients table, it would now fail with "relation does not exist" (a 500).
    await tenant.query(`ALTER TABLE clients RENAME TO clients_elsewhere`);
    for (let i = 0; i < 3; i++) {
      const res = await listNames(behind.cookie);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: expect.stringMatching(/tenant-schema-mismatch$/), detail: 'The studio database is being upgraded; retry shortly.' });
    }
    await tenant.end();
  });

  it('a tenant database without its migrations table (a partial restore) → 503 schema mismatch, not a 500', async () => {
    const partial = await registerStudio(t, 'NoMigrations');
    const tenant = await connectTenantDatabase(t, partial.organizationId);
    try {
      // The verification reads its version from this table: "relation does not exist" (42P01) is a schema mismatch.
      await tenant.query(`ALTER TABLE migrations RENAME TO migrations_elsewhere`);
    } finally {
      await tenant.end();
    }
    const res = await listNames(partial.cookie);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/tenant-schema-mismatch$/), detail: 'The studio database is being upgraded; retry shortly.' });
  });

  // Each pool signs in as its own tenant's role, which the other database refuses (42501); the
  // owner stamp check behind it is covered with a forged stamp in tenancy-roles.e2e-spec.ts.
  it('a registry pointing at another studio\'s database → 503 for both pools, never the other rows', async () => {
    const a = await registerStudio(t, 'SwapA');
    const b = await registerStudio(t, 'SwapB');
    await addClient(b.cookie, 'B private').expect(201);
    await t.app.get(TenantDataSources).closeAll(); // cold pools, as after a restart
    const [dbA, dbB] = [await databaseOf(a.organizationId), await databaseOf(b.organizationId)];
    // Swap the two registry rows (through a temporary name: database_name is unique).
    const setName = (org: string, name: string) => t.control.query(`UPDATE tenant_databases SET database_name = $2 WHERE organization_id = $1`, [org, name]);
    await setName(a.organizationId, `${dbA}_tmp`);
    await setName(b.organizationId, dbA);
    await setName(a.organizationId, dbB);
    for (const studio of [a, b]) {
      const res = await listNames(studio.cookie);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: expect.stringMatching(/tenant-wrong-database$/), detail: 'The studio database could not be verified.' });
      expect(JSON.stringify(res.body)).not.toContain('B private');
    }
  });

  describe('sign-up is all or nothing', () => {
    const counts = async () => {
      const { rows } = await t.control.query(
        `SELECT (SELECT count(*) FROM organizations) o, (SELECT count(*) FROM users) u, (SELECT count(*) FROM memberships) m,
                (SELECT count(*) FROM tenant_databases) t, (SELECT count(*) FROM sessions) s`,
      );
      return { ...rows[0], databases: (await tenantDatabases(t)).length };
    };

    it('a failure after the database was created (injected) leaves no organization, user or database', async () => {
      const before = await counts();
      const spy = jest.spyOn(t.app.get(SessionsService), 'create').mockRejectedValueOnce(new Error('injected failure'));
      const body = newStudio('Doomed');
      const res = await t.http().post('/api/v1/auth/register').send(body).expect(500);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual({
        type: expect.any(String), title: 'Internal Server Error', status: 500,
        detail: expect.not.stringContaining('injected'), instance: '/api/v1/auth/register', requestId: expect.any(String),
      });
      expect(await counts()).toEqual(before);
      // The same sign-up works afterwards: nothing half-made blocks it.
      await t.http().post('/api/v1/auth/register').send(body).expect(201);
      spy.mockRestore();
    });

    it('a failure right after CREATE DATABASE (injected) drops the new database again', async () => {
      const before = await counts();
      const provisioner = t.app.get(TenantProvisioner);
      const stamp = jest.spyOn(provisioner, 'stampOwner').mockRejectedValueOnce(new Error('lost connection'));
      await t.http().post('/api/v1/auth/register').send(newStudio('NoStamp')).expect(500);
      expect(stamp).toHaveBeenCalledTimes(1);
      expect(await counts()).toEqual(before);
      stamp.mockRestore();
    });

    it('a failure before any database exists (injected) leaves nothing either', async () => {
      const before = await counts();
      const spy = jest.spyOn(t.app.get(TenantProvisioner), 'createDatabase').mockRejectedValueOnce(new Error('disk full'));
      await t.http().post('/api/v1/auth/register').send(newStudio('NoDisk')).expect(500);
      expect(await counts()).toEqual(before);
      spy.mockRestore();
    });
  });
});
