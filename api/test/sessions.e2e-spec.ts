import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock.js';
import { CONTROL_DATA_SOURCE } from '../src/control/control-database.js';
import { SessionClients1764650000000 } from '../src/control/migrations/1764650000000-SessionClients.js';
import { invitationTokenFor } from './support/invite-mail.js';
import { SmtpSink } from './support/smtp-sink.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const SESSIONS = '/api/v1/auth/sessions';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const HOUR = 3_600_000;
const cookieOf = (res: { headers: Record<string, unknown> }) => (res.headers['set-cookie'] as string[])[0].split(';')[0];

/** Issue 7, accounts-mail: the user's sessions (OWASP ASVS 5.0 V7), rotation, idle and absolute expiry. */
describe('sessions', () => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({
      TRUST_PROXY: '1',
      SESSION_IDLE_TIMEOUT_MINUTES: String(12 * 60),
      SESSION_ABSOLUTE_TIMEOUT_HOURS: String(7 * 24),
      SMTP_URL: sink.url,
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  const login = (credentials: { email: string; password: string }, userAgent = CHROME_MAC, ip = '203.0.113.7', cookie?: string) => {
    const req = t.http().post('/api/v1/auth/login').set('user-agent', userAgent).set('x-forwarded-for', ip);
    return (cookie ? req.set('cookie', cookie) : req).send({ email: credentials.email, password: credentials.password }).expect(200).then(cookieOf);
  };
  const me = (cookie: string) => t.http().get('/api/v1/auth/me').set('cookie', cookie);
  const list = async (cookie: string) => (await t.http().get(SESSIONS).set('cookie', cookie).expect(200)).body.items as Array<Record<string, unknown>>;
  const sessionCount = async () => (await t.control.query(`SELECT count(*)::int AS n FROM sessions`)).rows[0].n as number;
  /** The studio's audit entries of `action`, newest first (the owner's session reads them). */
  const audited = async (cookie: string, action: string) =>
    (await t.http().get(`/api/v1/audit?action=${action}`).set('cookie', cookie).expect(200)).body.items as Array<Record<string, unknown>>;

  it('lists the signed-in user’s sessions: device, IP, started, last seen, and which is this one', async () => {
    const studio = await registerStudio(t, 'List');
    const laptop = await login(studio.credentials, CHROME_MAC, '203.0.113.7');
    await login(studio.credentials, SAFARI_IPHONE, '2001:db8::42');
    const items = await list(laptop);
    expect(items).toHaveLength(3); // sign-up, laptop, phone
    expect(items[0]).toEqual({
      id: expect.any(String), current: false, summary: 'Mobile Safari 17 on iOS 17.5', browser: 'Mobile Safari 17', os: 'iOS 17.5',
      deviceType: 'mobile', userAgent: SAFARI_IPHONE, ipAddress: '2001:db8::42', createdAt: expect.any(String), lastSeenAt: expect.any(String),
    });
    expect(items[1]).toMatchObject({ current: true, summary: 'Chrome 131 on macOS 10.15.7', deviceType: 'desktop', ipAddress: '203.0.113.7' });
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(Date.parse(items[1].createdAt as string)).toBeGreaterThan(Date.now() - 60_000);
    // Another user's sessions never show.
    const other = await registerStudio(t, 'ListOther');
    expect(await list(other.cookie)).toHaveLength(1);
  });

  it('ends one session of the caller; another user’s session or an unknown id is a 404 and ends nothing', async () => {
    const studio = await registerStudio(t, 'End');
    const phone = await login(studio.credentials, SAFARI_IPHONE);
    const phoneId = (await list(phone)).find((s) => s.current)!.id as string;
    const other = await registerStudio(t, 'EndOther');
    const before = await sessionCount();

    for (const id of [phoneId, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.http().delete(`${SESSIONS}/${id}`).set('cookie', other.cookie).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const bad = await t.http().delete(`${SESSIONS}/not-a-uuid`).set('cookie', studio.cookie).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
    await t.http().delete(`${SESSIONS}/${phoneId}`).expect(401);
    expect(await sessionCount()).toBe(before);
    await me(phone).expect(200);
    expect(await audited(studio.cookie, 'session.ended')).toEqual([]);

    await t.http().delete(`${SESSIONS}/${phoneId}`).set('cookie', studio.cookie).set('x-forwarded-for', '198.51.100.4').expect(204);
    await me(phone).expect(401);
    await me(studio.cookie).expect(200);
    // In the audit log of the session's studio: the user ended it, from where.
    expect(await audited(studio.cookie, 'session.ended')).toEqual([
      expect.objectContaining({
        actor: { type: 'user', id: studio.userId, label: studio.credentials.email },
        target: { type: 'session', id: phoneId },
        ip: '198.51.100.4',
        details: { current: false },
      }),
    ]);
    expect(await audited(other.cookie, 'session.ended')).toEqual([]);
  });

  it('ending the current session is a logout: the cookie is cleared', async () => {
    const studio = await registerStudio(t, 'EndCurrent');
    const id = (await list(studio.cookie))[0].id as string;
    const res = await t.http().delete(`${SESSIONS}/${id}`).set('cookie', studio.cookie).expect(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^rsm_session=;.*Expires=Thu, 01 Jan 1970/);
    await me(studio.cookie).expect(401);
  });

  it('"sign out everywhere else" ends every other session of the user and keeps this one', async () => {
    const studio = await registerStudio(t, 'Others');
    const phone = await login(studio.credentials, SAFARI_IPHONE);
    const tablet = await login(studio.credentials, 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X)');
    const bystander = await registerStudio(t, 'Bystander');
    await t.http().post(`${SESSIONS}/sign-out-others`).set('cookie', phone).expect(204);
    await me(phone).expect(200);
    await me(studio.cookie).expect(401);
    await me(tablet).expect(401);
    await me(bystander.cookie).expect(200);
    expect((await list(phone)).map((s) => s.current)).toEqual([true]);
    expect(await audited(phone, 'session.others_signed_out')).toEqual([
      expect.objectContaining({ actor: { type: 'user', id: studio.userId, label: studio.credentials.email }, target: { type: 'user', id: studio.userId } }),
    ]);
    expect(await audited(bystander.cookie, 'session.others_signed_out')).toEqual([]);
  });

  it('sessions started by accepting an invitation or switching studio record device and IP like a sign-in', async () => {
    const inviter = await registerStudio(t, 'InviteClient');
    const invitee = `invitee-${Date.now().toString(36)}@sessions.test`;
    await t.http().post('/api/v1/invites').set('cookie', inviter.cookie).send({ email: invitee, role: 'viewer' }).expect(201);
    const accepted = await t
      .http()
      .post('/api/v1/invites/accept')
      .set('user-agent', SAFARI_IPHONE)
      .set('x-forwarded-for', '2001:db8::77')
      .send({ token: await invitationTokenFor(sink, invitee), name: 'Invitee', password: 'a long enough password' })
      .expect(200);
    const joined = cookieOf(accepted);
    expect((await list(joined)).find((s) => s.current)).toMatchObject({ summary: 'Mobile Safari 17 on iOS 17.5', userAgent: SAFARI_IPHONE, ipAddress: '2001:db8::77' });

    // The owner of a second studio is invited into the first and switches to it from a laptop.
    const traveller = await registerStudio(t, 'SwitchClient');
    await t.http().post('/api/v1/invites').set('cookie', inviter.cookie).send({ email: traveller.credentials.email, role: 'engineer' }).expect(201);
    const token = await invitationTokenFor(sink, traveller.credentials.email);
    await t.http().post('/api/v1/invites/accept').send({ token, password: traveller.credentials.password }).expect(200);
    const switched = await t
      .http()
      .post('/api/v1/auth/switch')
      .set('cookie', traveller.cookie)
      .set('user-agent', CHROME_MAC)
      .set('x-forwarded-for', '203.0.113.99')
      .send({ organizationId: inviter.organizationId })
      .expect(200);
    expect((await list(cookieOf(switched))).find((s) => s.current)).toMatchObject({ summary: 'Chrome 131 on macOS 10.15.7', userAgent: CHROME_MAC, ipAddress: '203.0.113.99' });
  });

  it('login rotates the session: the token sent along is dead afterwards', async () => {
    const studio = await registerStudio(t, 'Rotate');
    const next = await login(studio.credentials, CHROME_MAC, '203.0.113.7', studio.cookie);
    expect(next).not.toBe(studio.cookie);
    await me(studio.cookie).expect(401);
    await me(next).expect(200);
  });

  it('logout ends the session', async () => {
    const studio = await registerStudio(t, 'Logout');
    await t.http().post('/api/v1/auth/logout').set('cookie', studio.cookie).expect(204);
    await me(studio.cookie).expect(401);
  });

  describe('expiry, on a controllable clock', () => {
    const moveClockTo = (at: number) => jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(at));

    it('idle: a session unused for longer than the idle timeout is dead; use keeps it alive', async () => {
      const studio = await registerStudio(t, 'Idle');
      const start = Date.now();
      moveClockTo(start + 11 * HOUR);
      await me(studio.cookie).expect(200); // used: the idle window starts again
      moveClockTo(start + 22 * HOUR);
      await me(studio.cookie).expect(200);
      moveClockTo(start + 34 * HOUR + 60_000);
      await me(studio.cookie).expect(401);
      await t.http().get(SESSIONS).set('cookie', studio.cookie).expect(401);
    });

    it('absolute: even a session in constant use ends after the absolute timeout', async () => {
      const studio = await registerStudio(t, 'Absolute');
      const start = Date.now();
      let at = start;
      while (at + 11 * HOUR < start + 7 * 24 * HOUR) {
        at += 11 * HOUR;
        moveClockTo(at);
        await me(studio.cookie).expect(200);
      }
      moveClockTo(start + 7 * 24 * HOUR + 60_000);
      await me(studio.cookie).expect(401);
    });

    it('expired sessions are not listed', async () => {
      const studio = await registerStudio(t, 'ListExpired');
      const fresh = await login(studio.credentials);
      await t.control.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1 AND token_hash <> encode(sha256($2::bytea), 'hex')`, [studio.userId, fresh.split('=')[1]]);
      expect((await list(fresh)).map((s) => s.current)).toEqual([true]);
    });
  });

  it('the session columns migration can be reverted and applied again', async () => {
    const runner = t.app.get<DataSource>(CONTROL_DATA_SOURCE).createQueryRunner();
    const migration = new SessionClients1764650000000();
    const columns = async () =>
      (await t.control.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'sessions' AND column_name IN ('user_agent', 'ip_address') ORDER BY 1`)).rows.map((r) => r.column_name);
    try {
      await migration.down(runner);
      expect(await columns()).toEqual([]);
      await migration.up(runner);
      expect(await columns()).toEqual(['ip_address', 'user_agent']);
    } finally {
      await runner.release();
    }
  });
});
