import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { addMemberByInvite } from './support/invite-mail.js';
import { SmtpSink } from './support/smtp-sink.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** API keys (issue 7): secret shown once and hashed at rest; Bearer on every route the role allows; revocable. */
describe('API keys', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let other: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    studio = await registerStudio(t, 'Keys');
    other = await registerStudio(t, 'Keys other');
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  const create = (cookie: string, body: object) => t.http().post('/api/v1/api-keys').set('cookie', cookie).send(body);
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const keyCount = async () => (await t.control.query(`SELECT count(*)::int AS n FROM api_keys`)).rows[0].n as number;

  it('returns the secret once (rsm_live_<prefix>_<secret>); the database and the list keep only its prefix and hash', async () => {
    const created = await create(studio.cookie, { name: 'Website', role: 'engineer' }).expect(201);
    const { key, prefix, id } = created.body;
    expect(key).toMatch(/^rsm_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`rsm_live_${prefix}_`)).toBe(true);
    const row = (await t.control.query(`SELECT * FROM api_keys WHERE id = $1`, [id])).rows[0];
    expect(row.secret_hash).toBe(createHash('sha256').update(key.split('_').slice(3).join('_')).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key.slice(-43));
    const list = await t.http().get('/api/v1/api-keys').set('cookie', studio.cookie).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === id);
    expect(listed).toEqual({ id, name: 'Website', role: 'engineer', prefix, createdBy: studio.userId, createdAt: expect.any(String), lastUsedAt: null, expiresAt: null });
    expect(JSON.stringify(list.body)).not.toContain(key.slice(-43));
  });

  it("works as Bearer on the routes its role allows, in its own studio (the tenant comes from the key), and nowhere else", async () => {
    const { key } = (await create(studio.cookie, { name: 'Engineer key', role: 'engineer' }).expect(201)).body;
    const client = await t.http().post('/api/v1/clients').set(bearer(key)).send({ name: 'Via key' }).expect(201);
    const tenant = await connectTenantDatabase(t, studio.organizationId);
    try {
      expect((await tenant.query(`SELECT name FROM clients WHERE id = $1`, [client.body.id])).rows).toEqual([{ name: 'Via key' }]);
    } finally {
      await tenant.end();
    }
    await t.http().get(`/api/v1/clients/${client.body.id}`).set('cookie', other.cookie).expect(404);
    // Above its role: 403; a session-only route: 403; the audit log names the key.
    await t.http().get('/api/v1/audit').set(bearer(key)).expect(403);
    const me = await t.http().get('/api/v1/auth/me').set(bearer(key)).expect(403);
    expect(me.body.type).toMatch(/session-required$/);
    const viewerKey = (await create(studio.cookie, { name: 'Viewer key', role: 'viewer' }).expect(201)).body.key;
    await t.http().get('/api/v1/clients').set(bearer(viewerKey)).expect(200);
    const write = await t.http().post('/api/v1/clients').set(bearer(viewerKey)).send({ name: 'Nope' }).expect(403);
    expect(write.body.type).toMatch(/forbidden-role$/);
    const audit = (await t.http().get(`/api/v1/audit?targetId=${client.body.id}`).set('cookie', studio.cookie).expect(200)).body.items;
    expect(audit[0]).toMatchObject({ action: 'client.created', actor: { type: 'api-key', label: 'Engineer key' } });
  });

  it('a presented key alone decides who calls: a bad one is a 401 even next to a valid cookie; other Authorization values are not ours', async () => {
    for (const header of ['Bearer rsm_live_000000000000_' + 'A'.repeat(43), 'Bearer rsm_live_nonsense', 'bearer rsm_live_']) {
      const res = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).set('authorization', header).expect(401);
      expect(res.body.type).toMatch(/invalid-api-key$/);
    }
    // HTTP Basic from a proxy in front, or someone else's token: ignored, the session cookie decides.
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer eyJhbGciOi.something', 'Bearer']) {
      await t.http().get('/api/v1/clients').set('cookie', studio.cookie).set('authorization', header).expect(200);
      await t.http().get('/api/v1/clients').set('authorization', header).expect(401);
    }
    // The right prefix with a wrong secret: the constant-time comparison says no.
    const { key } = (await create(studio.cookie, { name: 'Prefix', role: 'viewer' }).expect(201)).body;
    const wrongSecret = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    await t.http().get('/api/v1/clients').set(bearer(wrongSecret)).expect(401);
    // The whole value is the key: a real key with anything before or after it is refused.
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(200);
    for (const padded of [`${key}x`, `${key}_`, `rsm_live_${key}`, `rsm_live_0_${key}`]) {
      const res = await t.http().get('/api/v1/clients').set(bearer(padded)).expect(401);
      expect(res.body.type).toMatch(/invalid-api-key$/);
    }
  });

  it('revoking takes effect on the next request; an expired key is refused', async () => {
    const { key, id } = (await create(studio.cookie, { name: 'Short lived', role: 'viewer' }).expect(201)).body;
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(200);
    await t.http().delete(`/api/v1/api-keys/${id}`).set('cookie', studio.cookie).expect(204);
    const revoked = await t.http().get('/api/v1/clients').set(bearer(key)).expect(401);
    expect(revoked.body.type).toMatch(/invalid-api-key$/);
    await t.http().delete(`/api/v1/api-keys/${id}`).set('cookie', studio.cookie).expect(404);

    const expiring = (await create(studio.cookie, { name: 'Expiring', role: 'viewer', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201)).body;
    await t.http().get('/api/v1/clients').set(bearer(expiring.key)).expect(200);
    await t.control.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
    await t.http().get('/api/v1/clients').set(bearer(expiring.key)).expect(401);
  });

  it('records last use at most once a minute', async () => {
    const { key, id } = (await create(studio.cookie, { name: 'Used', role: 'viewer' }).expect(201)).body;
    const lastUsed = async () => (await t.control.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [id])).rows[0].last_used_at as Date | null;
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(200);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(200);
    expect(await lastUsed()).toEqual(first);
    await t.control.query(`UPDATE api_keys SET last_used_at = now() - interval '61 seconds' WHERE id = $1`, [id]);
    const backdated = await lastUsed();
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(backdated!.getTime());
  });

  it("never acts above its creator: not created above their role, capped when they are demoted, dead when they leave", async () => {
    const admin = await addMemberByInvite(t, studio.cookie, 'admin', sink);
    const above = await create(admin.cookie, { name: 'Too high', role: 'owner' }).expect(403);
    expect(above.body.type).toMatch(/role-above-yours$/);
    const { key } = (await create(admin.cookie, { name: 'Admin key', role: 'admin' }).expect(201)).body;
    await t.http().get('/api/v1/audit').set(bearer(key)).expect(200);
    const membership = (await t.control.query(`SELECT id FROM memberships WHERE user_id = $1 AND organization_id = $2`, [admin.userId, studio.organizationId])).rows[0].id;
    await t.http().patch(`/api/v1/members/${membership}`).set('cookie', studio.cookie).send({ role: 'viewer' }).expect(200);
    await t.http().get('/api/v1/audit').set(bearer(key)).expect(403);
    await t.http().post('/api/v1/clients').set(bearer(key)).send({ name: 'Capped' }).expect(403);
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(200);
    await t.http().delete(`/api/v1/members/${membership}`).set('cookie', studio.cookie).expect(204);
    await t.http().get('/api/v1/clients').set(bearer(key)).expect(401);
  });

  it('cannot mint or revoke keys, nor manage members (session only)', async () => {
    const owned = (await create(studio.cookie, { name: 'Owner key', role: 'owner' }).expect(201)).body;
    const before = await keyCount();
    await t.http().post('/api/v1/api-keys').set(bearer(owned.key)).send({ name: 'Child', role: 'viewer' }).expect(403);
    await t.http().delete(`/api/v1/api-keys/${owned.id}`).set(bearer(owned.key)).expect(403);
    await t.http().post('/api/v1/invites').set(bearer(owned.key)).send({ email: 'x@keys.test', role: 'owner' }).expect(403);
    expect(await keyCount()).toBe(before);
    await t.http().get('/api/v1/api-keys').set(bearer(owned.key)).expect(200);
  });

  it('integrations send no Origin and pass the Origin rule; a cross-site page is still refused', async () => {
    const { key } = (await create(studio.cookie, { name: 'Server', role: 'engineer' }).expect(201)).body;
    await t.http().post('/api/v1/clients').set(bearer(key)).send({ name: 'From a server' }).expect(201);
    const cross = await t.http().post('/api/v1/clients').set(bearer(key)).set('origin', 'https://evil.example').send({ name: 'From a page' }).expect(403);
    expect(cross.body.type).toMatch(/cross-site-request$/);
  });

  it("another studio's key ids are 404 (never 403) and the key keeps working", async () => {
    const theirs = (await create(other.cookie, { name: 'Theirs', role: 'viewer' }).expect(201)).body;
    await t.http().delete(`/api/v1/api-keys/${theirs.id}`).set('cookie', studio.cookie).expect(404);
    const listed = (await t.http().get('/api/v1/api-keys?limit=100').set('cookie', studio.cookie).expect(200)).body.items;
    expect(listed.map((k: { id: string }) => k.id)).not.toContain(theirs.id);
    await t.http().get('/api/v1/clients').set(bearer(theirs.key)).expect(200);
  });

  it('bad input is a 400 problem and writes nothing', async () => {
    const before = await keyCount();
    const bad = [
      {},
      { name: 'No role' },
      { name: 'Bad role', role: 'root' },
      { name: 42, role: 'viewer' },
      { name: '   ', role: 'viewer' },
      { name: 'Past', role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' },
      { name: 'Not a date', role: 'viewer', expiresAt: 'tomorrow' },
      { name: 'Extra', role: 'viewer', organizationId: other.organizationId },
      { name: 'Extra', role: 'viewer', secret: 'chosen' },
    ];
    for (const body of bad) {
      const res = await create(studio.cookie, body);
      expect([body, res.status, res.headers['content-type']]).toEqual([body, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
    await t.http().delete('/api/v1/api-keys/not-a-uuid').set('cookie', studio.cookie).expect(400);
    for (const query of ['limit=1000', 'cursor=WyJ4Iiwibm90LWEtdXVpZCJd', 'role=owner']) await t.http().get(`/api/v1/api-keys?${query}`).set('cookie', studio.cookie).expect(400);
    expect(await keyCount()).toBe(before);
  });

  it('pages through the list with the cursor', async () => {
    const fresh = await registerStudio(t, 'Keys paging');
    for (const name of ['b', 'a', 'c']) await create(fresh.cookie, { name, role: 'viewer' }).expect(201);
    const first = await t.http().get('/api/v1/api-keys?limit=2').set('cookie', fresh.cookie).expect(200);
    const second = await t.http().get(`/api/v1/api-keys?limit=2&cursor=${first.body.nextCursor}`).set('cookie', fresh.cookie).expect(200);
    expect([...first.body.items, ...second.body.items].map((k: { name: string }) => k.name)).toEqual(['a', 'b', 'c']);
    expect(second.body.nextCursor).toBeNull();
  });
});
