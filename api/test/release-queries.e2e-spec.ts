import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { TenantDataSources } from '../src/tenancy/tenant-data-sources.service.js';
import { TenantServers } from '../src/tenancy/tenant-servers.service.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../src/tenant-schema/tenant-migrations.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 8, ops-servers: migrations are expand/contract (docs/migrations.md), so during a rolling deploy
 * the previous release keeps working on a tenant the new release has migrated. This replays, on a
 * database at the latest tenant schema and as a tenant role, the SQL the previous release sent for the
 * clients feature and its audit entries (create, list in every order, search, page, get, update,
 * delete, audit list), recorded from a run of that release into test/fixtures/release-queries/<its
 * schema version>.json. Every statement must still run (its result is rolled back).
 *
 * Recording, on the release BEFORE a new migration: RECORD_RELEASE_QUERIES=1 npm test -w api -- test/release-queries
 * writes <LATEST_TENANT_SCHEMA_VERSION>.json. The file 1795680000000.json was recorded at schema
 * 1796000000000 with RECORD_RELEASE_QUERIES=1795680000000: the release before 1796000000000 (commit
 * 7437a37) has the same clients, audit and tenancy code as the one recorded (git log -- api/src/clients
 * api/src/audit: last change cbda477, before ff68c40 added migration 1796000000000), so it sent the same SQL.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'release-queries');

interface RecordedStatement {
  sql: string;
  parameters: unknown[];
}
interface ReleaseQueries {
  schemaVersion: string;
  note: string;
  statements: RecordedStatement[];
}

/** Transaction control is the replay's own; everything else is what the release asked of the database. */
const isTransactionControl = (sql: string) => /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b/i.test(sql.trim());

describe('the previous release\'s queries run on the latest tenant schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const record = async (label: string) => {
    const studio = await registerStudio(t, 'Recorder');
    const http = () => t.http();
    const statements: RecordedStatement[] = [];
    // The studio's pool, with a logger that keeps every statement it sends.
    const ds = await t.app.get(TenantDataSources).withTenant(studio.organizationId, async (d: DataSource) => d);
    const original = ds.logger;
    const recorder: Partial<TypeOrmLogger> = {
      logQuery: (sql, parameters) => void (isTransactionControl(sql) || statements.push({ sql, parameters: (parameters as unknown[] | undefined) ?? [] })),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    Object.defineProperty(ds, 'logger', { value: recorder, configurable: true });
    try {
      const created = await http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Ada', email: 'ada@example.com', phone: '+33 1 23', company: 'Analytical', notes: 'n' }).expect(201);
      await http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Bob' }).expect(201);
      for (const sort of ['name', '-name', 'createdAt', '-createdAt']) {
        const page = await http().get(`/api/v1/clients?limit=1&sort=${sort}`).set('cookie', studio.cookie).expect(200);
        await http().get(`/api/v1/clients?limit=1&sort=${sort}&cursor=${page.body.nextCursor}`).set('cookie', studio.cookie).expect(200);
      }
      await http().get('/api/v1/clients?q=ad').set('cookie', studio.cookie).expect(200);
      await http().get(`/api/v1/clients/${created.body.id}`).set('cookie', studio.cookie).expect(200);
      await http().patch(`/api/v1/clients/${created.body.id}`).set('cookie', studio.cookie).send({ notes: 'changed', company: null }).expect(200);
      await http().delete(`/api/v1/clients/${created.body.id}`).set('cookie', studio.cookie).expect(204);
      await http().get('/api/v1/audit').set('cookie', studio.cookie).expect(200);
    } finally {
      Object.defineProperty(ds, 'logger', { value: original, configurable: true });
    }
    const fixture: ReleaseQueries = {
      schemaVersion: label,
      note: 'SQL the clients and audit features sent, recorded by test/release-queries.e2e-spec.ts (RECORD_RELEASE_QUERIES)',
      statements,
    };
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(join(FIXTURES, `${label}.json`), JSON.stringify(fixture, null, 2) + '\n');
  };

  it('replays the newest recorded release before the latest schema on a studio at the latest schema, as its own role', async () => {
    const asVersion = process.env.RECORD_RELEASE_QUERIES;
    if (asVersion) await record(asVersion === '1' ? LATEST_TENANT_SCHEMA_VERSION : asVersion);
    const releases = readdirSync(FIXTURES)
      .filter((f) => /^\d{13}\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as ReleaseQueries)
      .filter((r) => BigInt(r.schemaVersion) < BigInt(LATEST_TENANT_SCHEMA_VERSION))
      .sort((a, b) => (BigInt(a.schemaVersion) < BigInt(b.schemaVersion) ? -1 : 1));
    const previous = releases.at(-1);
    expect(previous).toBeDefined();
    expect(previous!.statements.length).toBeGreaterThan(10);

    const studio = await registerStudio(t, 'Replay');
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId]);
    const client = new pg.Client({ connectionString: t.app.get(TenantServers).tenantUrl('default', rows[0].database_name, studio.organizationId) });
    await client.connect();
    const failures: string[] = [];
    try {
      const [{ version }] = (await client.query(`SELECT max("timestamp")::text AS version FROM migrations`)).rows;
      expect(version).toBe(LATEST_TENANT_SCHEMA_VERSION);
      await client.query('BEGIN');
      for (const [i, { sql, parameters }] of previous!.statements.entries()) {
        await client.query(`SAVEPOINT s${i}`);
        try {
          await client.query(sql, parameters);
        } catch (err) {
          failures.push(`${(err as Error).message} — in: ${sql.slice(0, 160)}`);
          await client.query(`ROLLBACK TO SAVEPOINT s${i}`);
        }
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
    expect(failures).toEqual([]);
  });
});
