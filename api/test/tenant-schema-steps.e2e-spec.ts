import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { withDatabase } from '../src/database/postgres-url.js';
import { databaseVersion, latestVersionOf, migrateTo, stepsTo, versionOf } from '../src/tenancy/tenant-schema-steps.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';

/**
 * The plan and the one transaction behind `rsm migrate` (tenant-schema-steps.ts), on real databases and
 * without the app. Since issue 14 the steps are read and written directly, so the order of the steps,
 * the `--to` bound and the rollback of a failed step are this file's own, not TypeORM's: the survivors of
 * the tenth session's mutation run (RELIABILITY.md) are each pinned here.
 */
describe('tenant schema steps', () => {
  const names = TENANT_MIGRATIONS.map((m) => new m().name!);
  const versions = names.map((name) => versionOf({ name }));
  const [latest, previous, middle] = [versions.at(-1)!, versions.at(-2)!, versions.at(-3)!];

  describe('versions (no database)', () => {
    it('a migration name must end with its 13-digit timestamp; 13 digits elsewhere in it are not a version', () => {
      expect(versionOf({ name: 'CreateClients1764000000001' })).toBe('1764000000001');
      expect(() => versionOf({ name: 'Backfill1764000000001Again' })).toThrow('Migration Backfill1764000000001Again does not end with its 13-digit timestamp');
      expect(() => versionOf({ name: 'Short176400000' })).toThrow(/does not end with its 13-digit timestamp/);
    });

    it('the latest version of a list is its newest, in whatever order the list is given', () => {
      const reversed = [...TENANT_MIGRATIONS].reverse();
      expect(latestVersionOf(reversed)).toBe(LATEST_TENANT_SCHEMA_VERSION);
      expect(latestVersionOf(TENANT_MIGRATIONS)).toBe(LATEST_TENANT_SCHEMA_VERSION);
    });
  });

  const server = () => {
    const url = process.env.RSM_TEST_PG_URL;
    if (!url) throw new Error('RSM_TEST_PG_URL is not set: run through jest (global setup)');
    return url;
  };
  let admin: pg.Client;
  const databases: string[] = [];
  const dataSources: DataSource[] = [];
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: withDatabase(server(), 'postgres') });
    await admin.connect();
  });
  afterAll(async () => {
    for (const ds of dataSources) if (ds.isInitialized) await ds.destroy();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const newDatabase = async () => {
    const name = `rsm_steps_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    databases.push(name);
    return name;
  };
  /** A pool of ONE connection on `database` knowing `migrations` in the order given. */
  const open = async (database: string, migrations: Array<new () => MigrationInterface>) => {
    const ds = new DataSource({ type: 'postgres', url: withDatabase(server(), database), migrations, extra: { max: 1 } });
    dataSources.push(ds);
    return ds.initialize();
  };
  const recorded = async (ds: DataSource) => ((await ds.query(`SELECT name FROM migrations ORDER BY "timestamp"`)) as Array<{ name: string }>).map((r) => r.name);

  it('a rollback over two migrations reverts the newest first whatever the ids say; up to a middle version applies only what lies below it, oldest first', async () => {
    const database = await newDatabase();
    const ds = await open(database, [...TENANT_MIGRATIONS]);
    expect((await migrateTo(ds, latest)).map((s) => s.name)).toEqual(names);
    expect(await databaseVersion(ds)).toBe(latest);

    // The last two rows' ids swapped (as after a hotfix applied out of order): the order comes from the versions.
    const [{ hi, lo }] = (await ds.query(`SELECT max(id) AS hi, (SELECT id FROM migrations WHERE name = $1) AS lo FROM migrations`, [names.at(-2)])) as Array<{ hi: number; lo: number }>;
    await ds.query(`UPDATE migrations SET id = -1 WHERE id = $1`, [hi]);
    await ds.query(`UPDATE migrations SET id = $1 WHERE id = $2`, [hi, lo]);
    await ds.query(`UPDATE migrations SET id = $1 WHERE id = -1`, [lo]);
    const byId = ((await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 2`)) as Array<{ name: string }>).map((r) => r.name);
    expect(byId).toEqual([names.at(-2), names.at(-1)]);

    const down = [
      { name: names.at(-1), version: latest, direction: 'down' },
      { name: names.at(-2), version: previous, direction: 'down' },
    ];
    expect(await stepsTo(ds, middle)).toEqual(down);
    expect(await migrateTo(ds, middle)).toEqual(down);
    expect(await databaseVersion(ds)).toBe(middle);
    expect(await recorded(ds)).toEqual(names.slice(0, -2));

    // A release listing its migrations newest first: the pending ones still go oldest first, and only up to the target.
    const reversed = await open(database, [...TENANT_MIGRATIONS].reverse());
    expect(await stepsTo(reversed, previous)).toEqual([{ name: names.at(-2), version: previous, direction: 'up' }]);
    expect((await stepsTo(reversed, latest)).map((s) => s.name)).toEqual(names.slice(-2));
    expect(await migrateTo(reversed, previous)).toEqual([{ name: names.at(-2), version: previous, direction: 'up' }]);
    expect(await databaseVersion(reversed)).toBe(previous);
    expect((await migrateTo(reversed, latest)).map((s) => s.name)).toEqual([names.at(-1)]);
    expect(await recorded(ds)).toEqual(names);
  });

  it('a new database gets every migration oldest first, even from a list given newest first', async () => {
    const ds = await open(await newDatabase(), [...TENANT_MIGRATIONS].reverse());
    expect((await migrateTo(ds, latest)).map((s) => s.name)).toEqual(names);
    expect(await recorded(ds)).toEqual(names);
  });

  it('a step that fails rolls the whole run back and leaves the pool\'s one connection usable, not inside an aborted transaction', async () => {
    const failingName = 'ClientsAgain1999999999999';
    class ClientsAgain1999999999999 implements MigrationInterface {
      name = failingName;
      async up(runner: QueryRunner) {
        await runner.query(`ALTER TABLE clients ADD COLUMN nickname text`);
        await runner.query(`CREATE TABLE clients (id int)`); // already there: the step fails in PostgreSQL
      }
      async down() {}
    }
    const ds = await open(await newDatabase(), [...TENANT_MIGRATIONS, ClientsAgain1999999999999]);
    await migrateTo(ds, latest);
    await expect(migrateTo(ds, '1999999999999')).rejects.toThrow(/relation "clients" already exists/);
    // The same (only) connection answers: a run that left its transaction open and aborted would fail here (25P02).
    expect(await databaseVersion(ds)).toBe(latest);
    expect(await recorded(ds)).toEqual(names);
    const columns = (await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'clients' AND column_name = 'nickname'`)) as unknown[];
    expect(columns).toEqual([]);
  });
});
