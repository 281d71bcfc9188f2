import { addMemberByInvite } from './support/invite-mail.js';
import { SmtpSink } from './support/smtp-sink.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Members (issue 7): list, change a role, remove; owners alone touch ownership; the last owner stays. */
describe('members', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let owner: Awaited<ReturnType<typeof registerStudio>>;
  let other: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    owner = await registerStudio(t, 'Members');
    other = await registerStudio(t, 'Members other');
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  const memberships = async (organizationId: string) =>
    (await t.control.query(`SELECT id, user_id, role FROM memberships WHERE organization_id = $1 ORDER BY id`, [organizationId])).rows;
  const membershipId = async (organizationId: string, userId: string) =>
    (await t.control.query(`SELECT id FROM memberships WHERE organization_id = $1 AND user_id = $2`, [organizationId, userId])).rows[0].id as string;

  it('lists the members with their roles, by email, with cursor pagination', async () => {
    const engineer = await addMemberByInvite(t, owner.cookie, 'engineer', sink);
    const first = await t.http().get('/api/v1/members?limit=1').set('cookie', engineer.cookie).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http().get(`/api/v1/members?limit=100&cursor=${first.body.nextCursor}`).set('cookie', engineer.cookie).expect(200);
    const all = [...first.body.items, ...second.body.items];
    expect(all.map((m: { email: string }) => m.email)).toEqual([engineer.email, owner.credentials.email].sort());
    expect(all.find((m: { userId: string }) => m.userId === engineer.userId)).toMatchObject({ role: 'engineer', name: 'Member engineer' });
  });

  it('an admin changes roles below owner; only an owner grants or takes away owner', async () => {
    const admin = await addMemberByInvite(t, owner.cookie, 'admin', sink);
    const viewer = await addMemberByInvite(t, owner.cookie, 'viewer', sink);
    const viewerId = await membershipId(owner.organizationId, viewer.userId);
    const ownerId = await membershipId(owner.organizationId, owner.userId);

    const changed = await t.http().patch(`/api/v1/members/${viewerId}`).set('cookie', admin.cookie).send({ role: 'engineer' }).expect(200);
    expect(changed.body).toMatchObject({ id: viewerId, role: 'engineer', userId: viewer.userId });
    // The new role applies on the next request: an engineer may now add clients.
    await t.http().post('/api/v1/clients').set('cookie', viewer.cookie).send({ name: 'Promoted' }).expect(201);

    const grant = await t.http().patch(`/api/v1/members/${viewerId}`).set('cookie', admin.cookie).send({ role: 'owner' }).expect(403);
    expect(grant.body.type).toMatch(/owners-only$/);
    await t.http().patch(`/api/v1/members/${ownerId}`).set('cookie', admin.cookie).send({ role: 'viewer' }).expect(403);
    await t.http().delete(`/api/v1/members/${ownerId}`).set('cookie', admin.cookie).expect(403);
    expect((await memberships(owner.organizationId)).find((m: { id: string }) => m.id === ownerId).role).toBe('owner');

    await t.http().patch(`/api/v1/members/${viewerId}`).set('cookie', owner.cookie).send({ role: 'owner' }).expect(200);
    await t.http().patch(`/api/v1/members/${viewerId}`).set('cookie', owner.cookie).send({ role: 'viewer' }).expect(200);
  });

  it('the last owner can be neither demoted nor removed (409), also when two owners demote each other at once', async () => {
    const studio = await registerStudio(t, 'Last owner');
    const ownerId = await membershipId(studio.organizationId, studio.userId);
    const demote = await t.http().patch(`/api/v1/members/${ownerId}`).set('cookie', studio.cookie).send({ role: 'admin' }).expect(409);
    expect(demote.body.type).toMatch(/last-owner$/);
    await t.http().delete(`/api/v1/members/${ownerId}`).set('cookie', studio.cookie).expect(409);

    const second = await addMemberByInvite(t, studio.cookie, 'owner', sink);
    const secondId = await membershipId(studio.organizationId, second.userId);
    // Each demotes the other at the same moment. To make "the same moment" certain, the test holds both
    // membership rows locked while the two requests start, so each has read the studio before either
    // writes; only the studio lock taken before counting the owners keeps one from seeing a stale count.
    await t.control.query('BEGIN');
    await t.control.query(`SELECT id FROM memberships WHERE id = ANY($1::uuid[]) FOR UPDATE`, [[ownerId, secondId]]);
    const racing = Promise.all([
      t.http().patch(`/api/v1/members/${secondId}`).set('cookie', studio.cookie).send({ role: 'admin' }),
      t.http().patch(`/api/v1/members/${ownerId}`).set('cookie', second.cookie).send({ role: 'admin' }),
    ]);
    const database = t.config.databaseUrl!.split('/').pop()!.split('?')[0];
    for (let waiting = 0; waiting < 2; ) {
      await new Promise((r) => setTimeout(r, 20));
      const { rows } = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [database]);
      waiting = rows[0].n;
    }
    await t.control.query('COMMIT');
    const [a, b] = await racing;
    const [won, lost] = [a.status, b.status].sort();
    expect(won).toBe(200);
    // The loser is refused as no longer an owner (403) or as the last owner's demoter (409).
    expect([403, 409]).toContain(lost);
    expect((await memberships(studio.organizationId)).filter((m: { role: string }) => m.role === 'owner')).toHaveLength(1);
  });

  it("removing a member ends that person's sessions in this studio at once and deletes their API keys here", async () => {
    const admin = await addMemberByInvite(t, owner.cookie, 'admin', sink);
    const key = (await t.http().post('/api/v1/api-keys').set('cookie', admin.cookie).send({ name: 'Leaver key', role: 'viewer' }).expect(201)).body.key;
    await t.http().get('/api/v1/clients').set('authorization', `Bearer ${key}`).expect(200);
    const adminId = await membershipId(owner.organizationId, admin.userId);
    await t.http().delete(`/api/v1/members/${adminId}`).set('cookie', owner.cookie).expect(204);
    await t.http().get('/api/v1/auth/me').set('cookie', admin.cookie).expect(401);
    await t.http().get('/api/v1/clients').set('authorization', `Bearer ${key}`).expect(401);
    expect((await t.control.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [admin.userId])).rows[0].n).toBe(0);
    await t.http().delete(`/api/v1/members/${adminId}`).set('cookie', owner.cookie).expect(404);
  });

  it("another studio's member ids are 404 (never 403) and nothing changes there", async () => {
    const theirs = await membershipId(other.organizationId, other.userId);
    const before = await memberships(other.organizationId);
    const patch = await t.http().patch(`/api/v1/members/${theirs}`).set('cookie', owner.cookie).send({ role: 'viewer' }).expect(404);
    expect(patch.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.http().delete(`/api/v1/members/${theirs}`).set('cookie', owner.cookie).expect(404);
    expect(await memberships(other.organizationId)).toEqual(before);
  });

  it('bad input is a 400 problem and changes nothing', async () => {
    const viewer = await addMemberByInvite(t, owner.cookie, 'viewer', sink);
    const id = await membershipId(owner.organizationId, viewer.userId);
    const before = await memberships(owner.organizationId);
    const bad: Array<[string, string, unknown]> = [
      ['patch', `/api/v1/members/${id}`, { role: 'superuser' }],
      ['patch', `/api/v1/members/${id}`, { role: 3 }],
      ['patch', `/api/v1/members/${id}`, {}],
      ['patch', `/api/v1/members/${id}`, { role: 'admin', userId: owner.userId }],
      ['patch', '/api/v1/members/not-a-uuid', { role: 'admin' }],
      ['delete', '/api/v1/members/not-a-uuid', undefined],
    ];
    for (const [method, path, body] of bad) {
      const res = await t.http()[method as 'patch'](path).set('cookie', owner.cookie).send(body as object);
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
    for (const query of ['limit=0', 'limit=abc', 'cursor=%25%25', 'cursor=WyJub3QtYW4tZW1haWwiXQ', 'role=owner']) {
      await t.http().get(`/api/v1/members?${query}`).set('cookie', owner.cookie).expect(400);
    }
    expect(await memberships(owner.organizationId)).toEqual(before);
  });

  it('role changes and removals are in the audit log with who, what and from where', async () => {
    const viewer = await addMemberByInvite(t, owner.cookie, 'viewer', sink);
    const id = await membershipId(owner.organizationId, viewer.userId);
    await t.http().patch(`/api/v1/members/${id}`).set('cookie', owner.cookie).send({ role: 'engineer' }).expect(200);
    await t.http().delete(`/api/v1/members/${id}`).set('cookie', owner.cookie).expect(204);
    const audit = (await t.http().get(`/api/v1/audit?targetId=${id}`).set('cookie', owner.cookie).expect(200)).body.items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['member.removed', 'member.role_changed']);
    expect(audit[1]).toMatchObject({
      actor: { type: 'user', id: owner.userId, label: owner.credentials.email },
      target: { type: 'member', id },
      details: { from: 'viewer', to: 'engineer', email: viewer.email },
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(audit[0].details).toMatchObject({ role: 'engineer', sessionsEnded: 1 });
  });
});
