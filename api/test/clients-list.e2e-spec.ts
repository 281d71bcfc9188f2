import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * Issue 6: the client list sorts by name or date added, both ways, with a keyset cursor that
 * remembers its sort, and says how many clients match in all.
 */
describe('clients list: sort and total', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let tenantDb: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Sorting');
    // Names that tie case-insensitively (id decides), created one request at a time.
    for (const name of ['Delta', 'alpha', 'Echo', 'Charlie', 'echo', 'bravo', 'ECHO', 'Alpha']) {
      await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name, company: name.toLowerCase() === 'echo' ? 'Echo Label' : null }).expect(201);
    }
    // Rows added in one statement share created_at to the microsecond: ties on the date sort.
    tenantDb = new pg.Client({ connectionString: withDatabase(process.env.RSM_TEST_PG_URL!, await tenantDatabaseOf(t, studio.organizationId)) });
    await tenantDb.connect();
    await tenantDb.query(`INSERT INTO clients (name, company) VALUES ('Tie one', 'Echo Label'), ('tie two', NULL), ('Tie three', NULL), ('tie four', NULL)`);
  });
  afterAll(async () => {
    await tenantDb.end();
    await t?.close();
  });

  type Page = { items: Array<{ id: string; name: string }>; nextCursor: string | null; total: number };
  const get = (query: string) => t.http().get(`/api/v1/clients?${query}`).set('cookie', studio.cookie);
  const rowCount = async () => Number((await tenantDb.query('SELECT count(*) FROM clients')).rows[0].count);

  /** Every page of a listing; checks the total is the same on each. */
  async function pageAll(query: string, limit: number): Promise<{ ids: string[]; totals: number[]; pages: number }> {
    const ids: string[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: Page } = await get(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
      ids.push(...res.body.items.map((c) => c.id));
      totals.push(res.body.total);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return { ids, totals, pages };
  }

  /**
   * The expected order, worked out here from the stored keys: lower(name) (names are ASCII words, so
   * every collation agrees) or created_at to the microsecond, then id (uuid order is hex text order).
   */
  async function expectedOrder(sort: string, where = 'true'): Promise<string[]> {
    const { rows } = await tenantDb.query<{ id: string; name: string; created: string }>(
      `SELECT id::text, lower(name) AS name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created FROM clients WHERE ${where}`,
    );
    const key = (r: (typeof rows)[number]) => (sort.endsWith('name') ? r.name : r.created);
    const ascending = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1)).map((r) => r.id);
    return sort.startsWith('-') ? ascending.reverse() : ascending;
  }

  it.each(['name', '-name', 'createdAt', '-createdAt'])('sort=%s pages through every client once, in order, ties broken by id', async (sort) => {
    const expected = await expectedOrder(sort);
    expect(expected).toHaveLength(12);
    for (const limit of [1, 3, 5]) {
      const { ids, totals, pages } = await pageAll(`sort=${sort}`, limit);
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.ceil(12 / limit));
      expect(new Set(totals)).toEqual(new Set([12]));
    }
  });

  it('the ties are real: three names and four creation times are shared', async () => {
    const names = await tenantDb.query(`SELECT count(*)::int AS n FROM clients WHERE lower(name) = 'echo'`);
    const times = await tenantDb.query(`SELECT max(n)::int AS n FROM (SELECT count(*) AS n FROM clients GROUP BY created_at) g`);
    expect([names.rows[0].n, times.rows[0].n]).toEqual([3, 4]);
  });

  it('sorts by name by default, and -name is its exact reverse', async () => {
    const byDefault = (await pageAll('', 4)).ids;
    expect(byDefault).toEqual((await pageAll('sort=name', 4)).ids);
    expect((await pageAll('sort=-name', 4)).ids).toEqual([...byDefault].reverse());
    const first = await get('limit=3').expect(200);
    expect(first.body.items.map((c: { name: string }) => c.name.toLowerCase())).toEqual(['alpha', 'alpha', 'bravo']);
  });

  it('total counts every client matching q, whatever the cursor', async () => {
    const all = await get('limit=2').expect(200);
    expect(all.body.total).toBe(12);
    const second = await get(`limit=2&cursor=${encodeURIComponent(all.body.nextCursor)}`).expect(200);
    expect(second.body.total).toBe(12);

    // "echo" matches three names and one company.
    const echo = await pageAll('q=echo&sort=-createdAt', 1);
    expect(echo.ids).toEqual(await expectedOrder('-createdAt', `name ILIKE '%echo%' OR company ILIKE '%echo%'`));
    expect(echo.ids).toHaveLength(4);
    expect(new Set(echo.totals)).toEqual(new Set([4]));

    expect((await get('q=nothing-like-this').expect(200)).body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('a new client is counted and placed where the sort puts it', async () => {
    const { body: added } = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Bravissimo' }).expect(201);
    try {
      const byName = (await pageAll('sort=name', 5)).ids;
      expect(byName).toEqual(await expectedOrder('name'));
      expect(byName.indexOf(added.id)).toBe(2); // alpha, Alpha, Bravissimo, bravo
      expect((await get('sort=-createdAt&limit=1').expect(200)).body).toMatchObject({ items: [{ id: added.id }], total: 13 });
    } finally {
      await t.http().delete(`/api/v1/clients/${added.id}`).set('cookie', studio.cookie).expect(204);
    }
  });

  it.each(['sort=size', 'sort=NAME', 'sort=%2Bname', 'sort=name,createdAt', 'sort=', 'sort=name&sort=-name', 'sort=created_at'])(
    'refuses ?%s with a 400 problem naming sort, and writes nothing',
    async (query) => {
      const before = await rowCount();
      const res = await get(query).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, type: 'https://rsm.dev/problems/validation' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['sort']);
      expect(await rowCount()).toBe(before);
    },
  );

  it('refuses a cursor from another sort with a 400 problem', async () => {
    const byName = (await get('sort=name&limit=2').expect(200)).body.nextCursor as string;
    const byDate = (await get('sort=createdAt&limit=2').expect(200)).body.nextCursor as string;
    const byDateDesc = (await get('sort=-createdAt&limit=2').expect(200)).body.nextCursor as string;
    for (const query of [
      `sort=createdAt&cursor=${byName}`,
      `sort=-name&cursor=${byName}`,
      `cursor=${byDate}`, // no sort: name
      `sort=createdAt&cursor=${byDateDesc}`,
    ]) {
      const res = await get(query);
      expect([query, res.status, res.headers['content-type']]).toEqual([query, 400, expect.stringMatching(/^application\/problem\+json/)]);
      expect(res.body.errors).toEqual([{ field: 'cursor', messages: [expect.stringMatching(/another sort/)] }]);
    }
    await get(`sort=createdAt&cursor=${byDate}`).expect(200);
  });

  it.each([
    ['a cursor of the old [name, id] shape', ['alpha', '00000000-0000-4000-8000-000000000000']],
    ['an impossible date', ['createdAt', '2026-02-30T10:00:00.000000Z', '00000000-0000-4000-8000-000000000000']],
    ['year 0', ['createdAt', '0000-01-01T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000']],
    ['a date in another format', ['createdAt', '2026-02-03 10:00:00+00', '00000000-0000-4000-8000-000000000000']],
    ['a date without microseconds', ['createdAt', '2026-02-03T10:00:00.000Z', '00000000-0000-4000-8000-000000000000']],
    ['a non-uuid id', ['createdAt', '2026-02-03T10:00:00.000000Z', 'nope']],
    ['a number as the key', ['createdAt', 1770112800, '00000000-0000-4000-8000-000000000000']],
  ])('refuses %s as a 400 problem, not a database error', async (_label, key) => {
    const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
    const res = await get(`sort=createdAt&cursor=${cursor}`).expect(400);
    expect(res.body.errors).toEqual([{ field: 'cursor', messages: ['cursor is not a cursor this API returned'] }]);
  });

  it('accepts a well-formed forged date cursor and continues after it', async () => {
    const cursor = Buffer.from(JSON.stringify(['createdAt', '2000-01-01T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    const res = await get(`sort=createdAt&limit=100&cursor=${cursor}`).expect(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual(await expectedOrder('createdAt'));
  });
});
