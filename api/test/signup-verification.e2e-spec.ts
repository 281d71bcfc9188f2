import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { UnverifiedStudios } from '../src/auth/unverified-studios.service.js';
import { type OutgoingMail, MailOutbox } from '../src/mail/mail-outbox.service.js';
import { TenantProvisioner } from '../src/tenancy/tenant-provisioner.service.js';
import { LogCapture, settle } from './support/log-capture.js';
import { waitForLockWaiters } from './support/review-fixtures.js';
import { createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

const DAY = 86_400_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Issue 5, sign-up protection: the owner's email is verified by a one-time link; an unverified studio is suspended. */
describe('email verification of the studio owner', () => {
  let t: TestApp;
  let outbox: string;
  const sent: OutgoingMail[] = [];
  const logs = new LogCapture();
  /** What the clean-up told the operator: its log lines of `msg`, with their fields. */
  const logged = async (msg: string) => {
    await settle();
    return logs.lines().filter((l) => l.msg === msg).map(({ level, organizationId, databaseName, err }) => ({ level, organizationId, databaseName, err }));
  };

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'rsm-mail-'));
    t = await createTestApp({ MAIL_OUTBOX_DIR: outbox, LOG_LEVEL: 'info' }, { logDestination: logs });
    const mail = t.app.get(MailOutbox);
    const send = mail.send.bind(mail);
    jest.spyOn(mail, 'send').mockImplementation(async (message) => {
      sent.push(message);
      await send(message);
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  /** The token of the latest verification link sent to `email`. */
  const latestToken = (email: string) => {
    const mail = sent.filter((m) => m.to === email).at(-1);
    const token = mail?.text.match(/\/verify-email\?token=([\w-]+)/)?.[1];
    if (!token) throw new Error(`no verification link sent to ${email}`);
    return token;
  };
  const me = async (cookie: string) => (await t.http().get('/api/v1/auth/me').set('cookie', cookie).expect(200)).body;
  const verify = (token: unknown) => t.http().post('/api/v1/auth/verify-email').send({ token });

  it('sign-up sends a one-time link (logged, and written to the outbox); only its SHA-256 is stored', async () => {
    const studio = await registerStudio(t, 'Verify');
    const mail = sent.filter((m) => m.to === studio.credentials.email);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Verify your email for Recording Studio Manager');
    // No PUBLIC_URL here: the link points at the origin the sign-up came to.
    expect(mail[0].text).toMatch(/http:\/\/127\.0\.0\.1:\d+\/verify-email\?token=[\w-]{43}\b/);

    const token = latestToken(studio.credentials.email);
    const { rows } = await t.control.query(`SELECT token_hash, purpose, expires_at, used_at FROM one_time_tokens WHERE user_id = $1`, [studio.userId]);
    expect(rows).toEqual([{ token_hash: sha256(token), purpose: 'email-verification', expires_at: expect.any(Date), used_at: null }]);
    expect(Math.abs(rows[0].expires_at.getTime() - (Date.now() + 7 * DAY))).toBeLessThan(60_000);

    // Issue 7: the outbox holds .eml files now (see mail.e2e-spec.ts).
    const files = readdirSync(outbox).filter((f) => f.endsWith('-verify-email.eml'));
    const mails = await Promise.all(files.map((f) => simpleParser(readFileSync(join(outbox, f)))));
    const file = mails.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0].address === studio.credentials.email);
    expect(file?.text).toContain(`/verify-email?token=${token}`);
  });

  it('the link verifies the owner once: me shows it, and the studio leaves probation; a second use is a 410 problem', async () => {
    const studio = await registerStudio(t);
    const before = await me(studio.cookie);
    expect(before.verification).toEqual({ emailVerified: false, studioUnverifiedUntil: expect.any(String), studioSuspended: false });
    expect(Math.abs(Date.parse(before.verification.studioUnverifiedUntil) - (Date.now() + 7 * DAY))).toBeLessThan(60_000);

    const token = latestToken(studio.credentials.email);
    await verify(token).expect(204);
    expect((await me(studio.cookie)).verification).toEqual({ emailVerified: true, studioUnverifiedUntil: null, studioSuspended: false });

    const again = await verify(token).expect(410);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 410, type: expect.stringContaining('verification-link-invalid') });
  });

  it('an expired link is a 410 problem and verifies nothing', async () => {
    const studio = await registerStudio(t);
    await t.control.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [studio.userId]);
    await verify(latestToken(studio.credentials.email)).expect(410);
    expect((await me(studio.cookie)).verification.emailVerified).toBe(false);
  });

  it('an unknown token is a 410, a malformed one a 400 validation problem; neither writes anything', async () => {
    const count = async (sql: string) => (await t.control.query(sql)).rows[0].n as number;
    const spent = `SELECT count(*)::int AS n FROM one_time_tokens WHERE used_at IS NOT NULL`;
    const verified = `SELECT count(*)::int AS n FROM users WHERE email_verified_at IS NOT NULL`;
    const before = [await count(spent), await count(verified)];
    await verify('A'.repeat(43)).expect(410);
    for (const bad of ['short', 'x'.repeat(44), 'a b'.padEnd(43, 'c'), 42, null]) {
      const res = await verify(bad).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['token']);
    }
    expect([await count(spent), await count(verified)]).toEqual(before);
  });

  it('resend issues a new link and retires the old one; it needs a session, and a verified user gets a 409', async () => {
    const studio = await registerStudio(t);
    const first = latestToken(studio.credentials.email);
    await t.http().post('/api/v1/auth/verify-email/resend').expect(401);
    await t.http().post('/api/v1/auth/verify-email/resend').set('cookie', studio.cookie).expect(204);
    const second = latestToken(studio.credentials.email);
    expect(second).not.toBe(first);
    await verify(first).expect(410);
    await verify(second).expect(204);
    const res = await t.http().post('/api/v1/auth/verify-email/resend').set('cookie', studio.cookie).expect(409);
    expect(res.body.type).toContain('email-already-verified');
  });

  it('concurrent resends leave exactly one link that works', async () => {
    const studio = await registerStudio(t, 'ResendRace');
    await Promise.all(Array.from({ length: 20 }, () => t.http().post('/api/v1/auth/verify-email/resend').set('cookie', studio.cookie).expect(204)));
    const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM one_time_tokens WHERE user_id = $1 AND used_at IS NULL`, [studio.userId]);
    expect(rows[0].n).toBe(1);
    // The emails can go out in another order than their tokens were saved, so the working link is
    // not necessarily the last one sent: of all 21 links (sign-up + 20 resends), exactly one works.
    const tokens = sent
      .filter((m) => m.to === studio.credentials.email)
      .map((m) => m.text.match(/\/verify-email\?token=([\w-]+)/)?.[1]);
    expect(tokens).toHaveLength(21);
    const statuses: number[] = [];
    for (const token of tokens) statuses.push((await verify(token)).status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 204).every((s) => s === 410)).toBe(true);
  });

  it('past its deadline an unverified studio is suspended: 403 studio-suspended except me, logout and the way out', async () => {
    const studio = await registerStudio(t);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Before' }).expect(201);
    await t.control.query(`UPDATE organizations SET unverified_until = now() - interval '1 second' WHERE id = $1`, [studio.organizationId]);

    for (const attempt of [
      t.http().get('/api/v1/clients').set('cookie', studio.cookie),
      t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'During' }),
    ]) {
      const res = await attempt.expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, type: expect.stringContaining('studio-suspended'), detail: expect.stringMatching(/verif/i) });
    }
    expect((await me(studio.cookie)).verification).toMatchObject({ emailVerified: false, studioSuspended: true });

    // The way out: a new link, opened, lifts the suspension.
    await t.http().post('/api/v1/auth/verify-email/resend').set('cookie', studio.cookie).expect(204);
    await verify(latestToken(studio.credentials.email)).expect(204);
    const list = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['Before']);
    expect((await me(studio.cookie)).verification).toEqual({ emailVerified: true, studioUnverifiedUntil: null, studioSuspended: false });
    await t.http().post('/api/v1/auth/logout').set('cookie', studio.cookie).expect(204);
  });

  it('a suspended studio can still log in and out', async () => {
    const studio = await registerStudio(t);
    await t.control.query(`UPDATE organizations SET unverified_until = now() - interval '1 second' WHERE id = $1`, [studio.organizationId]);
    const login = await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: studio.credentials.password }).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    await t.http().get('/api/v1/clients').set('cookie', cookie).expect(403);
    await t.http().post('/api/v1/auth/logout').set('cookie', cookie).expect(204);
  });

  /** Puts `organizationId` past its deadline and its grace period: the next clean-up drops it. */
  const abandon = (organizationId: string) =>
    t.control.query(`UPDATE organizations SET unverified_until = now() - $2 * interval '1 millisecond' - interval '1 day' WHERE id = $1`, [
      organizationId,
      t.config.signup.unverifiedGraceMs,
    ]);
  const registryStatus = async (organizationId: string) =>
    (await t.control.query(`SELECT status FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0]?.status as string | undefined;

  it('a link opened while its abandoned studio is being dropped says so (410 studio-removed), never "verified"', async () => {
    const studio = await registerStudio(t);
    const token = latestToken(studio.credentials.email);
    await abandon(studio.organizationId);
    const provisioner = t.app.get(TenantProvisioner);
    const drop = provisioner.dropDatabase.bind(provisioner);
    let reached!: () => void;
    const dropping = new Promise<void>((res) => (reached = res));
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const spy = jest.spyOn(provisioner, 'dropDatabase').mockImplementationOnce(async (name) => {
      reached();
      await gate;
      return drop(name);
    });
    try {
      // Between "archived" (committed) and the database's drop:
      const clean = t.app.get(UnverifiedStudios).dropAbandoned();
      await dropping;
      const res = await verify(token);
      expect(res.status).toBe(410);
      expect(res.body.type).toMatch(/studio-removed$/);
      release();
      expect(await clean).toContain(studio.organizationId);
    } finally {
      release();
      spy.mockRestore();
    }
    expect(await registryStatus(studio.organizationId)).toBeUndefined();
  });

  it('a verification that lands while the clean-up waits for the studio row keeps the studio', async () => {
    const studio = await registerStudio(t);
    await abandon(studio.organizationId);
    // The owner's verification holds the organization row; the clean-up found the studio due before it.
    const locker = new pg.Client({ connectionString: t.config.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`UPDATE organizations SET unverified_until = NULL, suspended_at = NULL WHERE id = $1`, [studio.organizationId]);
      const clean = t.app.get(UnverifiedStudios).dropAbandoned();
      const { rows } = await t.control.query(`SELECT current_database() AS name`);
      await waitForLockWaiters(t, rows[0].name, 1);
      await locker.query('COMMIT');
      expect(await clean).not.toContain(studio.organizationId);
    } finally {
      await locker.end();
    }
    expect(await registryStatus(studio.organizationId)).toBe('ready');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('an abandoned studio without a registry row (its database never made) is removed all the same', async () => {
    const studio = await registerStudio(t);
    await abandon(studio.organizationId);
    await t.control.query(`DELETE FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId]);
    expect(await t.app.get(UnverifiedStudios).dropAbandoned()).toContain(studio.organizationId);
    const { rows } = await t.control.query(`SELECT (SELECT count(*)::int FROM organizations WHERE id = $1) AS studios, (SELECT count(*)::int FROM users WHERE id = $2) AS users`, [
      studio.organizationId,
      studio.userId,
    ]);
    expect(rows[0]).toEqual({ studios: 0, users: 0 });
  });

  it('a link opened after a failed drop does not strand the studio archived: the next clean-up finishes it', async () => {
    const studio = await registerStudio(t);
    const token = latestToken(studio.credentials.email);
    await abandon(studio.organizationId);
    expect(await t.app.get(UnverifiedStudios).suspendOverdue()).toContain(studio.organizationId);
    expect(await logged('Studio suspended: its owner has not verified their email')).toContainEqual({ level: 30, organizationId: studio.organizationId });
    const databaseName = (await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId])).rows[0].database_name;
    const spy = jest.spyOn(t.app.get(TenantProvisioner), 'dropDatabase').mockRejectedValueOnce(new Error('injected drop failure'));
    try {
      expect(await t.app.get(UnverifiedStudios).dropAbandoned()).not.toContain(studio.organizationId);
    } finally {
      spy.mockRestore();
    }
    expect(await logged('Could not drop an abandoned studio; will retry')).toEqual([
      { level: 50, organizationId: studio.organizationId, err: 'Error: injected drop failure' },
    ]);
    expect(await registryStatus(studio.organizationId)).toBe('archived');
    const res = await verify(token);
    expect(res.status).toBe(410);
    expect(res.body.type).toMatch(/studio-removed$/);
    expect(await t.app.get(UnverifiedStudios).dropAbandoned()).toContain(studio.organizationId);
    expect(await registryStatus(studio.organizationId)).toBeUndefined();
    expect(await logged('Dropped a studio whose owner never verified their email')).toContainEqual({ level: 30, organizationId: studio.organizationId, databaseName });
  });
});

describe('verification links with PUBLIC_URL', () => {
  let t: TestApp;
  const sent: OutgoingMail[] = [];
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://app.studio.test/' });
    jest.spyOn(t.app.get(MailOutbox), 'send').mockImplementation(async (m) => void sent.push(m));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('point at the configured origin, whatever Host the request named', async () => {
    await t.http().post('/api/v1/auth/register').set('host', 'evil.example').send(newStudio()).expect(201);
    expect(sent.at(-1)?.text).toMatch(/^https:\/\/app\.studio\.test\/verify-email\?token=[\w-]{43}$/m);
  });
});
