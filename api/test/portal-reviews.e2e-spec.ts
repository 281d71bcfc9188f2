import type pg from 'pg';
import { upload, wavBytes } from './support/file-fixtures.js';
import { insertPortalAccount, insertPortalSession } from './support/portal-fixtures.js';
import { insertClientReviewChain } from './support/portal-review-fixtures.js';
import { holdRowLock, insertTrack, insertVersion, waitForLockWaiters } from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portal: the client's projects, files (deliverable versions) and mix reviews over real HTTP on a
 * real PostgreSQL. The client reaches only its own client's projects (another client of the studio, another
 * studio: 404); its comments and decisions go through the staff review services: same rules, row lock,
 * rounds against the included number and outbox events, with the portal account as author.
 */
describe('portal reviews', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let aDb: pg.Client;
  let bDb: pg.Client;
  let databaseName: string;
  let me: { clientId: string; accountId: string; email: string; cookie: string };
  let neighbour: Awaited<ReturnType<typeof insertClientReviewChain>>;
  let elsewhere: Awaited<ReturnType<typeof insertClientReviewChain>>;

  beforeAll(async () => {
    // Pools of 8: the concurrent decisions below each hold a connection while they wait on the row lock.
    t = await createTestApp({ TENANT_POOL_SIZE: '8' });
    a = await registerStudio(t, 'Portal Reviews A');
    b = await registerStudio(t, 'Portal Reviews B');
    aDb = await connectTenantDatabase(t, a.organizationId);
    bDb = await connectTenantDatabase(t, b.organizationId);
    databaseName = await tenantDatabaseOf(t, a.organizationId);
    const account = await insertPortalAccount(aDb, { clientName: 'The Band' });
    await aDb.query(`UPDATE client_portal_accounts SET name = 'Robin Singer' WHERE id = $1`, [account.accountId]);
    me = { ...account, cookie: await insertPortalSession(aDb, a.organizationId, account.accountId) };
    const other = await insertPortalAccount(aDb, { clientName: 'Neighbour Band' });
    neighbour = await insertClientReviewChain(aDb, other.clientId, { title: 'Neighbour single' });
    const inB = await insertPortalAccount(bDb, { clientName: 'Band in B' });
    elsewhere = await insertClientReviewChain(bDb, inB.clientId, { title: 'B single' });
  });
  afterAll(async () => {
    await aDb.end();
    await bDb.end();
    await t?.close();
  });

  const portal = {
    get: (path: string) => t.http().get(path).set('cookie', me.cookie),
    post: (path: string, body: object = {}) => t.http().post(path).set('cookie', me.cookie).send(body),
  };
  const staff = {
    get: (path: string) => t.http().get(path).set('cookie', a.cookie),
    post: (path: string, body: object = {}) => t.http().post(path).set('cookie', a.cookie).send(body),
  };
  const outbox = async (subjectIds: string[]) =>
    (await aDb.query(`SELECT type, payload, actor_id FROM outbox WHERE subject_id = ANY($1::uuid[]) AND type <> 'version.uploaded' ORDER BY id`, [subjectIds])).rows as Array<{
      type: string;
      payload: Record<string, unknown>;
      actor_id: string | null;
    }>;
  /** Everything a portal review route could write in studio A. */
  const footprint = async () =>
    (
      await aDb.query(`SELECT (SELECT count(*) FROM review_comments)::int AS comments, (SELECT count(*) FROM outbox)::int AS events, (SELECT count(*) FROM audit_log)::int AS audit,
                              (SELECT string_agg(status || coalesce(decision_note, ''), ',' ORDER BY id) FROM deliverable_versions) AS versions,
                              (SELECT string_agg(rounds_used::text || status, ',' ORDER BY id) FROM deliverables) AS deliverables`)
    ).rows[0];

  it("lists the client's own projects with what awaits review, and one project's tracks, deliverables, versions and rounds", async () => {
    const own = await insertClientReviewChain(aDb, me.clientId, { title: 'Night Flights', includedRevisionRounds: 3 });
    const trackId = await insertTrack(aDb, own.projectId, 'Night Flight');
    await aDb.query(`UPDATE deliverables SET track_id = $2 WHERE id = $1`, [own.deliverableId, trackId]);
    const list = (await portal.get('/api/v1/portal/projects').expect(200)).body;
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([own.projectId]);
    expect(list.items[0]).toMatchObject({ title: 'Night Flights', includedRevisionRounds: 3, awaitingReviewCount: 1 });
    expect(list.awaitingReview).toEqual([expect.objectContaining({ projectId: own.projectId, deliverableId: own.deliverableId, versionId: own.versionId, number: 1, projectTitle: 'Night Flights' })]);
    expect(JSON.stringify(list)).not.toContain(neighbour.projectId);

    const detail = (await portal.get(`/api/v1/portal/projects/${own.projectId}`).expect(200)).body;
    expect(detail.tracks).toEqual([{ id: trackId, title: 'Night Flight', position: 1, status: 'recording' }]);
    expect(detail.deliverables).toHaveLength(1);
    expect(detail.deliverables[0]).toMatchObject({ id: own.deliverableId, trackId, roundsUsed: 0, includedRounds: 3, extraRounds: 0, status: 'open' });
    const [version] = detail.deliverables[0].versions;
    expect(version).toMatchObject({ id: own.versionId, number: 1, status: 'awaiting_review', decidedBy: null });
    // The file is reached through the portal only: no staff URL, no storage detail.
    expect(version.file).toEqual({
      name: 'mix.wav',
      sizeBytes: 1024,
      contentType: 'audio/wav',
      peaksStatus: 'ready',
      downloadUrl: `/api/v1/portal/versions/${own.versionId}/download`,
      peaksUrl: `/api/v1/portal/versions/${own.versionId}/peaks`,
    });
    expect(JSON.stringify(detail)).not.toContain('/api/v1/files/');
  });

  it("another client's project or version of the same studio, and another studio's, are 404 on every route; nothing is written", async () => {
    const before = await footprint();
    const bBefore = (await bDb.query(`SELECT (SELECT count(*) FROM review_comments)::int AS c, (SELECT string_agg(status, ',') FROM deliverable_versions) AS v`)).rows[0];
    for (const chain of [neighbour, elsewhere]) {
      const requests = [
        portal.get(`/api/v1/portal/projects/${chain.projectId}`),
        portal.get(`/api/v1/portal/versions/${chain.versionId}/download`),
        portal.get(`/api/v1/portal/versions/${chain.versionId}/peaks`),
        portal.get(`/api/v1/portal/versions/${chain.versionId}/comments`),
        portal.post(`/api/v1/portal/versions/${chain.versionId}/comments`, { atSeconds: 1, body: 'Not mine' }),
        portal.post(`/api/v1/portal/versions/${chain.versionId}/approve`),
        portal.post(`/api/v1/portal/versions/${chain.versionId}/request-changes`, { comment: 'Not mine' }),
      ];
      for (const [index, res] of (await Promise.all(requests)).entries()) {
        expect({ index, status: res.status }).toEqual({ index, status: 404 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect(await footprint()).toEqual(before);
    expect((await bDb.query(`SELECT (SELECT count(*) FROM review_comments)::int AS c, (SELECT string_agg(status, ',') FROM deliverable_versions) AS v`)).rows[0]).toEqual(bBefore);
  });

  it('downloads a version the studio uploaded, with Range, ETag and 416 as the staff download; peaks for the player', async () => {
    const own = await insertClientReviewChain(aDb, me.clientId, { title: 'Uploaded' });
    const bytes = wavBytes(0.2);
    const file = (await upload(t, a.cookie, `/api/v1/projects/${own.projectId}/files`, bytes, 'Uploaded - mix v2.wav', 'audio/wav').expect(201)).body;
    const version = (await staff.post(`/api/v1/deliverables/${own.deliverableId}/versions`, { fileId: file.id }).expect(201)).body;
    const url = `/api/v1/portal/versions/${version.id}/download`;
    const whole = await portal.get(`${url}?disposition=inline`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(whole.status).toBe(200);
    expect(Buffer.compare(whole.body as Buffer, bytes)).toBe(0);
    expect(whole.headers).toMatchObject({ 'content-type': 'audio/wav', 'accept-ranges': 'bytes', etag: `"${file.sha256}"` });
    expect(whole.headers['content-disposition']).toMatch(/^inline; filename="Uploaded - mix v2.wav"/);
    const part = await portal.get(url).set('range', 'bytes=0-9').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 0-9/${bytes.length}`);
    expect(part.headers['content-disposition']).toMatch(/^attachment/);
    await portal.get(url).set('range', `bytes=${bytes.length + 10}-`).expect(416);
    await portal.get(url).set('if-none-match', `"${file.sha256}"`).expect(304);
    expect(['pending', 'ready']).toContain((await portal.get(`/api/v1/portal/versions/${version.id}/peaks`).expect(200)).body.status);
  });

  it('a comment at a time is authored by the portal account, and staff see it through the staff comments route (and the client sees theirs)', async () => {
    const own = await insertClientReviewChain(aDb, me.clientId, { title: 'Commented' });
    await staff.post(`/api/v1/versions/${own.versionId}/comments`, { atSeconds: 2, body: 'Listen from the top' }).expect(201);
    const created = (await portal.post(`/api/v1/portal/versions/${own.versionId}/comments`, { atSeconds: 12.5, body: '  Vocals up in the chorus  ' }).expect(201)).body;
    expect(created).toMatchObject({ versionId: own.versionId, atSeconds: 12.5, body: 'Vocals up in the chorus', author: { kind: 'client', id: me.accountId, name: 'Robin Singer' } });
    const [row] = (await aDb.query(`SELECT author_user_id, author_portal_account_id, author_name FROM review_comments WHERE id = $1`, [created.id])).rows;
    expect(row).toEqual({ author_user_id: null, author_portal_account_id: me.accountId, author_name: 'Robin Singer' });
    const [audit] = (await aDb.query(`SELECT actor_type, actor_id FROM audit_log WHERE action = 'review_comment.created' AND target_id = $1`, [created.id])).rows;
    expect(audit).toEqual({ actor_type: 'portal-account', actor_id: me.accountId });

    const seenByStaff = (await staff.get(`/api/v1/versions/${own.versionId}/comments`).expect(200)).body.items;
    expect(seenByStaff.map((c: { body: string; author: { kind: string } }) => [c.body, c.author.kind])).toEqual([
      ['Listen from the top', 'staff'],
      ['Vocals up in the chorus', 'client'],
    ]);
    const seenByClient = (await portal.get(`/api/v1/portal/versions/${own.versionId}/comments`).expect(200)).body.items;
    expect(seenByClient.map((c: { id: string }) => c.id)).toEqual(seenByStaff.map((c: { id: string }) => c.id));
    expect((await portal.get(`/api/v1/portal/projects/${own.projectId}`).expect(200)).body.deliverables[0].versions[0]).toMatchObject({ commentCount: 2, openCommentCount: 2 });
  });

  it('decisions count rounds against the included number, record their events, and a decided version cannot be decided again', async () => {
    const own = await insertClientReviewChain(aDb, me.clientId, { title: 'Rounds', includedRevisionRounds: 1 });
    const first = (await portal.post(`/api/v1/portal/versions/${own.versionId}/request-changes`, { comment: 'More bass' }).expect(200)).body;
    expect(first).toMatchObject({ status: 'changes_requested', revisionRound: 1, extraRound: false, decisionNote: 'More bass', decidedBy: { kind: 'client', id: me.accountId, name: 'Robin Singer' } });
    expect(first.file.downloadUrl).toBe(`/api/v1/portal/versions/${own.versionId}/download`);
    const again = await portal.post(`/api/v1/portal/versions/${own.versionId}/approve`).expect(409);
    expect(again.body.type).toMatch(/version-decided$/);
    const [decided] = (await aDb.query(`SELECT decided_by_user_id, decided_by_portal_account_id FROM deliverable_versions WHERE id = $1`, [own.versionId])).rows;
    expect(decided).toEqual({ decided_by_user_id: null, decided_by_portal_account_id: me.accountId });
    // Staff see who decided.
    expect((await staff.get(`/api/v1/versions/${own.versionId}`).expect(200)).body.decidedBy).toEqual({ kind: 'client', id: me.accountId, name: 'Robin Singer' });

    const v2 = await insertVersion(aDb, own.deliverableId);
    // An older version is not the one to decide.
    expect((await portal.post(`/api/v1/portal/versions/${own.versionId}/request-changes`).expect(409)).body.type).toMatch(/version-decided$/);
    const second = (await portal.post(`/api/v1/portal/versions/${v2}/request-changes`, {}).expect(200)).body;
    expect(second).toMatchObject({ revisionRound: 2, extraRound: true, decisionNote: null });
    const v3 = await insertVersion(aDb, own.deliverableId);
    await portal.post(`/api/v1/portal/versions/${v3}/approve`, { comment: 'Perfect' }).expect(200);
    const deliverable = (await portal.get(`/api/v1/portal/projects/${own.projectId}`).expect(200)).body.deliverables[0];
    expect(deliverable).toMatchObject({ status: 'approved', roundsUsed: 2, includedRounds: 1, extraRounds: 1 });
    expect(deliverable.versions.map((v: { status: string }) => v.status)).toEqual(['approved', 'changes_requested', 'changes_requested']);

    const events = await outbox([own.versionId, v2, v3, own.deliverableId]);
    expect(events.map((e) => e.type)).toEqual(['version.changes_requested', 'version.changes_requested', 'revision.extra_round', 'version.approved']);
    // The outbox's actor is a member's id: a client's decision has none, and names the portal account in its payload.
    for (const e of events) expect(e).toMatchObject({ actor_id: null, payload: { decidedByPortalAccountId: me.accountId, deliverableId: own.deliverableId } });
    expect(events[0].payload).toMatchObject({ round: 1, extraRound: false, includedRounds: 1, note: 'More bass' });
    expect(events[2].payload).toMatchObject({ round: 2, includedRounds: 1, versionId: v2 });
    const audit = (await aDb.query(`SELECT action, actor_type, actor_id FROM audit_log WHERE target_id = ANY($1::text[]) AND action LIKE 'version.%' ORDER BY occurred_at, id`, [[own.versionId, v2, v3]])).rows;
    expect(audit).toEqual(['version.changes_requested', 'version.changes_requested', 'version.approved'].map((action) => ({ action, actor_type: 'portal-account', actor_id: me.accountId })));
    // Nothing awaits review any more.
    expect((await portal.get('/api/v1/portal/projects').expect(200)).body.awaitingReview.map((r: { versionId: string }) => r.versionId)).not.toContain(v3);
  });

  it('concurrent decisions on one version (client and staff): exactly one wins, the others are 409, one decision event', async () => {
    for (let round = 0; round < 2; round++) {
      const own = await insertClientReviewChain(aDb, me.clientId, { title: `Race ${round}`, includedRevisionRounds: 0 });
      const lock = await holdRowLock(t, a.organizationId, 'deliverables', own.deliverableId);
      const decisions = [
        portal.post(`/api/v1/portal/versions/${own.versionId}/approve`),
        portal.post(`/api/v1/portal/versions/${own.versionId}/request-changes`),
        staff.post(`/api/v1/versions/${own.versionId}/approve`),
        portal.post(`/api/v1/portal/versions/${own.versionId}/request-changes`),
      ].map((r) => r.then((res) => res));
      await waitForLockWaiters(t, databaseName, decisions.length);
      await lock.release();
      expect((await Promise.all(decisions)).map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      const events = await outbox([own.versionId, own.deliverableId]);
      expect(events.filter((e) => e.type.startsWith('version.'))).toHaveLength(1);
      const [{ rounds_used: roundsUsed }] = (await aDb.query(`SELECT rounds_used FROM deliverables WHERE id = $1`, [own.deliverableId])).rows;
      expect(roundsUsed).toBe(events[0].type === 'version.changes_requested' ? 1 : 0);
    }
  });

  it('bad input on every new portal route is a 400 problem that writes nothing', async () => {
    const own = await insertClientReviewChain(aDb, me.clientId, { title: 'Bad input' });
    const v = `/api/v1/portal/versions/${own.versionId}`;
    const cases: Array<[string, string, object | undefined]> = [
      ['get', '/api/v1/portal/projects/not-a-uuid', undefined],
      ['get', '/api/v1/portal/versions/not-a-uuid/download', undefined],
      ['get', `${v}/download?disposition=script`, undefined],
      ['get', '/api/v1/portal/versions/not-a-uuid/peaks', undefined],
      ['get', '/api/v1/portal/versions/not-a-uuid/comments', undefined],
      ['post', '/api/v1/portal/versions/not-a-uuid/comments', { atSeconds: 1, body: 'x' }],
      ['post', `${v}/comments`, {}],
      ['post', `${v}/comments`, { atSeconds: -1, body: 'x' }],
      ['post', `${v}/comments`, { atSeconds: 1, body: '   ' }],
      ['post', `${v}/comments`, { atSeconds: 'soon', body: 'x' }],
      ['post', `${v}/comments`, { atSeconds: 1.0001, body: 'x' }],
      ['post', `${v}/comments`, { atSeconds: 5, endSeconds: 4, body: 'x' }],
      ['post', `${v}/comments`, { atSeconds: 1, body: 'x'.repeat(5001) }],
      ['post', `${v}/comments`, { atSeconds: 1, body: 'x', authorName: 'Someone else' }],
      ['post', '/api/v1/portal/versions/not-a-uuid/approve', {}],
      ['post', `${v}/approve`, { comment: 42 }],
      ['post', `${v}/approve`, { note: 'the staff field' }],
      ['post', '/api/v1/portal/versions/not-a-uuid/request-changes', {}],
      ['post', `${v}/request-changes`, { comment: 'x'.repeat(2001) }],
      ['post', `${v}/request-changes`, { comment: 'ok', decidedBy: 'someone' }],
    ];
    const before = await footprint();
    for (const [method, url, body] of cases) {
      const res = method === 'get' ? await portal.get(url) : await portal.post(url, body);
      expect({ url, body, status: res.status }).toEqual({ url, body, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await footprint()).toEqual(before);
  });

  it('the portal routes refuse a staff cookie, and the staff review routes refuse a portal cookie (401)', async () => {
    const own = await insertClientReviewChain(aDb, me.clientId, { title: 'Cookies' });
    await t.http().get('/api/v1/portal/projects').set('cookie', a.cookie).expect(401);
    await t.http().post(`/api/v1/portal/versions/${own.versionId}/approve`).set('cookie', a.cookie).send({}).expect(401);
    await t.http().post(`/api/v1/versions/${own.versionId}/approve`).set('cookie', me.cookie).send({}).expect(401);
    await t.http().get(`/api/v1/versions/${own.versionId}/comments`).set('cookie', me.cookie).expect(401);
    expect((await aDb.query(`SELECT status FROM deliverable_versions WHERE id = $1`, [own.versionId])).rows[0].status).toBe('awaiting_review');
  });
});
