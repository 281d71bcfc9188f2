import { metricValue } from './support/http-load.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { eventually } from './support/sse-client.js';
import { holdTenantConnection } from './support/tenancy-fixtures.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Saturation: a request that cannot get a slot waits a bounded time and gets a 503 "busy" problem,
 * never a connection over budget; a busy pool is not mistaken for a dead database.
 */
describe('tenancy under saturation', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One pool of one connection in all: the smallest budget there is.
    t = await createTestApp({ DB_CONNECTION_BUDGET: '1', TENANT_POOL_SIZE: '1', TENANT_ACQUIRE_TIMEOUT_MS: '400', DB_CONNECT_TIMEOUT_MS: '400' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const metric = async (name: string) => metricValue((await t.http().get('/metrics')).text, name);

  it('another studio waits for the only slot, then gets a 503 busy problem; both work once it frees', async () => {
    const a = await registerStudio(t, 'HoldsSlot');
    const b = await registerStudio(t, 'Waits');
    const held = await holdTenantConnection(t, a);

    const started = Date.now();
    const res = await t.http().get('/api/v1/clients').set('cookie', b.cookie);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/tenant-busy$/), detail: 'The studio database is busy; retry shortly.' });
    expect(res.headers['retry-after']).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    // The app's tenant connections (application_name rsm:<org id>), not the test's locker: never over budget.
    const { rows } = await t.admin.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1 AND application_name LIKE 'rsm:%'`,
      [`${t.config.tenancy.databasePrefix}%`],
    );
    expect(rows[0].n).toBe(1);

    await held.release();
    expect((await held.patch).status).toBe(200);
    await t.http().get('/api/v1/clients').set('cookie', b.cookie).expect(200);
    await t.http().get('/api/v1/clients').set('cookie', a.cookie).expect(200);
  });

  it('a pool whose connections are all busy answers 503 busy and is kept, not retired as dead', async () => {
    const a = await registerStudio(t, 'BusyPool');
    const held = await holdTenantConnection(t, a);
    const coldBefore = await metric('rsm_tenant_pool_cold_starts_total');

    const res = await t.http().get('/api/v1/clients').set('cookie', a.cookie);
    expect(res.status).toBe(503);
    expect(res.body.type).toMatch(/tenant-busy$/);

    await held.release();
    expect((await held.patch).status).toBe(200);
    const list = await t.http().get('/api/v1/clients').set('cookie', a.cookie).expect(200);
    expect(list.body.items[0].notes).toBe('after the lock');
    expect(await metric('rsm_tenant_pool_cold_starts_total')).toBe(coldBefore); // same pool all along
  });
});

/**
 * The pool gauges an operator watches for saturation read what the pools hold at that moment: a retiring
 * pool still counts (its connection is still open), connections in use are the checked-out ones (not the
 * idle), and waiting counts both requests waiting for a pool slot and those waiting for a connection.
 */
describe('the tenant pool gauges under saturation', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Long waits, so that the gauges can be read while requests wait (no 503 in this test).
    t = await createTestApp({ DB_CONNECTION_BUDGET: '1', TENANT_POOL_SIZE: '1', TENANT_ACQUIRE_TIMEOUT_MS: '15000', DB_CONNECT_TIMEOUT_MS: '15000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const gauges = async () => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    return {
      open: metricValue(text, 'rsm_tenant_pools_open'),
      inUse: metricValue(text, 'rsm_tenant_connections_in_use'),
      waiting: metricValue(text, 'rsm_tenant_connections_waiting'),
    };
  };

  it('open, in use and waiting while one studio holds the only connection, another waits, and its pool retires', async () => {
    const a = await registerStudio(t, 'Holder');
    const b = await registerStudio(t, 'Waiter');
    expect(await gauges()).toEqual({ open: 0, inUse: 0, waiting: 0 }); // signing up opens no pool
    await t.http().get('/api/v1/clients').set('cookie', b.cookie).expect(200);
    expect(await gauges()).toEqual({ open: 1, inUse: 0, waiting: 0 }); // b's pool, its connection idle

    const held = await holdTenantConnection(t, a); // b's idle pool evicted to make room
    expect(await gauges()).toEqual({ open: 1, inUse: 1, waiting: 0 });

    // b waits for a pool slot; a second request of a waits for a's only connection.
    const bList = t.http().get('/api/v1/clients').set('cookie', b.cookie).then((r) => r);
    const aList = t.http().get('/api/v1/clients').set('cookie', a.cookie).then((r) => r);
    await eventually('both requests waiting', async () => (await gauges()).waiting === 2);
    expect(await gauges()).toEqual({ open: 1, inUse: 1, waiting: 2 });

    // The registry changed under a's pool (as after a move): retired, but leased, so still open and counted.
    t.app.get(TenantDataSources).retireTenant(a.organizationId, 'test: the registry changed');
    expect(t.app.get(TenantDataSources).stats()).toMatchObject({ open: 0, retiring: 1, leases: 2 });
    expect(await gauges()).toEqual({ open: 1, inUse: 1, waiting: 2 });

    await held.release();
    expect((await held.patch).status).toBe(200);
    expect((await aList).status).toBe(200);
    expect((await bList).status).toBe(200);
    // a's pool closed once its leases ended; b's is open with its one connection idle.
    expect(await gauges()).toEqual({ open: 1, inUse: 0, waiting: 0 });
  });
});
