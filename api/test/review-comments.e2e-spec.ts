import type pg from 'pg';
import { addSignedInMember, holdRowLock, insertReviewChain, waitForLockWaiters } from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * Issue 10, reviews: time-stamped review comments on a version, one level of replies, resolve/reopen,
 * edit (author only) and delete (author or admin), over real HTTP on a real PostgreSQL. Another studio's
 * ids on every route: test/tenant-resolution.e2e-spec.ts.
 */
describe('review comments', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let databaseName: string;
  let engineer: Awaited<ReturnType<typeof addSignedInMember>>;
  let viewer: Awaited<ReturnType<typeof addSignedInMember>>;
  let admin: Awaited<ReturnType<typeof addSignedInMember>>;

  beforeAll(async () => {
    // Pools of 8: every concurrent request below holds a connection while it waits on the row lock.
    t = await createTestApp({ TENANT_POOL_SIZE: '8' });
    studio = await registerStudio(t, 'Comments');
    db = await connectTenantDatabase(t, studio.organizationId);
    databaseName = await tenantDatabaseOf(t, studio.organizationId);
    engineer = await addSignedInMember(t, studio.organizationId, 'engineer', 'Erin Engineer');
    viewer = await addSignedInMember(t, studio.organizationId, 'viewer', 'Vic Viewer');
    admin = await addSignedInMember(t, studio.organizationId, 'admin', 'Ada Admin');
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const as = (cookie: string) => ({
    get: (path: string) => t.http().get(path).set('cookie', cookie),
    post: (path: string, body: unknown) => t.http().post(path).set('cookie', cookie).send(body as object),
    patch: (path: string, body: unknown) => t.http().patch(path).set('cookie', cookie).send(body as object),
    delete: (path: string) => t.http().delete(path).set('cookie', cookie),
  });
  const counts = async () =>
    (await db.query(`SELECT (SELECT count(*)::int FROM review_comments) AS comments, (SELECT count(*)::int FROM audit_log) AS audit`)).rows[0];
  const comment = async (cookie: string, versionId: string, body: object) => (await as(cookie).post(`/api/v1/versions/${versionId}/comments`, body).expect(201)).body;

  it('comments sit at time positions (points and ranges), listed by time with their replies oldest first', async () => {
    const { versionId } = await insertReviewChain(db);
    const late = await comment(engineer.cookie, versionId, { atSeconds: 42.5, body: 'Vocals too loud in the chorus' });
    const range = await comment(studio.cookie, versionId, { atSeconds: 3.25, endSeconds: 12.125, body: '  Intro drags  ' });
    expect(range).toMatchObject({ versionId, parentId: null, atSeconds: 3.25, endSeconds: 12.125, body: 'Intro drags', resolved: false, resolvedAt: null, replies: [] });
    expect(range.author).toEqual({ kind: 'staff', id: studio.userId, name: studio.credentials.name });
    const first = (await as(studio.cookie).post(`/api/v1/comments/${late.id}/replies`, { body: 'Fixed in v2' }).expect(201)).body;
    const second = (await as(engineer.cookie).post(`/api/v1/comments/${late.id}/replies`, { body: 'Thanks' }).expect(201)).body;
    expect(first).toMatchObject({ parentId: late.id, versionId, atSeconds: null, endSeconds: null, replies: [] });

    const list = (await as(viewer.cookie).get(`/api/v1/versions/${versionId}/comments`).expect(200)).body.items;
    expect(list.map((c: { id: string }) => c.id)).toEqual([range.id, late.id]);
    expect(list[1].replies.map((r: { id: string; author: { name: string } }) => [r.id, r.author.name])).toEqual([
      [first.id, studio.credentials.name],
      [second.id, 'Erin Engineer'],
    ]);
    expect((await as(viewer.cookie).get(`/api/v1/versions/${versionId}`).expect(200)).body).toMatchObject({ commentCount: 2, openCommentCount: 2 });
  });

  it('replies are one level deep and have no position; a range ends after it starts (400, nothing written)', async () => {
    const { versionId } = await insertReviewChain(db);
    const top = await comment(engineer.cookie, versionId, { atSeconds: 1, body: 'Top' });
    const reply = (await as(engineer.cookie).post(`/api/v1/comments/${top.id}/replies`, { body: 'Reply' }).expect(201)).body;
    const before = await counts();
    const nested = await as(engineer.cookie).post(`/api/v1/comments/${reply.id}/replies`, { body: 'Reply to a reply' }).expect(400);
    expect(nested.headers['content-type']).toMatch(/^application\/problem\+json/);
    const positioned = await as(engineer.cookie).post(`/api/v1/comments/${top.id}/replies`, { body: 'At a time', atSeconds: 3 }).expect(400);
    expect(positioned.body.errors).toEqual([{ field: 'atSeconds', messages: [expect.any(String)] }]);
    for (const endSeconds of [1, 0.5]) {
      const res = await as(engineer.cookie).post(`/api/v1/versions/${versionId}/comments`, { atSeconds: 1, endSeconds, body: 'Backwards' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'endSeconds', messages: [expect.any(String)] }]);
    }
    expect(await counts()).toEqual(before);
  });

  it('resolving and reopening a thread; a reply is resolved with its thread (400)', async () => {
    const { versionId } = await insertReviewChain(db);
    const top = await comment(engineer.cookie, versionId, { atSeconds: 7, body: 'Kick is muddy' });
    const reply = (await as(studio.cookie).post(`/api/v1/comments/${top.id}/replies`, { body: 'EQ changed' }).expect(201)).body;
    const resolved = (await as(studio.cookie).patch(`/api/v1/comments/${top.id}`, { resolved: true }).expect(200)).body;
    expect(resolved).toMatchObject({ resolved: true, body: 'Kick is muddy', replies: [{ id: reply.id }] });
    expect(resolved.resolvedAt).toEqual(expect.any(String));
    expect((await as(studio.cookie).get(`/api/v1/versions/${versionId}`).expect(200)).body).toMatchObject({ commentCount: 1, openCommentCount: 0 });
    const reopened = (await as(engineer.cookie).patch(`/api/v1/comments/${top.id}`, { resolved: false }).expect(200)).body;
    expect(reopened).toMatchObject({ resolved: false, resolvedAt: null });
    const res = await as(studio.cookie).patch(`/api/v1/comments/${reply.id}`, { resolved: true }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'resolved', messages: [expect.any(String)] }]);
  });

  it("only the author edits a comment's text; the author or an admin deletes it (with its replies)", async () => {
    const { versionId } = await insertReviewChain(db);
    const mine = await comment(engineer.cookie, versionId, { atSeconds: 2, body: 'By Erin' });
    await as(engineer.cookie).post(`/api/v1/comments/${mine.id}/replies`, { body: 'A reply' }).expect(201);
    const before = await counts();
    expect((await as(studio.cookie).patch(`/api/v1/comments/${mine.id}`, { body: 'Owner rewrites' }).expect(403)).body.type).toBe('https://rsm.dev/problems/forbidden');
    const otherEngineer = await addSignedInMember(t, studio.organizationId, 'engineer', 'Eli Engineer');
    await as(otherEngineer.cookie).delete(`/api/v1/comments/${mine.id}`).expect(403);
    await as(viewer.cookie).delete(`/api/v1/comments/${mine.id}`).expect(403);
    expect(await counts()).toEqual(before);
    const edited = (await as(engineer.cookie).patch(`/api/v1/comments/${mine.id}`, { body: 'By Erin, edited' }).expect(200)).body;
    expect(edited.body).toBe('By Erin, edited');
    await as(admin.cookie).delete(`/api/v1/comments/${mine.id}`).expect(204);
    expect((await as(engineer.cookie).get(`/api/v1/versions/${versionId}/comments`).expect(200)).body.items).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM review_comments WHERE version_id = $1`, [versionId])).rows[0].n).toBe(0);
    const own = await comment(engineer.cookie, versionId, { atSeconds: 2, body: 'Mine to delete' });
    await as(engineer.cookie).delete(`/api/v1/comments/${own.id}`).expect(204);
    await as(engineer.cookie).delete(`/api/v1/comments/${own.id}`).expect(404);
    const audit = (await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`, [own.id])).rows.map((r) => r.action);
    expect(audit).toEqual(['review_comment.created', 'review_comment.deleted']);
  });

  it('a viewer reads but cannot comment, reply, edit, resolve or delete (nothing written)', async () => {
    const { versionId } = await insertReviewChain(db);
    const top = await comment(engineer.cookie, versionId, { atSeconds: 1, body: 'Top' });
    const before = await counts();
    const v = as(viewer.cookie);
    await v.get(`/api/v1/versions/${versionId}/comments`).expect(200);
    await v.post(`/api/v1/versions/${versionId}/comments`, { atSeconds: 1, body: 'x' }).expect(403);
    await v.post(`/api/v1/comments/${top.id}/replies`, { body: 'x' }).expect(403);
    await v.patch(`/api/v1/comments/${top.id}`, { resolved: true }).expect(403);
    await v.delete(`/api/v1/comments/${top.id}`).expect(403);
    expect(await counts()).toEqual(before);
  });

  it('concurrent PATCHes of different fields (text and resolved), queued on the row lock, all stick (issue 15)', async () => {
    const { versionId } = await insertReviewChain(db);
    const top = await comment(engineer.cookie, versionId, { atSeconds: 5, body: 'Before' });
    const lock = await holdRowLock(t, studio.organizationId, 'review_comments', top.id);
    const pending = [{ body: 'After' }, { resolved: true }].map((body) => as(engineer.cookie).patch(`/api/v1/comments/${top.id}`, body).then((r) => r));
    await waitForLockWaiters(t, databaseName, pending.length);
    await lock.release();
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
    const [stored] = (await as(engineer.cookie).get(`/api/v1/versions/${versionId}/comments`).expect(200)).body.items;
    expect(stored).toMatchObject({ body: 'After', resolved: true });
  });

  it('a version holds at most 1000 comments, replies included (409 limit-reached, nothing written)', async () => {
    const { versionId } = await insertReviewChain(db);
    const top = await comment(engineer.cookie, versionId, { atSeconds: 1, body: 'Top' });
    await db.query(
      `INSERT INTO review_comments (version_id, at_seconds, body, author_user_id, author_name) SELECT $1, n, 'Filler', $2, 'Filler' FROM generate_series(1, 999) n`,
      [versionId, engineer.userId],
    );
    const before = await counts();
    expect((await as(engineer.cookie).post(`/api/v1/versions/${versionId}/comments`, { atSeconds: 1, body: 'Full' }).expect(409)).body.type).toBe('https://rsm.dev/problems/limit-reached');
    expect((await as(engineer.cookie).post(`/api/v1/comments/${top.id}/replies`, { body: 'Full' }).expect(409)).body.type).toBe('https://rsm.dev/problems/limit-reached');
    expect(await counts()).toEqual(before);
  });

  it('bad input on every comment endpoint is a 400 problem and writes nothing', async () => {
    const { versionId } = await insertReviewChain(db);
    const top = await comment(engineer.cookie, versionId, { atSeconds: 1, body: 'Top' });
    const before = await counts();
    const bad: Array<[string, string, unknown]> = [
      ['get', '/api/v1/versions/not-a-uuid/comments', undefined],
      ['post', '/api/v1/versions/not-a-uuid/comments', { atSeconds: 1, body: 'x' }],
      ...[
        {},
        { body: 'x' },
        { atSeconds: 1 },
        { atSeconds: -1, body: 'x' },
        { atSeconds: 1.0001, body: 'x' },
        { atSeconds: '1', body: 'x' },
        { atSeconds: 10_000_000, body: 'x' },
        { atSeconds: 1, endSeconds: 'end', body: 'x' },
        { atSeconds: 1, body: '' },
        { atSeconds: 1, body: '   ' },
        { atSeconds: 1, body: 'x'.repeat(5001) },
        { atSeconds: 1, body: 'x', parentId: top.id },
        { atSeconds: 1, body: 'x', resolved: true },
        [],
      ].map((body) => ['post', `/api/v1/versions/${versionId}/comments`, body] as [string, string, unknown]),
      ['post', '/api/v1/comments/not-a-uuid/replies', { body: 'x' }],
      ...[{}, { body: '' }, { body: 5 }, { body: 'x', endSeconds: 2 }].map((body) => ['post', `/api/v1/comments/${top.id}/replies`, body] as [string, string, unknown]),
      ['patch', '/api/v1/comments/not-a-uuid', { resolved: true }],
      ...[{ body: '' }, { body: null }, { resolved: 'yes' }, { resolved: null }, { atSeconds: 3 }, { authorName: 'Someone' }].map(
        (body) => ['patch', `/api/v1/comments/${top.id}`, body] as [string, string, unknown],
      ),
      ['delete', '/api/v1/comments/not-a-uuid', undefined],
    ];
    for (const [method, path, body] of bad) {
      let req = (t.http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path).set('cookie', engineer.cookie);
      if (body !== undefined) req = req.send(body as object);
      const res = await req;
      expect([method, path, body, res.status, res.headers['content-type']]).toEqual([method, path, body, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
    expect(await counts()).toEqual(before);
    const [stored] = (await as(engineer.cookie).get(`/api/v1/versions/${versionId}/comments`).expect(200)).body.items;
    expect(stored).toMatchObject({ body: 'Top', resolved: false, atSeconds: 1 });
  });
});
