import { jest } from '@jest/globals';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { createTestApp, newStudio, type TestApp } from './support/test-app.js';

/** Issue 5, defects 3 and 5: concurrent sign-ups with one studio name, and what a taken email costs. */
describe('sign-up under concurrency and its timing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('24 parallel sign-ups with the same studio name all succeed, each with its own slug', async () => {
    const studioName = 'Race Condition Records';
    const results = await Promise.all(
      Array.from({ length: 24 }, () => t.http().post('/api/v1/auth/register').send({ ...newStudio(), studioName })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(201));
    const slugs = results.map((r) => r.body.organization.slug as string);
    expect(new Set(slugs).size).toBe(24);
    expect(slugs).toContain('race-condition-records');
    const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM organizations WHERE name = $1`, [studioName]);
    expect(rows[0].n).toBe(24);
  });

  it('a taken email costs the same password hash as a new one before the 409', async () => {
    const first = newStudio();
    await t.http().post('/api/v1/auth/register').send(first).expect(201);
    const hash = jest.spyOn(t.app.get(PasswordHasher), 'hash');
    try {
      await t.http().post('/api/v1/auth/register').send({ ...newStudio(), email: first.email }).expect(409);
      expect(hash).toHaveBeenCalledTimes(1);
    } finally {
      hash.mockRestore();
    }
  });
});
