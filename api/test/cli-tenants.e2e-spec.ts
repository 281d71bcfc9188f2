import { randomBytes } from 'node:crypto';
import { EXIT } from '../src/cli/exit-codes.js';
import type { OrphanDatabase, TenantCheck, TenantRow } from '../src/cli/tenant-admin.service.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';
import { rsm, versionOf } from './support/cli.js';
import { createTestApp, registerStudio, tenantDatabaseOf, tenantDatabases, type TestApp } from './support/test-app.js';
import { versionOf as migrationVersion } from '../src/tenancy/tenant-schema-steps.js';

const PREVIOUS = migrationVersion(TENANT_MIGRATIONS.at(-2)!);

/** Issue 8: `rsm tenants list|show|check|archive|restore|sweep`. */
describe('rsm tenants', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('list and show: the registry rows, the studio names, the owner stamp', async () => {
    const studio = await registerStudio(t, 'Listed');
    const list = await rsm(t, ['tenants', 'list', '--json']);
    expect(list.code).toBe(EXIT.OK);
    const row = list.json<TenantRow[]>().find((r) => r.organizationId === studio.organizationId);
    expect(row).toMatchObject({ name: studio.credentials.studioName, status: 'ready', schemaVersion: LATEST_TENANT_SCHEMA_VERSION });
    const plain = await rsm(t, ['tenants', 'list']);
    expect(plain.stdout).toMatch(new RegExp(`^${studio.organizationId}\\s+${studio.credentials.studioName}\\s+\\S+\\s+ready\\s+${LATEST_TENANT_SCHEMA_VERSION}`, 'm'));
    const show = await rsm(t, ['tenants', 'show', studio.organizationId]);
    expect(show.code).toBe(EXIT.OK);
    expect(show.stdout).toMatch(new RegExp(`^stamp\\s+rsm:tenant:${studio.organizationId}$`, 'm'));
    const missing = await rsm(t, ['tenants', 'show', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(EXIT.USAGE);
  });

  it('check: ok for healthy tenants; names the wrong database, the stale schema and the missing database; exit 1', async () => {
    const [fine, stamped, behind, gone] = [await registerStudio(t), await registerStudio(t), await registerStudio(t), await registerStudio(t)];
    const ids = [fine, stamped, behind, gone].map((s) => s.organizationId);
    const healthy = await rsm(t, ['tenants', 'check', '--only', ids.join(','), '--json']);
    expect(healthy.code).toBe(EXIT.OK);
    expect(healthy.json<{ tenants: TenantCheck[] }>().tenants.map((c) => c.result)).toEqual(['ok', 'ok', 'ok', 'ok']);

    // Someone stamped a database with another studio's id (a restore onto the wrong name, say).
    await t.control.query(`COMMENT ON DATABASE "${await tenantDatabaseOf(t, stamped.organizationId)}" IS 'rsm:tenant:${fine.organizationId}'`);
    // One studio was rolled back to the previous release's schema.
    expect((await rsm(t, ['migrate', '--to', PREVIOUS, '--only', behind.organizationId])).code).toBe(EXIT.OK);
    expect(await versionOf(t, t.config.tenancy.templateDatabase)).toBe(LATEST_TENANT_SCHEMA_VERSION); // --only leaves the template alone
    // And one database vanished.
    await t.control.query(`DROP DATABASE "${await tenantDatabaseOf(t, gone.organizationId)}" WITH (FORCE)`);

    const run = await rsm(t, ['tenants', 'check', '--only', ids.join(','), '--json']);
    expect(run.code).toBe(EXIT.TENANTS_FAILED);
    const results = Object.fromEntries(run.json<{ tenants: TenantCheck[] }>().tenants.map((c) => [c.organizationId, c]));
    expect(results[fine.organizationId].result).toBe('ok');
    expect(results[stamped.organizationId].result).toBe('wrong-database');
    expect(results[behind.organizationId]).toMatchObject({ result: 'schema-mismatch', registryVersion: PREVIOUS, databaseVersion: PREVIOUS });
    expect(['unreachable', 'not-ready']).toContain(results[gone.organizationId].result);

    const table = await rsm(t, ['tenants', 'check', '--only', ids.join(',')]);
    expect(table.code).toBe(EXIT.TENANTS_FAILED);
    expect(table.stdout).toMatch(/1\/4 tenant\(s\) fine, 3 with problems/);
  });

  it('archive: the API refuses the studio (503), its open pool included; restore brings it back at the latest schema', async () => {
    const studio = await registerStudio(t, 'Archived');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    // Behind the latest schema while archived (it missed a release): restore must migrate it first.
    expect((await rsm(t, ['migrate', '--to', PREVIOUS, '--only', studio.organizationId])).code).toBe(EXIT.OK);
    const archived = await rsm(t, ['tenants', 'archive', studio.organizationId, '--json']);
    expect(archived.code).toBe(EXIT.OK);
    expect(archived.json<TenantRow>().status).toBe('archived');
    expect((await rsm(t, ['tenants', 'archive', studio.organizationId])).code).toBe(EXIT.USAGE); // already archived

    // The pool this instance has open for it is retired (registry NOTIFY, else the watch's next tick): refused.
    let refused = await t.http().get('/api/v1/clients').set('cookie', studio.cookie);
    for (let tries = 0; refused.status === 200 && tries < 150; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      refused = await t.http().get('/api/v1/clients').set('cookie', studio.cookie);
    }
    expect(refused.status).toBe(503);
    expect(refused.body.type).toMatch(/tenant-not-ready$/);
    // And `rsm migrate` leaves archived tenants alone.
    const migrate = await rsm(t, ['migrate', '--json']);
    expect(migrate.json<{ tenants: Array<{ organizationId: string }> }>().tenants.map((r) => r.organizationId)).not.toContain(studio.organizationId);

    const restored = await rsm(t, ['tenants', 'restore', studio.organizationId, '--json']);
    expect(restored.code).toBe(EXIT.OK);
    expect(restored.json<TenantRow>()).toMatchObject({ status: 'ready', schemaVersion: LATEST_TENANT_SCHEMA_VERSION });
    expect(await versionOf(t, await tenantDatabaseOf(t, studio.organizationId))).toBe(LATEST_TENANT_SCHEMA_VERSION);
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('sweep: drops orphan tenant databases after the grace period, never the template, another name or a registered one', async () => {
    const prefix = t.config.tenancy.databasePrefix;
    const orphan = `${prefix}${randomBytes(16).toString('hex')}`;
    const notATenant = `${prefix}scratch`;
    // Made by the app's role, as a sign-up that crashed between CREATE DATABASE and its registry commit.
    await t.control.query(`CREATE DATABASE "${orphan}"`);
    await t.control.query(`CREATE DATABASE "${notATenant}"`);
    const registered = await tenantDatabaseOf(t, (await registerStudio(t)).organizationId);
    const sightings = async () => (await t.control.query(`SELECT database_name FROM orphan_database_sightings`)).rows.map((r) => r.database_name);

    const dry = await rsm(t, ['tenants', 'sweep', '--dry-run', '--older-than', '0s', '--json']);
    expect(dry.code).toBe(EXIT.OK);
    expect(dry.json<{ orphans: OrphanDatabase[] }>().orphans).toEqual([expect.objectContaining({ databaseName: orphan, dropped: false, firstSeenAt: null })]);
    expect(await sightings()).toEqual([]); // a dry run records nothing

    const first = await rsm(t, ['tenants', 'sweep', '--json']);
    expect(first.json<{ orphans: OrphanDatabase[] }>().orphans).toEqual([expect.objectContaining({ databaseName: orphan, dropped: false, kept: 'within the grace period' })]);
    expect(await sightings()).toEqual([orphan]);
    expect(await tenantDatabases(t)).toContain(orphan);

    // A day later (the sighting moved back), with the default 24 h grace period.
    await t.control.query(`UPDATE orphan_database_sightings SET first_seen_at = now() - interval '25 hours'`);
    const dryOld = await rsm(t, ['tenants', 'sweep', '--dry-run']);
    expect(dryOld.stdout).toMatch(new RegExp(`${orphan}.*false\\s+dry run`));
    expect(await tenantDatabases(t)).toContain(orphan);
    const sweep = await rsm(t, ['tenants', 'sweep', '--json']);
    expect(sweep.code).toBe(EXIT.OK);
    expect(sweep.json<{ dropped: number }>().dropped).toBe(1);
    const left = await tenantDatabases(t);
    expect(left).not.toContain(orphan);
    expect(left).toEqual(expect.arrayContaining([notATenant, registered]));
    expect(await sightings()).toEqual([]);
    expect((await t.admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [t.config.tenancy.templateDatabase])).rowCount).toBe(1);
    expect((await rsm(t, ['tenants', 'sweep', '--older-than', 'soon'])).code).toBe(EXIT.USAGE);
  });
});
