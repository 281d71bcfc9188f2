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

      // The bookings, as the calendar shows them: every one the summary counts, made through the booking service.
      const [, total, confirmed, recurring, holds, completed] = /Bookings: (\d+) \((\d+) confirmed over the next 3 weeks, (\d+) in a weekly series, (\d+) holds, (\d+) completed\)/
        .exec(run.stdout)!
        .map(Number);
      expect([recurring, holds, completed]).toEqual([3, 2, 3]);
      expect(confirmed).toBeGreaterThanOrEqual(20);
      const day = 86_400_000;
      const calendar = await http()
        .get('/api/v1/bookings')
        .query({ from: new Date(Date.now() - 12 * day).toISOString(), to: new Date(Date.now() + 23 * day).toISOString() })
        .set('cookie', cookie)
        .expect(200);
      const items = calendar.body.items as Array<Record<string, any>>;
      expect(items).toHaveLength(total);
      const byStatus = (status: string) => items.filter((b) => b.status === status);
      expect(byStatus('confirmed')).toHaveLength(confirmed + recurring);
      expect(byStatus('hold')).toHaveLength(holds);
      for (const hold of byStatus('hold')) {
        expect(new Date(hold.holdExpiresAt).getTime()).toBeLessThan(Date.now() + 5 * day);
        expect(new Date(hold.startsAt).getTime()).toBeGreaterThan(new Date(hold.holdExpiresAt).getTime());
      }
      expect(byStatus('completed')).toHaveLength(completed);
      for (const done of byStatus('completed')) {
        expect(new Date(done.endsAt).getTime()).toBeLessThan(Date.now());
        // Checked in and out on the day: the actual times are the session's, not the seed's run.
        expect(new Date(done.actualStartAt).getTime()).toBeGreaterThanOrEqual(new Date(done.startsAt).getTime());
        expect(new Date(done.actualEndAt).getTime()).toBeLessThanOrEqual(new Date(done.endsAt).getTime());
      }
      const series = items.filter((b) => b.seriesId !== null);
      expect(series).toHaveLength(recurring);
      expect(new Set(series.map((b) => b.seriesId)).size).toBe(1);
      const upcoming = items.filter((b) => new Date(b.startsAt).getTime() > Date.now());
      expect(upcoming).toHaveLength(total - completed);
      expect(Math.max(...upcoming.map((b) => new Date(b.startsAt).getTime()))).toBeLessThan(Date.now() + 22 * day);
      expect(upcoming.filter((b) => b.engineerIds.length > 0 && b.equipmentIds.length > 0).length).toBeGreaterThan(5);
      // The room's rate, snapshotted by the booking service.
      expect(items.every((b) => b.rate.currency === 'EUR' && b.rate.hourlyRateMinor > 0)).toBe(true);
      expect(run.stdout).toMatch(/Not in the demo yet \(not built yet\): projects, invoices, portal accounts\./);
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
    // A second demo studio the same day gets the same calendar, without a conflict.
    expect(json.code).toBe(EXIT.OK);
    expect(json.json<DemoStudio>()).toMatchObject({ counts: { rooms: 3, equipment: 5, engineers: 2, clients: 8 }, bookings: { recurring: 3, holds: 2, completed: 3 } });
  });
});
