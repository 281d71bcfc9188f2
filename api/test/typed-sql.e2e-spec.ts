import pg from 'pg';
import type { DataSource } from 'typeorm';
import { withDatabase } from '../src/database/postgres-url.js';
import { TypedSql, typedQuery } from '../src/tenancy/typed-sql.js';
import { createTestApp, registerStudio } from './support/test-app.js';

/**
 * Issue 14, perf: TypedSql runs hot reads as named prepared statements, or unnamed ones when
 * DB_PREPARED_STATEMENTS=false (a pooler that cannot keep them); rows come back mapped, parameters bound.
 */
describe('TypedSql', () => {
  let pool: pg.Pool;
  const ds = () => ({ driver: { master: pool } }) as unknown as DataSource; // a DataSource is only its pg pool here
  const query = typedQuery<readonly [number], { n: number }, number>('typed_sql_test', 'SELECT $1::int + 1 AS n', (row) => row.n);
  const preparedNames = async () => (await pool.query(`SELECT name FROM pg_prepared_statements`)).rows.map((r: { name: string }) => r.name);

  beforeEach(() => {
    // One connection, so the statement prepared by TypedSql is visible to the next query.
    pool = new pg.Pool({ connectionString: withDatabase(process.env.RSM_TEST_PG_URL!, 'postgres'), max: 1 });
  });
  afterEach(async () => {
    await pool.end();
  });

  it('prepared: a named statement on the connection, the rows mapped', async () => {
    const sql = new TypedSql(true);
    expect(await sql.rows(ds(), query, [41])).toEqual([42]);
    expect(await sql.first(ds(), query, [1])).toBe(2);
    expect(await preparedNames()).toEqual([query.name]);
  });

  it('DB_PREPARED_STATEMENTS=false: the same answers, nothing prepared on the connection', async () => {
    const sql = new TypedSql(false);
    expect(await sql.rows(ds(), query, [41])).toEqual([42]);
    expect(await preparedNames()).toEqual([]);
  });

  it('names follow the text: two texts never share a name, the same text always has the same one', () => {
    const again = typedQuery('typed_sql_test', 'SELECT $1::int + 1 AS n');
    const other = typedQuery('typed_sql_test', 'SELECT $1::int + 2 AS n');
    expect(again.name).toBe(query.name);
    expect(other.name).not.toBe(query.name);
  });

  it('a label that is not a short identifier is refused: it becomes part of a statement name PostgreSQL keeps to 63 bytes', () => {
    for (const label of ['', '1st', '_clients', 'clients-list', 'clients list', 'list;', 'a'.repeat(32)]) {
      expect(() => typedQuery(label, 'SELECT 1')).toThrow(`typedQuery: bad label ${label}`);
    }
    const longest = typedQuery('a'.repeat(31), 'SELECT 1');
    expect(longest.name.length).toBeLessThanOrEqual(63);
    expect(typedQuery('Clients_list2', 'SELECT 1').name).toMatch(/^rsm_Clients_list2_[0-9a-f]{12}$/);
  });

  it('a DataSource without a pg pool (not initialized) is refused with the reason, before any query', async () => {
    const uninitialized = { driver: {} } as unknown as DataSource;
    await expect(new TypedSql(true).rows(uninitialized, query, [1])).rejects.toThrow('typed-sql: the DataSource has no pg pool (not initialized, or not postgres)');
  });

  it('the app with DB_PREPARED_STATEMENTS=false signs in and lists clients as usual', async () => {
    const t = await createTestApp({ DB_PREPARED_STATEMENTS: 'false' });
    try {
      expect(t.config.preparedStatements).toBe(false);
      const studio = await registerStudio(t, 'Unprepared');
      await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Ada' }).expect(201);
      const res = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
      expect(res.body).toMatchObject({ items: [{ name: 'Ada' }], nextCursor: null, total: 1 });
    } finally {
      await t?.close();
    }
  });
});
