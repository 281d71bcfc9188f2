import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { AccountPasswords } from '../src/auth/account-passwords.service.js';
import { LogCapture, settle } from './support/log-capture.js';
import { linkIn, SmtpSink } from './support/smtp-sink.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 7, accounts-mail: the mail transport (SMTP, or .eml files in the outbox) and what its log
 * lines carry in development. nestjs-pino keeps one logger per process, made by the first app: the
 * app whose logs are read is created first (production logs: mail-production-logs.e2e-spec.ts).
 */
describe('email', () => {
  // Given to the file's first app; every later app of the file logs here too (LogCapture).
  const logs = new LogCapture();

  describe('without SMTP_URL: .eml files in the outbox, links in the development log', () => {
    let t: TestApp;
    let outbox: string;
    beforeAll(async () => {
      outbox = mkdtempSync(join(tmpdir(), 'rsm-mail-'));
      t = await createTestApp({ MAIL_OUTBOX_DIR: outbox, LOG_LEVEL: 'info' }, { logDestination: logs });
    });
    afterAll(async () => {
      await t?.close();
      rmSync(outbox, { recursive: true, force: true });
    });

    it('writes each message as an .eml file a mail client (or mailparser) opens, and logs its links', async () => {
      const studio = await registerStudio(t, 'Outbox');
      const file = readdirSync(outbox).find((f) => f.endsWith('-verify-email.eml'))!;
      const mail = await simpleParser(readFileSync(join(outbox, file)));
      expect(mail.to).toMatchObject({ value: [{ address: studio.credentials.email }] });
      const link = linkIn(mail, '/verify-email');
      await settle();
      const line = logs.lines().find((l) => (l.mail as { kind?: string } | undefined)?.kind === 'verify-email');
      expect(line?.mail).toEqual({ kind: 'verify-email', to: studio.credentials.email, subject: mail.subject, links: [link.href], via: 'outbox' });
    });

    it('names each file by its kind: a reset link, then the notice that the password changed', async () => {
      const studio = await registerStudio(t, 'Kinds');
      const { email, password } = studio.credentials;
      await t.http().post('/api/v1/auth/password-reset').send({ email }).expect(202);
      await t.app.get(AccountPasswords).settled();
      await t.http().post('/api/v1/auth/password').set('cookie', studio.cookie).send({ currentPassword: password, newPassword: 'a changed passphrase' }).expect(204);
      await t.app.get(AccountPasswords).settled();
      const kinds = readdirSync(outbox).map((f) => f.match(/-([a-z-]+)\.eml$/)?.[1]).filter((kind) => kind !== 'verify-email');
      expect(kinds.sort()).toEqual(['password-changed', 'password-reset']);
    });
  });

  describe('over SMTP', () => {
    let t: TestApp;
    let sink: SmtpSink;
    beforeAll(async () => {
      sink = await SmtpSink.start();
      t = await createTestApp({ SMTP_URL: sink.url });
    });
    afterAll(async () => {
      await t?.close();
      await sink.close();
    });

    it('sign-up sends the verification email in the studio’s name; its link verifies the owner', async () => {
      const studio = await registerStudio(t, 'Smtp');
      const mail = await sink.waitFor(studio.credentials.email);
      expect(mail.subject).toBe('Verify your email for Recording Studio Manager');
      expect(mail.from?.value).toEqual([{ name: studio.body.organization.name, address: 'no-reply@localhost' }]);
      expect(mail.text).toContain(`${studio.body.organization.name}, via Recording Studio Manager`);
      const link = linkIn(mail, '/verify-email');
      expect(mail.html).toContain(`href="${link.href}"`);
      await t.http().post('/api/v1/auth/verify-email').send({ token: link.searchParams.get('token') }).expect(204);
      const me = await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(200);
      expect(me.body.verification.emailVerified).toBe(true);
    });

    it('escapes the studio’s name in the HTML part', async () => {
      const res = await t.http().post('/api/v1/auth/register')
        .send({ studioName: '<img src=x onerror=alert(1)> Studio', name: 'Mallory', email: 'mallory@studio.test', password: 'correct horse battery' }).expect(201);
      const mail = await sink.waitFor('mallory@studio.test');
      expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; Studio, via Recording Studio Manager');
      expect(mail.html).not.toContain('<img');
      expect(mail.from?.value[0].name).toBe(res.body.organization.name);
    });
  });


  describe('when the SMTP server is down', () => {
    let t: TestApp;
    beforeAll(async () => {
      const gone = await SmtpSink.start();
      await gone.close(); // its port now refuses connections
      t = await createTestApp({ SMTP_URL: gone.url });
    });
    afterAll(() => t.close());

    it('sign-up still succeeds (the owner can ask for a new link), a reset request still answers 202 and a change 204; the operator is warned of each', async () => {
      logs.clear();
      const studio = await registerStudio(t, 'NoSmtp');
      await t.http().post('/api/v1/auth/password-reset').send({ email: studio.credentials.email }).expect(202);
      await t.app.get(AccountPasswords).settled();
      await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(200);
      const { password } = studio.credentials;
      await t.http().post('/api/v1/auth/password').set('cookie', studio.cookie).send({ currentPassword: password, newPassword: 'a changed passphrase' }).expect(204);
      await t.app.get(AccountPasswords).settled();
      // Each failure is a warning for the operator, saying which mail and why (not the address or link).
      await settle();
      const warnings = logs.lines().filter((l) => l.level === 40 && /^Could not send/.test(l.msg ?? ''));
      expect(warnings.map((l) => [l.msg, l.err])).toEqual([
        ['Could not send the verification email', expect.objectContaining({ code: expect.stringMatching(/^E[A-Z]+$/) })],
        ['Could not send the password reset email', expect.objectContaining({ code: expect.stringMatching(/^E[A-Z]+$/) })],
        ['Could not send the password changed email', expect.objectContaining({ code: expect.stringMatching(/^E[A-Z]+$/) })],
      ]);
      expect(logs.text()).not.toContain(studio.credentials.email);
    });
  });
});
