import { createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

describe('auth (staff sign-up, login, logout, me)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async (table: string) => Number((await t.control.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  describe('POST /api/v1/auth/register', () => {
    it('creates the organization, owner, a ready tenant database and a session', async () => {
      const body = newStudio('Blue Room');
      const res = await t.http().post('/api/v1/auth/register').send(body).expect(201);
      expect(res.body).toEqual({
        organization: { id: expect.any(String), name: body.studioName, slug: expect.stringMatching(/^blue-room-/) },
        user: { id: expect.any(String), name: body.name, email: body.email },
      });
      const cookie = res.headers['set-cookie'][0] as string;
      expect(cookie).toMatch(/^rsm_session=[\w-]{43};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      // The cookie lives as long as the session's absolute lifetime, in seconds.
      expect(cookie).toMatch(new RegExp(`Max-Age=${Math.floor(t.config.session.absoluteTimeoutMs / 1000)}(;|$)`));

      const registry = await t.control.query(`SELECT * FROM tenant_databases WHERE organization_id = $1`, [res.body.organization.id]);
      expect(registry.rows[0]).toMatchObject({ status: 'ready' });
      const db = await t.admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [registry.rows[0].database_name]);
      expect(db.rowCount).toBe(1);

      // Only a hash of the token is stored.
      const token = cookie.split(';')[0].split('=')[1];
      const sessions = await t.control.query(`SELECT token_hash FROM sessions WHERE user_id = $1`, [res.body.user.id]);
      expect(sessions.rows).toHaveLength(1);
      expect(sessions.rows[0].token_hash).not.toContain(token);
      expect(sessions.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

      // The password is stored as argon2id at OWASP's minimum cost (19 MiB, 2 passes, 1 lane), never weaker.
      const users = await t.control.query(`SELECT password_hash FROM users WHERE id = $1`, [res.body.user.id]);
      expect(users.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('gives two studios with the same name distinct slugs', async () => {
      const a = await t.http().post('/api/v1/auth/register').send({ ...newStudio(), studioName: 'Echo Chamber' }).expect(201);
      const b = await t.http().post('/api/v1/auth/register').send({ ...newStudio(), studioName: 'Echo Chamber' }).expect(201);
      expect(a.body.organization.slug).not.toBe(b.body.organization.slug);
    });

    it('answers 409 for an email already registered (any case) and writes nothing', async () => {
      const first = newStudio();
      await t.http().post('/api/v1/auth/register').send(first).expect(201);
      const [orgs, users] = [await count('organizations'), await count('users')];
      const res = await t.http().post('/api/v1/auth/register').send({ ...newStudio(), email: first.email.toUpperCase() }).expect(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 409, title: 'Conflict', type: expect.stringContaining('email-taken') });
      expect([await count('organizations'), await count('users')]).toEqual([orgs, users]);
    });

    it.each([
      ['a short password', { password: 'short' }, 'password'],
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['a blank studio name', { studioName: '   ' }, 'studioName'],
      ['a wrongly typed name', { name: 42 }, 'name'],
      ['an oversized name', { name: 'x'.repeat(201) }, 'name'],
      ['an unknown field', { role: 'owner' }, 'role'],
    ])('rejects %s with a 400 problem naming the field, and writes nothing', async (_label, patch, field) => {
      const [orgs, users, dbs] = [await count('organizations'), await count('users'), await count('tenant_databases')];
      const res = await t.http().post('/api/v1/auth/register').send({ ...newStudio(), ...patch }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect([await count('organizations'), await count('users'), await count('tenant_databases')]).toEqual([orgs, users, dbs]);
    });

    it('rejects a missing body and malformed JSON with 400 problems', async () => {
      const missing = await t.http().post('/api/v1/auth/register').expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'password', 'studioName']);
      const malformed = await t.http().post('/api/v1/auth/register').set('content-type', 'application/json').send('{"studioName": ').expect(400);
      expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(malformed.body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
      const array = await t.http().post('/api/v1/auth/register').send([1, 2]).expect(400);
      expect(array.body.detail).toMatch(/JSON object/);
    });
  });

  describe('POST /api/v1/auth/login', () => {
    it('logs in with the right password (email in any case) and issues a new session each time', async () => {
      const studio = await registerStudio(t);
      const a = await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email.toUpperCase(), password: studio.credentials.password }).expect(200);
      const b = await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: studio.credentials.password }).expect(200);
      expect(a.body).toEqual({ organization: studio.body.organization, user: studio.body.user });
      const tokenOf = (r: { headers: Record<string, unknown> }) => (r.headers['set-cookie'] as string[])[0].split(';')[0];
      expect(tokenOf(a)).not.toBe(tokenOf(b));
      await t.http().get('/api/v1/auth/me').set('cookie', tokenOf(a)).expect(200);
      await t.http().get('/api/v1/auth/me').set('cookie', tokenOf(b)).expect(200);
    });

    it('ends the session the browser presented when it logs in again', async () => {
      const studio = await registerStudio(t);
      const credentials = { email: studio.credentials.email, password: studio.credentials.password };
      await t.http().post('/api/v1/auth/login').set('cookie', studio.cookie).send(credentials).expect(200);
      await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(401);
    });

    it('answers the same 401 for a wrong password and an unknown email', async () => {
      const studio = await registerStudio(t);
      const wrong = await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: 'wrong password!' }).expect(401);
      const unknown = await t.http().post('/api/v1/auth/login').send({ email: 'nobody@nowhere.test', password: 'wrong password!' }).expect(401);
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(wrong.body).toMatchObject({ type: 'https://rsm.dev/problems/invalid-credentials', detail: 'The email or password is incorrect.' });
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('a stored password hash that cannot be read refuses every password (401), never lets the login through', async () => {
      const studio = await registerStudio(t);
      await t.control.query(`UPDATE users SET password_hash = 'not-an-argon2-hash' WHERE id = $1`, [studio.userId]);
      for (const password of [studio.credentials.password, 'not-an-argon2-hash']) {
        const res = await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password }).expect(401);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('rejects bad input with a 400 problem before checking credentials, and starts no session', async () => {
      const before = await count('sessions');
      const res = await t.http().post('/api/v1/auth/login').send({ email: 'x', password: 5, extra: true }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'extra', 'password']);
      const malformed = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
      expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
      await t.http().post('/api/v1/auth/login').send({ email: 'a@b.test', password: 'p'.repeat(201) }).expect(400);
      await t.http().post('/api/v1/auth/login').send(['a@b.test']).expect(400);
      expect(await count('sessions')).toBe(before);
    });
  });

  describe('GET /api/v1/auth/me and POST /api/v1/auth/logout', () => {
    it('should require authentication', async () => {
      const res = await t.http().get('/api/v1/auth/me').expect(401);
      expect(res.body).toMatchObject({
        status: 401,
        title: 'Unauthorized',
        type: 'https://rsm.dev/problems/unauthenticated',
        detail: 'Sign in to continue: no valid session.',
      });
      await t.http().get('/api/v1/auth/me').set('cookie', 'rsm_session=forged-token').expect(401);
      await t.http().post('/api/v1/auth/logout').expect(401);
    });

    it('returns the user, organization and role, and logout ends the session server-side', async () => {
      const studio = await registerStudio(t);
      const me = await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(200);
      expect(me.body).toEqual({
        ...studio.body,
        role: 'owner',
        verification: { emailVerified: false, studioUnverifiedUntil: expect.any(String), studioSuspended: false },
        subscription: { status: 'trialing', currentPeriodEnd: expect.any(String), readOnly: false },
      });
      const out = await t.http().post('/api/v1/auth/logout').set('cookie', studio.cookie).expect(204);
      expect(out.headers['set-cookie'][0]).toMatch(/rsm_session=;/);
      await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(401);
      const left = await t.control.query(`SELECT count(*) FROM sessions WHERE user_id = $1`, [studio.userId]);
      expect(Number(left.rows[0].count)).toBe(0);
    });

    it('refuses an expired session', async () => {
      const studio = await registerStudio(t);
      await t.control.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1`, [studio.userId]);
      await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(401);
    });
  });
});

describe('session cookie in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ COOKIE_SECURE: 'true' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is __Host- prefixed, Secure, HttpOnly and SameSite=Lax', async () => {
    const res = await t.http().post('/api/v1/auth/register').send(newStudio()).expect(201);
    const cookie = res.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/^__Host-rsm_session=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/);
    const me = await t.http().get('/api/v1/auth/me').set('cookie', cookie.split(';')[0]).expect(200);
    expect(me.body.role).toBe('owner');
  });
});

describe('concurrent sign-ups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('same studio name at once: all succeed with distinct slugs; same email at once: exactly one wins', async () => {
    const sameName = await Promise.all(Array.from({ length: 6 }, () => t.http().post('/api/v1/auth/register').send({ ...newStudio(), studioName: 'Twin Peaks Audio' })));
    expect(sameName.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(sameName.map((r) => r.body.organization.slug)).size).toBe(6);

    const email = newStudio().email;
    const sameEmail = await Promise.all(Array.from({ length: 4 }, () => t.http().post('/api/v1/auth/register').send({ ...newStudio(), email })));
    expect(sameEmail.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM tenant_databases`);
    expect(rows[0].n).toBe(7);
    const { rows: dbs } = await t.admin.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE $1`, [`${t.config.tenancy.databasePrefix}%`]);
    expect(dbs[0].n).toBe(7);
  });
});
