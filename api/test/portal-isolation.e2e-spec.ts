import type pg from 'pg';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { insertInvoice } from './support/document-fixtures.js';
import { insertPortalAccount, insertPortalSession, PORTAL_COOKIE, portalCookieOf, slugOf } from './support/portal-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portal: a portal client sees only their own client's rows, in their own studio, through the
 * portal cookie only. Another client of the same studio → 404; another studio (even where the same
 * address has an account) → 404/401; a staff route with a portal cookie → 401; a portal route with a
 * staff cookie or an API key → 401; studio A's portal cookie under studio B's slug → 401.
 */
describe('portal isolation', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let aDb: pg.Client;
  let bDb: pg.Client;
  let aSlug: string;
  let bSlug: string;
  const email = 'same.person@band.test';
  const line = [{ description: 'Session', quantity: '1', unitPriceMinor: 12_000, taxRatePercent: '0' }];
  let mine: { clientId: string; accountId: string; invoiceId: string; draftId: string; cookie: string };
  let neighbour: { invoiceId: string };
  let elsewhere: { invoiceId: string };

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerStudio(t, 'Isolation A');
    b = await registerStudio(t, 'Isolation B');
    aDb = await connectTenantDatabase(t, a.organizationId);
    bDb = await connectTenantDatabase(t, b.organizationId);
    [aSlug, bSlug] = [await slugOf(t, a.organizationId), await slugOf(t, b.organizationId)];
    const hasher = t.app.get(PasswordHasher);
    const own = await insertPortalAccount(aDb, { email, passwordHash: await hasher.hash('password in studio A') });
    const invoiceId = await insertInvoice(aDb, { clientId: own.clientId, number: 'A-0001', issueDate: '2031-01-10', lines: line });
    const draftId = await insertInvoice(aDb, { clientId: own.clientId, issueDate: '2031-01-11', lines: line });
    const login = await t.http().post(`/api/v1/portal/${aSlug}/auth/login`).send({ email, password: 'password in studio A' }).expect(200);
    mine = { ...own, invoiceId, draftId, cookie: portalCookieOf(login) };
    const other = await insertPortalAccount(aDb, { clientName: 'Neighbour Band' });
    neighbour = { invoiceId: await insertInvoice(aDb, { clientId: other.clientId, number: 'A-0002', issueDate: '2031-01-12', lines: line }) };
    const inB = await insertPortalAccount(bDb, { email, passwordHash: await hasher.hash('password in studio B') });
    elsewhere = { invoiceId: await insertInvoice(bDb, { clientId: inB.clientId, number: 'B-0001', issueDate: '2031-01-10', lines: line }) };
  });
  afterAll(async () => {
    await aDb.end();
    await bDb.end();
    await t?.close();
  });

  it("lists only the client's own issued invoices, with what is due", async () => {
    const res = await t.http().get('/api/v1/portal/invoices').set('cookie', mine.cookie).expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([mine.invoiceId]);
    expect(res.body.balances).toEqual([{ currency: 'EUR', balanceMinor: 12_000 }]);
    await t.http().get(`/api/v1/portal/invoices/${mine.invoiceId}`).set('cookie', mine.cookie).expect(200);
  });

  it('what is due sums every open invoice of the client, beyond the 500 listed', async () => {
    const many = await insertPortalAccount(aDb, { clientName: 'Many Invoices Band' });
    await aDb.query(
      `INSERT INTO invoices (kind, status, number, client_id, currency, issue_date, due_date, bill_to_name, subtotal_minor, tax_minor, total_minor, balance_minor, finalized_at, sent_at)
       SELECT 'invoice', 'sent', 'BULK-' || g, $1, 'EUR', date '2031-02-01' + g, date '2031-06-01' + g, 'Many Invoices Band', 100, 0, 100, 100, now(), now()
         FROM generate_series(1, 501) AS g`,
      [many.clientId],
    );
    const cookie = await insertPortalSession(aDb, a.organizationId, many.accountId);
    const res = await t.http().get('/api/v1/portal/invoices').set('cookie', cookie).expect(200);
    expect(res.body.items).toHaveLength(500);
    expect(res.body.balances).toEqual([{ currency: 'EUR', balanceMinor: 501 * 100 }]);
  });

  it("another client's invoice of the same studio, a draft, and another studio's invoice are 404 on every route", async () => {
    for (const id of [neighbour.invoiceId, mine.draftId, elsewhere.invoiceId]) {
      for (const [method, path] of [['get', ''], ['get', '/pdf'], ['post', '/checkout']] as const) {
        const res = await t.http()[method](`/api/v1/portal/invoices/${id}${path}`).set('cookie', mine.cookie);
        expect({ id, path, status: res.status }).toEqual({ id, path, status: 404 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect((await aDb.query(`SELECT count(*)::int AS n FROM checkout_sessions`)).rows[0].n).toBe(0);
  });

  it("the same address in another studio is another account: A's password does not open B", async () => {
    await t.http().post(`/api/v1/portal/${bSlug}/auth/login`).send({ email, password: 'password in studio A' }).expect(401);
    const inB = await t.http().post(`/api/v1/portal/${bSlug}/auth/login`).send({ email, password: 'password in studio B' }).expect(200);
    const invoices = await t.http().get('/api/v1/portal/invoices').set('cookie', portalCookieOf(inB)).expect(200);
    expect(invoices.body.items.map((i: { id: string }) => i.id)).toEqual([elsewhere.invoiceId]);
  });

  it("studio A's portal cookie under studio B's slug is no session (401), under A's it is", async () => {
    await t.http().get(`/api/v1/portal/${aSlug}/auth/session`).set('cookie', mine.cookie).expect(200);
    const res = await t.http().get(`/api/v1/portal/${bSlug}/auth/session`).set('cookie', mine.cookie).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("a cookie whose studio id is changed to another studio's names nothing there (401)", async () => {
    const forged = mine.cookie.replace(a.organizationId, b.organizationId);
    expect(forged).not.toBe(mine.cookie);
    await t.http().get('/api/v1/portal/invoices').set('cookie', forged).expect(401);
    await t.http().get('/api/v1/portal/me').set('cookie', `${PORTAL_COOKIE}=not-a-cookie`).expect(401);
  });

  it('a staff route with a portal cookie is 401; a portal route with a staff cookie or an API key is 401', async () => {
    await t.http().get('/api/v1/clients').set('cookie', mine.cookie).expect(401);
    await t.http().get(`/api/v1/invoices/${mine.invoiceId}`).set('cookie', mine.cookie).expect(401);
    await t.http().get('/api/v1/auth/me').set('cookie', mine.cookie).expect(401);
    await t.http().get('/api/v1/portal/invoices').set('cookie', a.cookie).expect(401);
    await t.http().get('/api/v1/portal/me').set('cookie', a.cookie).expect(401);
    const key = (await t.http().post('/api/v1/api-keys').set('cookie', a.cookie).send({ name: 'Portal probe', role: 'owner' }).expect(201)).body.key as string;
    await t.http().get('/api/v1/portal/invoices').set('authorization', `Bearer ${key}`).expect(401);
    // An API key next to a valid portal cookie is refused too: a request says who it is once.
    await t.http().get('/api/v1/portal/invoices').set('cookie', mine.cookie).set('authorization', `Bearer ${key}`).expect(401);
  });

  it('the tenant comes from the cookie only: headers and query parameters naming studio B change nothing', async () => {
    const res = await t.http()
      .get(`/api/v1/portal/invoices`)
      .set('cookie', mine.cookie)
      .set('x-tenant-id', b.organizationId)
      .set('x-organization-id', b.organizationId)
      .expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([mine.invoiceId]);
    const sessionInB = await insertPortalSession(bDb, b.organizationId, (await insertPortalAccount(bDb)).accountId);
    // B's own session works in B, and sees none of A's invoices.
    await t.http().get(`/api/v1/portal/invoices/${mine.invoiceId}`).set('cookie', sessionInB).expect(404);
  });
});
