import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import {
  addSignedInMember,
  holdRowLock,
  insertDeliverable,
  insertFile,
  insertProject,
  insertTrack,
  insertVersion,
  waitForLockWaiters,
} from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * Issue 10, reviews: deliverables, versions and decisions over real HTTP on a real PostgreSQL. Projects,
 * tracks and files are rows written straight into the studio's database (their APIs are other work).
 * Another studio's ids on every route: test/tenant-resolution.e2e-spec.ts; roles: the authorization matrix.
 */
describe('deliverables, versions and revision rounds', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let databaseName: string;
  let ownerName: string;

  beforeAll(async () => {
    // Pools of 8: every concurrent request below holds a connection while it waits on the row lock.
    t = await createTestApp({ TENANT_POOL_SIZE: '8' });
    studio = await registerStudio(t, 'Reviews');
    ownerName = studio.credentials.name;
    db = await connectTenantDatabase(t, studio.organizationId);
    databaseName = await tenantDatabaseOf(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const http = () => t.http();
  const as = (cookie: string) => ({
    get: (path: string) => http().get(path).set('cookie', cookie),
    post: (path: string, body: object = {}) => http().post(path).set('cookie', cookie).send(body),
    patch: (path: string, body: object) => http().patch(path).set('cookie', cookie).send(body),
    delete: (path: string) => http().delete(path).set('cookie', cookie),
  });
  const owner = () => as(studio.cookie);
  const upload = async (deliverableId: string, projectId: string) =>
    (await owner().post(`/api/v1/deliverables/${deliverableId}/versions`, { fileId: await insertFile(db, projectId) }).expect(201)).body;
  const outbox = async (subjectIds: string[]) =>
    (await db.query(`SELECT type, subject_type, subject_id, payload, actor_id FROM outbox WHERE subject_id = ANY($1::uuid[]) ORDER BY id`, [subjectIds])).rows as Array<{
      type: string;
      subject_type: string;
      subject_id: string;
      payload: Record<string, unknown>;
      actor_id: string;
    }>;
  const counts = async () =>
    (
      await db.query(`SELECT (SELECT count(*)::int FROM deliverables) AS deliverables, (SELECT count(*)::int FROM deliverable_versions) AS versions,
                             (SELECT count(*)::int FROM outbox) AS events, (SELECT count(*)::int FROM audit_log) AS audit`)
    ).rows[0];

  it('creates, lists, reads, edits and deletes deliverables; the track must be one of the project', async () => {
    const projectId = await insertProject(db, { includedRevisionRounds: 3 });
    const trackId = await insertTrack(db, projectId, 'Night Drive');
    const otherTrack = await insertTrack(db, await insertProject(db));
    const created = (await owner().post(`/api/v1/projects/${projectId}/deliverables`, { title: '  Track 3 — mix ', trackId }).expect(201)).body;
    expect(created).toMatchObject({ projectId, trackId, title: 'Track 3 — mix', status: 'open', roundsUsed: 0, includedRounds: 3, extraRounds: 0, versionCount: 0, latestVersion: null, approvedAt: null });
    const before = await counts();
    const refused = await owner().post(`/api/v1/projects/${projectId}/deliverables`, { title: 'Wrong track', trackId: otherTrack }).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'trackId', messages: [expect.any(String)] }]);
    await owner().patch(`/api/v1/deliverables/${created.id}`, { trackId: otherTrack }).expect(400);
    await owner().post('/api/v1/projects/00000000-0000-4000-8000-000000000000/deliverables', { title: 'No project' }).expect(404);
    expect(await counts()).toEqual(before);

    const second = (await owner().post(`/api/v1/projects/${projectId}/deliverables`, { title: 'Track 4 — master' }).expect(201)).body;
    expect((await owner().get(`/api/v1/projects/${projectId}/deliverables`).expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([created.id, second.id]);
    const patched = (await owner().patch(`/api/v1/deliverables/${created.id}`, { title: 'Track 3 — final mix', trackId: null }).expect(200)).body;
    expect(patched).toMatchObject({ title: 'Track 3 — final mix', trackId: null });
    expect((await owner().get(`/api/v1/deliverables/${created.id}`).expect(200)).body).toMatchObject({ title: 'Track 3 — final mix', versions: [] });

    await upload(created.id, projectId);
    const kept = await owner().delete(`/api/v1/deliverables/${created.id}`).expect(409);
    expect(kept.body.type).toBe('https://rsm.dev/problems/deliverable-has-versions');
    await owner().delete(`/api/v1/deliverables/${second.id}`).expect(204);
    await owner().get(`/api/v1/deliverables/${second.id}`).expect(404);
    const audit = (await db.query(`SELECT action FROM audit_log WHERE target_id = ANY($1::text[]) ORDER BY occurred_at`, [[created.id, second.id]])).rows.map((r) => r.action);
    expect(audit).toEqual(['deliverable.created', 'deliverable.created', 'deliverable.updated', 'deliverable.deleted']);
  });

  it('the version flow: three rounds of changes with two included flag the third as extra; approving closes the deliverable', async () => {
    const projectId = await insertProject(db, { includedRevisionRounds: 2 });
    const deliverable = (await owner().post(`/api/v1/projects/${projectId}/deliverables`, { title: 'Single — mix' }).expect(201)).body;
    const rounds: Array<{ number: number; revisionRound: number; extraRound: boolean }> = [];
    const versionIds: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const version = await upload(deliverable.id, projectId);
      versionIds.push(version.id);
      expect(version).toMatchObject({ number: n, status: 'awaiting_review', revisionRound: null, extraRound: false, decidedBy: null, commentCount: 0 });
      const decided = (await owner().post(`/api/v1/versions/${version.id}/request-changes`, { note: `take ${n}` }).expect(200)).body;
      expect(decided).toMatchObject({ status: 'changes_requested', decisionNote: `take ${n}`, decidedBy: { kind: 'staff', id: studio.userId, name: ownerName } });
      expect((await owner().get(`/api/v1/versions/${version.id}`).expect(200)).body.decisionNote).toBe(`take ${n}`); // kept, not only echoed
      rounds.push({ number: decided.number, revisionRound: decided.revisionRound, extraRound: decided.extraRound });
    }
    expect(rounds).toEqual([
      { number: 1, revisionRound: 1, extraRound: false },
      { number: 2, revisionRound: 2, extraRound: false },
      { number: 3, revisionRound: 3, extraRound: true },
    ]);
    const extra = (await outbox([deliverable.id])).filter((e) => e.type === 'revision.extra_round');
    expect(extra).toEqual([
      {
        type: 'revision.extra_round',
        subject_type: 'deliverable',
        subject_id: deliverable.id,
        payload: { projectId, deliverableId: deliverable.id, versionId: versionIds[2], round: 3, includedRounds: 2 },
        actor_id: studio.userId,
      },
    ]);

    const v4 = await upload(deliverable.id, projectId);
    const approved = (await owner().post(`/api/v1/versions/${v4.id}/approve`, {}).expect(200)).body;
    expect(approved).toMatchObject({ number: 4, status: 'approved', revisionRound: null, extraRound: false, decidedBy: { kind: 'staff', id: studio.userId } });
    const closed = (await owner().get(`/api/v1/deliverables/${deliverable.id}`).expect(200)).body;
    expect(closed).toMatchObject({ status: 'approved', roundsUsed: 3, includedRounds: 2, extraRounds: 1, versionCount: 4, latestVersion: { id: v4.id } });
    expect(closed.approvedAt).toEqual(expect.any(String));
    expect(closed.versions.map((v: { number: number }) => v.number)).toEqual([4, 3, 2, 1]);

    // Decided versions, older versions and a closed deliverable refuse further decisions and uploads.
    const decidedAgain = await owner().post(`/api/v1/versions/${v4.id}/request-changes`, {}).expect(409);
    expect(decidedAgain.body.type).toBe('https://rsm.dev/problems/version-decided');
    expect((await owner().post(`/api/v1/versions/${versionIds[2]}/approve`, {}).expect(409)).body.type).toBe('https://rsm.dev/problems/version-decided');
    const more = await owner().post(`/api/v1/deliverables/${deliverable.id}/versions`, { fileId: await insertFile(db, projectId) }).expect(409);
    expect(more.body.type).toBe('https://rsm.dev/problems/deliverable-approved');

    const events = await outbox([...versionIds, v4.id, deliverable.id]);
    expect(events.map((e) => e.type)).toEqual([
      'version.uploaded', 'version.changes_requested',
      'version.uploaded', 'version.changes_requested',
      'version.uploaded', 'version.changes_requested', 'revision.extra_round',
      'version.uploaded', 'version.approved',
    ]);
    expect(events[5].payload).toMatchObject({ round: 3, extraRound: true, includedRounds: 2, note: 'take 3' });
    const audit = (await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`, [v4.id])).rows.map((r) => r.action);
    expect(audit).toEqual(['version.uploaded', 'version.approved']);
  });

  it('only the latest version can be decided: an older one awaiting review is a 409 not-latest-version', async () => {
    const projectId = await insertProject(db);
    const deliverableId = await insertDeliverable(db, projectId);
    const v1 = await upload(deliverableId, projectId);
    const v2 = await upload(deliverableId, projectId);
    const res = await owner().post(`/api/v1/versions/${v1.id}/approve`, {}).expect(409);
    expect(res.body.type).toBe('https://rsm.dev/problems/not-latest-version');
    expect((await owner().get(`/api/v1/versions/${v1.id}`).expect(200)).body.status).toBe('awaiting_review');
    await owner().post(`/api/v1/versions/${v2.id}/approve`, {}).expect(200);
  });

  it("a version's file must be one of the deliverable's project: another project's or an unknown file is a 400 naming fileId, nothing written", async () => {
    const projectId = await insertProject(db);
    const deliverableId = await insertDeliverable(db, projectId);
    const foreignFile = await insertFile(db, await insertProject(db));
    const before = await counts();
    for (const fileId of [foreignFile, '00000000-0000-4000-8000-000000000000']) {
      const res = await owner().post(`/api/v1/deliverables/${deliverableId}/versions`, { fileId }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'fileId', messages: [expect.any(String)] }]);
    }
    expect(await counts()).toEqual(before);
  });

  it('outbox events commit with their change only: a decision whose transaction fails leaves no event and no round', async () => {
    const projectId = await insertProject(db, { includedRevisionRounds: 0 });
    const deliverableId = await insertDeliverable(db, projectId);
    const versionId = await insertVersion(db, deliverableId);
    // A superuser session plants a failure at the end of the decision's transaction (its audit entry).
    const superuser = new pg.Client({ connectionString: withDatabase(process.env.RSM_TEST_PG_URL!, databaseName) });
    await superuser.connect();
    await superuser.query(`CREATE FUNCTION reviews_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'planted failure'; END $$`);
    await superuser.query(`CREATE TRIGGER reviews_test_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION reviews_test_fail()`);
    try {
      await owner().post(`/api/v1/versions/${versionId}/request-changes`, {}).expect(500);
      await owner().post(`/api/v1/deliverables/${deliverableId}/versions`, { fileId: await insertFile(db, projectId) }).expect(500);
    } finally {
      await superuser.query(`DROP TRIGGER reviews_test_fail ON audit_log; DROP FUNCTION reviews_test_fail()`);
      await superuser.end();
    }
    expect(await outbox([versionId, deliverableId])).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'deliverableId' = $1`, [deliverableId])).rows[0].n).toBe(0);
    expect((await owner().get(`/api/v1/deliverables/${deliverableId}`).expect(200)).body).toMatchObject({ roundsUsed: 0, versionCount: 1, latestVersion: { status: 'awaiting_review' } });
    // The same decision, once nothing fails, commits with both its events (0 included: the first round is extra).
    await owner().post(`/api/v1/versions/${versionId}/request-changes`, {}).expect(200);
    expect((await outbox([versionId, deliverableId])).map((e) => e.type)).toEqual(['version.changes_requested', 'revision.extra_round']);
  });

  it('concurrent decisions on one version: exactly one wins, the others are 409, one decision event', async () => {
    for (let round = 0; round < 3; round++) {
      const projectId = await insertProject(db, { includedRevisionRounds: 0 });
      const deliverableId = await insertDeliverable(db, projectId);
      const versionId = await insertVersion(db, deliverableId);
      const lock = await holdRowLock(t, studio.organizationId, 'deliverables', deliverableId);
      const decisions = ['approve', 'request-changes', 'approve', 'request-changes'].map((d) => owner().post(`/api/v1/versions/${versionId}/${d}`, {}).then((r) => r));
      await waitForLockWaiters(t, databaseName, decisions.length);
      await lock.release();
      const statuses = (await Promise.all(decisions)).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const events = (await outbox([versionId, deliverableId])).filter((e) => e.type !== 'version.uploaded');
      expect(['version.approved', 'version.changes_requested']).toContain(events[0].type);
      expect(events.filter((e) => e.type.startsWith('version.'))).toHaveLength(1);
      const { roundsUsed } = (await owner().get(`/api/v1/deliverables/${deliverableId}`).expect(200)).body;
      expect(roundsUsed).toBe(events[0].type === 'version.changes_requested' ? 1 : 0);
    }
  });

  it('concurrent uploads get distinct version numbers 1..n', async () => {
    const projectId = await insertProject(db);
    const deliverableId = await insertDeliverable(db, projectId);
    const files = await Promise.all(Array.from({ length: 5 }, () => insertFile(db, projectId)));
    const lock = await holdRowLock(t, studio.organizationId, 'deliverables', deliverableId);
    const uploads = files.map((fileId) => owner().post(`/api/v1/deliverables/${deliverableId}/versions`, { fileId }).then((r) => r));
    await waitForLockWaiters(t, databaseName, uploads.length);
    await lock.release();
    const results = await Promise.all(uploads);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.body.number).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('concurrent PATCHes of different fields, queued on the row lock, all stick (issue 15)', async () => {
    const projectId = await insertProject(db);
    const trackId = await insertTrack(db, projectId);
    const deliverableId = await insertDeliverable(db, projectId, 'Before');
    const lock = await holdRowLock(t, studio.organizationId, 'deliverables', deliverableId);
    const pending = [{ title: 'After' }, { trackId }].map((body) => owner().patch(`/api/v1/deliverables/${deliverableId}`, body).then((r) => r));
    await waitForLockWaiters(t, databaseName, pending.length);
    await lock.release();
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
    expect((await owner().get(`/api/v1/deliverables/${deliverableId}`).expect(200)).body).toMatchObject({ title: 'After', trackId });
  });

  it('a viewer reads but cannot write; an engineer can (nothing written by the refusals)', async () => {
    const viewer = await addSignedInMember(t, studio.organizationId, 'viewer', 'Vera Viewer');
    const engineer = await addSignedInMember(t, studio.organizationId, 'engineer', 'Ed Engineer');
    const projectId = await insertProject(db);
    const deliverableId = await insertDeliverable(db, projectId);
    const versionId = await insertVersion(db, deliverableId);
    const fileId = await insertFile(db, projectId);
    const before = await counts();
    const v = as(viewer.cookie);
    await v.get(`/api/v1/projects/${projectId}/deliverables`).expect(200);
    await v.get(`/api/v1/deliverables/${deliverableId}`).expect(200);
    await v.get(`/api/v1/versions/${versionId}`).expect(200);
    await v.post(`/api/v1/projects/${projectId}/deliverables`, { title: 'By a viewer' }).expect(403);
    await v.patch(`/api/v1/deliverables/${deliverableId}`, { title: 'By a viewer' }).expect(403);
    await v.delete(`/api/v1/deliverables/${deliverableId}`).expect(403);
    await v.post(`/api/v1/deliverables/${deliverableId}/versions`, { fileId }).expect(403);
    await v.post(`/api/v1/versions/${versionId}/approve`, {}).expect(403);
    await v.post(`/api/v1/versions/${versionId}/request-changes`, {}).expect(403);
    expect(await counts()).toEqual(before);
    const e = as(engineer.cookie);
    await e.delete(`/api/v1/deliverables/${deliverableId}`).expect(403); // deleting is for admins
    const decided = (await e.post(`/api/v1/versions/${versionId}/request-changes`, {}).expect(200)).body;
    expect(decided.decidedBy).toEqual({ kind: 'staff', id: engineer.userId, name: 'Ed Engineer' });
  });

  it('the lists stay bounded: a full project or deliverable refuses more (409 limit-reached), nothing written', async () => {
    const projectId = await insertProject(db);
    await db.query(`INSERT INTO deliverables (project_id, title) SELECT $1, 'Filler ' || n FROM generate_series(1, 500) n`, [projectId]);
    const full = await owner().post(`/api/v1/projects/${projectId}/deliverables`, { title: 'One too many' }).expect(409);
    expect(full.body.type).toBe('https://rsm.dev/problems/limit-reached');
    const deliverableId = await insertDeliverable(db, await insertProject(db));
    const [{ project_id: otherProject }] = (await db.query(`SELECT project_id FROM deliverables WHERE id = $1`, [deliverableId])).rows;
    const fileId = await insertFile(db, otherProject);
    await db.query(`INSERT INTO deliverable_versions (deliverable_id, number, file_id) SELECT $1, n, $2 FROM generate_series(1, 200) n`, [deliverableId, fileId]);
    const before = await counts();
    expect((await owner().post(`/api/v1/deliverables/${deliverableId}/versions`, { fileId }).expect(409)).body.type).toBe('https://rsm.dev/problems/limit-reached');
    expect(await counts()).toEqual(before);
  });

  it('bad input on every endpoint is a 400 problem and writes nothing', async () => {
    const projectId = await insertProject(db);
    const deliverableId = await insertDeliverable(db, projectId);
    const versionId = await insertVersion(db, deliverableId);
    const before = await counts();
    const bad: Array<[string, string, unknown]> = [
      ['get', '/api/v1/projects/not-a-uuid/deliverables', undefined],
      ['post', '/api/v1/projects/not-a-uuid/deliverables', { title: 'x' }],
      ...[{}, { title: '' }, { title: '   ' }, { title: 'x'.repeat(201) }, { title: 7 }, { title: 'x', trackId: 'nope' }, { title: 'x', projectId }, [], 'text'].map(
        (body) => ['post', `/api/v1/projects/${projectId}/deliverables`, body] as [string, string, unknown],
      ),
      ['get', '/api/v1/deliverables/not-a-uuid', undefined],
      ['delete', '/api/v1/deliverables/not-a-uuid', undefined],
      ...[{ title: '' }, { title: null }, { trackId: 5 }, { status: 'approved' }, { roundsUsed: 0 }].map((body) => ['patch', `/api/v1/deliverables/${deliverableId}`, body] as [string, string, unknown]),
      ...[{}, { fileId: 'nope' }, { fileId: null }, { fileId: versionId, notes: 'x'.repeat(5001) }, { fileId: versionId, number: 9 }].map(
        (body) => ['post', `/api/v1/deliverables/${deliverableId}/versions`, body] as [string, string, unknown],
      ),
      ['get', '/api/v1/versions/not-a-uuid', undefined],
      ...['approve', 'request-changes'].flatMap((d) =>
        [{ note: 'x'.repeat(2001) }, { note: 5 }, { status: 'approved' }, { revisionRound: 1 }].map((body) => ['post', `/api/v1/versions/${versionId}/${d}`, body] as [string, string, unknown]),
      ),
      ['post', '/api/v1/versions/not-a-uuid/approve', {}],
    ];
    for (const [method, path, body] of bad) {
      let req = (http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path).set('cookie', studio.cookie);
      if (body !== undefined) req = typeof body === 'string' ? req.set('content-type', 'application/json').send(JSON.stringify(body)) : req.send(body as object);
      const res = await req;
      expect([method, path, body, res.status, res.headers['content-type']]).toEqual([method, path, body, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
    expect(await counts()).toEqual(before);
    expect((await owner().get(`/api/v1/versions/${versionId}`).expect(200)).body.status).toBe('awaiting_review');
  });
});
