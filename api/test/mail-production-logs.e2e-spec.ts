import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountPasswords } from '../src/auth/account-passwords.service.js';
import { LogCapture, settle } from './support/log-capture.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 7, accounts-mail: in production a mail log line carries no link (links hold one-time tokens)
 * and no address. Its own file: nestjs-pino keeps one logger per process, made by the first app.
 */
describe('email log lines', () => {
  describe('in production', () => {
    let t: TestApp;
    let outbox: string;
    const logs = new LogCapture();
    beforeAll(async () => {
      outbox = mkdtempSync(join(tmpdir(), 'rsm-mail-'));
      t = await createTestApp({ NODE_ENV: 'production', PUBLIC_URL: 'https://studio.example', MAIL_OUTBOX_DIR: outbox, LOG_LEVEL: 'info' }, { logDestination: logs });
    });
    afterAll(async () => {
      await t?.close();
      rmSync(outbox, { recursive: true, force: true });
    });

    it('logs only the subject, the kind and the recipient’s domain: no token, no link, no address', async () => {
      const studio = await registerStudio(t, 'Prod');
      await t.http().post('/api/v1/auth/password-reset').send({ email: studio.credentials.email }).expect(202);
      await t.app.get(AccountPasswords).settled();
      await settle();
      const files = readdirSync(outbox).map((f) => readFileSync(join(outbox, f), 'utf8'));
      const tokens = [...new Set(files.flatMap((text) => [...text.replace(/=\r?\n/g, '').matchAll(/token=3D([\w-]{43})/g)].map((m) => m[1])))];
      expect(tokens).toHaveLength(2); // verification and reset
      const lines = logs.lines().filter((l) => l.mail);
      expect(lines.map((l) => l.mail)).toEqual([
        { kind: 'verify-email', toDomain: 'studio.test', subject: 'Verify your email for Recording Studio Manager', via: 'outbox' },
        { kind: 'password-reset', toDomain: 'studio.test', subject: 'Reset your Recording Studio Manager password', via: 'outbox' },
      ]);
      for (const secret of [...tokens, studio.credentials.email, 'https://studio.example/']) expect(logs.text()).not.toContain(secret);
    });
  });
});
