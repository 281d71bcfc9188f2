import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { seedProject, upload, wavBytes } from './support/file-fixtures.js';
import { LogCapture } from './support/log-capture.js';
import { addMemberWithSession } from './support/studio-members.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('files: downloads (Range, ETag), roles, other studios, delete', () => {
  let t: TestApp;
  const logs = new LogCapture();
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let other: Awaited<ReturnType<typeof registerStudio>>;
  let project: Awaited<ReturnType<typeof seedProject>>;
  let db: pg.Client;
  const body = randomBytes(100_000);
  let file: { id: string; contentUrl: string; sha256: string };

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'error' }, { logDestination: logs });
    studio = await registerStudio(t, 'Downloads');
    other = await registerStudio(t, 'Other studio');
    project = await seedProject(t, studio.organizationId);
    db = await connectTenantDatabase(t, studio.organizationId);
    file = (await upload(t, studio.cookie, `/api/v1/projects/${project.projectId}/files`, body, 'Mix v1 — “final”.bin').expect(201)).body;
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const get = (url: string, cookie = studio.cookie) => t.http().get(url).set('cookie', cookie).buffer(true).parse(binary);
  const blobPath = async (id: string) => join(t.config.dataDir, 'files', (await db.query(`SELECT storage_key FROM files WHERE id = $1`, [id])).rows[0].storage_key);
  const rowCount = async () => Number((await db.query(`SELECT count(*) FROM files`)).rows[0].count);

  it('serves one byte range as 206 with exactly those bytes', async () => {
    const res = await get(file.contentUrl).set('range', 'bytes=1000-1999').expect(206);
    expect(res.headers['content-range']).toBe(`bytes 1000-1999/${body.length}`);
    expect(res.headers['content-length']).toBe('1000');
    expect((res.body as Buffer).equals(body.subarray(1000, 2000))).toBe(true);
    const suffix = await get(file.contentUrl).set('range', 'bytes=-10').expect(206);
    expect((suffix.body as Buffer).equals(body.subarray(body.length - 10))).toBe(true);
    const open = await get(file.contentUrl).set('range', `bytes=${body.length - 5}-`).expect(206);
    expect((open.body as Buffer).equals(body.subarray(body.length - 5))).toBe(true);
  });

  it('answers 416 with the size for a range past the end, and the whole file for several ranges or a stale If-Range', async () => {
    const res = await get(file.contentUrl).set('range', `bytes=${body.length}-`).expect(416);
    expect(res.headers['content-range']).toBe(`bytes */${body.length}`);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const several = await get(file.contentUrl).set('range', 'bytes=0-1,10-11').expect(200);
    expect(sha256(several.body as Buffer)).toBe(sha256(body));
    const stale = await get(file.contentUrl).set('range', 'bytes=0-9').set('if-range', '"0000"').expect(200);
    expect((stale.body as Buffer).length).toBe(body.length);
    const current = await get(file.contentUrl).set('range', 'bytes=0-9').set('if-range', `"${file.sha256}"`).expect(206);
    expect((current.body as Buffer).length).toBe(10);
  });

  it('answers If-None-Match with 304 for the current ETag only', async () => {
    const first = await get(file.contentUrl).expect(200);
    expect(first.headers.etag).toBe(`"${sha256(body)}"`);
    const again = await get(file.contentUrl).set('if-none-match', first.headers.etag).expect(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    await get(file.contentUrl).set('if-none-match', `W/"abc", ${first.headers.etag}`).expect(304);
    await get(file.contentUrl).set('if-none-match', '"something-else"').expect(200);
  });

  it('encodes the original name per RFC 6266, and serves inline only types that cannot run script', async () => {
    const res = await get(file.contentUrl).expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Mix v1 ? ?final?.bin"; filename*=UTF-8''Mix%20v1%20%E2%80%94%20%E2%80%9Cfinal%E2%80%9D.bin`);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    // Not audio: an attachment even when the player asks for inline.
    expect((await get(`${file.contentUrl}?disposition=inline`).expect(200)).headers['content-disposition']).toMatch(/^attachment;/);
    const wav = (await upload(t, studio.cookie, `/api/v1/projects/${project.projectId}/files`, wavBytes(), 'take.wav').expect(201)).body;
    const inline = await get(`${wav.contentUrl}?disposition=inline`).expect(200);
    expect([inline.headers['content-disposition'], inline.headers['content-type']]).toEqual(['inline; filename=take.wav', 'audio/wav']);
    await get(`${wav.contentUrl}?disposition=sideways`).expect(400);
    await get(`${wav.contentUrl}?other=1`).expect(400);
  });

  it("answers 404 for another studio's files, downloads included, and for unknown ids", async () => {
    for (const url of [`/api/v1/files/${file.id}`, file.contentUrl]) await get(url, other.cookie).expect(404);
    await t.http().delete(`/api/v1/files/${file.id}`).set('cookie', other.cookie).expect(404);
    await get(`/api/v1/projects/${project.projectId}/files`, other.cookie).expect(404);
    await upload(t, other.cookie, `/api/v1/projects/${project.projectId}/files`, Buffer.from('x'), 'x.txt').expect(404);
    await get(`/api/v1/files/${randomUUID()}/content`).expect(404);
    await get('/api/v1/files/not-a-uuid/content').expect(400);
    expect((await get(file.contentUrl).expect(200)).headers.etag).toBe(`"${file.sha256}"`);
  });

  it('lets a viewer list and download but not upload or delete; an engineer uploads and deletes', async () => {
    const viewer = await addMemberWithSession(t, studio.organizationId, 'viewer');
    const engineer = await addMemberWithSession(t, studio.organizationId, 'engineer');
    const before = await rowCount();
    await upload(t, viewer.cookie, `/api/v1/projects/${project.projectId}/files`, Buffer.from('viewer'), 'v.txt').expect(403);
    await t.http().delete(`/api/v1/files/${file.id}`).set('cookie', viewer.cookie).expect(403);
    expect(await rowCount()).toBe(before);
    await get(file.contentUrl, viewer.cookie).expect(200);
    const listed = await t.http().get(`/api/v1/projects/${project.projectId}/files`).set('cookie', viewer.cookie).expect(200);
    expect(listed.body.items.map((f: { id: string }) => f.id)).toContain(file.id);
    const mine = await upload(t, engineer.cookie, `/api/v1/projects/${project.projectId}/files`, Buffer.from('engineer'), 'e.txt').expect(201);
    expect(mine.body.uploadedBy).toBe(engineer.userId);
    await t.http().delete(`/api/v1/files/${mine.body.id}`).set('cookie', engineer.cookie).expect(204);
  });

  it('lists newest first, by track, and counts the storage used', async () => {
    const projectB = await seedProject(t, studio.organizationId, 'Usage');
    const a = (await upload(t, studio.cookie, `/api/v1/projects/${projectB.projectId}/files`, Buffer.alloc(10, 1), 'a.bin').expect(201)).body;
    const b = (await upload(t, studio.cookie, `/api/v1/projects/${projectB.projectId}/files?trackId=${projectB.trackId}`, Buffer.alloc(20, 1), 'b.bin').expect(201)).body;
    const all = await t.http().get(`/api/v1/projects/${projectB.projectId}/files`).set('cookie', studio.cookie).expect(200);
    expect(all.body.items.map((f: { id: string }) => f.id)).toEqual([b.id, a.id]);
    const byTrack = await t.http().get(`/api/v1/projects/${projectB.projectId}/files?trackId=${projectB.trackId}`).set('cookie', studio.cookie).expect(200);
    expect(byTrack.body.items.map((f: { id: string }) => f.id)).toEqual([b.id]);
    const { rows } = await db.query(`SELECT coalesce(sum(size_bytes), 0)::int AS used, count(*)::int AS n FROM files`);
    expect((await t.http().get('/api/v1/files/usage').set('cookie', studio.cookie).expect(200)).body).toEqual({ usedBytes: rows[0].used, fileCount: rows[0].n });
    expect((await t.http().get('/api/v1/files/usage').set('cookie', other.cookie).expect(200)).body).toEqual({ usedBytes: 0, fileCount: 0 });
  });

  it('deletes the row, then the blob, with an audit entry; a second delete is a 404', async () => {
    const doomed = (await upload(t, studio.cookie, `/api/v1/projects/${project.projectId}/files`, Buffer.from('doomed'), 'doomed.txt').expect(201)).body;
    const path = await blobPath(doomed.id);
    expect(existsSync(path)).toBe(true);
    await t.http().delete(`/api/v1/files/${doomed.id}`).set('cookie', studio.cookie).expect(204);
    expect((await db.query(`SELECT 1 FROM files WHERE id = $1`, [doomed.id])).rowCount).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect((await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`, [doomed.id])).rows.map((r) => r.action)).toEqual(['file.uploaded', 'file.deleted']);
    await t.http().delete(`/api/v1/files/${doomed.id}`).set('cookie', studio.cookie).expect(404);
    await get(doomed.contentUrl).expect(404);
  });

  it('still deletes the row when the blob cannot be removed (logged: an orphan blob, never a row without its bytes)', async () => {
    const stuck = (await upload(t, studio.cookie, `/api/v1/projects/${project.projectId}/files`, Buffer.from('stuck'), 'stuck.txt').expect(201)).body;
    const path = await blobPath(stuck.id);
    // A non-empty directory where the blob was: removing it fails.
    await rm(path);
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'x');
    logs.clear();
    await t.http().delete(`/api/v1/files/${stuck.id}`).set('cookie', studio.cookie).expect(204);
    expect((await db.query(`SELECT 1 FROM files WHERE id = $1`, [stuck.id])).rowCount).toBe(0);
    expect(logs.lines().some((l) => l.msg?.includes('orphan blob') && l.fileId === stuck.id)).toBe(true);
    await rm(path, { recursive: true });
  });

  it('keeps a file a deliverable version uses: 409 file-in-use, row and blob untouched', async () => {
    const used = (await upload(t, studio.cookie, `/api/v1/projects/${project.projectId}/files`, wavBytes(), 'mix.wav').expect(201)).body;
    const deliverable = await db.query(`INSERT INTO deliverables (project_id, title) VALUES ($1, 'Mix') RETURNING id`, [project.projectId]);
    await db.query(`INSERT INTO deliverable_versions (deliverable_id, number, file_id) VALUES ($1, 1, $2)`, [deliverable.rows[0].id, used.id]);
    const res = await t.http().delete(`/api/v1/files/${used.id}`).set('cookie', studio.cookie).expect(409);
    expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/file-in-use', status: 409 });
    expect((await db.query(`SELECT 1 FROM files WHERE id = $1`, [used.id])).rowCount).toBe(1);
    expect(existsSync(await blobPath(used.id))).toBe(true);
    expect((await db.query(`SELECT action FROM audit_log WHERE target_id = $1`, [used.id])).rows.map((r) => r.action)).toEqual(['file.uploaded']);
  });

  it("uploads to a booking and lists the booking's files, newest first", async () => {
    const room = await t.http().post('/api/v1/rooms').set('cookie', studio.cookie).send({ name: 'Files room', hourlyRateMinor: 5000, currency: 'EUR' }).expect(201);
    const booking = await t.http().post('/api/v1/bookings').set('cookie', studio.cookie)
      .send({ clientId: project.clientId, roomId: room.body.id, title: 'Session', startsAt: '2031-03-04T10:00:00Z', endsAt: '2031-03-04T14:00:00Z' })
      .expect(201);
    const url = `/api/v1/bookings/${booking.body.id}/files`;
    const first = (await upload(t, studio.cookie, url, Buffer.from('take 1'), 'take 1.txt').expect(201)).body;
    const second = (await upload(t, studio.cookie, url, wavBytes(), 'take 2.wav').expect(201)).body;
    expect(second).toMatchObject({ bookingId: booking.body.id, projectId: null, trackId: null, contentType: 'audio/wav', peaksStatus: 'pending' });
    const list = await t.http().get(url).set('cookie', studio.cookie).expect(200);
    expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([second.id, first.id]);
    await t.http().get(`/api/v1/bookings/${randomUUID()}/files`).set('cookie', studio.cookie).expect(404);
  });
});
