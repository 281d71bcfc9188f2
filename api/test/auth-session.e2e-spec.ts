import { createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 6: GET /api/v1/auth/session tells the web app whether it is signed in without a failing
 * request (a 401 on every logged-out page load was console noise).
 */
const SESSION = '/api/v1/auth/session';

describe('GET /api/v1/auth/session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const sessionRows = async () => Number((await t.control.query('SELECT count(*) FROM sessions')).rows[0].count);

  it('answers 200 {authenticated: false} without a session, never from a cache', async () => {
    const res = await t.http().get(SESSION).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ authenticated: false });
  });

  it('answers {authenticated: false} for a made-up, over-long, expired or logged-out session, and writes nothing', async () => {
    const studio = await registerStudio(t, 'Session');
    const before = await sessionRows();
    for (const cookie of ['rsm_session=made-up', `rsm_session=${'x'.repeat(201)}`, 'rsm_session=', 'other=1']) {
      const res = await t.http().get(SESSION).set('cookie', cookie).expect(200);
      expect([cookie, res.body, res.headers['cache-control']]).toEqual([cookie, { authenticated: false }, 'no-store']);
    }
    expect(await sessionRows()).toBe(before);

    await t.control.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1`, [studio.userId]);
    expect((await t.http().get(SESSION).set('cookie', studio.cookie).expect(200)).body).toEqual({ authenticated: false });

    const other = await registerStudio(t, 'Session');
    await t.http().post('/api/v1/auth/logout').set('cookie', other.cookie).expect(204);
    expect((await t.http().get(SESSION).set('cookie', other.cookie).expect(200)).body).toEqual({ authenticated: false });
  });

  it('answers {authenticated: true, me} with exactly what GET /auth/me returns', async () => {
    const studio = await registerStudio(t, 'Session');
    const me = await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(200);
    const res = await t.http().get(SESSION).set('cookie', studio.cookie).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ authenticated: true, me: me.body });
    expect(res.body.me).toMatchObject({ user: { id: studio.userId }, organization: { id: studio.organizationId }, role: 'owner' });
  });

  it('an API key, valid or revoked, is no browser session: {authenticated: false}', async () => {
    const studio = await registerStudio(t, 'Keyed');
    const key = (await t.http().post('/api/v1/api-keys').set('cookie', studio.cookie).send({ name: 'Session probe', role: 'owner' }).expect(201)).body;
    expect((await t.http().get(SESSION).set('authorization', `Bearer ${key.key}`).expect(200)).body).toEqual({ authenticated: false });
    await t.http().delete(`/api/v1/api-keys/${key.id}`).set('cookie', studio.cookie).expect(204);
    expect((await t.http().get(SESSION).set('authorization', `Bearer ${key.key}`).expect(200)).body).toEqual({ authenticated: false });
  });

  it('works for a suspended studio, like /auth/me', async () => {
    const studio = await registerStudio(t, 'Suspended');
    await t.control.query(`UPDATE organizations SET unverified_until = now() - interval '1 second' WHERE id = $1`, [studio.organizationId]);
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(403);
    const res = await t.http().get(SESSION).set('cookie', studio.cookie).expect(200);
    expect(res.body).toMatchObject({ authenticated: true, me: { verification: { studioSuspended: true } } });
  });
});

describe('GET /api/v1/auth/session and the rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_API_PER_USER_PER_MINUTE: '20', RATE_LIMIT_API_PER_IP_PER_MINUTE: '4' });
  });
  afterAll(() => t.close());

  it('a dead cookie costs one anonymous point, like no cookie: it is not also charged as a refused session', async () => {
    const ip = '192.0.2.50';
    const remaining = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.http().get(SESSION).set('x-forwarded-for', ip).set('cookie', `rsm_session=made-up-${i}`).expect(200);
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    expect((await t.http().get(SESSION).set('x-forwarded-for', ip)).status).toBe(429);
  });

  it("a signed-in browser spends its user's budget, not its IP's", async () => {
    const body = newStudio();
    const registered = await t.http().post('/api/v1/auth/register').set('x-forwarded-for', '192.0.2.60').send(body).expect(201);
    const cookie = (registered.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const ip = '192.0.2.61';
    for (let i = 0; i < 6; i++) {
      const res = await t.http().get(SESSION).set('x-forwarded-for', ip).set('cookie', cookie).expect(200);
      expect([res.body.authenticated, res.headers['ratelimit-limit']]).toEqual([true, '20']);
    }
    // The IP's anonymous budget is untouched: all 4 points are left.
    const anonymous = await t.http().get(SESSION).set('x-forwarded-for', ip).expect(200);
    expect([anonymous.headers['ratelimit-limit'], anonymous.headers['ratelimit-remaining']]).toEqual(['4', '3']);
  });
});
