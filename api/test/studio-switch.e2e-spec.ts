import { join } from 'node:path';
import { cookieOf, invitationTokenFor } from './support/invite-mail.js';
import { SmtpSink } from './support/smtp-sink.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Several studios per user (issue 7): list them, switch the session (new token, old one dead), 404 for others. */
describe('studio switch', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let home: Awaited<ReturnType<typeof registerStudio>>;
  let second: Awaited<ReturnType<typeof registerStudio>>;
  let stranger: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    home = await registerStudio(t, 'Home');
    second = await registerStudio(t, 'Second');
    stranger = await registerStudio(t, 'Stranger');
    // Home's owner joins Second as an engineer.
    await t.http().post('/api/v1/invites').set('cookie', second.cookie).send({ email: home.credentials.email, role: 'engineer' }).expect(201);
    await t
      .http()
      .post('/api/v1/invites/accept')
      .send({ token: await invitationTokenFor(sink, home.credentials.email), password: home.credentials.password })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  const sessionCount = async () => (await t.control.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [home.userId])).rows[0].n as number;

  it('lists every studio of the user with the role in each, marking the current one', async () => {
    const list = await t.http().get('/api/v1/auth/organizations').set('cookie', home.cookie).expect(200);
    expect(list.body.items.map((s: { organization: { id: string }; role: string; current: boolean }) => [s.organization.id, s.role, s.current]).sort()).toEqual(
      [
        [home.organizationId, 'owner', true],
        [second.organizationId, 'engineer', false],
      ].sort(),
    );
  });

  it('switching issues a new session token in the other studio and ends the old one', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ email: home.credentials.email, password: home.credentials.password }).expect(200);
    const before = cookieOf(login);
    const switched = await t.http().post('/api/v1/auth/switch').set('cookie', before).send({ organizationId: second.organizationId }).expect(200);
    expect(switched.body.organization.id).toBe(second.organizationId);
    const after = cookieOf(switched);
    expect(after).not.toBe(before);
    await t.http().get('/api/v1/auth/me').set('cookie', before).expect(401);
    const me = await t.http().get('/api/v1/auth/me').set('cookie', after).expect(200);
    expect(me.body).toMatchObject({ organization: { id: second.organizationId }, role: 'engineer' });
    // Its data now: the clients of Second, with an engineer's rights (no audit log).
    const client = await t.http().post('/api/v1/clients').set('cookie', second.cookie).send({ name: 'Of Second' }).expect(201);
    await t.http().get(`/api/v1/clients/${client.body.id}`).set('cookie', after).expect(200);
    await t.http().get('/api/v1/audit').set('cookie', after).expect(403);
    // And back.
    const back = await t.http().post('/api/v1/auth/switch').set('cookie', after).send({ organizationId: home.organizationId }).expect(200);
    await t.http().get('/api/v1/audit').set('cookie', cookieOf(back)).expect(200);
    await t.http().get('/api/v1/auth/me').set('cookie', after).expect(401);
  });

  it("a studio you are not a member of is a 404 (never 403), and the session stays as it was", async () => {
    const login = cookieOf(await t.http().post('/api/v1/auth/login').send({ email: home.credentials.email, password: home.credentials.password }).expect(200));
    const sessions = await sessionCount();
    for (const organizationId of [stranger.organizationId, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.http().post('/api/v1/auth/switch').set('cookie', login).send({ organizationId }).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    await t.http().get('/api/v1/auth/me').set('cookie', login).expect(200);
    expect(await sessionCount()).toBe(sessions);
  });

  it('bad input is a 400 problem and changes no session', async () => {
    const login = cookieOf(await t.http().post('/api/v1/auth/login').send({ email: home.credentials.email, password: home.credentials.password }).expect(200));
    const sessions = await sessionCount();
    for (const body of [{}, { organizationId: 'not-a-uuid' }, { organizationId: 7 }, { organizationId: second.organizationId, role: 'owner' }]) {
      const res = await t.http().post('/api/v1/auth/switch').set('cookie', login).send(body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect(await sessionCount()).toBe(sessions);
    await t.http().get('/api/v1/auth/me').set('cookie', login).expect(200);
  });

  it('is a write under the Origin rule', async () => {
    const res = await t.http().post('/api/v1/auth/switch').set('cookie', home.cookie).set('origin', 'https://evil.example').send({ organizationId: second.organizationId }).expect(403);
    expect(res.body.type).toMatch(/cross-site-request$/);
  });
});

describe('studio switch rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_SWITCH_PER_USER_PER_HOUR: '2', RATE_LIMIT_SWITCH_PER_IP_PER_HOUR: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('per user and per IP: 429 problem with Retry-After', async () => {
    const a = await registerStudio(t, 'Switch limit A');
    const b = await registerStudio(t, 'Switch limit B');
    let cookie = a.cookie;
    for (let i = 0; i < 2; i++) cookie = cookieOf(await t.http().post('/api/v1/auth/switch').set('cookie', cookie).send({ organizationId: a.organizationId }).expect(200));
    const limited = await t.http().post('/api/v1/auth/switch').set('cookie', cookie).send({ organizationId: a.organizationId }).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    // B has its own per-user budget, but this address has one switch left.
    const bCookie = cookieOf(await t.http().post('/api/v1/auth/switch').set('cookie', b.cookie).send({ organizationId: b.organizationId }).expect(200));
    await t.http().post('/api/v1/auth/switch').set('cookie', bCookie).send({ organizationId: b.organizationId }).expect(429);
  });
});
