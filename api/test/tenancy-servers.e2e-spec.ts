import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { withDatabase } from '../src/database/postgres-url.js';
import { TenantMover } from '../src/tenancy/tenant-mover.service.js';
import { TenantProvisioner } from '../src/tenancy/tenant-provisioner.service.js';
import type { DataSource } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../src/control/control-database.js';
import { TenantDatabase } from '../src/control/tenant-database.entity.js';
import { TenantMigrator } from '../src/tenancy/tenant-migrator.service.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';
import { startSecondServer, type SecondServer } from './support/second-postgres.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';
import { versionOf as migrationVersion } from '../src/tenancy/tenant-schema-steps.js';

/**
 * Issue 8, ops-servers: tenants on two real PostgreSQL servers (the run's and a second embedded one),
 * placement by room, and moving a studio between them while it is being written to.
 */
describe('tenants on several PostgreSQL servers', () => {
  let second: SecondServer;
  let t: TestApp;
  /** A second API instance on the same control database (another node behind the load balancer), deaf to NOTIFY. */
  let other: NestFastifyApplication;

  beforeAll(async () => {
    second = await startSecondServer();
    t = await createTestApp({ TENANT_SERVERS: `second=${second.appUrl}` });
    // No registry watch and no LISTEN there: it learns of a move only from the fenced old copy.
    other = await createApp({ ...t.config, tenantServers: { ...t.config.tenantServers, registryWatchMs: 0 } });
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
    await second?.stop();
  });

  const serverOf = async (organizationId: string) =>
    (await t.control.query(`SELECT server FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0].server as string;
  const databaseOf = async (organizationId: string) =>
    (await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0].database_name as string;
  /** Superuser connection to a tenant database on the first (`default`) or second server, behind the app's back. */
  const connect = async (server: 'default' | 'second', database: string) => {
    const base = server === 'default' ? process.env.RSM_TEST_PG_URL! : second.appUrl.replace(/\/\/[^@]+@/, '//postgres:postgres@');
    const client = new pg.Client({ connectionString: withDatabase(base, database) });
    await client.connect();
    return client;
  };
  const databaseExists = async (server: 'default' | 'second', database: string) => {
    const admin = server === 'default' ? t.admin : second.superuser;
    return (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database])).rowCount === 1;
  };
  const clientNames = async (server: 'default' | 'second', database: string) => {
    const c = await connect(server, database);
    try {
      return new Set((await c.query(`SELECT name FROM clients`)).rows.map((r: { name: string }) => r.name));
    } finally {
      await c.end();
    }
  };
  const addClient = (cookie: string, name: string) => t.http().post('/api/v1/clients').set('cookie', cookie).send({ name });
  const listNames = async (app: NestFastifyApplication, cookie: string) => {
    const res = await request(app.getHttpServer()).get('/api/v1/clients?limit=100').set('cookie', cookie);
    return { status: res.status, names: res.status === 200 ? (res.body.items as Array<{ name: string }>).map((c) => c.name) : [], total: res.body.total as number };
  };
  const until = async (what: string, done: () => boolean | Promise<boolean>, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('places new studios on the server with the most room, each on its own server only, and never mixes their rows', async () => {
    const studios = [];
    for (let i = 0; i < 4; i++) studios.push(await registerStudio(t, `Placed${i}`));
    const servers = await Promise.all(studios.map((s) => serverOf(s.organizationId)));
    expect(servers.filter((s) => s === 'default')).toHaveLength(2);
    expect(servers.filter((s) => s === 'second')).toHaveLength(2);
    for (const [i, s] of studios.entries()) {
      const db = await databaseOf(s.organizationId);
      expect(await databaseExists(servers[i] as 'default' | 'second', db)).toBe(true);
      expect(await databaseExists(servers[i] === 'default' ? 'second' : 'default', db)).toBe(false);
      await addClient(s.cookie, `Only-${i}`).expect(201);
    }
    for (const [i, s] of studios.entries()) expect((await listNames(t.app, s.cookie)).names).toEqual([`Only-${i}`]);

    // A full or draining server takes no new studio.
    await t.control.query(`UPDATE tenant_servers SET capacity = 1 WHERE name = 'default'`);
    await t.control.query(`UPDATE tenant_servers SET status = 'draining' WHERE name = 'second'`);
    const refused = await t.http().post('/api/v1/auth/register').send({ studioName: 'No Room', name: 'Nobody', email: `noroom-${Date.now()}@studio.test`, password: 'correct horse battery' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await t.control.query(`SELECT count(*)::int AS n FROM organizations WHERE name = 'No Room'`)).rows[0].n).toBe(0);
    await t.control.query(`UPDATE tenant_servers SET status = 'active' WHERE name = 'second'`);
    expect(await serverOf((await registerStudio(t, 'Roomy')).organizationId)).toBe('second');
    await t.control.query(`UPDATE tenant_servers SET capacity = 5000 WHERE name = 'default'`);
  });

  it('migrations reach a studio where the registry places it: one on the second server goes back a version and forward again', async () => {
    const migrator = t.app.get(TenantMigrator);
    const registry = t.app.get<DataSource>(CONTROL_DATA_SOURCE).getRepository(TenantDatabase);
    const rowOf = (organizationId: string) => registry.findOneByOrFail({ organizationId });
    const far = (await registry.findOneByOrFail({ server: 'second', status: 'ready' })).organizationId;
    const previous = migrationVersion(TENANT_MIGRATIONS.at(-2)!);
    const newest = async () => {
      const c = await connect('second', (await rowOf(far)).databaseName);
      try {
        return String((await c.query(`SELECT max("timestamp") AS v FROM migrations`)).rows[0].v);
      } finally {
        await c.end();
      }
    };
    expect(await migrator.migrateTenant(await rowOf(far), previous)).toMatchObject({ outcome: 'migrated' });
    expect(await newest()).toBe(previous);
    expect(await migrator.migrateTenant(await rowOf(far), LATEST_TENANT_SCHEMA_VERSION)).toMatchObject({ outcome: 'migrated' });
    expect(await newest()).toBe(LATEST_TENANT_SCHEMA_VERSION);
    expect(String((await rowOf(far)).schemaVersion)).toBe(LATEST_TENANT_SCHEMA_VERSION);
  });

  it('moves a studio to the other server under concurrent writes: every 201 is there, every refused write is a 503 with Retry-After that wrote nothing', async () => {
    await t.control.query(`UPDATE tenant_servers SET capacity = 1000000 WHERE name = 'default'`); // the next studios go to `default`
    const moving = await registerStudio(t, 'Moving');
    const bystander = await registerStudio(t, 'Bystander');
    await t.control.query(`UPDATE tenant_servers SET capacity = 5000 WHERE name = 'default'`);
    expect(await serverOf(moving.organizationId)).toBe('default');
    for (let i = 0; i < 20; i++) await addClient(moving.cookie, `before-${i}`).expect(201);
    await addClient(bystander.cookie, 'bystander-before').expect(201);
    expect((await listNames(other, moving.cookie)).status).toBe(200); // the other instance holds a pool on the old server
    const db = await databaseOf(moving.organizationId);

    const writes: Array<{ name: string; status: number; type?: string; retryAfter?: string }> = [];
    const seen: Array<{ instance: string; status: number; names: string[] }> = [];
    let moved = false;
    let afterMove = 0;
    const writer = async (lane: number) => {
      for (let i = 0; !moved || afterMove < 6; i++) {
        const name = `w${lane}-${i}`;
        const res = await addClient(moving.cookie, name);
        writes.push({ name, status: res.status, type: res.body?.type, retryAfter: res.headers['retry-after'] });
        if (moved && res.status === 201) afterMove++;
      }
    };
    const reader = async (instance: string, app: NestFastifyApplication) => {
      while (!moved || afterMove < 6) seen.push({ instance, ...(await listNames(app, moving.cookie)) });
    };
    const bystanderWrites: number[] = [];
    const bystanderWriter = async () => {
      for (let i = 0; !moved; i++) bystanderWrites.push((await addClient(bystander.cookie, `bystander-${i}`)).status);
    };

    // Hold the move in its read-only phase until writes have been refused, so the test sees both sides.
    const provisioner = t.app.get(TenantProvisioner);
    const realCreate = provisioner.createDatabase.bind(provisioner);
    const hold = jest.spyOn(provisioner, 'createDatabase').mockImplementation(async (...args) => {
      await until('writes refused while read-only', () => writes.filter((w) => w.status === 503).length >= 3);
      return realCreate(...args);
    });
    const load = Promise.all([writer(1), writer(2), reader('this', t.app), reader('other', other), bystanderWriter()]);
    await until('writes acknowledged before the move', () => writes.filter((w) => w.status === 201).length >= 3);
    const result = await t.app.get(TenantMover).move(moving.organizationId, 'second').finally(() => {
      moved = true;
      hold.mockRestore();
    });
    await load;

    expect(await serverOf(moving.organizationId)).toBe('second');
    const acknowledged = writes.filter((w) => w.status === 201).map((w) => w.name);
    const refused = writes.filter((w) => w.status !== 201);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const r of refused) {
      expect(r).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(r.type).toMatch(/tenant-(read-only|unreachable|moving|wrong-database)$/);
    }
    // Nothing acknowledged is lost, nothing refused was written: the new copy holds exactly the 201s.
    const onNew = await clientNames('second', db);
    expect([...onNew].sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `before-${i}`), ...acknowledged].sort());
    // Row counts and checksums agreed for every table, and the old copy (kept for the grace period) matches what was copied.
    const clients = result.tables.find((x) => x.table === 'clients')!;
    // The old copy is renamed out of the way (nothing that names the studio's database reaches it) and kept.
    const old = result.retiredDatabase;
    expect(old).not.toBe(db);
    expect(await databaseExists('default', db)).toBe(false);
    const onOld = await clientNames('default', old);
    expect(clients.rows).toBe(onOld.size);
    expect(result.tables.map((x) => x.table)).toEqual(expect.arrayContaining(['clients', 'audit_log', 'studio_settings']));
    for (const name of onOld) expect(onNew.has(name)).toBe(true);

    // The studio never saw anything but its own rows, on either instance; reads went on during the move.
    const ours = new Set([...onNew, ...writes.map((w) => w.name)]);
    for (const s of seen) {
      expect([200, 503]).toContain(s.status);
      for (const n of s.names) expect(ours.has(n)).toBe(true);
    }
    expect(seen.filter((s) => s.status === 200).length).toBeGreaterThan(seen.filter((s) => s.status === 503).length);
    // Both instances now read the new copy: a row only the old copy has is invisible to them.
    const oldCopy = await connect('default', old);
    await oldCopy.query(`BEGIN READ WRITE; INSERT INTO clients (name) VALUES ('only-on-the-old-copy'); COMMIT`);
    await oldCopy.end();
    for (const app of [t.app, other]) {
      await until('instance reads the new copy', async () => (await listNames(app, moving.cookie)).total === onNew.size);
      const { names } = await listNames(app, moving.cookie);
      expect(names).not.toContain('only-on-the-old-copy');
    }
    // The tenant role may no longer open the old copy.
    const fenced = await t.admin.query(`SELECT has_database_privilege($1, $2, 'CONNECT') AS ok`, [db, old]);
    expect(fenced.rows[0].ok).toBe(false);
    // The other studio was never interrupted.
    expect(bystanderWrites.length).toBeGreaterThan(0);
    expect(new Set(bystanderWrites)).toEqual(new Set([201]));
    expect(await serverOf(bystander.organizationId)).toBe('default');

    // The old copy goes once its grace period is over (recorded in tenant_moves), not before.
    const mover = t.app.get(TenantMover);
    expect(await mover.sweepMovedCopies()).toEqual([]);
    expect(await databaseExists('default', old)).toBe(true);
    await t.control.query(`UPDATE tenant_moves SET drop_after = now() - interval '1 second' WHERE id = $1`, [result.moveId]);
    expect(await mover.sweepMovedCopies()).toEqual([`default/${old}`]);
    expect(await databaseExists('default', old)).toBe(false);
    expect((await t.admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [db])).rowCount).toBe(0);
    expect((await listNames(t.app, moving.cookie)).total).toBe(onNew.size);
    await addClient(moving.cookie, 'after-sweep').expect(201);
  });

  it('moves a studio there and back before either old copy is swept; the sweep then drops only the old copies', async () => {
    const studio = await registerStudio(t, 'RoundTrip');
    const home = await serverOf(studio.organizationId);
    const away = home === 'default' ? 'second' : 'default';
    await addClient(studio.cookie, 'travels').expect(201);
    const mover = t.app.get(TenantMover);
    const out = await mover.move(studio.organizationId, away);
    await addClient(studio.cookie, 'written away').expect(201);
    const back = await mover.move(studio.organizationId, home);
    expect(await serverOf(studio.organizationId)).toBe(home);
    expect((await listNames(t.app, studio.cookie)).names.sort()).toEqual(['travels', 'written away']);
    await t.control.query(`UPDATE tenant_moves SET drop_after = now() - interval '1 second' WHERE id = ANY($1)`, [[out.moveId, back.moveId]]);
    expect((await mover.sweepMovedCopies()).sort()).toEqual([`${home}/${out.retiredDatabase}`, `${away}/${back.retiredDatabase}`].sort());
    const db = await databaseOf(studio.organizationId);
    expect(await databaseExists(home as 'default' | 'second', db)).toBe(true);
    await addClient(studio.cookie, 'home again').expect(201);
    expect((await listNames(t.app, studio.cookie)).names.sort()).toEqual(['home again', 'travels', 'written away']);
  });

  it('a move that fails before the flip drops the new copy and reopens writes on the old one', async () => {
    const studio = await registerStudio(t, 'Unmoved');
    const from = await serverOf(studio.organizationId);
    const to = from === 'default' ? 'second' : 'default';
    await addClient(studio.cookie, 'kept').expect(201);
    const db = await databaseOf(studio.organizationId);
    // Someone archives the studio while its rows are being copied: the flip must refuse.
    const provisioner = t.app.get(TenantProvisioner);
    const realCreate = provisioner.createDatabase.bind(provisioner);
    const spy = jest.spyOn(provisioner, 'createDatabase').mockImplementation(async (...args) => {
      await t.control.query(`UPDATE tenant_databases SET status = 'migrating' WHERE organization_id = $1`, [studio.organizationId]);
      return realCreate(...args);
    });
    await expect(t.app.get(TenantMover).move(studio.organizationId, to)).rejects.toThrow(/changed during the move/);
    spy.mockRestore();
    await t.control.query(`UPDATE tenant_databases SET status = 'ready' WHERE organization_id = $1`, [studio.organizationId]);
    expect(await serverOf(studio.organizationId)).toBe(from);
    expect(await databaseExists(to, db)).toBe(false);
    const record = await t.control.query(`SELECT status FROM tenant_moves WHERE organization_id = $1`, [studio.organizationId]);
    expect(record.rows).toEqual([{ status: 'failed' }]);
    await addClient(studio.cookie, 'after-failed-move').expect(201);
    expect((await listNames(t.app, studio.cookie)).names.sort()).toEqual(['after-failed-move', 'kept']);
  });
});
