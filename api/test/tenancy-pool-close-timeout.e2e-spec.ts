import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { LogCapture, settle } from './support/log-capture.js';
import { startSlowGoodbyeProxy, type SlowGoodbyeProxy } from './support/slow-goodbye-proxy.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * A connection whose goodbye PostgreSQL never acknowledges (a partitioned network, a frozen server) must
 * not wedge the budget: after closeTenantPool's 5 s the slot is given back anyway and the operator is told
 * which studio's connections may still be open on the server.
 */
describe('a tenant pool whose connections outlive the close timeout', () => {
  let proxy: SlowGoodbyeProxy;
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    const direct = process.env.RSM_TEST_PG_URL!;
    proxy = await startSlowGoodbyeProxy(direct, 0);
    process.env.RSM_TEST_PG_URL = proxy.url;
    try {
      // One pool in all, and requests that wait long enough for the stuck close to give up.
      t = await createTestApp(
        { DB_CONNECTION_BUDGET: '1', TENANT_POOL_SIZE: '1', TENANT_ACQUIRE_TIMEOUT_MS: '20000', LOG_LEVEL: 'warn' },
        { logDestination: logs },
      );
    } finally {
      process.env.RSM_TEST_PG_URL = direct;
    }
  });
  afterAll(async () => {
    proxy?.setDelay(0);
    await t?.close();
    await proxy?.close();
  });

  it('is reported once the timeout passes, and its slot goes to the studio waiting for it', async () => {
    const stuck = await registerStudio(t, 'StuckGoodbye');
    const next = await registerStudio(t, 'NextInLine');
    await t.http().get('/api/v1/clients').set('cookie', stuck.cookie).expect(200);
    proxy.setDelay(60_000); // longer than the test: its goodbye never arrives
    logs.clear();

    // The only slot is stuck's idle pool: evicted for next, whose request is served after the 5 s close timeout.
    const started = Date.now();
    await t.http().get('/api/v1/clients').set('cookie', next.cookie).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    await settle();
    expect(logs.lines().filter((l) => l.msg === 'Tenant pool connections still open after closing')).toEqual([
      expect.objectContaining({ tenantId: stuck.organizationId, stillOpen: 1 }),
    ]);
    expect(t.app.get(TenantDataSources).stats()).toMatchObject({ open: 1, retiring: 0 });

    // A pool that closes in time is not reported: next's pool, evicted for stuck with goodbyes prompt again.
    proxy.setDelay(0);
    await t.http().get('/api/v1/clients').set('cookie', stuck.cookie).expect(200);
    await settle();
    expect(logs.lines().filter((l) => l.msg === 'Tenant pool connections still open after closing')).toHaveLength(1);
    // Evictions are routine: never reported as a database that became unavailable.
    expect(logs.lines().filter((l) => l.msg === 'Retiring tenant pool: database unavailable')).toEqual([]);
  });
});
