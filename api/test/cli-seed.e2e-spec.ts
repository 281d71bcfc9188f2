import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { EXIT } from '../src/cli/exit-codes.js';
import type { DemoStudio } from '../src/cli/demo-seed.service.js';
import { rsm } from './support/cli.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Reads a binary response body as a Buffer (supertest leaves unknown types unparsed). */
const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Issue 8: `rsm seed --demo`, with what the product has so far (issue 10: projects, files, a mix under review). */
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
      expect(run.stdout).toMatch(/Not in the demo yet \(not built yet\): invoices, portal accounts\./);

      // Issue 10: the album and the single, made through the projects, files and reviews services.
      expect(run.stdout).toContain('Projects: 2 (5 tracks, 3 files, 1 deliverable with 2 versions and 3 review comments).');
      const get = async (url: string) => (await http().get(url).set('cookie', cookie).expect(200)).body;
      const projects = (await get('/api/v1/projects')).items as Array<Record<string, any>>;
      expect(projects.map((p) => [p.title, p.type, p.status, p.client.name]).sort()).toEqual([
        ['Night Drive', 'album', 'in_progress', 'The Midnight Owls'],
        ['Paper Moon', 'single', 'planned', 'Clara Voss'],
      ]);
      const album = projects.find((p) => p.title === 'Night Drive')!;
      expect(album.budget).toEqual({ amountMinor: 850_000, currency: 'EUR' });
      expect(new Date(album.dueDate).getTime()).toBeGreaterThan(Date.now() + 40 * day);
      expect(new Date(album.dueDate).getTime()).toBeLessThan(Date.now() + 44 * day);
      const tracks = (await get(`/api/v1/projects/${album.id}/tracks`)).items as Array<Record<string, any>>;
      expect(tracks.map((tr) => tr.position)).toEqual([1, 2, 3, 4]);
      for (const track of tracks) expect([track.isrc, track.bpm, track.key]).toEqual([expect.stringMatching(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/), expect.any(Number), expect.any(String)]);
      const single = projects.find((p) => p.title === 'Paper Moon')!;
      expect((await get(`/api/v1/projects/${single.id}/tracks`)).items).toHaveLength(1);
      // The calendar's past sessions are the album's.
      const sessions = (await get(`/api/v1/projects/${album.id}/bookings`)).items as Array<Record<string, any>>;
      expect(sessions.map((b) => b.id).sort()).toEqual(byStatus('completed').map((b) => b.id).sort());

      // The files: each blob is stored and is the bytes the row's checksum names.
      const files = (await get(`/api/v1/projects/${album.id}/files`)).items as Array<Record<string, any>>;
      expect(files.map((f) => [f.name, f.contentType, f.trackId]).sort()).toEqual([
        ['Neon Highway - mix v1.wav', 'audio/wav', tracks[0].id],
        ['Neon Highway - mix v2.wav', 'audio/wav', tracks[0].id],
        ['lyrics.txt', 'text/plain', null],
      ]);
      for (const file of files) {
        const content = await http().get(file.contentUrl).set('cookie', cookie).buffer(true).parse(binary).expect(200);
        expect(createHash('sha256').update(content.body as Buffer).digest('hex')).toBe(file.sha256);
        expect((content.body as Buffer).length).toBe(file.sizeBytes);
        expect(file.peaksStatus).toEqual(file.contentType === 'audio/wav' ? expect.stringMatching(/^(pending|ready)$/) : 'none');
      }
      expect(files.find((f) => f.name.endsWith('v1.wav'))!.sizeBytes).toBe(44 + 12 * 22_050 * 2 * 2); // 12 s of 16-bit stereo

      // Track 1's mix: v1 sent back once (one revision round), its two threads, v2 awaiting review.
      const [deliverable] = (await get(`/api/v1/projects/${album.id}/deliverables`)).items as Array<Record<string, any>>;
      expect(deliverable).toMatchObject({ title: 'Track 1 — mix', trackId: tracks[0].id, status: 'open', roundsUsed: 1, extraRounds: 0, versionCount: 2 });
      const { versions } = await get(`/api/v1/deliverables/${deliverable.id}`);
      expect(versions.map((v: Record<string, any>) => [v.number, v.status, v.revisionRound, v.file.name, v.commentCount, v.openCommentCount])).toEqual([
        [2, 'awaiting_review', null, 'Neon Highway - mix v2.wav', 0, 0],
        [1, 'changes_requested', 1, 'Neon Highway - mix v1.wav', 2, 1],
      ]);
      expect(versions[1].decidedBy).toMatchObject({ kind: 'staff', name: 'Demo Owner' });
      const comments = (await get(`/api/v1/versions/${versions[1].id}/comments`)).items as Array<Record<string, any>>;
      expect(comments.map((c) => [c.atSeconds, c.resolved, c.author.name, c.replies.map((r: Record<string, any>) => r.author.name)])).toEqual([
        [3, true, 'Demo Owner', []],
        [8, false, 'Demo Owner', ['Alex Engineer']],
      ]);
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
    expect(json.json<DemoStudio>()).toMatchObject({
      counts: { rooms: 3, equipment: 5, engineers: 2, clients: 8 },
      bookings: { recurring: 3, holds: 2, completed: 3 },
      projects: { projects: 2, tracks: 5, files: 3, deliverables: 1, versions: 2, comments: 3 },
    });
  });
});
