import pg, { type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { Client } from '../src/clients/client.entity.js';
import { parseServerVersion } from '../src/tenancy/tenant-metadata.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { knownServerFacts } from '../src/tenancy/tenant-pool-verification.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 14, perf: tenant DataSources share the entity metadata (built once per process instead of on
 * every cold start) and nothing else. Each keeps its own driver and pg pool, so a studio's queries
 * still go through the pool verified for its own database, and the shared metadata points at a
 * DataSource that cannot reach any database at all.
 */
describe('tenant DataSources share entity metadata, never a driver or pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Room for two pools at once: a third studio evicts the least recently used.
    t = await createTestApp({ DB_CONNECTION_BUDGET: '4', TENANT_POOL_SIZE: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const poolOf = (ds: DataSource) => (ds.driver as unknown as { master: Pool }).master;

  it('two studios: same metadata objects, their own driver, pool and database; each sees only its rows', async () => {
    const pools = t.app.get(TenantDataSources);
    let seenA!: { ds: DataSource; pool: Pool; db: string; names: string[] };
    const a = await registerStudio(t, 'MetaA');
    const b = await registerStudio(t, 'MetaB');
    for (const [studio, name] of [
      [a, 'Only in A'],
      [b, 'Only in B'],
    ] as const) {
      const res = await t.http().post('/api/v1/clients').set('Cookie', studio.cookie).send({ name });
      expect(res.status).toBe(201);
    }

    // Both pools open and leased at the same time.
    await pools.withTenant(a.organizationId, async (dsA) => {
      const namesA = (await dsA.getRepository(Client).find()).map((c) => c.name);
      const [{ db: dbA }] = await dsA.query('SELECT current_database() AS db');
      seenA = { ds: dsA, pool: poolOf(dsA), db: dbA, names: namesA };
      await pools.withTenant(b.organizationId, async (dsB) => {
      expect(dsB).not.toBe(dsA);
      // Shared: the very same metadata objects (not rebuilt per DataSource).
      expect(dsB.entityMetadatas.length).toBeGreaterThan(10);
      expect(dsB.getMetadata(Client)).toBe(dsA.getMetadata(Client));
      expect(dsB.entityMetadatas).toBe(dsA.entityMetadatas);
      // Never shared: the driver and its pg pool.
      expect(dsB.driver).not.toBe(dsA.driver);
      expect(poolOf(dsB)).toBeDefined();
      expect(poolOf(dsB)).not.toBe(seenA.pool);
      // Each reaches its own database and rows, through the shared metadata.
      const [{ db }] = await dsB.query('SELECT current_database() AS db');
      expect(db).not.toBe(seenA.db);
      expect((await dsB.getRepository(Client).find()).map((c) => c.name)).toEqual(['Only in B']);
      expect(seenA.names).toEqual(['Only in A']);
      // The DataSource the metadata was built on is neither tenant's, and has no pool to query through.
      const holder = dsB.getMetadata(Client).dataSource;
      expect(holder).not.toBe(dsA);
      expect(holder).not.toBe(dsB);
      expect(holder.isInitialized).toBe(false);
      await expect(holder.query('SELECT 1')).rejects.toThrow();
      });
    });
  });

  it('a pool opened again after eviction gets a new driver and pool, the same metadata, and still its own rows', async () => {
    const pools = t.app.get(TenantDataSources);
    const a = await registerStudio(t, 'MetaC');
    const b = await registerStudio(t, 'MetaD');
    await t.http().post('/api/v1/clients').set('Cookie', a.cookie).send({ name: 'C client' }).expect(201);
    let first!: DataSource;
    await pools.withTenant(a.organizationId, async (ds) => {
      first = ds;
    });
    const c = await registerStudio(t, 'MetaE');
    await pools.withTenant(b.organizationId, async () => undefined);
    await pools.withTenant(c.organizationId, async () => undefined); // room for two: evicts a's pool, the least recently used
    await pools.withTenant(a.organizationId, async (again) => {
      expect(again).not.toBe(first);
      expect(again.driver).not.toBe(first.driver);
      expect(again.getMetadata(Client)).toBe(first.getMetadata(Client));
      expect((await again.getRepository(Client).find()).map((c) => c.name)).toEqual(['C client']);
      // TypeORM's version/schema probes were answered from the earlier pools on this server: whatever was
      // preset, the driver holds what this very connection reads (the verification query set it).
      const driver = again.driver as PostgresDriver;
      const [{ version, schema }] = await again.query('SELECT version() AS version, current_schema() AS schema');
      expect(driver.version).toBe(parseServerVersion(version));
      expect(driver.searchSchema).toBe(schema);
      expect(driver.schema).toBe(schema);
    });
    const list = await t.http().get('/api/v1/clients').set('Cookie', b.cookie).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it("opening a pool on a server already seen asks none of TypeORM's connect-time probes; the verification query still runs", async () => {
    const pools = t.app.get(TenantDataSources);
    const seen = await registerStudio(t, 'MetaF');
    const fresh = await registerStudio(t, 'MetaG');
    await pools.withTenant(seen.organizationId, async () => undefined); // a pool verified on this server
    await pools.closeAll();
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text) sent.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      await pools.withTenant(fresh.organizationId, async (ds) => {
        expect((await ds.getRepository(Client).find()).length).toBe(0);
      });
    } finally {
      pg.Client.prototype.query = original;
    }
    expect(sent.filter((q) => /version\(\)|current_database\(\)|current_schema\(\)/.test(q) && !/shobj_description/.test(q))).toEqual([]);
    expect(sent.filter((q) => /shobj_description/.test(q))).toHaveLength(1); // the verification, once
  });
  it('wrong server facts preset for the server are corrected by the verification query before the pool serves', async () => {
    const pools = t.app.get(TenantDataSources);
    const studio = await registerStudio(t, 'MetaH');
    await pools.withTenant(studio.organizationId, async () => undefined); // a pool verified on this server
    await pools.closeAll();
    const server = new URL(t.config.databaseUrl!).host;
    const right = knownServerFacts.get(server)!;
    expect(right).toEqual({ version: expect.not.stringMatching(/^9\.0$/), searchSchema: 'public' });
    // Both wrong, or only one of the two: each is corrected.
    for (const wrong of [{ version: '9.0', searchSchema: 'elsewhere' }, { ...right, version: '9.0' }, { ...right, searchSchema: 'elsewhere' }]) {
      await pools.closeAll();
      knownServerFacts.set(server, wrong);
      await pools.withTenant(studio.organizationId, async (ds) => {
        const driver = ds.driver as PostgresDriver;
        const [{ version, schema }] = await ds.query('SELECT version() AS version, current_schema() AS schema');
        expect(driver.version).toBe(parseServerVersion(version));
        expect(driver.searchSchema).toBe(schema);
        expect(driver.schema).toBe(schema);
        expect(driver.isGeneratedColumnsSupported).toBe(true);
      });
      expect(knownServerFacts.get(server)).toEqual(right);
    }
    await t.http().get('/api/v1/clients').set('Cookie', studio.cookie).expect(200);
  });
});
