import { randomUUID } from 'node:crypto';
import { MAX_TRACKS } from '../src/projects/dto/track.dto.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { holdRowLock, waitForLockWaiters } from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/** Issue 10: a project's tracks: append, edit, ISRC normalisation, reorder in one call, delete closing the gap. */
describe('tracks: API', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Tracks');
    other = await bookingStudio(t, 'Other tracks studio');
    clientId = await s.client();
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  const project = async (studio: BookingStudio = s) =>
    (await studio.api.post('/api/v1/projects').send({ clientId: studio === s ? clientId : await studio.client(), title: 'Night Flights', type: 'album' }).expect(201)).body.id as string;
  const add = async (projectId: string, body: Record<string, unknown>, studio: BookingStudio = s) =>
    (await studio.api.post(`/api/v1/projects/${projectId}/tracks`).send(body).expect(201)).body as { id: string; position: number; updatedAt: string };
  const put = (projectId: string, trackIds: unknown, cookie = s.cookie) => t.http().put(`/api/v1/projects/${projectId}/tracks/order`).set('cookie', cookie).send({ trackIds });
  const order = async (projectId: string) => (await s.db.query(`SELECT title, position FROM tracks WHERE project_id = $1 ORDER BY position`, [projectId])).rows.map((r) => `${r.position}:${r.title}`);
  const snapshot = async () => ({
    tracks: (await s.db.query(`SELECT * FROM tracks ORDER BY id`)).rows,
    audit: await s.count('audit_log'),
  });

  it('appends tracks in order, normalising the ISRC, and lists them by position', async () => {
    const id = await project();
    const first = await s.api.post(`/api/v1/projects/${id}/tracks`).send({ title: ' Intro ', artist: 'The Owls', isrc: 'us-s1z-99-00001', bpm: 92.5, key: 'F# minor' }).expect(201);
    expect(first.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      projectId: id,
      title: 'Intro',
      position: 1,
      artist: 'The Owls',
      isrc: 'USS1Z9900001',
      bpm: 92.5,
      key: 'F# minor',
      status: 'recording',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await add(id, { title: 'Night Flight', isrc: 'GB AAA 01 00001', status: 'mixing' });
    await add(id, { title: 'Outro', isrc: '' });
    const list = await s.api.get(`/api/v1/projects/${id}/tracks`).expect(200);
    expect(list.body.items.map((x: { title: string; position: number; isrc: string | null; status: string }) => [x.position, x.title, x.isrc, x.status])).toEqual([
      [1, 'Intro', 'USS1Z9900001', 'recording'],
      [2, 'Night Flight', 'GBAAA0100001', 'mixing'],
      [3, 'Outro', null, 'recording'],
    ]);
    const audit = await s.db.query(`SELECT target_id, details FROM audit_log WHERE action = 'track.created' AND details->>'projectId' = $1 ORDER BY details->'position'`, [id]);
    expect(audit.rows).toEqual(
      list.body.items.map((x: { id: string; title: string; position: number }) => ({ target_id: x.id, details: { projectId: id, title: x.title, position: x.position } })),
    );
  });

  it.each([
    ['no title', { title: undefined }, 'title'],
    ['an ISRC too short', { isrc: 'US-S1Z-99-0001' }, 'isrc'],
    ['an ISRC with letters in the designation', { isrc: 'USS1Z99ABCDE' }, 'isrc'],
    ['an ISRC with a digit for country', { isrc: '1SS1Z9900001' }, 'isrc'],
    ['an ISRC that is a number', { isrc: 123456789012 }, 'isrc'],
    ['a BPM of 0', { bpm: 0 }, 'bpm'],
    ['a BPM of 1000', { bpm: 1000 }, 'bpm'],
    ['a BPM with three decimals', { bpm: 92.555 }, 'bpm'],
    ['a BPM as text', { bpm: '92' }, 'bpm'],
    ['an unknown status', { status: 'released' }, 'status'],
    ['a key of 21 characters', { key: 'x'.repeat(21) }, 'key'],
    ['a position', { position: 1 }, 'position'],
  ])('POST with %s is a 400 naming the field, and writes nothing', async (_label, change, field) => {
    const id = await project();
    await add(id, { title: 'Existing' });
    const before = await snapshot();
    const res = await s.api.post(`/api/v1/projects/${id}/tracks`).send({ title: 'Bad', ...change }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it(`holds at most ${MAX_TRACKS} tracks: the next one is a 409 and writes nothing`, async () => {
    const id = await project();
    await s.db.query(`INSERT INTO tracks (project_id, title, position) SELECT $1, 'Take ' || n, n FROM generate_series(1, $2::int) AS n`, [id, MAX_TRACKS - 1]);
    expect((await add(id, { title: 'The last one' })).position).toBe(MAX_TRACKS);
    const before = await snapshot();
    const res = await s.api.post(`/api/v1/projects/${id}/tracks`).send({ title: 'One too many' }).expect(409);
    expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/too-many-tracks', status: 409, detail: `A project holds at most ${MAX_TRACKS} tracks.` });
    expect(await snapshot()).toEqual(before);
  });

  it('ten concurrent appends take positions 1 to 10 (the project row lock queues them)', async () => {
    const id = await project();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.api.post(`/api/v1/projects/${id}/tracks`).send({ title: `T${i}` }).then((r) => r)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(results.map((r) => r.body.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('patches the fields given, clears with null, normalises the ISRC; bad input changes nothing', async () => {
    const id = await project();
    const track = await add(id, { title: 'Song', artist: 'Owls', bpm: 120, key: 'C' });
    await add(id, { title: 'Interlude', artist: 'Owls', bpm: 90 });
    await add(await project(), { title: 'Elsewhere', artist: 'Owls' });
    const others = async () => (await s.db.query(`SELECT * FROM tracks WHERE id <> $1 ORDER BY id`, [track.id])).rows;
    const othersBefore = await others();
    const res = await s.api.patch(`/api/v1/tracks/${track.id}`).send({ isrc: 'fr-z03-14-00123', artist: null, status: 'mastering' }).expect(200);
    expect(res.body).toMatchObject({ title: 'Song', artist: null, isrc: 'FRZ031400123', bpm: 120, key: 'C', status: 'mastering', position: 1 });
    // Only that track: its neighbour in the project and a track of another project are untouched (tenth session's
    // Stryker run: the UPDATE's WHERE emptied survived, i.e. a PATCH could rewrite every track of the studio).
    expect(await others()).toEqual(othersBefore);
    expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThan(new Date(track.updatedAt).getTime());
    const audit = await s.db.query(`SELECT details FROM audit_log WHERE target_id = $1 AND action = 'track.updated'`, [track.id]);
    expect(audit.rows).toEqual([{ details: { projectId: id, fields: ['artist', 'isrc', 'status'] } }]);
    const before = await snapshot();
    for (const bad of [{ title: null }, { status: null }, { isrc: 'nope' }, { bpm: -3 }, { position: 2 }, { projectId: randomUUID() }]) {
      const refused = await s.api.patch(`/api/v1/tracks/${track.id}`).send({ key: 'D', ...bad }).expect(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(Object.keys(bad)[0]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('five concurrent PATCHes of different fields, queued on the track row lock, all stick (issue 15)', async () => {
    const id = await project();
    const track = await add(id, { title: 'Before' });
    const locker = await connectTenantDatabase(t, s.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM tracks WHERE id = $1 FOR UPDATE', [track.id]);
    const changes = [{ title: 'After' }, { artist: 'Owls' }, { isrc: 'USS1Z9900009' }, { bpm: 88.25 }, { key: 'E minor' }, { status: 'done' }];
    const pending = changes.map((c) => s.api.patch(`/api/v1/tracks/${track.id}`).send(c).then((r) => r));
    await new Promise((r) => setTimeout(r, 300));
    await locker.query('COMMIT');
    await locker.end();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    const [stored] = (await s.api.get(`/api/v1/projects/${id}/tracks`).expect(200)).body.items;
    expect(stored).toMatchObject(Object.assign({}, ...changes));
  });

  describe('reorder', () => {
    it('puts every track where the list says, in one call, audited once on the project', async () => {
      const id = await project();
      const [a, b, c] = [await add(id, { title: 'A' }), await add(id, { title: 'B' }), await add(id, { title: 'C' })];
      const res = await put(id, [c.id, a.id, b.id]).expect(200);
      expect(res.body.items.map((x: { title: string; position: number }) => `${x.position}:${x.title}`)).toEqual(['1:C', '2:A', '3:B']);
      expect(await order(id)).toEqual(['1:C', '2:A', '3:B']);
      const audit = await s.db.query(`SELECT details FROM audit_log WHERE action = 'project.tracks_reordered' AND target_id = $1`, [id]);
      expect(audit.rows).toEqual([{ details: { trackIds: [c.id, a.id, b.id] } }]);
    });

    it('answers and lists by position when only some tracks move', async () => {
      const id = await project();
      const [a, b, c, d] = [await add(id, { title: 'A' }), await add(id, { title: 'B' }), await add(id, { title: 'C' }), await add(id, { title: 'D' })];
      const res = await put(id, [a.id, c.id, b.id, d.id]).expect(200);
      const titles = (items: Array<{ title: string; position: number }>) => items.map((x) => `${x.position}:${x.title}`);
      expect(titles(res.body.items)).toEqual(['1:A', '2:C', '3:B', '4:D']);
      expect(titles((await s.api.get(`/api/v1/projects/${id}/tracks`).expect(200)).body.items)).toEqual(['1:A', '2:C', '3:B', '4:D']);
    });

    // The message names every problem of the list, by track id (T0…T2 stand for the project's three, X and Y for unknown ids).
    it.each([
      ['one track left out', ['T0', 'T1'], 'missing: T2'],
      ['a track named twice', ['T0', 'T1', 'T1'], 'named more than once: T1; missing: T2'],
      ['a track named three times', ['T0', 'T0', 'T0'], 'named more than once: T0; missing: T1, T2'],
      ['a track twice in place of another', ['T0', 'T0', 'T2'], 'named more than once: T0; missing: T1'],
      ['an unknown id', ['T0', 'T1', 'T2', 'X'], 'not tracks of this project: X'],
      ['an unknown id in place of a track', ['T0', 'T1', 'X'], 'not tracks of this project: X; missing: T2'],
      ['an empty list', [], 'missing: T0, T1, T2'],
      ['two tracks twice and two unknown ids', ['T0', 'T0', 'T1', 'T1', 'X', 'Y'], 'named more than once: T0, T1; not tracks of this project: X, Y; missing: T2'],
    ])('%s is a 400 naming trackIds and the problem, and nothing moves', async (_label, list, problems) => {
      const id = await project();
      const ids = [(await add(id, { title: 'A' })).id, (await add(id, { title: 'B' })).id, (await add(id, { title: 'C' })).id];
      const unknown: Record<string, string> = { X: randomUUID(), Y: randomUUID() };
      const idOf = (name: string) => unknown[name] ?? ids[Number(name.slice(1))];
      const before = await snapshot();
      const res = await put(id, list.map(idOf)).expect(400);
      expect(res.body.errors).toEqual([
        { field: 'trackIds', messages: [`trackIds must list every track of the project exactly once (${problems.replace(/T\d|X|Y/g, idOf)})`] },
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it("another project's track is a 400 and neither project changes", async () => {
      const mine = await project();
      const theirs = await project();
      const ids = [(await add(mine, { title: 'A' })).id, (await add(mine, { title: 'B' })).id];
      const foreign = (await add(theirs, { title: 'X' })).id;
      const before = await snapshot();
      await put(mine, [ids[1], foreign]).expect(400);
      await put(mine, [ids[1], ids[0], foreign]).expect(400);
      expect(await snapshot()).toEqual(before);
    });

    it('waits on the project row lock: a reorder sent while a track is being deleted then refuses its stale list, and positions stay 1..n (issue 15)', async () => {
      const id = await project();
      const [a, b, c, d] = [await add(id, { title: 'A' }), await add(id, { title: 'B' }), await add(id, { title: 'C' }), await add(id, { title: 'D' })];
      // Another writer holds the project, as a delete does, and removes B and closes the gap (not yet committed).
      const locker = await connectTenantDatabase(t, s.organizationId);
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM projects WHERE id = $1 FOR UPDATE', [id]);
      await locker.query('DELETE FROM tracks WHERE id = $1', [b.id]);
      await locker.query('UPDATE tracks SET position = position - 1 WHERE project_id = $1 AND position > 2', [id]);
      const pending = put(id, [d.id, c.id, b.id, a.id]).then((r) => r);
      await new Promise((r) => setTimeout(r, 300));
      await locker.query('COMMIT');
      await locker.end();
      const res = await pending;
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('trackIds');
      expect(await order(id)).toEqual(['1:A', '2:C', '3:D']);
    });

    it.each([
      ['not a list', 'nope', 'trackIds'],
      ['ids that are not UUIDs', ['a', 'b'], 'trackIds'],
      ['no list', undefined, 'trackIds'],
    ])('a body with %s is a 400', async (_label, trackIds, field) => {
      const id = await project();
      await add(id, { title: 'A' });
      const res = await put(id, trackIds).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  it('deletes a track and closes the gap behind it', async () => {
    const id = await project();
    const tracks = [];
    for (const title of ['A', 'B', 'C', 'D']) tracks.push(await add(id, { title }));
    await s.api.delete(`/api/v1/tracks/${tracks[1].id}`).expect(204);
    expect(await order(id)).toEqual(['1:A', '2:C', '3:D']);
    await s.api.delete(`/api/v1/tracks/${tracks[1].id}`).expect(404);
    await add(id, { title: 'E' });
    expect(await order(id)).toEqual(['1:A', '2:C', '3:D', '4:E']);
    const audit = await s.db.query(`SELECT details FROM audit_log WHERE action = 'track.deleted' AND target_id = $1`, [tracks[1].id]);
    expect(audit.rows).toEqual([{ details: { projectId: id, title: 'B' } }]);
  });

  it("a delete waits on its project's row lock, as appends and reorders do, so positions stay 1..n (issue 15)", async () => {
    await add(await project(), { title: 'In another project' }); // what a lookup that lost its WHERE would find first
    const id = await project();
    const [, b] = [await add(id, { title: 'A' }), await add(id, { title: 'B' }), await add(id, { title: 'C' })];
    const lock = await holdRowLock(t, s.organizationId, 'projects', id);
    let done = false;
    const pending = s.api.delete(`/api/v1/tracks/${b.id}`).then((r) => ((done = true), r));
    // Eleventh session's Stryker survivor: the track's lookup with its WHERE emptied locked some other project.
    await waitForLockWaiters(t, await tenantDatabaseOf(t, s.organizationId), 1);
    expect(done).toBe(false);
    await lock.release();
    expect((await pending).status).toBe(204);
    expect(await order(id)).toEqual(['1:A', '2:C']);
  });

  it("another studio's project and tracks are 404 on every route; malformed ids are 400", async () => {
    const theirs = await project(other);
    const theirTrack = await add(theirs, { title: 'Theirs' }, other);
    const before = (await other.api.get(`/api/v1/projects/${theirs}/tracks`).expect(200)).body;
    for (const projectId of [theirs, randomUUID()]) {
      await s.api.get(`/api/v1/projects/${projectId}/tracks`).expect(404);
      await s.api.post(`/api/v1/projects/${projectId}/tracks`).send({ title: 'Mine' }).expect(404);
      await put(projectId, [theirTrack.id]).expect(404);
    }
    const trackNotFound = { status: 404, type: 'https://rsm.dev/problems/not-found', detail: 'No track with this id in your studio.' };
    for (const trackId of [theirTrack.id, randomUUID()]) {
      expect((await s.api.patch(`/api/v1/tracks/${trackId}`).send({ title: 'Mine' }).expect(404)).body).toMatchObject(trackNotFound);
      expect((await s.api.delete(`/api/v1/tracks/${trackId}`).expect(404)).body).toMatchObject(trackNotFound);
    }
    expect((await other.api.get(`/api/v1/projects/${theirs}/tracks`).expect(200)).body).toEqual(before);
    expect((await s.api.get('/api/v1/projects/x/tracks').expect(400)).body.errors[0].field).toBe('id');
    expect((await s.api.patch('/api/v1/tracks/x').send({ title: 'y' }).expect(400)).body.errors[0].field).toBe('id');
    expect((await s.api.delete('/api/v1/tracks/x').expect(400)).body.errors[0].field).toBe('id');
    expect((await put('x', []).expect(400)).body.errors[0].field).toBe('id');
  });

  it('viewers read tracks but cannot add, edit, reorder or delete them', async () => {
    const id = await project();
    const track = await add(id, { title: 'A' });
    const viewer = await s.cookieOf(await s.member('viewer'));
    const before = await snapshot();
    await s.as(viewer).get(`/api/v1/projects/${id}/tracks`).expect(200);
    await s.as(viewer).post(`/api/v1/projects/${id}/tracks`).send({ title: 'B' }).expect(403);
    await s.as(viewer).patch(`/api/v1/tracks/${track.id}`).send({ title: 'B' }).expect(403);
    await put(id, [track.id], viewer).expect(403);
    await s.as(viewer).delete(`/api/v1/tracks/${track.id}`).expect(403);
    expect(await snapshot()).toEqual(before);
  });
});
