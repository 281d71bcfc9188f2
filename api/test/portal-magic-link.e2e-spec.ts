import { jest } from '@jest/globals';
import type pg from 'pg';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { Clock } from '../src/common/clock.js';
import { PortalAuthService } from '../src/portal/portal-auth.service.js';
import { insertPortalAccount, portalCookieOf, portalLinkToken, sha256, slugOf } from './support/portal-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portal: magic links — one-time, 15 minutes, hashed at rest, the same 202 whether or not the
 * address has an account, rate-limited per IP and per email (429).
 */
describe('portal magic links', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let db: pg.Client;
  let slug: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    const studio = await registerStudio(t, 'Magic Links');
    db = await connectTenantDatabase(t, studio.organizationId);
    slug = await slugOf(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
    await sink.close();
  });

  const request = (email: string, studioSlug = slug) => t.http().post(`/api/v1/portal/${studioSlug}/auth/magic-link`).send({ email });
  const settled = () => t.app.get(PortalAuthService).settled();
  const linkPath = () => `/portal/${slug}/magic-link`;

  it('emails a link that signs in once; its token is stored only as a hash', async () => {
    const { accountId, email } = await insertPortalAccount(db);
    const res = await request(email.toUpperCase()).expect(202);
    expect(res.body).toEqual({ accepted: true });
    await settled();
    const token = await portalLinkToken(sink, email, linkPath());
    expect((await db.query(`SELECT token_hash FROM client_portal_tokens WHERE account_id = $1 AND purpose = 'magic-link'`, [accountId])).rows).toEqual([{ token_hash: sha256(token) }]);
    const signedIn = await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token }).expect(200);
    await t.http().get('/api/v1/portal/me').set('cookie', portalCookieOf(signedIn)).expect(200);
    const again = await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token }).expect(410);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(portalCookieOf(again)).toBe('');
  });

  it('a link sent before its account was disabled does not sign in, and stays unspent', async () => {
    const { accountId, email } = await insertPortalAccount(db);
    await request(email).expect(202);
    await settled();
    const token = await portalLinkToken(sink, email, linkPath());
    await db.query(`UPDATE client_portal_accounts SET disabled_at = now() WHERE id = $1`, [accountId]);
    const refused = await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token }).expect(410);
    expect(portalCookieOf(refused)).toBe('');
    const { rows } = await db.query(`SELECT used_at FROM client_portal_tokens WHERE token_hash = $1`, [sha256(token)]);
    expect(rows).toEqual([{ used_at: null }]);
  });

  it('the same 202 and body for an unknown address, a disabled account and an unknown studio; no email is sent', async () => {
    const known = await insertPortalAccount(db);
    const disabled = await insertPortalAccount(db, { disabled: true });
    const answers = [await request(known.email), await request('nobody@band.test'), await request(disabled.email), await request(known.email, 'no-such-studio')];
    expect(answers.map((r) => [r.status, r.body])).toEqual(Array(4).fill([202, { accepted: true }]));
    await settled();
    expect(sink.messagesTo(known.email)).toHaveLength(1);
    expect(sink.messagesTo('nobody@band.test')).toHaveLength(0);
    expect(sink.messagesTo(disabled.email)).toHaveLength(0);
  });

  it('expires after 15 minutes; a newer link replaces an older one', async () => {
    const { email } = await insertPortalAccount(db);
    await request(email).expect(202);
    await settled();
    const first = await portalLinkToken(sink, email, linkPath());
    await request(email).expect(202);
    await settled();
    const second = await portalLinkToken(sink, email, linkPath(), 1);
    await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token: first }).expect(410);
    const clock = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 16 * 60_000));
    try {
      await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token: second }).expect(410);
    } finally {
      clock.mockRestore();
    }
    // Nothing was spent by the refused attempt, but the link is past its 15 minutes for good.
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_tokens WHERE token_hash = $1 AND used_at IS NULL`, [sha256(second)])).rows[0].n).toBe(1);
  });

  it("a magic link of one studio does not sign in at another studio's slug", async () => {
    const { email } = await insertPortalAccount(db);
    await request(email).expect(202);
    await settled();
    const token = await portalLinkToken(sink, email, linkPath());
    const other = await registerStudio(t, 'Other Magic');
    await t.http().post(`/api/v1/portal/${await slugOf(t, other.organizationId)}/auth/magic-link/verify`).send({ token }).expect(410);
    await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token }).expect(200);
  });
});

describe('portal sign-in rate limits', () => {
  let t: TestApp;
  let slug: string;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PORTAL_AUTH_PER_EMAIL_PER_HOUR: '3', RATE_LIMIT_PORTAL_AUTH_PER_IP_PER_HOUR: '6' });
    const studio = await registerStudio(t, 'Portal Limits');
    slug = await slugOf(t, studio.organizationId);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('magic links per email (known or not): the 4th request for one address in the hour is a 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) await t.http().post(`/api/v1/portal/${slug}/auth/magic-link`).send({ email: 'limited@band.test' }).expect(202);
    const refused = await t.http().post(`/api/v1/portal/${slug}/auth/magic-link`).send({ email: 'LIMITED@band.test' }).expect(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('per IP: across addresses, the requests beyond the hourly budget are 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.http().post(`/api/v1/portal/${slug}/auth/magic-link`).send({ email: `ip-${i}@band.test` })).status);
    // 4 spent by the previous test (four link requests), 2 more allowed, then 429.
    expect(statuses).toEqual([202, 202, 429, 429]);
    await t.http().post(`/api/v1/portal/${slug}/auth/magic-link/verify`).send({ token: 'x'.repeat(43) }).expect(429);
  });
});

/**
 * The portal password login gets the staff login's brute-force rule (LoginThrottle), keyed on the studio
 * and the address: failures count, a success resets them, and an IP the client signed in from before is
 * not held back. Nobody can lock a client out by sending requests for their address.
 */
describe('portal login brute-force limits', () => {
  let t: TestApp;
  let db: pg.Client;
  let slug: string;
  const password = 'portal password 2026';
  const login = (email: string, pw: string, ip: string) => t.http().post(`/api/v1/portal/${slug}/auth/login`).set('x-forwarded-for', ip).send({ email, password: pw });

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '10', RATE_LIMIT_PORTAL_AUTH_PER_EMAIL_PER_HOUR: '10' });
    const studio = await registerStudio(t, 'Portal Lockout');
    db = await connectTenantDatabase(t, studio.organizationId);
    slug = await slugOf(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  it('ten wrong passwords from other IPs slow them down, but the client still gets in from an IP they used before; magic links stay limited per address', async () => {
    const { email } = await insertPortalAccount(db, { passwordHash: await t.app.get(PasswordHasher).hash(password) });
    const home = '192.0.2.41';
    await login(email, password, home).expect(200);

    for (let i = 0; i < 10; i++) await login(email, 'a wrong guess', `203.0.113.${100 + i}`).expect(401);
    const refused = await login(email, 'a wrong guess', '203.0.113.200');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    await login(email, password, '203.0.113.201').expect(429);
    // Not a lockout the attacker can hold against the client: their known IP is let through.
    await login(email, password, home).expect(200);

    // Mail sending keeps its own per-address limit.
    for (let i = 0; i < 10; i++) await t.http().post(`/api/v1/portal/${slug}/auth/magic-link`).set('x-forwarded-for', home).send({ email }).expect(202);
    await t.http().post(`/api/v1/portal/${slug}/auth/magic-link`).set('x-forwarded-for', home).send({ email }).expect(429);
    // ... and spending it locks nobody out of the password login.
    await login(email, password, home).expect(200);
  });
});
