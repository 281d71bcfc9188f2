import type { Response } from 'supertest';
import { AccountPasswords } from '../src/auth/account-passwords.service.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const RESET = '/api/v1/auth/password-reset';
const CONFIRM = '/api/v1/auth/password-reset/confirm';
const CHANGE = '/api/v1/auth/password';

function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, type: 'https://rsm.dev/problems/rate-limited' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(res.headers['ratelimit-remaining']).toBe('0');
}

/**
 * Issue 7, accounts-mail: the password routes' limits (the issue 5 mechanism: named route limits
 * per IP or user, and a per-address limit on reset requests). TRUST_PROXY=1 lets the tests speak
 * from several client IPs through X-Forwarded-For.
 */
describe('password route limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: '1',
      RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR: '2',
      RATE_LIMIT_PASSWORD_RESET_PER_EMAIL_PER_HOUR: '2',
      RATE_LIMIT_PASSWORD_RESET_CONFIRM_PER_IP_PER_HOUR: '2',
      RATE_LIMIT_PASSWORD_CHANGE_PER_USER_PER_HOUR: '2',
    });
  });
  afterAll(() => t.close());

  const reset = (email: string, ip: string) => t.http().post(RESET).set('x-forwarded-for', ip).send({ email });
  const resetTokens = async () => (await t.control.query(`SELECT count(*)::int AS n FROM one_time_tokens WHERE purpose = 'password-reset'`)).rows[0].n as number;

  it('reset requests per client IP: over the limit a 429 with Retry-After; another IP is unaffected', async () => {
    expect((await reset('a1@limits.test', '198.51.100.1')).status).toBe(202);
    expect((await reset('a2@limits.test', '198.51.100.1')).status).toBe(202);
    expectRateLimited(await reset('a3@limits.test', '198.51.100.1'));
    expect((await reset('a4@limits.test', '198.51.100.2')).status).toBe(202);
  });

  it('reset requests per address, from any IP and in any case; a refused one issues no token', async () => {
    const studio = await registerStudio(t, 'Limited');
    const { email } = studio.credentials;
    expect((await reset(email, '198.51.100.11')).status).toBe(202);
    expect((await reset(email.toUpperCase(), '198.51.100.12')).status).toBe(202);
    await t.app.get(AccountPasswords).settled();
    const before = await resetTokens();
    expectRateLimited(await reset(email, '198.51.100.13'));
    await t.app.get(AccountPasswords).settled();
    expect(await resetTokens()).toBe(before);
    // An address without an account is limited after the same number: a 429 tells nothing.
    expect((await reset('nobody@limits.test', '198.51.100.14')).status).toBe(202);
    expect((await reset('nobody@limits.test', '198.51.100.15')).status).toBe(202);
    expectRateLimited(await reset('nobody@limits.test', '198.51.100.16'));
  });

  it('confirmations per client IP: guessing tokens is limited', async () => {
    const guess = (ip: string) => t.http().post(CONFIRM).set('x-forwarded-for', ip).send({ token: 'A'.repeat(43), password: 'a brand new passphrase' });
    expect((await guess('198.51.100.21')).status).toBe(410);
    expect((await guess('198.51.100.21')).status).toBe(410);
    expectRateLimited(await guess('198.51.100.21'));
    expect((await guess('198.51.100.22')).status).toBe(410);
  });

  it('password changes per user: a stolen session cannot guess the current password at leisure', async () => {
    const studio = await registerStudio(t, 'ChangeLimit');
    const change = (currentPassword: string) =>
      t.http().post(CHANGE).set('cookie', studio.cookie).set('x-forwarded-for', '198.51.100.31').send({ currentPassword, newPassword: 'a changed passphrase' });
    expect((await change('guess number one')).status).toBe(400);
    expect((await change('guess number two')).status).toBe(400);
    const refused = await change(studio.credentials.password);
    expectRateLimited(refused);
    await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: studio.credentials.password }).expect(200);
  });
});
