import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TenantProvisioner } from '../src/tenancy/tenant-provisioner.service.js';
import { TenantRegistry } from '../src/tenancy/tenant-registry.service.js';
import { type Sql, TenantRoles } from '../src/tenancy/tenant-roles.js';
import { DEFAULT_SERVER, TenantServers } from '../src/tenancy/tenant-servers.service.js';
import { LogCapture, settle } from './support/log-capture.js';
import { createTestApp, registerStudio, type TestApp, tenantDatabaseOf, tenantRoleUrl } from './support/test-app.js';

/**
 * Provisioning's edges that the tenancy-setup mutation run found untested (RELIABILITY.md): the
 * tenant role's rights on its migration history, a role that already exists, a template someone is
 * connected to, which registry rows the registry hands out, a copy or drop that fails, and which
 * role errors count as "already done". Each test was checked by planting the bug it names.
 */
describe('tenant provisioning: rights, existing roles, a busy template, the registry', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'error' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  const tenantClient = async (organizationId: string) => {
    const client = new pg.Client({ connectionString: await tenantRoleUrl(t, organizationId) });
    await client.connect();
    return client;
  };
  /** The server SQL runner of `server`, recording each statement it is given. */
  const recordingSql = (server = DEFAULT_SERVER) => {
    const statements: string[] = [];
    const real = t.app.get(TenantServers).sql(server);
    const sql = (statement: string, parameters?: unknown[]) => (statements.push(statement), real(statement, parameters));
    return { sql, statements };
  };
  /**
   * Every SQL runner the app takes from TenantServers from now on goes through `answer` (given the statement
   * and the real runner), recording each statement. The spy's mockRestore() ends it.
   */
  const interceptServerSql = (answer: (statement: string, parameters: unknown[] | undefined, real: Sql) => Promise<unknown>) => {
    const servers = t.app.get(TenantServers);
    const statements: string[] = [];
    const sql = servers.sql.bind(servers);
    const spy = jest.spyOn(servers, 'sql').mockImplementation((server) => {
      const real = sql(server);
      return (statement, parameters) => (statements.push(statement), answer(statement, parameters, real));
    });
    return { statements, spy };
  };
  /** A PostgreSQL error with SQLSTATE `code`, as pg rejects with. */
  const pgError = (code: string, message = `injected ${code}`) => Object.assign(new Error(message), { code });
  const databaseExists = async (name: string) =>
    (await t.admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
  const roleExists = async (name: string) => (await t.admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [name])).rowCount === 1;
  const sqlState = (promise: Promise<unknown>) => promise.then(() => 'ok', (err: { code?: string }) => err.code ?? String(err));

  it("the tenant role reads which migrations ran but cannot rewrite them (a studio's credentials cannot fake its schema version)", async () => {
    const studio = await registerStudio(t, 'History');
    const client = await tenantClient(studio.organizationId);
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n, max("timestamp")::text AS latest FROM migrations`);
      expect(rows[0].n).toBeGreaterThan(0);
      // 42501 insufficient_privilege for every kind of change; its own data stays writable.
      expect(await sqlState(client.query(`INSERT INTO migrations ("timestamp", name) VALUES (9999999999999, 'Fake9999999999999')`))).toBe('42501');
      expect(await sqlState(client.query(`UPDATE migrations SET "timestamp" = "timestamp" + 1`))).toBe('42501');
      expect(await sqlState(client.query(`DELETE FROM migrations`))).toBe('42501');
      expect(await sqlState(client.query(`TRUNCATE migrations`))).toBe('42501');
      expect(await sqlState(client.query(`INSERT INTO clients (name) VALUES ('Own row')`))).toBe('ok');
      const after = await client.query(`SELECT count(*)::int AS n, max("timestamp")::text AS latest FROM migrations`);
      expect(after.rows[0]).toEqual(rows[0]);
    } finally {
      await client.end();
    }
  });

  it('a tenant role that already exists (another instance, a half-done sign-up) gets its password, membership and CONNECT set again', async () => {
    const studio = await registerStudio(t, 'Existing');
    const database = await tenantDatabaseOf(t, studio.organizationId);
    await t.app.get(TenantDataSources).closeAll();
    const group = `${t.config.tenancy.databasePrefix}app`;
    // As if left behind: a wrong password, no group membership, no CONNECT.
    await t.admin.query(`ALTER ROLE "${database}" PASSWORD 'left-behind-password'`);
    await t.admin.query(`REVOKE "${group}" FROM "${database}"`);
    await t.admin.query(`REVOKE CONNECT ON DATABASE "${database}" FROM "${database}"`);
    expect(await sqlState(tenantClient(studio.organizationId).then((c) => c.end()))).toMatch(/^(28P01|42501)$/);

    await t.app.get(TenantRoles).ensureTenantRole(t.app.get(TenantServers).sql(DEFAULT_SERVER), database, studio.organizationId);

    const client = await tenantClient(studio.organizationId);
    try {
      const { rows } = await client.query(`SELECT pg_has_role(current_user, $1, 'USAGE') AS member, (SELECT count(*)::int FROM clients) AS clients`, [group]);
      expect(rows[0]).toEqual({ member: true, clients: 0 });
    } finally {
      await client.end();
    }
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('a new database waits out a connection to the template (55006 "being accessed by other users") instead of failing the sign-up', async () => {
    // PostgreSQL itself waits ~5 s for other sessions on the template before 55006; this one stays 6 s.
    const holder = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, t.config.tenancy.templateDatabase) });
    await holder.connect();
    const released = new Promise((resolve) => setTimeout(resolve, 6_000)).then(() => holder.end());
    const organizationId = randomUUID();
    const provisioner = t.app.get(TenantProvisioner);
    const database = provisioner.databaseNameFor(organizationId);
    try {
      await provisioner.createDatabase(database, organizationId);
      await released;
      const { rows } = await t.admin.query(`SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`, [database]);
      expect(rows).toEqual([{ stamp: `rsm:tenant:${organizationId}` }]);
    } finally {
      await released.catch(() => undefined);
      await provisioner.dropDatabase(database, DEFAULT_SERVER);
    }
  }, 30_000);

  it('the registry lists ready studios only, oldest first, and finds exactly the ids asked for', async () => {
    const [a, b, c] = [await registerStudio(t, 'RegA'), await registerStudio(t, 'RegB'), await registerStudio(t, 'RegC')];
    const setRow = (organizationId: string, status: string, createdAt: string) =>
      t.control.query(`UPDATE tenant_databases SET status = $2, created_at = $3 WHERE organization_id = $1`, [organizationId, status, createdAt]);
    const registry = t.app.get(TenantRegistry);
    try {
      // Made in the order a, b, c and updated a first (rows in table order a, c); dated c, a, b; b is archived.
      await setRow(a.organizationId, 'ready', '2001-01-02T00:00:00Z');
      await setRow(c.organizationId, 'ready', '2001-01-01T00:00:00Z');
      await setRow(b.organizationId, 'archived', '2001-01-03T00:00:00Z');
      const ids = new Set([a.organizationId, b.organizationId, c.organizationId]);
      const ready = (await registry.listReady()).map((r) => r.organizationId).filter((id) => ids.has(id));
      expect(ready).toEqual([c.organizationId, a.organizationId]);

      const found = await registry.findMany([b.organizationId, c.organizationId]);
      expect(found.map((r) => r.organizationId).sort()).toEqual([b.organizationId, c.organizationId].sort());
      expect(await registry.findMany([])).toEqual([]);
    } finally {
      await setRow(b.organizationId, 'ready', new Date().toISOString());
    }
  });

  it('a copy that fails for another reason than a busy template fails at once, with no retry and nothing left behind', async () => {
    const studio = await registerStudio(t, 'Taken');
    const taken = await tenantDatabaseOf(t, studio.organizationId);
    const { statements, spy } = interceptServerSql((statement, parameters, real) => real(statement, parameters));
    try {
      // 42P04 duplicate_database: the name is in use (here by a studio of its own).
      await expect(t.app.get(TenantProvisioner).createDatabase(taken, randomUUID())).rejects.toMatchObject({ code: '42P04' });
      expect(statements.filter((s) => s.startsWith('CREATE DATABASE'))).toHaveLength(1);
      expect(statements.some((s) => /^(COMMENT|CREATE ROLE|ALTER ROLE)/.test(s))).toBe(false);
    } finally {
      spy.mockRestore();
    }
    // The studio that owns the name is untouched.
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('a template busy through every attempt: five CREATE DATABASE, backing off, then the 55006 is thrown and nothing else runs', async () => {
    // Injected: PostgreSQL's own ~5 s wait per attempt would make this a 25 s test.
    const { statements, spy } = interceptServerSql((statement, parameters, real) =>
      statement.startsWith('CREATE DATABASE') ? Promise.reject(pgError('55006', 'source database is being accessed by other users')) : real(statement, parameters),
    );
    const organizationId = randomUUID();
    const provisioner = t.app.get(TenantProvisioner);
    const database = provisioner.databaseNameFor(organizationId);
    try {
      await expect(provisioner.createDatabase(database, organizationId)).rejects.toMatchObject({ code: '55006' });
      expect(statements).toEqual(Array(5).fill(`CREATE DATABASE "${database}" TEMPLATE "${t.config.tenancy.templateDatabase}"`));
    } finally {
      spy.mockRestore();
    }
    expect(await databaseExists(database)).toBe(false);
    expect(await roleExists(database)).toBe(false);
  });

  it('dropping a database on a named server goes to that server, whatever the registry says; with no server and no row, to the default one', async () => {
    const studio = await registerStudio(t, 'Named server');
    const database = await tenantDatabaseOf(t, studio.organizationId);
    const provisioner = t.app.get(TenantProvisioner);
    // The registry says 'default'; the caller names a server this instance does not have: refused, nothing dropped.
    await expect(provisioner.dropDatabase(database, 'nowhere')).rejects.toThrow(/nowhere/);
    expect(await databaseExists(database)).toBe(true);
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);

    // A sign-up undone before its registry row was written: no row, no server named.
    const organizationId = randomUUID();
    const unregistered = provisioner.databaseNameFor(organizationId);
    await provisioner.createDatabase(unregistered, organizationId);
    expect(await databaseExists(unregistered)).toBe(true);
    await provisioner.dropDatabase(unregistered);
    expect(await databaseExists(unregistered)).toBe(false);
    expect(await roleExists(unregistered)).toBe(false);
  });

  it("dropping a database without naming its server uses the registry's server, and a drop that fails is logged and thrown", async () => {
    const studio = await registerStudio(t, 'Dropped');
    const database = await tenantDatabaseOf(t, studio.organizationId);
    const provisioner = t.app.get(TenantProvisioner);
    await t.app.get(TenantDataSources).closeAll();
    // The registry says the database lives on a server another instance has and this one does not
    // (TENANT_SERVERS differs): nothing is dropped here.
    await t.control.query(`INSERT INTO tenant_servers (name, status) VALUES ('elsewhere', 'active') ON CONFLICT DO NOTHING`);
    await t.control.query(`UPDATE tenant_databases SET server = 'elsewhere' WHERE organization_id = $1`, [studio.organizationId]);
    logs.clear();
    await expect(provisioner.dropDatabase(database)).rejects.toThrow(/elsewhere/);
    await settle();
    expect(logs.lines().filter((l) => l.msg === 'Could not drop tenant database')).toEqual([
      expect.objectContaining({ databaseName: database, err: expect.stringMatching(/elsewhere/) }),
    ]);
    expect(await databaseExists(database)).toBe(true);
    expect(await roleExists(database)).toBe(true);

    await t.control.query(`UPDATE tenant_databases SET server = 'default' WHERE organization_id = $1`, [studio.organizationId]);
    await t.control.query(`DELETE FROM tenant_servers WHERE name = 'elsewhere'`);
    await provisioner.dropDatabase(database);
    expect(await databaseExists(database)).toBe(false);
    expect(await roleExists(database)).toBe(false);
  });

  describe('roles: what counts as already done', () => {
    const failing = (pattern: RegExp, code: string) => {
      const { sql, statements } = recordingSql();
      return {
        statements,
        sql: (statement: string, parameters?: unknown[]) =>
          pattern.test(statement) ? (statements.push(statement), Promise.reject(pgError(code))) : sql(statement, parameters),
      };
    };

    it('a tenant role whose CREATE fails for another reason than "exists" fails, and nothing else is run', async () => {
      const organizationId = randomUUID();
      const roles = t.app.get(TenantRoles);
      const { sql, statements } = failing(/^CREATE ROLE/, '53300');
      await expect(roles.ensureTenantRole(sql, 'postgres', organizationId)).rejects.toMatchObject({ code: '53300' });
      expect(statements).toEqual([expect.stringMatching(/^CREATE ROLE/)]);
      expect(await roleExists(roles.roleFor(organizationId))).toBe(false);
    });

    it('the group role made by another instance between the check and the CREATE (42710) is accepted; another error is not', async () => {
      const roles = t.app.get(TenantRoles);
      const { sql } = recordingSql();
      // The check sees no group yet (another instance is about to make it); the real CREATE then meets 42710.
      const unseen = (statement: string, parameters?: unknown[]) => (/FROM pg_roles/.test(statement) ? Promise.resolve([]) : sql(statement, parameters));
      await expect(roles.ensureGroup(unseen)).resolves.toBeUndefined();
      const broken = (statement: string, parameters?: unknown[]) =>
        /^CREATE ROLE/.test(statement) ? Promise.reject(pgError('53300')) : unseen(statement, parameters);
      await expect(roles.ensureGroup(broken)).rejects.toMatchObject({ code: '53300' });
    });

    it("resetting the password of a role that does not exist changes nothing (a studio whose role was never made)", async () => {
      const { sql, statements } = recordingSql();
      const organizationId = randomUUID();
      await expect(t.app.get(TenantRoles).resetPassword(sql, organizationId)).resolves.toBeUndefined();
      expect(statements.filter((s) => s.startsWith('ALTER ROLE'))).toEqual([]);
      expect(await roleExists(t.app.get(TenantRoles).roleFor(organizationId))).toBe(false);
    });
  });
});
