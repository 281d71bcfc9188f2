import pg from 'pg';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Read-modify-write under concurrency, and search that means what it says. Each test here was written
 * against a bug planted by hand (see RELIABILITY.md): without the row lock, concurrent PATCHes revert
 * each other's fields; with the transaction's start time as updated_at, a PATCH that waited on the lock
 * stores a time earlier than one already returned; without LIKE escaping, `%` and `_` match everything.
 */
describe('clients: concurrent edits and literal search', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let tenantDb: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Integrity');
    tenantDb = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await tenantDb.end();
    await t?.close();
  });

  const create = async (body: Record<string, unknown>) =>
    (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send(body).expect(201)).body as { id: string; updatedAt: string };
  const patch = (id: string, body: Record<string, unknown>) => t.http().patch(`/api/v1/clients/${id}`).set('cookie', studio.cookie).send(body);

  /** Holds the row lock from outside until the returned function commits (optionally writing first). */
  async function lockRow(id: string) {
    const locker = await connectTenantDatabase(t, studio.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM clients WHERE id = $1 FOR UPDATE', [id]);
    return {
      locker,
      async release() {
        await locker.query('COMMIT');
        await locker.end();
      },
    };
  }
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('five concurrent PATCHes of five different fields, queued on the row lock, all stick', async () => {
    const { id } = await create({ name: 'Before' });
    const lock = await lockRow(id);
    const changes = [{ name: 'After' }, { email: 'after@owls.test' }, { phone: '555 0199' }, { company: 'Owl Records' }, { notes: 'mixed twice' }];
    const pending = changes.map((c) => patch(id, c).then((r) => r));
    await settle(); // every PATCH has read nothing yet: each waits on the lock
    await lock.release();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    const stored = await t.http().get(`/api/v1/clients/${id}`).set('cookie', studio.cookie).expect(200);
    expect(stored.body).toMatchObject(Object.assign({ name: 'After' }, ...changes));
  });

  it('bursts of concurrent PATCHes of different fields lose nothing (10 rounds, no outside lock)', async () => {
    for (let round = 0; round < 10; round++) {
      const { id } = await create({ name: `Round ${round}` });
      const changes = [{ name: `R${round}` }, { email: `r${round}@owls.test` }, { phone: `555 01${round}` }, { company: `Label ${round}` }, { notes: `take ${round}` }];
      const results = await Promise.all(changes.map((c) => patch(id, c).then((r) => r)));
      for (const res of results) expect(res.status).toBe(200);
      const stored = await t.http().get(`/api/v1/clients/${id}`).set('cookie', studio.cookie).expect(200);
      expect(stored.body).toMatchObject(Object.assign({}, ...changes));
    }
  });

  it('updatedAt never goes backwards: a PATCH that waited on the lock is stamped after the write it waited for', async () => {
    const { id } = await create({ name: 'Clock' });
    const lock = await lockRow(id);
    const waiting = patch(id, { notes: 'waited' }).then((r) => r); // its transaction starts now, then waits
    await settle();
    // Another writer (another instance, a job) commits first, stamping the time of its write.
    const { rows } = await lock.locker.query(`UPDATE clients SET company = 'Other writer', updated_at = clock_timestamp() WHERE id = $1 RETURNING updated_at`, [id]);
    const otherWrite = new Date(rows[0].updated_at).getTime();
    await lock.release();
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThanOrEqual(otherWrite);
    expect(res.body.company).toBe('Other writer'); // it also saw the other write's fields
  });

  it('updatedAt increases across a burst of concurrent PATCHes (commit order = time order)', async () => {
    const { id, updatedAt } = await create({ name: 'Burst' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => patch(id, { notes: `n${i}` }).then((r) => r)));
    const stamps = results.map((r) => new Date(r.body.updatedAt).getTime());
    const final = new Date((await t.http().get(`/api/v1/clients/${id}`).set('cookie', studio.cookie).expect(200)).body.updatedAt).getTime();
    expect(Math.min(...stamps)).toBeGreaterThanOrEqual(new Date(updatedAt).getTime());
    expect(final).toBe(Math.max(...stamps)); // the last commit carries the latest time
  });

  describe('search treats LIKE wildcards and the escape character literally', () => {
    beforeAll(async () => {
      for (const name of ['100% Pure', 'snake_case band', 'Back\\slash', 'Plain']) await create({ name });
    });
    const search = async (q: string) =>
      ((await t.http().get(`/api/v1/clients?limit=100&q=${encodeURIComponent(q)}`).set('cookie', studio.cookie).expect(200)).body.items as Array<{ name: string }>).map((c) => c.name);

    it.each([
      ['%', ['100% Pure']],
      ['_', ['snake_case band']],
      ['\\', ['Back\\slash']],
      ['0%', ['100% Pure']],
      ['e_c', ['snake_case band']],
    ])('q=%s finds only its own row', async (q, expected) => {
      expect(await search(q)).toEqual(expected);
    });
  });
});
