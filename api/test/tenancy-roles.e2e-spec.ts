import { jest } from '@jest/globals';
import pg from 'pg';
import { SessionsService } from '../src/auth/sessions.service.js';
import { withDatabase } from '../src/database/postgres-url.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TenantMigrator } from '../src/tenancy/tenant-migrator.service.js';
import { TenantRoles } from '../src/tenancy/tenant-roles.js';
import { LogCapture, settle } from './support/log-capture.js';
import { createTestApp, newStudio, registerStudio, tenantDatabases, type TestApp, tenantDatabaseOf, tenantRoleUrl } from './support/test-app.js';

/**
 * Each studio database has its own login role that may connect to that database only, so a
 * registry mix-up (or a leaked tenant credential) cannot reach another studio's rows.
 */
describe('per-tenant database roles', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    // Warnings and errors captured: a refused pool tells the operator why.
    t = await createTestApp({ LOG_LEVEL: 'warn' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  const databaseOf = (organizationId: string) => tenantDatabaseOf(t, organizationId);

  /** Connects to `database` as `organizationId`'s tenant role; resolves with the SQLSTATE of a refusal, or 'connected'. */
  const connectAs = async (organizationId: string, database: string) => {
    const client = new pg.Client({ connectionString: await tenantRoleUrl(t, organizationId, database) });
    try {
      await client.connect();
      const { rows } = await client.query(`SELECT current_user AS "user", (SELECT count(*)::int FROM clients) AS clients`);
      return { result: 'connected' as const, ...rows[0] };
    } catch (err) {
      return { result: (err as { code?: string }).code ?? String(err) };
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const roleNames = async () =>
    (await t.admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY 1`, [`${t.config.tenancy.databasePrefix}%`])).rows.map(
      (r: { rolname: string }) => r.rolname,
    );

  it("a tenant pool connects as the studio's own role, which is no superuser and not the control role", async () => {
    const studio = await registerStudio(t, 'Own');
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Mine' }).expect(201);
    const database = await databaseOf(studio.organizationId);
    const [row] = await t.app.get(TenantDataSources).withTenant(studio.organizationId, (ds) =>
      ds.query(`SELECT current_user AS "user", session_user AS "session", (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super`),
    );
    expect(row).toEqual({ user: database, session: database, super: false });
    const { rows } = await t.admin.query(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1`, [database]);
    expect(rows.map((r: { usename: string }) => r.usename)).toEqual([database]);
    const control = await t.control.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    expect(control.rows[0].rolsuper).toBe(false);
  });

  it("the tenant role reaches its own database, but not another studio's nor the control database", async () => {
    const a = await registerStudio(t, 'RoleA');
    const b = await registerStudio(t, 'RoleB');
    await t.http().post('/api/v1/clients').set('cookie', b.cookie).send({ name: 'B private' }).expect(201);
    // The derived credentials are right: they open a's own database.
    expect(await connectAs(a.organizationId, await databaseOf(a.organizationId))).toEqual({ result: 'connected', user: await databaseOf(a.organizationId), clients: 0 });
    // 42501 insufficient_privilege: "permission denied for database".
    expect(await connectAs(a.organizationId, await databaseOf(b.organizationId))).toEqual({ result: '42501' });
    expect(await connectAs(a.organizationId, new URL(t.config.databaseUrl!).pathname.slice(1))).toEqual({ result: '42501' });
    expect(await connectAs(a.organizationId, t.config.tenancy.templateDatabase)).toEqual({ result: '42501' });
  });

  it('PUBLIC may not connect to tenant databases, the template or the control database', async () => {
    await registerStudio(t, 'Public');
    const names = [...(await tenantDatabases(t)), t.config.tenancy.templateDatabase, new URL(t.config.databaseUrl!).pathname.slice(1)];
    const { rows } = await t.admin.query(`SELECT datname, has_database_privilege('public', datname, 'CONNECT') AS public FROM pg_database WHERE datname = ANY($1)`, [names]);
    expect(rows.length).toBe(names.length);
    expect(rows.filter((r: { public: boolean }) => r.public)).toEqual([]);
  });

  it("a registry row pointed at another studio's database cannot even connect: 503, never the other rows", async () => {
    const a = await registerStudio(t, 'PointA');
    const b = await registerStudio(t, 'PointB');
    await t.http().post('/api/v1/clients').set('cookie', b.cookie).send({ name: 'B secret' }).expect(201);
    await t.app.get(TenantDataSources).closeAll();
    const dbB = await databaseOf(b.organizationId);
    // Remove the stamp check's chance to catch it: the stamp names a, as a copied stamp would.
    await t.admin.query(`COMMENT ON DATABASE "${dbB}" IS 'rsm:tenant:${a.organizationId}'`);
    await t.control.query(`UPDATE tenant_databases SET database_name = $2 WHERE organization_id = $1`, [a.organizationId, `${dbB}_x`]);
    await t.control.query(`UPDATE tenant_databases SET database_name = $2 WHERE organization_id = $1`, [b.organizationId, `${dbB}_y`]);
    await t.control.query(`UPDATE tenant_databases SET database_name = $2 WHERE organization_id = $1`, [a.organizationId, dbB]);
    const res = await t.http().get('/api/v1/clients').set('cookie', a.cookie);
    expect(res.status).toBe(503);
    expect(res.body.type).toMatch(/tenant-wrong-database$/);
    expect(JSON.stringify(res.body)).not.toContain('B secret');
    const { rows } = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [dbB]);
    expect(rows[0].n).toBe(0); // a's role never got a session there
  });

  it("a tenant pool that signed in as any other role than the studio's (a URL that dropped the user) is refused: 503", async () => {
    const studio = await registerStudio(t, 'WrongRole');
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Kept apart' }).expect(201);
    await t.app.get(TenantDataSources).closeAll();
    const database = await databaseOf(studio.organizationId);
    // As with `postgres:///db?host=/var/run/postgresql`, whose user pg silently replaces: right
    // database, right stamp, wrong role (here the control role, which owns the database).
    const spy = jest.spyOn(t.app.get(TenantRoles), 'connectionUrl').mockReturnValue(withDatabase(t.config.databaseUrl!, database));
    try {
      logs.clear();
      const res = await t.http().get('/api/v1/clients').set('cookie', studio.cookie);
      expect(res.status).toBe(503);
      expect(res.body.type).toMatch(/tenant-wrong-database$/);
      expect(JSON.stringify(res.body)).not.toContain('Kept apart');
      await settle();
      expect(logs.lines().filter((l) => l.msg === 'Tenant pool reached the wrong database or signed in as the wrong role')).toEqual([
        expect.objectContaining({ tenantId: studio.organizationId, database, role: t.app.get(TenantRoles).roleFor(studio.organizationId), user: new URL(t.config.databaseUrl!).username }),
      ]);
    } finally {
      spy.mockRestore();
      await t.app.get(TenantDataSources).closeAll();
    }
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('a failed sign-up drops the role together with its database', async () => {
    const before = { roles: await roleNames(), databases: await tenantDatabases(t) };
    const spy = jest.spyOn(t.app.get(SessionsService), 'create').mockRejectedValueOnce(new Error('injected failure'));
    await t.http().post('/api/v1/auth/register').send(newStudio('Doomed')).expect(500);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect({ roles: await roleNames(), databases: await tenantDatabases(t) }).toEqual(before);
    // A successful one leaves exactly its database and its role.
    const ok = await registerStudio(t, 'Kept');
    expect(await roleNames()).toEqual([...before.roles, await databaseOf(ok.organizationId)].sort());
  });

  it('start-up gives a studio made before per-tenant roles its role and grants', async () => {
    const old = await registerStudio(t, 'Legacy');
    await t.http().post('/api/v1/clients').set('cookie', old.cookie).send({ name: 'Old row' }).expect(201);
    await t.app.get(TenantDataSources).closeAll();
    const database = await databaseOf(old.organizationId);
    const group = `${t.config.tenancy.databasePrefix}app`;
    // Back to how such a studio looked: no role, PUBLIC may connect, no grants inside.
    await t.admin.query(`REVOKE CONNECT ON DATABASE "${database}" FROM "${database}"`);
    await t.admin.query(`DROP ROLE "${database}"`);
    await t.admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${database}" TO PUBLIC`);
    const inside = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, database) });
    await inside.connect();
    await inside.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "${group}"`);
    await inside.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM "${group}"`);
    await inside.end();
    await t.http().get('/api/v1/clients').set('cookie', old.cookie).expect(503);

    await t.app.get(TenantMigrator).migrateOnStart();

    const res = await t.http().get('/api/v1/clients').set('cookie', old.cookie).expect(200);
    expect(res.body.items.map((c: { name: string }) => c.name)).toEqual(['Old row']);
    const [row] = await t.app.get(TenantDataSources).withTenant(old.organizationId, (ds) => ds.query(`SELECT current_user AS "user"`));
    expect(row.user).toBe(database);
    const { rows } = await t.admin.query(`SELECT has_database_privilege('public', $1, 'CONNECT') AS public`, [database]);
    expect(rows[0].public).toBe(false);
  });

  it("start-up repair never grants a studio's role CONNECT on the database a swapped registry row names", async () => {
    const a = await registerStudio(t, 'SwapA');
    const b = await registerStudio(t, 'SwapB');
    await t.app.get(TenantDataSources).closeAll();
    const [dbA, dbB] = [await databaseOf(a.organizationId), await databaseOf(b.organizationId)];
    const point = (organizationId: string, database: string) =>
      t.control.query(`UPDATE tenant_databases SET database_name = $2 WHERE organization_id = $1`, [organizationId, database]);
    // The registry mixed up: a's row names b's database and the other way round.
    await point(a.organizationId, `${dbA}_swap`);
    await point(b.organizationId, dbA);
    await point(a.organizationId, dbB);
    // And b's database needs repair (its role lost CONNECT), so start-up works on it.
    await t.admin.query(`REVOKE CONNECT ON DATABASE "${dbB}" FROM "${dbB}"`);
    try {
      await t.app.get(TenantMigrator).migrateOnStart();
      const { rows } = await t.admin.query(`SELECT has_database_privilege($1, $2, 'CONNECT') AS a_on_b, has_database_privilege($2, $1, 'CONNECT') AS b_on_a`, [dbA, dbB]);
      expect(rows[0]).toEqual({ a_on_b: false, b_on_a: false });
    } finally {
      await point(a.organizationId, `${dbA}_swap`);
      await point(b.organizationId, dbB);
      await point(a.organizationId, dbA);
      await t.admin.query(`GRANT CONNECT ON DATABASE "${dbB}" TO "${dbB}"`);
    }
    expect(await connectAs(a.organizationId, dbB)).toEqual({ result: '42501' });
  });

  it('an existing group role that can log in is refused, not adopted', async () => {
    const group = `${t.config.tenancy.databasePrefix}app`;
    await t.admin.query(`ALTER ROLE "${group}" LOGIN`);
    try {
      await expect(t.app.get(TenantMigrator).migrateOnStart()).rejects.toThrow(
        `The role ${group} (TENANT_DATABASE_PREFIX + "app") exists and can log in: it would give its rights to every tenant role. Make it NOLOGIN, or choose another TENANT_DATABASE_PREFIX`,
      );
    } finally {
      await t.admin.query(`ALTER ROLE "${group}" NOLOGIN`);
    }
  });

  it('a changed RSM_SECRET_KEY: tenants cannot sign in until start-up sets their passwords from the new key', async () => {
    const studio = await registerStudio(t, 'Rekey');
    await t.app.get(TenantDataSources).closeAll();
    const oldKey = t.config.secretKey;
    t.config.secretKey = 'another-test-only-secret-key-0123456789';
    try {
      logs.clear();
      expect((await t.http().get('/api/v1/clients').set('cookie', studio.cookie)).status).toBe(503);
      await settle();
      expect(logs.lines().filter((l) => l.msg === 'Tenant role could not sign in (missing role or changed RSM_SECRET_KEY?)')).toEqual([
        expect.objectContaining({ tenantId: studio.organizationId }),
      ]);
      await t.app.get(TenantMigrator).migrateOnStart();
      await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
      expect(await connectAs(studio.organizationId, await databaseOf(studio.organizationId))).toMatchObject({ result: 'connected' });
    } finally {
      t.config.secretKey = oldKey;
      await t.app.get(TenantDataSources).closeAll();
      await t.app.get(TenantMigrator).migrateOnStart(); // back to the run's key for the tests after this one
    }
  });

  it('start-up sets tenant passwords again only when the key changed; the group role keeps a fingerprint of the key, never the key', async () => {
    const studio = await registerStudio(t, 'Fingerprint');
    const roles = t.app.get(TenantRoles);
    const migrator = t.app.get(TenantMigrator);
    const reset = jest.spyOn(roles, 'resetPassword');
    const oldKey = t.config.secretKey;
    const fingerprint = async () =>
      (await t.admin.query(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [roles.groupRole])).rows[0].comment as string;
    try {
      await migrator.migrateOnStart(); // whatever the tests before left, the run's key is now the remembered one
      reset.mockClear();
      await migrator.migrateOnStart();
      expect(reset).not.toHaveBeenCalled(); // same key: no ALTER ROLE for every tenant on every start
      const remembered = await fingerprint();
      // 16 characters of an HMAC of the key: it tells keys apart, and is neither the key nor any role's password.
      expect(remembered).toMatch(/^rsm:key:[A-Za-z0-9_-]{16}$/);
      expect(remembered).not.toContain(oldKey!.slice(0, 8));

      t.config.secretKey = 'a-third-test-only-secret-key-0123456789';
      await t.app.get(TenantDataSources).closeAll();
      await migrator.migrateOnStart();
      expect(reset.mock.calls.map(([, organizationId]) => organizationId)).toContain(studio.organizationId);
      expect(await fingerprint()).not.toBe(remembered);
      reset.mockClear();
      await migrator.migrateOnStart(); // the new key is remembered: nothing to do again
      expect(reset).not.toHaveBeenCalled();
      await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    } finally {
      reset.mockRestore();
      t.config.secretKey = oldKey;
      await t.app.get(TenantDataSources).closeAll();
      await migrator.migrateOnStart(); // back to the run's key for the tests after this one
    }
  });

  it("a test app's close() leaves none of its databases or roles behind", async () => {
    const other = await createTestApp();
    const prefix = other.config.tenancy.databasePrefix.replace(/_tenant_$/, '_');
    await registerStudio(other, 'Gone');
    const leftovers = async () => ({
      databases: (await t.admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix])).rows,
      roles: (await t.admin.query(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [prefix])).rows,
    });
    const before = await leftovers();
    expect(before.databases.length).toBe(3); // control, template, one studio
    expect(before.roles.length).toBe(3); // control role, group, the studio's role
    await other.close();
    expect(await leftovers()).toEqual({ databases: [], roles: [] });
  });
});
