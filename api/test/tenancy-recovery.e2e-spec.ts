import { quoteIdent } from '../src/database/postgres-url.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TenantRoles } from '../src/tenancy/tenant-roles.js';
import { metricOf } from './support/http-load.js';
import { eventually } from './support/sse-client.js';
import { holdTenantConnection } from './support/tenancy-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * A pool that lost a connection mid-query must be re-verified before it serves again, and a pool that
 * is leased must never be evicted. Both bugs leave the budget intact, so only these tests see them.
 */
describe('tenant pools: recovery and leases', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One pool of one connection in all.
    t = await createTestApp({ DB_CONNECTION_BUDGET: '1', TENANT_POOL_SIZE: '1', TENANT_ACQUIRE_TIMEOUT_MS: '400', DB_CONNECT_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const metric = (name: string) => metricOf(t, name);
  const databaseOf = (organizationId: string) => tenantDatabaseOf(t, organizationId);
  /** As if restored from an old backup: the schema one migration behind the code, its clients table elsewhere. */
  const restoreOneMigrationBehind = async (organizationId: string) => {
    const tenant = await connectTenantDatabase(t, organizationId);
    try {
      await tenant.query(`DELETE FROM migrations WHERE timestamp = (SELECT max(timestamp) FROM migrations)`);
      await tenant.query(`ALTER TABLE clients RENAME TO clients_restored_elsewhere`);
    } finally {
      await tenant.end();
    }
  };

  it('a backend killed mid-query → 503; the pool is rebuilt and re-verified, so a schema now behind is a 503, never a 500', async () => {
    const studio = await registerStudio(t, 'Killed');
    const held = await holdTenantConnection(t, studio);
    const database = await databaseOf(studio.organizationId);
    // Kill the app's connection (application_name rsm:<org id>), not the test's locker.
    const killed = await t.admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
      [database, `rsm:${studio.organizationId}`],
    );
    expect(killed.rowCount).toBe(1);
    const res = await held.patch;
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await held.release();

    await restoreOneMigrationBehind(studio.organizationId);
    const next = await t.http().get('/api/v1/clients').set('cookie', studio.cookie);
    expect(next.status).toBe(503);
    expect(next.body.type).toMatch(/schema-mismatch$/);
  });

  it('an idle pool whose connection is ended (a restart) is retired at once, so a schema now behind is a 503 on the next request', async () => {
    const studio = await registerStudio(t, 'EndedWhileIdle');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200); // its pool open, the connection idle
    const database = await databaseOf(studio.organizationId);
    const pools = t.app.get(TenantDataSources);
    expect(pools.stats()).toMatchObject({ open: 1, retiring: 0, leases: 0 });
    const coldBefore = await metric('rsm_tenant_pool_cold_starts_total');

    const ended = await t.admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [
      database,
      `rsm:${studio.organizationId}`,
    ]);
    expect(ended.rowCount).toBe(1);
    // No request needed: the idle connection's error retires the pool.
    await eventually('the pool retired and closed', async () => pools.stats().open === 0 && pools.stats().retiring === 0);

    // Restored from an old backup meanwhile: a pool that merely reconnected would run this code's SQL on it.
    await restoreOneMigrationBehind(studio.organizationId);
    const next = await t.http().get('/api/v1/clients').set('cookie', studio.cookie);
    expect(next.status).toBe(503);
    expect(next.body.type).toMatch(/schema-mismatch$/);
    expect(await metric('rsm_tenant_pool_cold_starts_total')).toBe(coldBefore + 1); // a new pool, verified
  });

  it('a leased pool is never evicted: another studio gets 503 busy, and the holder keeps its pool', async () => {
    const a = await registerStudio(t, 'Holder');
    const b = await registerStudio(t, 'Turned away');
    await t.http().get('/api/v1/clients').set('cookie', a.cookie).expect(200); // A's pool is open
    const held = await holdTenantConnection(t, a);
    const [evictionsBefore, coldBefore] = [await metric('rsm_tenant_pool_evictions_total'), await metric('rsm_tenant_pool_cold_starts_total')];

    const refused = await t.http().get('/api/v1/clients').set('cookie', b.cookie);
    expect(refused.status).toBe(503);
    expect(refused.body.type).toMatch(/tenant-busy$/);

    await held.release();
    expect((await held.patch).status).toBe(200);
    await t.http().get('/api/v1/clients').set('cookie', a.cookie).expect(200);
    // Nothing was evicted or reopened for A while it was leased.
    expect(await metric('rsm_tenant_pool_evictions_total')).toBe(evictionsBefore);
    expect(await metric('rsm_tenant_pool_cold_starts_total')).toBe(coldBefore);
  });
});

/**
 * A verified pool whose next new connection is refused CONNECT: what a pool on an old copy meets once a
 * move fenced it (TenantMover) before this instance heard of the move. 503 "moving", and the pool is retired,
 * so the next request builds and verifies a new one.
 */
describe('tenant pools: a new connection refused CONNECT', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TENANT_POOL_SIZE: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('→ 503 tenant-moving for that request, and the pool is replaced once CONNECT is back', async () => {
    const studio = await registerStudio(t, 'Fenced');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200); // the pool is open and verified
    const held = await holdTenantConnection(t, studio); // its one connection, busy in a PATCH
    const database = await tenantDatabaseOf(t, studio.organizationId);
    const role = t.app.get(TenantRoles).roleFor(studio.organizationId);
    await t.admin.query(`REVOKE CONNECT ON DATABASE ${quoteIdent(database)} FROM ${quoteIdent(role)}`);
    try {
      const refused = await t.http().get('/api/v1/clients').set('cookie', studio.cookie); // needs a second connection
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ type: expect.stringMatching(/tenant-moving$/), detail: 'The studio database has just moved; retry shortly.' });
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      await t.admin.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(role)}`);
      await held.release();
    }
    expect((await held.patch).status).toBe(200); // the request already under way finishes on the retired pool

    const coldBefore = await metricOf(t, 'rsm_tenant_pool_cold_starts_total');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    expect(await metricOf(t, 'rsm_tenant_pool_cold_starts_total')).toBe(coldBefore + 1); // a new pool, not the fenced one
  });
});
