import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TENANT_REGISTRY_CHANNEL, TenantRegistryWatch } from '../src/tenancy/tenant-registry-watch.service.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../src/tenant-schema/tenant-migrations.js';
import { metricOf } from './support/http-load.js';
import { LogCapture, settle } from './support/log-capture.js';
import { waitForLockWaiters } from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 8, ops-servers: in a rolling deploy, a newer release migrates a tenant while this (older)
 * instance still has a verified pool on it. This instance must notice and answer 503 for that tenant,
 * never run its stale SQL there (here: on a column the newer release renamed), and serve the others.
 */
describe('a tenant migrated ahead by a newer release', () => {
  let t: TestApp;
  const logs = new LogCapture();
  const AHEAD = String(BigInt(LATEST_TENANT_SCHEMA_VERSION) + 1n);

  beforeAll(async () => {
    // The interval is an hour here, so the NOTIFY path and the explicit check are what the tests exercise.
    t = await createTestApp({ TENANT_REGISTRY_WATCH_MS: '3600000', LOG_LEVEL: 'info' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  const databaseOf = async (organizationId: string) =>
    (await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0].database_name as string;
  const clientCount = async (organizationId: string) => {
    const c = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, await databaseOf(organizationId)) });
    await c.connect();
    try {
      return (await c.query(`SELECT count(*)::int AS n FROM clients`)).rows[0].n as number;
    } finally {
      await c.end();
    }
  };
  /** What the newer release's migration does: a contract step this release's SQL cannot run on, and its records. */
  const migrateAhead = async (organizationId: string, { registry = true, breaking = true } = {}) => {
    const c = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, await databaseOf(organizationId)) });
    await c.connect();
    if (breaking) await c.query(`ALTER TABLE clients RENAME COLUMN name TO full_name`);
    await c.query(`INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)`, [AHEAD, `RenameClientName${AHEAD}`]);
    await c.end();
    if (registry) await t.control.query(`UPDATE tenant_databases SET schema_version = $2 WHERE organization_id = $1`, [organizationId, AHEAD]);
  };
  const coldStarts = () => metricOf(t, 'rsm_tenant_pool_cold_starts_total');
  const list = (cookie: string) => t.http().get('/api/v1/clients').set('cookie', cookie);
  const add = (cookie: string, name: string) => t.http().post('/api/v1/clients').set('cookie', cookie).send({ name });
  const expectSchemaAhead = (res: { status: number; body: { type?: string; detail?: string }; headers: Record<string, string> }) => {
    expect(res.status).toBe(503);
    expect(res.body.type).toMatch(/tenant-schema-ahead$/);
    expect(res.body.detail).toBe('The studio database was upgraded by a newer release; retry shortly.');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  };

  it('the registry watch retires the open pool: 503 with Retry-After for that studio, not a SQL error; the others keep working', async () => {
    const ahead = await registerStudio(t, 'Ahead');
    const other = await registerStudio(t, 'Other');
    await add(ahead.cookie, 'before').expect(201);
    await add(other.cookie, 'before').expect(201);
    await migrateAhead(ahead.organizationId);
    const coldBefore = await coldStarts();
    logs.clear();

    expect(await t.app.get(TenantRegistryWatch).checkNow()).toBe(1); // what the interval runs
    await settle();
    expect(logs.lines().filter((l) => l.msg === 'Retiring tenant pool: the registry changed')).toEqual([
      expect.objectContaining({ tenantId: ahead.organizationId, server: 'default', reason: `schema version ${AHEAD}` }),
    ]);
    expectSchemaAhead(await list(ahead.cookie));
    expectSchemaAhead(await add(ahead.cookie, 'refused'));
    expect(await clientCount(ahead.organizationId)).toBe(1); // the refused write wrote nothing
    await list(other.cookie).expect(200);
    await add(other.cookie, 'still fine').expect(201);
    // Only that studio's pool was retired (the other kept its pool), and its route was forgotten with it: the
    // refusals came from reading the registry again, not from opening a pool on the old route.
    expect(await coldStarts()).toBe(coldBefore);
  });

  it('a NOTIFY on the registry channel (sent by whoever migrated it) makes the instance check that tenant at once', async () => {
    const ahead = await registerStudio(t, 'Notified');
    await add(ahead.cookie, 'before').expect(201);
    // A newer release whose change this code's queries survive: until the notification is handled the open
    // pool keeps answering 200 (a breaking change would turn those requests into SQL errors, which is what the
    // watch's interval test above covers), then the pool is retired and the studio gets 503.
    await migrateAhead(ahead.organizationId, { breaking: false });
    await t.control.query(`SELECT pg_notify($1, $2)`, [TENANT_REGISTRY_CHANNEL, ahead.organizationId]);
    // The interval is an hour: only the notification can retire the pool within this wait.
    const deadline = Date.now() + 15_000;
    let res = await list(ahead.cookie);
    while (res.status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      res = await list(ahead.cookie);
    }
    expectSchemaAhead(res);
  });

  it('a new pool is refused when the registry or the database itself is ahead', async () => {
    const byRegistry = await registerStudio(t, 'RegistryAhead');
    const byDatabase = await registerStudio(t, 'DatabaseAhead');
    await t.app.get(TenantDataSources).closeAll();
    await migrateAhead(byRegistry.organizationId);
    await migrateAhead(byDatabase.organizationId, { registry: false }); // the registry update has not landed yet
    expectSchemaAhead(await list(byRegistry.cookie));
    expectSchemaAhead(await list(byDatabase.cookie));
  });

  it('a pool retired while it opens (the registry changed), whose opening then fails, gives its slot back', async () => {
    const studio = await registerStudio(t, 'RetiredWhileOpening');
    const pools = t.app.get(TenantDataSources);
    await pools.closeAll();
    const database = await databaseOf(studio.organizationId);
    // The new pool's verification reads the migrations table: held here until the database is ahead.
    const locker = await connectTenantDatabase(t, studio.organizationId);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE');
      const opening = list(studio.cookie).then((r) => r);
      await waitForLockWaiters(t, database, 1);
      expect(pools.stats()).toMatchObject({ open: 1, retiring: 0, leases: 1 });

      pools.retireTenant(studio.organizationId, 'test: the registry changed'); // as the registry watch does
      expect(pools.stats()).toMatchObject({ open: 0, retiring: 1, leases: 1 });
      await locker.query(`INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)`, [AHEAD, `RenameClientName${AHEAD}`]);
      await locker.query('COMMIT');
      expectSchemaAhead(await opening);
    } finally {
      await locker.end();
    }
    // The failed pool is gone from the retiring set with its lease: a slot lost here would be lost for good.
    expect(pools.stats()).toMatchObject({ open: 0, retiring: 0, leases: 0 });
  });
});
