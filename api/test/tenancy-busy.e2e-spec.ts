import { metricOf, metricValue } from './support/http-load.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { eventually } from './support/sse-client.js';
import { holdTenantConnection } from './support/tenancy-fixtures.js';
import { createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

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

  const metric = (name: string) => metricOf(t, name);

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
  /** The lease-wait histogram: how many leases, their total wait, and how many were obtained within 0.1 s and 5 s. */
  const leaseWaits = async () => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const name = 'rsm_tenant_lease_wait_seconds';
    return {
      count: metricValue(text, `${name}_count`),
      sum: metricValue(text, `${name}_sum`),
      within100ms: metricValue(text, `${name}_bucket{le="0.1"}`),
      within5s: metricValue(text, `${name}_bucket{le="5"}`),
    };
  };
  const dataSources = () => t.app.get(TenantDataSources);

  it('open, in use and waiting while one studio holds the only connection, another waits, and its pool retires', async () => {
    const a = await registerStudio(t, 'Holder');
    const b = await registerStudio(t, 'Waiter');
    expect(await gauges()).toEqual({ open: 0, inUse: 0, waiting: 0 }); // signing up opens no pool
    const leasesBefore = await leaseWaits();
    await t.http().get('/api/v1/clients').set('cookie', b.cookie).expect(200);
    expect(await gauges()).toEqual({ open: 1, inUse: 0, waiting: 0 }); // b's pool, its connection idle

    const held = await holdTenantConnection(t, a); // b's idle pool evicted to make room
    expect(await gauges()).toEqual({ open: 1, inUse: 1, waiting: 0 });

    // b waits for a pool slot; a second request of a waits for a's only connection.
    const bStarted = Date.now();
    const bList = t.http().get('/api/v1/clients').set('cookie', b.cookie).then((r) => r);
    const aList = t.http().get('/api/v1/clients').set('cookie', a.cookie).then((r) => r);
    await eventually('both requests waiting', async () => (await gauges()).waiting === 2);
    expect(await gauges()).toEqual({ open: 1, inUse: 1, waiting: 2 });
    // a's pool is leased twice (the held PATCH and its list, which waits inside the pool); b waits for a slot.
    expect(dataSources().stats()).toMatchObject({ open: 1, retiring: 0, leases: 2, waiting: 1 });

    // The registry changed under a's pool (as after a move): retired, but leased, so still open and counted.
    dataSources().retireTenant(a.organizationId, 'test: the registry changed');
    expect(dataSources().stats()).toMatchObject({ open: 0, retiring: 1, leases: 2 });
    expect(await gauges()).toEqual({ open: 1, inUse: 1, waiting: 2 });

    // b's wait is more than 0.1 s, so the histogram has to place it above that bucket.
    await new Promise((r) => setTimeout(r, Math.max(0, 150 - (Date.now() - bStarted))));
    const bWaitedAtLeast = (Date.now() - bStarted) / 1000;
    await held.release();
    expect((await held.patch).status).toBe(200);
    expect((await aList).status).toBe(200);
    expect((await bList).status).toBe(200);
    // a's pool closed once its leases ended; b's is open with its one connection idle.
    expect(await gauges()).toEqual({ open: 1, inUse: 0, waiting: 0 });

    // At least one lease per tenant request (b's first list, a's client, a's PATCH, the two waiting lists):
    // each counted, b's wait in the sum and above the 0.1 s bucket, none above 5 s.
    const leasesAfter = await leaseWaits();
    const leased = leasesAfter.count - leasesBefore.count;
    expect(leased).toBeGreaterThanOrEqual(5);
    expect(leasesAfter.sum - leasesBefore.sum).toBeGreaterThanOrEqual(bWaitedAtLeast);
    expect(leasesAfter.within100ms - leasesBefore.within100ms).toBeLessThanOrEqual(leased - 1);
    expect(leasesAfter.within5s - leasesBefore.within5s).toBe(leased);
  });

  it('closing every pool waits for a leased pool until its lease ends, and for at most the time given', async () => {
    const a = await registerStudio(t, 'LeasedAtClose');
    const held = await holdTenantConnection(t, a);
    // Bounded: a lease that does not end does not hold closeAll past its limit.
    await dataSources().closeAll(50);
    expect(dataSources().stats()).toMatchObject({ open: 0, retiring: 1, leases: 1 });

    let closed = false;
    const closing = dataSources()
      .closeAll(30_000)
      .then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100)); // time for a closeAll that did not wait to return
    expect(closed).toBe(false);
    await held.release();
    expect((await held.patch).status).toBe(200); // the request that had the pool finished on it
    await closing;
    expect(dataSources().stats()).toMatchObject({ open: 0, retiring: 0, leases: 0 });
    const { rows } = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [await tenantDatabaseOf(t, a.organizationId)]);
    expect(rows[0].n).toBe(0); // its connection is gone, as PostgreSQL sees it
  });
});

/** Tenant work, as a job does it, holding a lease on the studio's pool (and a connection) until `finish()`. */
const leaseUntilFinished = (pools: TenantDataSources, organizationId: string) => {
  let finish = () => {};
  const gate = new Promise<void>((resolve) => (finish = resolve));
  const work = pools.withTenant(organizationId, async (ds) => {
    await ds.query('SELECT 1');
    await gate;
    return (await ds.query('SELECT count(*)::int AS n FROM clients'))[0].n as number;
  });
  return { work, finish };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The books the pools keep while requests wait for a slot: how many wait, for how many pools (which bounds
 * the evictions in flight, issue 14), and the most pools ever held. A wait that ends, by a slot or by its
 * timeout, is taken off exactly once, or later waits are miscounted and evict too little or too much.
 */
describe('waiting for a pool slot', () => {
  const ACQUIRE_MS = 3_000;
  let t: TestApp;
  let pools: TenantDataSources;
  const holders: Array<ReturnType<typeof leaseUntilFinished>> = [];
  beforeAll(async () => {
    // Two pools of one connection each.
    t = await createTestApp({ DB_CONNECTION_BUDGET: '2', TENANT_POOL_SIZE: '1', TENANT_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS) });
    pools = t.app.get(TenantDataSources);
  });
  afterEach(async () => {
    for (const holder of holders.splice(0)) {
      holder.finish();
      await holder.work.catch(() => undefined);
    }
    await pools.closeAll();
  });
  afterAll(async () => {
    await t?.close();
  });

  const hold = async (organizationId: string) => {
    const holder = leaseUntilFinished(pools, organizationId);
    holders.push(holder);
    await eventually('the holder has its lease', async () => pools.stats().leases === holders.length);
    return holder;
  };
  /** A lease for the studio: 'served' once it gets one, else the reason it was refused. */
  const wait = (organizationId: string) =>
    pools.withTenant(organizationId, async () => 'served').catch((err: { reason?: string }) => err.reason ?? String(err));

  // First in its app: the peak starts at 0 here.
  it('the peak counts a retired pool still leased: it holds its connection until the lease ends', async () => {
    const [a, b] = [await registerStudio(t, 'PeakRetired'), await registerStudio(t, 'PeakNew')];
    const holder = await hold(a.organizationId);
    expect(pools.stats()).toMatchObject({ open: 1, retiring: 0, peak: 1 });
    pools.retireTenant(a.organizationId, 'test: the registry changed');
    expect(await wait(b.organizationId)).toBe('served'); // room for one more: b's pool opens beside a's
    expect(pools.stats()).toMatchObject({ open: 1, retiring: 1, peak: 2 });
    holder.finish();
    expect(await holder.work).toBe(0);
    await eventually('the retired pool closed', async () => pools.stats().retiring === 0);
    expect(pools.stats()).toMatchObject({ open: 1, retiring: 0, peak: 2, leases: 0 });
  });

  it('requests for one studio that time out one after the other are taken off one at a time', async () => {
    const [a, c, b] = [await registerStudio(t, 'HoldsOne'), await registerStudio(t, 'HoldsTwo'), await registerStudio(t, 'TimesOut')];
    await hold(a.organizationId);
    await hold(c.organizationId); // both slots leased: b can only wait
    const first = wait(b.organizationId);
    await eventually('the first request waits', async () => pools.stats().waiting === 1);
    expect(pools.stats()).toMatchObject({ waiting: 1, poolsWaitedFor: 1 });
    await sleep(ACQUIRE_MS / 2);
    const second = wait(b.organizationId);
    await eventually('the second request waits', async () => pools.stats().waiting === 2);
    expect(pools.stats()).toMatchObject({ waiting: 2, poolsWaitedFor: 1 }); // two requests, one pool

    expect(await first).toBe('busy');
    // Read at once (in this process, before the second's timer): the second still waits, for b's pool.
    expect(pools.stats()).toMatchObject({ waiting: 1, poolsWaitedFor: 1 });
    expect(await second).toBe('busy');
    expect(pools.stats()).toMatchObject({ waiting: 0, poolsWaitedFor: 0, leases: 2 });
  });

  it('a request served before its timeout leaves no timer behind to take a later wait off', async () => {
    const [a, c, b] = [await registerStudio(t, 'FreesSoon'), await registerStudio(t, 'StaysBusy'), await registerStudio(t, 'ServedThenWaits')];
    const soon = await hold(a.organizationId);
    await hold(c.organizationId);
    const started = Date.now();
    const first = wait(b.organizationId);
    await eventually('b waits', async () => pools.stats().waiting === 1);
    soon.finish(); // a's lease ends: b gets its slot, long before its timeout
    expect(await first).toBe('served');

    // b's idle pool is evicted by a (which now holds the slot again), so b waits once more, for a new pool.
    holders.splice(holders.indexOf(soon), 1);
    await hold(a.organizationId);
    // Half a timeout after the first began, so that the second still waits when the first's timeout has passed.
    await sleep(Math.max(0, started + ACQUIRE_MS / 2 - Date.now()));
    const second = wait(b.organizationId);
    await eventually('b waits again', async () => pools.stats().waiting === 1);
    // Past the first wait's timeout, inside the second's: a timer left from the first would have fired by now.
    await sleep(Math.max(0, started + ACQUIRE_MS + 250 - Date.now()));
    expect(pools.stats()).toMatchObject({ waiting: 1, poolsWaitedFor: 1 });
    expect(await second).toBe('busy');
    expect(pools.stats()).toMatchObject({ waiting: 0, poolsWaitedFor: 0 });
  });
});

/**
 * Shutting down (SIGTERM, a deploy; main.ts has drained the HTTP requests by then) closes every tenant pool,
 * waiting for work still running on one (a job), and PostgreSQL sees no connection of the instance left: else
 * each restart would leave a pool's connections on every studio's server until PostgreSQL noticed the dead sockets.
 */
describe('shutting down the application', () => {
  it('closes every tenant pool once the work on it ends, leaves no tenant connection open, and opens none after', async () => {
    const t = await createTestApp();
    let closed = false;
    let job: ReturnType<typeof leaseUntilFinished> | undefined;
    try {
      const idle = await registerStudio(t, 'IdleAtShutdown');
      const busy = await registerStudio(t, 'BusyAtShutdown');
      await t.http().get('/api/v1/clients').set('cookie', idle.cookie).expect(200);
      const pools = t.app.get(TenantDataSources);
      job = leaseUntilFinished(pools, busy.organizationId);
      const databases = [await tenantDatabaseOf(t, idle.organizationId), await tenantDatabaseOf(t, busy.organizationId)];
      const appConnections = async () =>
        (await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ANY($1) AND application_name LIKE 'rsm:%'`, [databases])).rows[0].n as number;
      await eventually('both pools connected', async () => (await appConnections()) === 2);

      const closing = t.app.close().then(() => (closed = true));
      await eventually('the idle pool closed, the leased one waiting for its lease', async () => pools.stats().open === 0 && pools.stats().retiring === 1);
      expect(closed).toBe(false);
      job.finish();
      expect(await job.work).toBe(0); // the work finished on its pool
      await closing;
      expect(await appConnections()).toBe(0);
      // Work that reaches for a studio after shutdown (a job finishing late) is refused, and opens no pool
      // that nothing would close.
      await expect(pools.withTenant(idle.organizationId, async () => 'ran')).rejects.toMatchObject({ reason: 'busy' });
      expect(pools.stats()).toMatchObject({ open: 0, retiring: 0, leases: 0 });
      expect(await appConnections()).toBe(0);
    } finally {
      job?.finish();
      await t.close(); // closes the app first (again, if the test did)
    }
  });

  it('work waiting for a pool slot when shutdown begins is refused at once, not left to wait out its timeout', async () => {
    const t = await createTestApp({ DB_CONNECTION_BUDGET: '1', TENANT_POOL_SIZE: '1', TENANT_ACQUIRE_TIMEOUT_MS: '30000' });
    let holding: ReturnType<typeof leaseUntilFinished> | undefined;
    try {
      const holder = await registerStudio(t, 'HoldsTheSlot');
      const waiter = await registerStudio(t, 'WaitsForIt');
      const pools = t.app.get(TenantDataSources);
      holding = leaseUntilFinished(pools, holder.organizationId);
      await eventually('the holder has the slot', async () => pools.stats().leases === 1);
      const waiting = pools.withTenant(waiter.organizationId, async () => 'ran').then(
        () => 'served',
        (err: { reason?: string }) => err.reason,
      );
      await eventually('the other waits for it', async () => pools.stats().waiting === 1);

      const closing = t.app.close();
      // Still holding the slot: only shutdown itself can end the wait this soon.
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([waiting, new Promise((r) => (timer = setTimeout(() => r('still waiting after 3 s'), 3_000)))]);
      clearTimeout(timer);
      expect(outcome).toBe('busy');
      holding.finish();
      await holding.work;
      await closing;
    } finally {
      holding?.finish();
      await t.close(); // closes the app first (again, if the test did)
    }
  });
});
