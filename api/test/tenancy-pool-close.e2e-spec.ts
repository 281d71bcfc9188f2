import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { PoolSockets } from '../src/tenancy/pool-sockets.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { metricOf } from './support/http-load.js';
import { startSlowGoodbyeProxy, type SlowGoodbyeProxy } from './support/slow-goodbye-proxy.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * The connection budget counts what PostgreSQL sees. A retired pool's slot is given back only once
 * its connections are really gone: pg-pool's end() resolves before its sockets close (a CI run saw
 * 9 tenant backends under a budget of 8 while pools were evicted). Here every connection goes
 * through a proxy that holds each goodbye for 250 ms, so a slot freed too early is seen every time.
 */
describe('closing a tenant pool', () => {
  const BUDGET = 4;
  let proxy: SlowGoodbyeProxy;
  let t: TestApp;
  beforeAll(async () => {
    const direct = process.env.RSM_TEST_PG_URL!;
    proxy = await startSlowGoodbyeProxy(direct, 250);
    process.env.RSM_TEST_PG_URL = proxy.url;
    try {
      t = await createTestApp({ DB_CONNECTION_BUDGET: String(BUDGET), TENANT_POOL_SIZE: '2' });
    } finally {
      process.env.RSM_TEST_PG_URL = direct;
    }
  });
  afterAll(async () => {
    await t?.close();
    await proxy.close();
  });

  const backends = async (applicationName: string) =>
    (await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1`, [applicationName])).rows[0].n as number;
  /** The app's tenant pool connections (application_name rsm:<organization id>) on this app's tenant databases. */
  const tenantBackends = async () =>
    (
      await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'rsm:%' AND datname LIKE $1`, [
        `${t.config.tenancy.databasePrefix}%`,
      ])
    ).rows[0].n as number;

  it('pg-pool alone resolves end() with its connections still open; PoolSockets waits until they are gone', async () => {
    const sockets = new PoolSockets();
    expect(await sockets.allClosed(0)).toBe(true); // nothing opened yet: closed at once
    const applicationName = `pool-close-${process.pid}`;
    const pool = new pg.Pool({ connectionString: withDatabase(proxy.url, 'postgres'), max: 3, application_name: applicationName, Client: sockets.Client });
    await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
    expect(sockets.size).toBe(3);
    expect(await sockets.allClosed(20)).toBe(false); // still open at the timeout

    await pool.end();
    // The library's behaviour this guards against: end() has resolved, and PostgreSQL still has them.
    expect(sockets.size).toBe(3);
    expect(await backends(applicationName)).toBe(3);
    expect(await sockets.allClosed(5_000)).toBe(true);
    expect(await backends(applicationName)).toBe(0);
    expect(await sockets.allClosed(0)).toBe(true);
  });

  it('an evicted pool frees its slot only once PostgreSQL has seen its connections go', async () => {
    const pools = t.app.get(TenantDataSources);
    const studios = [await registerStudio(t, 'CloseA'), await registerStudio(t, 'CloseB'), await registerStudio(t, 'CloseC')];
    const seen: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const studio of studios) {
        // Two connections at once, so each pool holds both; two pools fill the budget, so each studio evicts another's.
        await pools.withTenant(studio.organizationId, async (ds) => {
          await Promise.all([ds.query('SELECT pg_sleep(0.02)'), ds.query('SELECT pg_sleep(0.02)')]);
          seen.push(await tenantBackends());
        });
      }
    }
    expect(seen.length).toBe(6);
    expect(Math.max(...seen)).toBeLessThanOrEqual(BUDGET);
    expect(pools.stats().peak).toBe(2);

    await pools.closeAll();
    expect(await tenantBackends()).toBe(0);
  });

  // Issue 14: room is made per pool waited for, not per waiting request. Each eviction here takes
  // ~250 ms to free its slot (the proxy), so the whole burst waits for the cold studio's pool at once.
  it('a burst of 10 requests for one cold studio evicts one idle pool and opens one, not one per request', async () => {
    const cold = await registerStudio(t, 'BurstCold');
    const warm = [await registerStudio(t, 'WarmA'), await registerStudio(t, 'WarmB')];
    for (const studio of warm) await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    const pools = t.app.get(TenantDataSources);
    expect(pools.stats()).toMatchObject({ open: 2, retiring: 0, leases: 0, capacity: 2 }); // full, all idle; the cold studio has none
    const [evictionsBefore, coldBefore] = [await metricOf(t, 'rsm_tenant_pool_evictions_total'), await metricOf(t, 'rsm_tenant_pool_cold_starts_total')];

    const burst = await Promise.all(Array.from({ length: 10 }, () => t.http().get('/api/v1/clients').set('cookie', cold.cookie)));

    expect(burst.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await metricOf(t, 'rsm_tenant_pool_evictions_total')) - evictionsBefore).toBe(1);
    expect((await metricOf(t, 'rsm_tenant_pool_cold_starts_total')) - coldBefore).toBe(1);
    // The other warm studio kept its pool: served without a cold start.
    await t.http().get('/api/v1/clients').set('cookie', warm[1].cookie).expect(200);
    expect((await metricOf(t, 'rsm_tenant_pool_cold_starts_total')) - coldBefore).toBe(1);
    expect(pools.stats().peak).toBe(2);
  });

  it('the pool evicted to make room is the least recently used, not the first opened', async () => {
    const pools = t.app.get(TenantDataSources);
    await pools.closeAll();
    const [first, second, third] = [await registerStudio(t, 'OpenedFirst'), await registerStudio(t, 'OpenedSecond'), await registerStudio(t, 'Third')];
    const list = (studio: { cookie: string }) => t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    await list(first);
    await list(second);
    await list(first); // now the most recently used
    await list(third); // full: one of the two goes
    const coldBefore = await metricOf(t, 'rsm_tenant_pool_cold_starts_total');
    await list(first);
    expect(await metricOf(t, 'rsm_tenant_pool_cold_starts_total')).toBe(coldBefore); // kept
    await list(second);
    expect(await metricOf(t, 'rsm_tenant_pool_cold_starts_total')).toBe(coldBefore + 1); // the one evicted
  });
});
