import { metricValue } from './support/http-load.js';
import { LogCapture, settle } from './support/log-capture.js';
import { waitForLockWaiters } from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';
import { TenantRegistryWatch } from '../src/tenancy/tenant-registry-watch.service.js';

/**
 * Defect 10: with the control database down, every request logged an error with a stack. An outage
 * is logged once per dependency and state change; each failure is counted in the metrics.
 */
describe('a dependency outage is logged once, and counted', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  const metrics = async () => (await t.http().get('/metrics').expect(200)).text;
  const controlName = () => new URL(t.config.databaseUrl!).pathname.slice(1);

  /** Takes the control database away (renamed, so connections get "does not exist"), then puts it back. */
  async function controlDown() {
    const name = controlName();
    t.control.on('error', () => undefined); // the test's own connection is cut too (and not used again)
    await t.admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    await t.admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    for (let i = 0; ; i++) {
      try {
        await t.admin.query(`ALTER DATABASE "${name}" RENAME TO "${name}_away"`);
        break;
      } catch (err) {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 100)); // terminated backends take a moment to go
      }
    }
    return async function controlUp() {
      await t.admin.query(`ALTER DATABASE "${name}_away" RENAME TO "${name}"`);
      await t.admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
    };
  }

  it("a studio database that is gone: one warning for that studio, every failure counted, other studios unaffected", async () => {
    const victim = await registerStudio(t, 'Gone');
    const other = await registerStudio(t, 'Fine');
    await t.http().get('/api/v1/clients').set('cookie', victim.cookie).expect(200);
    const errorsBefore = metricValue(await metrics(), 'rsm_dependency_errors_total{dependency="tenant"}');
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [victim.organizationId]);
    await t.admin.query(`DROP DATABASE "${rows[0].database_name}" WITH (FORCE)`);

    logs.clear();
    const N = 10;
    for (let i = 0; i < N; i++) expect((await t.http().get('/api/v1/clients').set('cookie', victim.cookie)).status).toBe(503);
    await t.http().get('/api/v1/clients').set('cookie', other.cookie).expect(200);
    await settle();
    const loud = logs.lines().filter((l) => l.level >= 40);
    expect(loud.slice(2)).toEqual([]); // at most two: the outage, and the pool retired once by TenantDataSources
    // The warning says why (the 503's cause: PostgreSQL's "database does not exist"), or an operator has nothing to go on.
    expect(loud.filter((l) => l.dependency === 'tenant')).toEqual([
      expect.objectContaining({ tenantId: victim.organizationId, error: expect.objectContaining({ code: '3D000' }) }),
    ]);
    expect(logs.text()).not.toMatch(/"stack"/);
    const after = await metrics();
    expect(metricValue(after, 'rsm_dependency_errors_total{dependency="tenant"}')).toBe(errorsBefore + N);
    expect(metricValue(after, 'rsm_tenant_databases_unreachable')).toBe(1);
  });

  it('a studio database dropped under three requests on one pool: three 503s, the pool retired once and said once', async () => {
    const victim = await registerStudio(t, 'DroppedUnderLoad');
    const { body: client } = await t.http().post('/api/v1/clients').set('cookie', victim.cookie).send({ name: 'Locked' }).expect(201);
    const locker = await connectTenantDatabase(t, victim.organizationId);
    locker.on('error', () => undefined); // cut with the database, like the app's connections
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM clients WHERE id = $1 FOR UPDATE`, [client.id]);
    const database = await tenantDatabaseOf(t, victim.organizationId);
    // Three connections of the pool busy at once, each waiting on the lock.
    const patches = ['a', 'b', 'c'].map((notes) => t.http().patch(`/api/v1/clients/${client.id}`).set('cookie', victim.cookie).send({ notes }).then((r) => r));
    await waitForLockWaiters(t, database, 3);

    logs.clear();
    await t.admin.query(`DROP DATABASE "${database}" WITH (FORCE)`); // every connection cut, the test's locker too
    await locker.end().catch(() => undefined);
    expect((await Promise.all(patches)).map((r) => r.status)).toEqual([503, 503, 503]);
    await settle();
    expect(logs.lines().filter((l) => l.msg === 'Retiring tenant pool: database unavailable')).toEqual([
      expect.objectContaining({ tenantId: victim.organizationId }),
    ]);
  });

  it('N requests while the control database is down: 503 problems, a couple of log lines, the counter grows by N', async () => {
    const studio = await registerStudio(t, 'Outage');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200); // its pool open: the registry checks read the control database
    const before = await metrics();
    const errorsBefore = metricValue(before, 'rsm_dependency_errors_total{dependency="control"}');
    expect(metricValue(before, 'rsm_dependency_up{dependency="control"}')).toBe(1);

    const controlUp = await controlDown();
    let restored = false;
    try {
      logs.clear();
      const N = 20;
      for (let i = 0; i < N; i++) {
        const res = i % 2 ? await t.http().get('/api/v1/clients').set('cookie', studio.cookie) : await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: 'wrong password' });
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['retry-after']).toBeDefined();
      }
      // Long enough for the notification bus's reconnects (250 ms, 500 ms, 1 s…) to fail a few times: an
      // outage is one warning, not one per retry (on a slow CI machine they once made a third loud line).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      // The tenant registry checks (every few seconds) fail too: part of the same outage, not a warning each.
      for (let i = 0; i < 3; i++) await expect(t.app.get(TenantRegistryWatch).checkNow()).rejects.toThrow();
      await settle();
      const loud = logs.lines().filter((l) => l.level >= 40);
      expect(loud.slice(2)).toEqual([]); // at most two (a failure shows the extra lines)
      expect(loud.filter((l) => l.context === 'TenantRegistryWatch')).toEqual([]); // its failures are the outage's, logged once
      expect(logs.text()).not.toMatch(/"stack"/);
      expect(loud).toContainEqual(expect.objectContaining({ dependency: 'control' })); // the outage, once (the bus's lost connection may come first)

      const during = await metrics();
      expect(metricValue(during, 'rsm_dependency_errors_total{dependency="control"}')).toBe(errorsBefore + N);
      expect(metricValue(during, 'rsm_dependency_up{dependency="control"}')).toBe(0);

      await controlUp();
      restored = true;
      logs.clear();
      await t.http().get('/health/ready').expect(200);
      await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
      await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
      await settle();
      const recovered = logs.lines().filter((l) => l.dependency === 'control');
      expect(recovered).toHaveLength(1); // "back", once
      expect(metricValue(await metrics(), 'rsm_dependency_up{dependency="control"}')).toBe(1);
    } finally {
      if (!restored) await controlUp();
    }
  });
});
