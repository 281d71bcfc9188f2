import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Rate limits (issue 5): login brute force, sign-up per IP, the general API budget, and counters
 * shared through PostgreSQL. Each app gets only the limit under test set low (createTestApp's
 * defaults are generous); TRUST_PROXY=1 lets a test speak from several client IPs through
 * X-Forwarded-For.
 */

const LOGIN = '/api/v1/auth/login';

function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, type: 'https://rsm.dev/problems/rate-limited', title: 'Too Many Requests' });
  expect(res.body.requestId).toEqual(expect.any(String));
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(res.headers['ratelimit-limit']).toMatch(/^\d+$/);
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
}

const login = (t: TestApp, email: string, password: string, ip = '198.51.100.1') =>
  t.http().post(LOGIN).set('x-forwarded-for', ip).send({ email, password });

describe('login brute-force limits', () => {
  describe('per account and IP: a growing delay after a few failures', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        TRUST_PROXY: '1',
        RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: '5',
        RATE_LIMIT_LOGIN_DELAY_SECONDS: '1',
        RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS: '2',
      });
    });
    afterAll(() => t.close());

    it('answers 429 to quick wrong passwords, refuses even the right one while blocked, and lets it in after the delay', async () => {
      const victim = await registerStudio(t, 'Victim');
      const bystander = await registerStudio(t, 'Bystander');
      const { email, password } = victim.credentials;

      const statuses: number[] = [];
      let sawRightPasswordRefused = false;
      for (let i = 0; i < 50; i++) {
        const res = await login(t, email, `wrong-${i}`);
        statuses.push(res.status);
        if (res.status === 429) expectRateLimited(res);
        else expect(res.status).toBe(401);
        // Right after a counted failure past the free ones the lock is fresh: the right password is refused too.
        if (res.status === 401 && i >= 4 && !sawRightPasswordRefused) {
          const right = await login(t, email, password);
          expectRateLimited(right);
          expect(right.headers['set-cookie']).toBeUndefined();
          sawRightPasswordRefused = true;
        }
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(25);
      expect(sawRightPasswordRefused).toBe(true);

      // Another account from the same IP is not held by the first account's limit.
      await login(t, bystander.credentials.email, bystander.credentials.password).expect(200);

      // The block is temporary: after the Retry-After it names, the right password works.
      let res = await login(t, email, password);
      for (let tries = 0; res.status === 429 && tries < 3; tries++) {
        await sleep(Number(res.headers['retry-after']) * 1000);
        res = await login(t, email, password);
      }
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeDefined();

      // Success reset the count: the next wrong passwords start again with free attempts.
      for (let i = 0; i < 4; i++) await login(t, email, 'wrong-again').expect(401);
    });

    it('treats an unknown email like a known one (same 401s, then the same 429)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(t, 'nobody-here@studio.test', 'whatever', '198.51.100.7')).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toContain(429);
    });
  });

  describe('per IP across accounts', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_LOGIN_FAILURES_PER_IP: '10' });
    });
    afterAll(() => t.close());

    it('blocks an IP that fails across many accounts, and only that IP', async () => {
      const studio = await registerStudio(t);
      const attacker = '203.0.113.9';
      for (let i = 0; i < 10; i++) await login(t, `target-${i}@studio.test`, 'guess', attacker).expect(401);
      expectRateLimited(await login(t, 'target-99@studio.test', 'guess', attacker));
      expectRateLimited(await login(t, studio.credentials.email, studio.credentials.password, attacker));
      await login(t, studio.credentials.email, studio.credentials.password, '203.0.113.10').expect(200);
    });
  });

  describe('per account across IPs', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '10' });
    });
    afterAll(() => t.close());

    it('slows a distributed attack on one account, but the owner still gets in from an IP they used before', async () => {
      const studio = await registerStudio(t);
      const { email, password } = studio.credentials;
      const home = '192.0.2.1';
      await login(t, email, password, home).expect(200);

      for (let i = 0; i < 10; i++) await login(t, email, 'guess', `203.0.113.${100 + i}`).expect(401);
      expectRateLimited(await login(t, email, 'guess', '203.0.113.200'));
      expectRateLimited(await login(t, email, password, '203.0.113.201'));
      // Not a lockout the attacker can hold against the owner: their known IP is let through.
      await login(t, email, password, home).expect(200);
    });
  });
});

describe('sign-up per IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '2' });
  });
  afterAll(() => t.close());

  const counts = async () => {
    const q = async (sql: string) => Number((await t.control.query(sql)).rows[0].count);
    const databases = await t.admin.query(`SELECT count(*) FROM pg_database WHERE datname LIKE $1`, [`${t.config.tenancy.databasePrefix}%`]);
    return [await q('SELECT count(*) FROM organizations'), await q('SELECT count(*) FROM users'), Number(databases.rows[0].count)];
  };
  const register = (ip: string) => t.http().post('/api/v1/auth/register').set('x-forwarded-for', ip).send(newStudio('Limited'));

  it('answers 429 after the limit and writes nothing for the refused sign-ups', async () => {
    const ip = '198.51.100.50';
    const ok = await register(ip).expect(201);
    expect(ok.headers['ratelimit-limit']).toBe('2');
    expect(ok.headers['ratelimit-remaining']).toBe('1');
    await register(ip).expect(201);
    const before = await counts();
    for (let i = 0; i < 3; i++) {
      const res = await register(ip);
      expectRateLimited(res);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await counts()).toEqual(before);
    // Another IP has its own allowance.
    await register('198.51.100.51').expect(201);
  });
});

describe('verification resend limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_VERIFICATION_RESEND_PER_USER_PER_HOUR: '2' });
  });
  afterAll(() => t.close());

  it('a user may ask for a few new links an hour, then 429; another user is unaffected', async () => {
    const [a, b] = [await registerStudio(t), await registerStudio(t)];
    const resend = (cookie: string) => t.http().post('/api/v1/auth/verify-email/resend').set('cookie', cookie);
    await resend(a.cookie).expect(204);
    await resend(a.cookie).expect(204);
    expectRateLimited(await resend(a.cookie));
    await resend(b.cookie).expect(204);
  });
});

describe('general API limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_API_PER_USER_PER_MINUTE: '5', RATE_LIMIT_API_PER_IP_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('gives each user one budget: over it a 429 problem, the other user unaffected', async () => {
    // Sign-ups from distinct IPs, so they do not use up the anonymous budget of the test's IP.
    const [a, b] = [await registerStudioFrom(t, '192.0.2.10'), await registerStudioFrom(t, '192.0.2.11')];
    for (let i = 0; i < 5; i++) {
      const res = await t.http().get('/api/v1/auth/me').set('cookie', a).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(4 - i));
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    }
    expectRateLimited(await t.http().get('/api/v1/auth/me').set('cookie', a));
    expectRateLimited(await t.http().get('/api/v1/clients').set('cookie', a));
    await t.http().get('/api/v1/auth/me').set('cookie', b).expect(200);
  });

  it('counts every session of a user together: logging in again buys no extra budget', async () => {
    const body = newStudio();
    await t.http().post('/api/v1/auth/register').set('x-forwarded-for', '192.0.2.12').send(body).expect(201);
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await login(t, body.email, body.password, `192.0.2.${13 + i}`).expect(200); // spends 1 each
      cookies.push((res.headers['set-cookie'] as unknown as string[])[0].split(';')[0]);
    }
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.http().get('/api/v1/auth/me').set('cookie', cookies[i % 3])).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('an encoded path spends the same budget as the plain one', async () => {
    const a = await registerStudioFrom(t, '192.0.2.20');
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http().get(i % 2 ? '/%61pi/v1/clients' : '/api/v1/clients').set('cookie', a)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('refused sessions spend the IP budget: made-up cookies get 429 after it', async () => {
    const ip = '192.0.2.25';
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.http().get('/api/v1/clients').set('x-forwarded-for', ip).set('cookie', `rsm_session=made-up-${i}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expectRateLimited(await t.http().get('/api/v1/clients').set('x-forwarded-for', ip).set('cookie', 'rsm_session=another'));
  });

  it('limits anonymous callers per IP', async () => {
    const ip = '192.0.2.30';
    for (let i = 0; i < 3; i++) await t.http().post(LOGIN).set('x-forwarded-for', ip).send({}).expect(400);
    expectRateLimited(await t.http().post(LOGIN).set('x-forwarded-for', ip).send({}));
    await t.http().post(LOGIN).set('x-forwarded-for', '192.0.2.31').send({}).expect(400);
  });

  it('exempts the health checks', async () => {
    for (let i = 0; i < 8; i++) {
      await t.http().get('/health/live').set('x-forwarded-for', '192.0.2.40').expect(200);
      await t.http().get('/health/ready').set('x-forwarded-for', '192.0.2.40').expect(200);
    }
  });
});

describe('RATE_LIMIT_STORE=postgres', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const env = { RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_API_PER_USER_PER_MINUTE: '6', RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: '5' };
    first = await createTestApp(env);
    // A second instance on the same control database (its own close() drops nothing of the first's).
    second = await createTestApp({
      ...env,
      DATABASE_URL: first.config.databaseUrl!,
      TENANT_TEMPLATE_DATABASE: first.config.tenancy.templateDatabase,
      TENANT_DATABASE_PREFIX: first.config.tenancy.databasePrefix,
    });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('shares one counter between two instances', async () => {
    const { cookie } = await registerStudio(first);
    const remaining: string[] = [];
    for (let i = 0; i < 6; i++) {
      const instance = i % 2 === 0 ? first : second;
      const res = await instance.http().get('/api/v1/auth/me').set('cookie', cookie).expect(200);
      remaining.push(res.headers['ratelimit-remaining'] as string);
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    expectRateLimited(await first.http().get('/api/v1/auth/me').set('cookie', cookie));
    expectRateLimited(await second.http().get('/api/v1/auth/me').set('cookie', cookie));
    const rows = await first.control.query(`SELECT count(*) FROM rate_limits WHERE key LIKE 'api-user:%'`);
    expect(Number(rows.rows[0].count)).toBe(1);
  });

  it('a burst of parallel wrong passwords across both instances gets no more than the free attempts through', async () => {
    const { credentials } = await registerStudio(first);
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(i % 2 ? first : second, credentials.email, `wrong-${i}`).then((r) => r.status)),
    );
    // 5 free failures, plus the one attempt that opens the first delay window.
    expect(burst.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    expect(burst.filter((s) => s === 429).length).toBeGreaterThanOrEqual(24);
  });

  it('shares login failures and locks between instances', async () => {
    const { credentials } = await registerStudio(first);
    for (let i = 0; i < 5; i++) await login(i % 2 === 0 ? first : second, credentials.email, 'wrong').expect(401);
    expectRateLimited(await login(second, credentials.email, credentials.password));
    expectRateLimited(await login(first, credentials.email, credentials.password));
    const locks = await first.control.query(`SELECT count(*) FROM rate_limits WHERE key LIKE 'login-lock:%'`);
    expect(Number(locks.rows[0].count)).toBeGreaterThan(0);
  });
});

async function registerStudioFrom(t: TestApp, ip: string): Promise<string> {
  const res = await t.http().post('/api/v1/auth/register').set('x-forwarded-for', ip).send(newStudio()).expect(201);
  return (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
}
