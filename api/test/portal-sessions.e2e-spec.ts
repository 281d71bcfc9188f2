import { jest } from '@jest/globals';
import type pg from 'pg';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { Clock } from '../src/common/clock.js';
import { PortalSessions } from '../src/auth/portal-sessions.service.js';
import { insertPortalAccount, insertPortalSession, PORTAL_COOKIE, portalCookieOf, portalLinkToken, sha256, slugOf } from './support/portal-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portal: the original failure (ISSUE-012 of the system this replaces) reproduced and passing.
 * There, a portal login answered 200 but wrote its session "into nowhere", and a session written with
 * psql was never found. Here: a session written with SQL into the studio's database is found by the API,
 * a login's session row is seen at once by a direct SQL read, expired and disabled ones are refused,
 * logout deletes the row, and only hashes of tokens are stored.
 */
describe('portal sessions live in the studio database', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let slug: string;
  const password = 'portal password 2026';

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    studio = await registerStudio(t, 'Portal Sessions');
    db = await connectTenantDatabase(t, studio.organizationId);
    slug = await slugOf(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
    await sink.close();
  });

  const withPassword = async () => insertPortalAccount(db, { passwordHash: await t.app.get(PasswordHasher).hash(password) });

  it('a session written straight into the tenant database with SQL is found by the API', async () => {
    const { accountId, clientId, email } = await insertPortalAccount(db, { clientName: 'Written With SQL' });
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const me = await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(200);
    expect(me.body).toEqual({ studio: { name: studio.credentials.studioName, slug }, client: { id: clientId, name: 'Written With SQL' }, account: { id: accountId, email, name: null } });
  });

  it('a login writes a session row that a direct SQL read sees at once, holding only the hash of the cookie token', async () => {
    const { accountId, email } = await withPassword();
    const res = await t.http().post(`/api/v1/portal/${slug}/auth/login`).set('user-agent', 'Phone Browser').send({ email: email.toUpperCase(), password }).expect(200);
    const cookie = portalCookieOf(res);
    const [, value] = cookie.split('=');
    const [tenant, token] = value.split('.');
    expect(tenant).toBe(studio.organizationId);
    const { rows } = await db.query(`SELECT token_hash, user_agent, expires_at > now() AS live FROM client_portal_sessions WHERE account_id = $1`, [accountId]);
    expect(rows).toEqual([{ token_hash: sha256(token), user_agent: 'Phone Browser', live: true }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE token_hash = $1`, [token])).rows[0].n).toBe(0);
    expect((await db.query(`SELECT last_login_at IS NOT NULL AS seen FROM client_portal_accounts WHERE id = $1`, [accountId])).rows[0].seen).toBe(true);
    // The cookie's own attributes: HttpOnly, SameSite=Lax, scoped to the portal API.
    const header = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${PORTAL_COOKIE}=`))!;
    expect(header).toMatch(/; Path=\/api\/v1\/portal/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(200);
    // A new login replaces the session the browser presented (a fresh token at every sign-in).
    const again = await t.http().post(`/api/v1/portal/${slug}/auth/login`).set('cookie', cookie).send({ email, password }).expect(200);
    expect(portalCookieOf(again)).not.toBe(cookie);
    await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(401);
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE account_id = $1`, [accountId])).rows[0].n).toBe(1);
  });

  it('expired (absolute or idle) sessions and those of disabled accounts are refused', async () => {
    const { accountId } = await insertPortalAccount(db);
    await t.http().get('/api/v1/portal/me').set('cookie', await insertPortalSession(db, studio.organizationId, accountId, { expired: true })).expect(401);
    await t.http().get('/api/v1/portal/me').set('cookie', await insertPortalSession(db, studio.organizationId, accountId, { idleExpired: true })).expect(401);
    const disabled = await insertPortalAccount(db, { disabled: true });
    const res = await t.http().get('/api/v1/portal/me').set('cookie', await insertPortalSession(db, studio.organizationId, disabled.accountId));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('idle expiry moves with use; the absolute expiry does not (the session clock)', async () => {
    const { accountId } = await insertPortalAccount(db);
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const clock = jest.spyOn(t.app.get(Clock), 'now');
    try {
      clock.mockReturnValue(new Date(Date.now() + 30 * 60_000)); // within the hour left (see insertPortalSession)
      await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(200);
      const { rows } = await db.query(`SELECT idle_expires_at > now() + interval '2 hours' AS extended FROM client_portal_sessions WHERE account_id = $1`, [accountId]);
      expect(rows[0].extended).toBe(true);
      clock.mockReturnValue(new Date(Date.now() + 2 * 86_400_000)); // past the absolute expiry (a day)
      await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(401);
    } finally {
      clock.mockRestore();
    }
  });

  it('a client deleted while its session is being read: /portal/me is a 401, not a 500', async () => {
    const { accountId, clientId } = await insertPortalAccount(db, { clientName: 'Deleted Meanwhile' });
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const sessions = t.app.get(PortalSessions);
    const resolve = sessions.resolve.bind(sessions);
    // The session is found, then the client goes (staff delete it) before the handler reads it.
    const spy = jest.spyOn(sessions, 'resolve').mockImplementationOnce(async (value) => {
      const principal = await resolve(value);
      await db.query(`DELETE FROM clients WHERE id = $1`, [clientId]);
      return principal;
    });
    try {
      const res = await t.http().get('/api/v1/portal/me').set('cookie', cookie);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      spy.mockRestore();
    }
    await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(401);
  });

  it('logout deletes the row and clears the cookie; the cookie is then refused', async () => {
    const { accountId } = await insertPortalAccount(db);
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const res = await t.http().post('/api/v1/portal/auth/logout').set('cookie', cookie).expect(204);
    expect((res.headers['set-cookie'] as unknown as string[]).join()).toMatch(new RegExp(`${PORTAL_COOKIE}=;.*Path=/api/v1/portal`));
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE account_id = $1`, [accountId])).rows[0].n).toBe(0);
    await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(401);
  });

  it('logout works while the studio is read-only (subscription lapsed) or suspended: 204 and the session row gone', async () => {
    const other = await registerStudio(t, 'Portal Standing');
    const otherDb = await connectTenantDatabase(t, other.organizationId);
    try {
      for (const standing of [`subscription_status = 'past_due', past_due_since = now() - interval '400 days'`, `suspended_at = now()`]) {
        await t.control.query(`UPDATE organizations SET ${standing} WHERE id = $1`, [other.organizationId]);
        const { accountId } = await insertPortalAccount(otherDb);
        const cookie = await insertPortalSession(otherDb, other.organizationId, accountId);
        await t.http().post('/api/v1/portal/auth/logout').set('cookie', cookie).expect(204);
        expect((await otherDb.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE account_id = $1`, [accountId])).rows[0].n).toBe(0);
      }
    } finally {
      await otherDb.end();
    }
  });

  it('a cross-site logout or checkout is refused by the Origin rule before anything happens', async () => {
    const { accountId } = await insertPortalAccount(db);
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    await t.http().post('/api/v1/portal/auth/logout').set('cookie', cookie).set('origin', 'https://evil.test').set('sec-fetch-site', 'cross-site').expect(403);
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE account_id = $1`, [accountId])).rows[0].n).toBe(1);
  });

  it('staff invite a contact: one-time link by email (hashed at rest), password set through it, signed in; disabling ends the sessions at once', async () => {
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Invited Band' }).expect(201)).body.id as string;
    const email = 'Singer@Invited.test';
    const invited = await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email, name: 'Singer' }).expect(201);
    expect(invited.body).toMatchObject({ clientId: client, email: 'singer@invited.test', name: 'Singer', status: 'invited', lastLoginAt: null });
    const token = await portalLinkToken(sink, 'singer@invited.test', `/portal/${slug}/accept-invite`);
    const stored = (await db.query(`SELECT token_hash, purpose FROM client_portal_tokens WHERE account_id = $1`, [invited.body.id])).rows;
    expect(stored).toEqual([{ token_hash: sha256(token), purpose: 'invite' }]);

    const accepted = await t.http().post(`/api/v1/portal/${slug}/auth/accept-invite`).send({ token, password }).expect(200);
    expect(accepted.body.client).toEqual({ id: client, name: 'Invited Band' });
    const cookie = portalCookieOf(accepted);
    await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(200);
    // The link worked once.
    await t.http().post(`/api/v1/portal/${slug}/auth/accept-invite`).send({ token, password: 'another password 2026' }).expect(410);
    const hash = (await db.query(`SELECT password_hash FROM client_portal_accounts WHERE id = $1`, [invited.body.id])).rows[0].password_hash as string;
    expect(hash).toMatch(/^\$argon2id\$/);
    await t.http().post(`/api/v1/portal/${slug}/auth/login`).send({ email, password }).expect(200);

    const list = await t.http().get(`/api/v1/clients/${client}/portal-accounts`).set('cookie', studio.cookie).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: invited.body.id, status: 'active', lastLoginAt: expect.any(String) })]);

    const disabled = await t.http().post(`/api/v1/clients/${client}/portal-accounts/${invited.body.id}/disable`).set('cookie', studio.cookie).expect(200);
    expect(disabled.body.status).toBe('disabled');
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE account_id = $1`, [invited.body.id])).rows[0].n).toBe(0);
    await t.http().get('/api/v1/portal/me').set('cookie', cookie).expect(401);
    await t.http().post(`/api/v1/portal/${slug}/auth/login`).send({ email, password }).expect(401);
    await t.http().post(`/api/v1/clients/${client}/portal-accounts/${invited.body.id}/enable`).set('cookie', studio.cookie).expect(200);
    await t.http().post(`/api/v1/portal/${slug}/auth/login`).send({ email, password }).expect(200);

    const audit = (await db.query(`SELECT action, actor_type FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`, [invited.body.id])).rows;
    expect(audit).toEqual([
      { action: 'portal_account.invited', actor_type: 'user' },
      { action: 'portal_account.password_set', actor_type: 'portal-account' },
      // Issue 12, portalquotes: every sign-in is recorded (the client page's portal activity): the invitation's, then a login.
      { action: 'portal_account.signed_in', actor_type: 'portal-account' },
      { action: 'portal_account.signed_in', actor_type: 'portal-account' },
      { action: 'portal_account.disabled', actor_type: 'user' },
      { action: 'portal_account.enabled', actor_type: 'user' },
      { action: 'portal_account.signed_in', actor_type: 'portal-account' },
    ]);
  });

  it('accepting an invitation (a new password) ends every other session of the account', async () => {
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Re-invited Band' }).expect(201)).body.id as string;
    const email = 'reinvited@band.test';
    const first = await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email }).expect(201);
    const accountId = first.body.id as string;
    await t.http().post(`/api/v1/portal/${slug}/auth/accept-invite`).send({ token: await portalLinkToken(sink, email, `/portal/${slug}/accept-invite`), password }).expect(200);
    // Sessions elsewhere: one from a login with that password, one written with SQL.
    const loggedIn = portalCookieOf(await t.http().post(`/api/v1/portal/${slug}/auth/login`).send({ email, password }).expect(200));
    const written = await insertPortalSession(db, studio.organizationId, accountId);
    await t.http().get('/api/v1/portal/me').set('cookie', loggedIn).expect(200);
    await t.http().get('/api/v1/portal/me').set('cookie', written).expect(200);

    const seen = sink.messagesTo(email).length;
    await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email }).expect(201);
    const token = await portalLinkToken(sink, email, `/portal/${slug}/accept-invite`, seen);
    const accepted = await t.http().post(`/api/v1/portal/${slug}/auth/accept-invite`).send({ token, password: 'a new password 2026' }).expect(200);

    await t.http().get('/api/v1/portal/me').set('cookie', loggedIn).expect(401);
    await t.http().get('/api/v1/portal/me').set('cookie', written).expect(401);
    await t.http().get('/api/v1/portal/me').set('cookie', portalCookieOf(accepted)).expect(200);
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_sessions WHERE account_id = $1`, [accountId])).rows[0].n).toBe(1);
  });

  it('a refused invitation mail is a 502 mail-not-sent saying the account exists; inviting again sends a link', async () => {
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Mail Down Band' }).expect(201)).body.id as string;
    const email = 'maildown@band.test';
    const hold = sink.holdNext();
    const inviting = t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email }).then((r) => r);
    await hold.arrived;
    hold.refuse();
    const refused = await inviting;
    expect(refused.status).toBe(502);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.type).toBe('https://rsm.dev/problems/mail-not-sent');
    expect(refused.body.detail).toMatch(/account exists.*invitation was not mailed.*again/);
    const list = await t.http().get(`/api/v1/clients/${client}/portal-accounts`).set('cookie', studio.cookie).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ email, status: 'invited' })]);

    const seen = sink.messagesTo(email).length;
    await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email }).expect(201);
    const token = await portalLinkToken(sink, email, `/portal/${slug}/accept-invite`, seen);
    await t.http().post(`/api/v1/portal/${slug}/auth/accept-invite`).send({ token, password }).expect(200);
  });

  it('inviting a disabled account is a 409 portal-account-disabled: nothing mailed, no link issued', async () => {
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Disabled Band' }).expect(201)).body.id as string;
    const email = 'disabled-invite@band.test';
    const account = (await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email }).expect(201)).body.id as string;
    await sink.waitFor(email);
    await t.http().post(`/api/v1/clients/${client}/portal-accounts/${account}/disable`).set('cookie', studio.cookie).expect(200);
    const before = (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1`, [account])).rows[0].n;

    const res = await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email }).expect(409);
    expect(res.body.type).toBe('https://rsm.dev/problems/portal-account-disabled');
    expect(sink.messagesTo(email)).toHaveLength(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM client_portal_tokens WHERE account_id = $1 AND used_at IS NULL`, [account])).rows[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1`, [account])).rows[0].n).toBe(before);
  });

  it('the same address cannot have accounts at two clients of one studio (case-insensitively): 409', async () => {
    const one = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'One' }).expect(201)).body.id;
    const two = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Two' }).expect(201)).body.id;
    await t.http().post(`/api/v1/clients/${one}/portal-invites`).set('cookie', studio.cookie).send({ email: 'shared@band.test' }).expect(201);
    const res = await t.http().post(`/api/v1/clients/${two}/portal-invites`).set('cookie', studio.cookie).send({ email: 'SHARED@band.test' }).expect(409);
    expect(res.body.type).toMatch(/portal-email-taken$/);
  });

  it('concurrent invitations of one client wait for the client row lock: one account, only the latest link works', async () => {
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Concurrent' }).expect(201)).body.id as string;
    const outside = await connectTenantDatabase(t, studio.organizationId);
    try {
      await outside.query('BEGIN');
      await outside.query(`SELECT 1 FROM clients WHERE id = $1 FOR UPDATE`, [client]);
      const invites = [1, 2, 3].map(() => t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email: 'race@band.test' }).then((r) => r));
      // All three are waiting on the lock held here before it is released.
      for (;;) {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await outside.query('COMMIT');
      const results = await Promise.all(invites);
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const live = (await db.query(`SELECT count(*)::int AS n FROM client_portal_tokens WHERE account_id = $1 AND used_at IS NULL`, [results[0].body.id])).rows[0].n;
      expect(live).toBe(1);
    } finally {
      await outside.end();
    }
  });
});
