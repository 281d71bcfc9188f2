import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { EXIT } from '../src/cli/exit-codes.js';
import type { DemoStudio } from '../src/cli/demo-seed.service.js';
import { rsm } from './support/cli.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Issue 8: `rsm seed --demo`, with what the product has so far. */
describe('rsm seed --demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('makes a studio one can log into, with engineers, rooms, equipment and clients; prints how to log in', async () => {
    const run = await rsm(t, ['seed', '--demo', '--email', 'owner@demo.test', '--password', 'demo studio password']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toMatch(/Log in at http:\/\/\S+\/login\n\s+owner:\s+owner@demo.test \/ demo studio password\n/);

    // The API as started after the seed. (In-process only: the seed's own application context registered
    // its passport strategies in passport's process-wide registry, as any Nest app instance does.)
    const api = await createApp(t.config);
    await api.init();
    await api.getHttpAdapter().getInstance().ready();
    const http = () => request(api.getHttpServer());
    try {
      const login = await http().post('/api/v1/auth/login').send({ email: 'owner@demo.test', password: 'demo studio password' }).expect(200);
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const clients = await http().get('/api/v1/clients').set('cookie', cookie).expect(200);
      expect(clients.body.total).toBe(8);
      const members = await http().get('/api/v1/members').set('cookie', cookie).expect(200);
      expect(JSON.stringify(members.body).match(/"engineer"/g)).toHaveLength(2);
      await http().post('/api/v1/auth/login').send({ email: 'owner+alex@demo.test', password: 'demo studio password' }).expect(200);
    } finally {
      await api.close();
    }
    const { rows } = await t.control.query(
      `SELECT o.unverified_until, td.status FROM organizations o JOIN tenant_databases td ON td.organization_id = o.id WHERE o.name = 'Demo Studio'`,
    );
    expect(rows).toEqual([{ unverified_until: null, status: 'ready' }]);
  });

  it('refuses a second demo with the same owner, a seed without --demo, and production', async () => {
    const again = await rsm(t, ['seed', '--demo', '--email', 'owner@demo.test']);
    expect(again.code).toBe(EXIT.USAGE);
    expect(again.stderr).toMatch(/already has an account/);
    expect((await rsm(t, ['seed'])).code).toBe(EXIT.USAGE);
    const production = await rsm({ ...t, config: { ...t.config, env: 'production' } }, ['seed', '--demo', '--email', 'prod@demo.test', '--json']);
    expect(production.code).toBe(EXIT.USAGE);
    expect(production.stderr).toMatch(/not in production/);
    const json = await rsm(t, ['seed', '--demo', '--email', 'second@demo.test', '--json']);
    expect(json.json<DemoStudio>()).toMatchObject({ counts: { rooms: 3, equipment: 5, engineers: 2, clients: 8 } });
  });
});
