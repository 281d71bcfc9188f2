import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { AccountPasswords } from '../src/auth/account-passwords.service.js';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { CONTROL_DATA_SOURCE } from '../src/control/control-database.js';
import { User } from '../src/control/user.entity.js';
import { waitForLockWaiters } from './support/review-fixtures.js';
import { linkIn, SmtpSink } from './support/smtp-sink.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const RESET = '/api/v1/auth/password-reset';
const CONFIRM = '/api/v1/auth/password-reset/confirm';
const CHANGE = '/api/v1/auth/password';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const cookieOf = (res: { headers: Record<string, unknown> }) => (res.headers['set-cookie'] as string[])[0].split(';')[0];

/** Issue 7, accounts-mail: password reset by email (through a real SMTP server) and password change. */
describe('password reset and change', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let passwords: AccountPasswords;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'no-reply@rsm.test' });
    passwords = t.app.get(AccountPasswords);
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  const login = (email: string, password: string) => t.http().post('/api/v1/auth/login').send({ email, password });
  const me = (cookie: string) => t.http().get('/api/v1/auth/me').set('cookie', cookie);
  /** The studio's audit entries of `action`, newest first. */
  const audited = async (cookie: string, action: string) =>
    (await t.http().get(`/api/v1/audit?action=${action}`).set('cookie', cookie).expect(200)).body.items as Array<Record<string, unknown>>;
  const passwordHashOf = async (userId: string) => (await t.control.query(`SELECT password_hash FROM users WHERE id = $1`, [userId])).rows[0].password_hash as string;
  const count = async (sql: string, params: unknown[] = []) => (await t.control.query(sql, params)).rows[0].n as number;
  const writes = () => Promise.all([
    count(`SELECT count(*)::int AS n FROM one_time_tokens WHERE purpose = 'password-reset'`),
    count(`SELECT count(*)::int AS n FROM one_time_tokens WHERE used_at IS NOT NULL`),
    count(`SELECT count(*)::int AS n FROM sessions`),
    t.control.query(`SELECT string_agg(password_hash, ',' ORDER BY id) AS h FROM users`).then((r) => r.rows[0].h as string),
  ]);

  /** Asks for a reset of `email` and returns the token of the link that arrives over SMTP. */
  const resetToken = async (email: string) => {
    const seen = sink.messagesTo(email).length;
    await t.http().post(RESET).send({ email }).expect(202);
    const mail = await sink.waitFor(email, { seen, subject: /Reset your/ });
    return linkIn(mail, '/reset-password').searchParams.get('token')!;
  };

  it('end to end: the emailed link sets a new password once and ends every session of the user', async () => {
    const studio = await registerStudio(t, 'Reset');
    const { email, password } = studio.credentials;
    const laptop = cookieOf(await login(email, password).expect(200));

    const res = await t.http().post(RESET).send({ email: email.toUpperCase() }).expect(202);
    expect(res.body).toEqual({ detail: 'If an account uses this address, a link to reset its password is on its way.' });
    const mail = await sink.waitFor(email, { subject: /Reset your/ });
    // Sent in the studio's name, from MAIL_FROM, as text and HTML from one layout.
    expect(mail.from?.value).toEqual([{ name: studio.body.organization.name, address: 'no-reply@rsm.test' }]);
    expect(mail.subject).toBe('Reset your Recording Studio Manager password');
    const link = linkIn(mail, '/reset-password');
    expect(link.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mail.html).toContain(`href="${link.href.replace(/&/g, '&amp;')}"`);
    const token = link.searchParams.get('token')!;

    // Only the hash is stored, for an hour.
    const { rows } = await t.control.query(`SELECT token_hash, expires_at FROM one_time_tokens WHERE user_id = $1 AND purpose = 'password-reset'`, [studio.userId]);
    expect(rows).toEqual([{ token_hash: sha256(token), expires_at: expect.any(Date) }]);
    expect(Math.abs(rows[0].expires_at.getTime() - (Date.now() + 3_600_000))).toBeLessThan(60_000);

    await t.http().post(CONFIRM).send({ token, password: 'a brand new passphrase' }).expect(204);
    await me(studio.cookie).expect(401);
    await me(laptop).expect(401);
    await login(email, password).expect(401);
    await login(email, 'a brand new passphrase').expect(200);
    const changed = await sink.waitFor(email, { subject: /password was changed/ });
    expect(linkIn(changed, '/login')).toBeTruthy();

    // The link works once: a second use is a 410 problem and writes nothing.
    const before = await writes();
    const again = await t.http().post(CONFIRM).send({ token, password: 'yet another passphrase' }).expect(410);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      status: 410,
      type: 'https://rsm.dev/problems/reset-link-invalid',
      detail: 'This password reset link has expired or was already used. Ask for a new one.',
    });
    expect(await writes()).toEqual(before);
  });

  it("a reset is in the audit log of every studio of the user, by the user; the studios' API keys keep working", async () => {
    const studio = await registerStudio(t, 'ResetAudit');
    const second = await registerStudio(t, 'ResetAuditSecond');
    const { email } = studio.credentials;
    // The user is an admin of a second studio too (the membership as an invitation would leave it).
    await t.control.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'admin')`, [second.organizationId, studio.userId]);
    const key = (await t.http().post('/api/v1/api-keys').set('cookie', studio.cookie).send({ name: 'Integration', role: 'viewer' }).expect(201)).body.key as string;
    const token = await resetToken(email);
    await t.http().post(CONFIRM).send({ token, password: 'a brand new passphrase' }).expect(204);

    const home = cookieOf(await login(email, 'a brand new passphrase').expect(200));
    const another = cookieOf(await login(email, 'a brand new passphrase').expect(200));
    const elsewhere = cookieOf(await t.http().post('/api/v1/auth/switch').set('cookie', another).send({ organizationId: second.organizationId }).expect(200));
    for (const cookie of [home, elsewhere]) {
      expect(await audited(cookie, 'password.reset')).toEqual([
        expect.objectContaining({ actor: { type: 'user', id: studio.userId, label: email }, target: { type: 'user', id: studio.userId } }),
      ]);
    }
    expect(await audited(second.cookie, 'password.reset')).toHaveLength(1); // the second studio's owner sees it too
    // A used link again: 410, and no second entry.
    await t.http().post(CONFIRM).send({ token, password: 'yet another passphrase' }).expect(410);
    expect(await audited(home, 'password.reset')).toHaveLength(1);
    // API keys belong to the studio, not to a browser session: a reset signs people out, integrations keep running (README "Accounts").
    await t.http().get('/api/v1/clients').set('authorization', `Bearer ${key}`).expect(200);
  });

  it('answers an unknown address exactly like a known one, and writes and sends nothing for it', async () => {
    const studio = await registerStudio(t, 'Known');
    const known = await t.http().post(RESET).send({ email: studio.credentials.email }).expect(202);
    await passwords.settled();
    const before = await writes();
    const sentBefore = sink.received.length;
    const unknown = await t.http().post(RESET).send({ email: 'nobody-here@studio.test' }).expect(202);
    await passwords.settled();
    expect(unknown.body).toEqual(known.body);
    const headerNames = (res: typeof known) => Object.keys(res.headers).filter((h) => h !== 'date').sort();
    expect(headerNames(unknown)).toEqual(headerNames(known));
    expect(await writes()).toEqual(before);
    expect(sink.received.length).toBe(sentBefore);
  });

  it('answers before the address is even looked up, so timing cannot tell whether it has an account', async () => {
    const studio = await registerStudio(t, 'Timing');
    const users = t.app.get<DataSource>(CONTROL_DATA_SOURCE).getRepository(User);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lookup = jest.spyOn(users, 'findOneBy').mockImplementation(async (where) => {
      await held; // the lookup cannot finish until the response has arrived
      lookup.mockRestore();
      return users.findOneBy(where);
    });
    try {
      // Were the answer to wait for the lookup, it would never come: the timeout turns that into a failure.
      await t.http().post(RESET).timeout(5000).send({ email: studio.credentials.email }).expect(202);
    } finally {
      release();
    }
    expect(linkIn(await sink.waitFor(studio.credentials.email, { subject: /Reset your/ }), '/reset-password')).toBeTruthy();
  });

  it('an expired link is a 410 and changes nothing; a newer link replaces an older one', async () => {
    const studio = await registerStudio(t, 'Expired');
    const first = await resetToken(studio.credentials.email);
    const second = await resetToken(studio.credentials.email);
    await t.http().post(CONFIRM).send({ token: first, password: 'a brand new passphrase' }).expect(410);
    await t.control.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [studio.userId]);
    const before = await writes();
    await t.http().post(CONFIRM).send({ token: second, password: 'a brand new passphrase' }).expect(410);
    expect(await writes()).toEqual(before);
    await me(studio.cookie).expect(200);
  });

  it('refuses bad input with a 400 problem that writes nothing (and spends no token)', async () => {
    const studio = await registerStudio(t, 'BadInput');
    const token = await resetToken(studio.credentials.email);
    await passwords.settled();
    const before = await writes();
    const sentBefore = sink.received.length;
    const cases: Array<[string, string, unknown, string[]]> = [
      ['reset: not an email', RESET, { email: 'not-an-email' }, ['email']],
      ['reset: wrong type', RESET, { email: 42 }, ['email']],
      ['reset: unknown field', RESET, { email: studio.credentials.email, admin: true }, ['admin']],
      ['reset: not an object', RESET, ['x'], []],
      ['confirm: malformed token', CONFIRM, { token: 'short', password: 'a brand new passphrase' }, ['token']],
      ['confirm: short password', CONFIRM, { token, password: 'short pass' }, ['password']],
      ['confirm: common password', CONFIRM, { token, password: 'qwerty123456' }, ['password']],
      ['confirm: too long password', CONFIRM, { token, password: 'p'.repeat(201) }, ['password']],
      ['confirm: wrong types', CONFIRM, { token: 1, password: null }, ['password', 'token']],
      ['confirm: unknown field', CONFIRM, { token, password: 'a brand new passphrase', userId: studio.userId }, ['userId']],
    ];
    for (const [name, path, body, fields] of cases) {
      const res = await t.http().post(path).send(body as object);
      expect([name, res.status]).toEqual([name, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    }
    const common = await t.http().post(CONFIRM).send({ token, password: 'QWERTY123456' }).expect(400);
    expect(common.body.errors[0].messages).toEqual(['password is on a list of common passwords; choose another one']);
    await passwords.settled();
    expect(await writes()).toEqual(before);
    expect(sink.received.length).toBe(sentBefore);
    // The token survived every refusal.
    await t.http().post(CONFIRM).send({ token, password: 'a brand new passphrase' }).expect(204);
  });

  it('sign-up refuses a short or common password with a field error', async () => {
    for (const password of ['eleven char', 'password1234', '123456789012']) {
      const res = await t.http().post('/api/v1/auth/register').send({ studioName: 'Weak', name: 'Weak', email: 'weak@studio.test', password }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);
    }
    expect(await count(`SELECT count(*)::int AS n FROM users WHERE email = 'weak@studio.test'`)).toBe(0);
  });

  describe('change (signed in: current + new password)', () => {
    it('sets the new password, keeps this session and ends the others', async () => {
      const studio = await registerStudio(t, 'Change');
      const { email, password } = studio.credentials;
      const phone = cookieOf(await login(email, password).expect(200));
      await t.http().post(CHANGE).set('cookie', studio.cookie).send({ currentPassword: password, newPassword: 'a changed passphrase' }).expect(204);
      await me(studio.cookie).expect(200);
      await me(phone).expect(401);
      await login(email, password).expect(401);
      await login(email, 'a changed passphrase').expect(200);
      expect(linkIn(await sink.waitFor(email, { subject: /password was changed/ }), '/login')).toBeTruthy();
      // In the audit log of the session's studio: who, which account, from where.
      expect(await audited(studio.cookie, 'password.changed')).toEqual([
        expect.objectContaining({ actor: { type: 'user', id: studio.userId, label: email }, target: { type: 'user', id: studio.userId }, ip: expect.any(String) }),
      ]);
    });

    it('needs a session, the right current password and a good new one; refusals write nothing', async () => {
      const studio = await registerStudio(t, 'ChangeBad');
      const { password } = studio.credentials;
      const phone = cookieOf(await login(studio.credentials.email, password).expect(200));
      const hash = await passwordHashOf(studio.userId);
      await t.http().post(CHANGE).send({ currentPassword: password, newPassword: 'a changed passphrase' }).expect(401);
      const wrong = await t.http().post(CHANGE).set('cookie', studio.cookie).send({ currentPassword: 'not my password', newPassword: 'a changed passphrase' }).expect(400);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', messages: ['currentPassword is not your current password'] }]);
      expect(wrong.body.detail).toBe('The current password is incorrect.');
      for (const [body, fields] of [
        [{ currentPassword: password, newPassword: 'short' }, ['newPassword']],
        [{ currentPassword: password, newPassword: 'qwertyuiop123' }, ['newPassword']],
        [{ currentPassword: 5, newPassword: 'a changed passphrase' }, ['currentPassword']],
        [{ currentPassword: password, newPassword: 'a changed passphrase', sessionId: 'x' }, ['sessionId']],
      ] as const) {
        const res = await t.http().post(CHANGE).set('cookie', studio.cookie).send(body).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
      }
      expect(await passwordHashOf(studio.userId)).toBe(hash);
      await me(phone).expect(200);
      expect(await audited(studio.cookie, 'password.changed')).toEqual([]);
    });
  });

  it('a change kills the reset links asked for before it: an old link cannot undo the change', async () => {
    const studio = await registerStudio(t, 'ChangeAfterReset');
    const { email, password } = studio.credentials;
    const token = await resetToken(email);
    await t.http().post(CHANGE).set('cookie', studio.cookie).send({ currentPassword: password, newPassword: 'a changed passphrase' }).expect(204);
    await t.http().post(CONFIRM).send({ token, password: 'the attacker passphrase' }).expect(410);
    await login(email, 'the attacker passphrase').expect(401);
    await login(email, 'a changed passphrase').expect(200);
  });

  it('a change that waited on a concurrent one fails as "wrong current password", and the concurrent one stands', async () => {
    const studio = await registerStudio(t, 'ChangeRace');
    const { email, password } = studio.credentials;
    const concurrentHash = await t.app.get(PasswordHasher).hash('the concurrent passphrase');
    // Another change (or a reset) holds the user's row: it has checked the same current password.
    const locker = new pg.Client({ connectionString: t.config.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [studio.userId]);
      const change = t.http().post(CHANGE).set('cookie', studio.cookie).send({ currentPassword: password, newPassword: 'a changed passphrase' }).then((r) => r);
      const { rows } = await t.control.query(`SELECT current_database() AS name`);
      await waitForLockWaiters(t, rows[0].name, 1);
      await locker.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [studio.userId, concurrentHash]);
      await locker.query('COMMIT');
      const res = await change;
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'currentPassword', messages: ['currentPassword is not your current password'] }]);
    } finally {
      await locker.end();
    }
    expect(await passwordHashOf(studio.userId)).toBe(concurrentHash);
    await login(email, 'a changed passphrase').expect(401);
    await login(email, 'the concurrent passphrase').expect(200);
  });

  it('a cross-site reset request is refused by the Origin rule and sends nothing', async () => {
    const studio = await registerStudio(t, 'CrossSite');
    const sentBefore = sink.messagesTo(studio.credentials.email).length;
    const res = await t.http().post(RESET).set('origin', 'https://evil.example').send({ email: studio.credentials.email }).expect(403);
    expect(res.body.type).toBe('https://rsm.dev/problems/cross-site-request');
    await passwords.settled();
    expect(sink.messagesTo(studio.credentials.email).length).toBe(sentBefore);
  });
});
