import { jest } from '@jest/globals';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * A login for an unknown email must cost what a wrong password costs, so timing does not tell which
 * emails have accounts: the password hasher runs (against a decoy hash) either way. No timing is
 * asserted (tests never time anything); the hasher's calls are.
 */
describe('login does the same work for an unknown email and a wrong password', () => {
  let t: TestApp;
  let hasher: PasswordHasher;
  beforeAll(async () => {
    t = await createTestApp();
    hasher = t.app.get(PasswordHasher);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('verifies a password (against a real argon2id decoy) for an unknown email, and for a wrong one', async () => {
    const studio = await registerStudio(t, 'Timing');
    const verify = jest.spyOn(hasher, 'verify');
    try {
      await t.http().post('/api/v1/auth/login').send({ email: 'nobody-here@studio.test', password: 'whatever password' }).expect(401);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0]).toEqual([undefined, 'whatever password']);
      await expect(verify.mock.results[0].value).resolves.toBe(false);

      await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: 'wrong password!' }).expect(401);
      expect(verify).toHaveBeenCalledTimes(2);
      expect(verify.mock.calls[1][0]).toMatch(/^\$argon2id\$/);
    } finally {
      verify.mockRestore();
    }
  });

  it('the decoy is a real argon2id hash of the same cost as a user\'s, so the unknown-email path does the full work', async () => {
    const decoy = await (hasher as unknown as { decoy: Promise<string> }).decoy;
    const real = await hasher.hash('some password here');
    const cost = (h: string) => h.split('$')[3];
    expect(decoy).toMatch(/^\$argon2id\$/);
    expect(cost(decoy)).toBe(cost(real));
    await expect(hasher.verify(undefined, 'some password here')).resolves.toBe(false);
  });
});
