import type pg from 'pg';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './test-app.js';

/** HTTP calls on `t` signed in with `cookie`. */
export const signedIn = (t: TestApp, cookie: string) => ({
  post: (url: string, body: unknown) => t.http().post(url).set('cookie', cookie).send(body as object),
  get: (url: string) => t.http().get(url).set('cookie', cookie),
  patch: (url: string, body: unknown) => t.http().patch(url).set('cookie', cookie).send(body as object),
  delete: (url: string) => t.http().delete(url).set('cookie', cookie),
});

/**
 * Issue 9, resources (rooms, equipment): an app, one registered studio with its owner signed in, and a
 * direct connection to the studio's database; set up in beforeAll and closed in afterAll of the
 * describe block that calls it (the block's own beforeAll hooks run after this one).
 */
export function resourceStudio(label: string) {
  const state = {} as { t: TestApp; studio: Awaited<ReturnType<typeof registerStudio>>; tenantDb: pg.Client };
  beforeAll(async () => {
    state.t = await createTestApp();
    state.studio = await registerStudio(state.t, label);
    state.tenantDb = await connectTenantDatabase(state.t, state.studio.organizationId);
  });
  afterAll(async () => {
    await state.tenantDb?.end();
    await state.t?.close();
  });
  const as = (cookie: string) => signedIn(state.t, cookie);
  return {
    get t() {
      return state.t;
    },
    get studio() {
      return state.studio;
    },
    get tenantDb() {
      return state.tenantDb;
    },
    as,
    /** Signed in as the studio's owner. */
    api: () => as(state.studio.cookie),
    /** Every row of `table` and how many audit entries: what a refused request must leave as it was. */
    snapshot: async (table: string) => ({
      rows: (await state.tenantDb.query(`SELECT * FROM ${table} ORDER BY id`)).rows,
      audit: (await state.tenantDb.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n,
    }),
  };
}
