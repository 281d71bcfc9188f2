import { rsm } from './support/cli.js';
import { startSecondServer, type SecondServer } from './support/second-postgres.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Issue 8, ops-servers: `rsm tenants move <id> --to <server>` on TenantMover, between two real PostgreSQL servers. */
describe('rsm tenants move', () => {
  let second: SecondServer;
  let t: TestApp;
  beforeAll(async () => {
    second = await startSecondServer();
    t = await createTestApp({ TENANT_SERVERS: `second=${second.appUrl}` });
    // Studios go to the default server, so the moves below go to `second`.
    await t.control.query(`UPDATE tenant_servers SET status = 'draining' WHERE name = 'second'`);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await second?.stop();
  });

  const serverOf = async (organizationId: string) =>
    (await t.control.query(`SELECT server FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0].server as string;

  it('moves a studio, prints the verified tables, and the studio works on the new server', async () => {
    const studio = await registerStudio(t, 'CliMove');
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Carried over' }).expect(201);
    await t.control.query(`UPDATE tenant_servers SET status = 'active' WHERE name = 'second'`);
    const run = await rsm(t, ['--json', 'tenants', 'move', studio.organizationId, '--to', 'second']);
    await t.control.query(`UPDATE tenant_servers SET status = 'draining' WHERE name = 'second'`);
    expect(run.code).toBe(0);
    const out = run.json<{ moved: boolean; from: string; to: string; tables: Array<{ table: string; rows: number }> }>();
    expect(out).toMatchObject({ moved: true, from: 'default', to: 'second' });
    expect(out.tables.find((x) => x.table === 'clients')?.rows).toBe(1);
    expect(await serverOf(studio.organizationId)).toBe('second');
    const list = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['Carried over']);
  });

  it('refuses what cannot be done with a usage error, changing nothing', async () => {
    const studio = await registerStudio(t, 'CliStay');
    const unknown = await rsm(t, ['tenants', 'move', studio.organizationId, '--to', 'nowhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nowhere/);
    const draining = await rsm(t, ['tenants', 'move', studio.organizationId, '--to', 'second']);
    expect(draining.code).toBe(2);
    const same = await rsm(t, ['tenants', 'move', studio.organizationId, '--to', 'default']);
    expect(same.code).toBe(2);
    expect((await rsm(t, ['tenants', 'move', studio.organizationId])).code).toBe(2); // --to is required
    expect(await serverOf(studio.organizationId)).toBe('default');
    expect((await t.control.query(`SELECT count(*)::int AS n FROM tenant_moves WHERE organization_id = $1`, [studio.organizationId])).rows[0].n).toBe(0);
    const help = await rsm(t, ['tenants', 'move', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--to <server>/);
  });
});
