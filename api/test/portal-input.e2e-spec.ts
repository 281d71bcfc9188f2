import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { insertInvoice } from './support/document-fixtures.js';
import { insertPortalAccount, insertPortalSession, slugOf } from './support/portal-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portal: bad input on every portal endpoint (read from openapi.json: the portal's routes and the
 * staff portal-account routes) is a 400 problem+json that writes nothing — no account, session, link,
 * checkout or audit entry appears.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const spec = JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
const portalOperations = Object.entries(spec.paths)
  .filter(([path]) => path.startsWith('/api/v1/portal/') || /\/portal-(invites|accounts)/.test(path))
  .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, hasBody: op.requestBody !== undefined })));

/** Bodies each endpoint refuses, beside `{}` where a field is required and an unknown field everywhere. */
const BAD_BODIES: Record<string, object[]> = {
  '/api/v1/portal/{studioSlug}/auth/login': [{ email: 'not an email', password: 'x' }, { email: 'a@b.test', password: '' }, { email: 'a@b.test' }],
  '/api/v1/portal/{studioSlug}/auth/magic-link': [{ email: 'not an email' }, { email: 42 }],
  '/api/v1/portal/{studioSlug}/auth/magic-link/verify': [{ token: 'short' }, { token: 'x'.repeat(44) }],
  '/api/v1/portal/{studioSlug}/auth/accept-invite': [{ token: 'x'.repeat(43), password: 'short' }, { token: 'x'.repeat(43), password: 'password1234' }, { token: 'bad', password: 'a long enough password' }],
  '/api/v1/clients/{id}/portal-invites': [{ email: 'not an email' }, { email: 'a@b.test', name: 'x'.repeat(201) }],
  '/api/v1/portal/quotes/{id}/decline': [{ reason: 'x'.repeat(501) }, { reason: 42 }], // issue 12, portalquotes,
  // Issue 12, bookreq (every case: test/booking-requests.e2e-spec.ts).
  '/api/v1/portal/booking-requests': [
    { preferredSlots: [], durationMinutes: 60 },
    { preferredSlots: [{ startsAt: '2020-01-01T10:00:00Z', endsAt: '2020-01-01T12:00:00Z' }], durationMinutes: 60 },
    { preferredSlots: [{ startsAt: '2031-01-01T12:00:00Z', endsAt: '2031-01-01T10:00:00Z' }], durationMinutes: 60 },
    { preferredSlots: [{ startsAt: '2031-01-01T10:00:00Z', endsAt: '2031-01-01T12:00:00Z' }], durationMinutes: 5 },
  ],
};

describe('portal: bad input is a 400 problem that writes nothing', () => {
  let t: TestApp;
  let db: pg.Client;
  let staffCookie: string;
  let portalCookie: string;
  let ids: { slug: string; clientId: string; accountId: string; invoiceId: string };

  beforeAll(async () => {
    t = await createTestApp();
    const studio = await registerStudio(t, 'Portal Input');
    staffCookie = studio.cookie;
    db = await connectTenantDatabase(t, studio.organizationId);
    const { clientId, accountId } = await insertPortalAccount(db);
    const invoiceId = await insertInvoice(db, { clientId, number: 'IN-1', issueDate: '2031-01-01', lines: [{ description: 'x', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
    portalCookie = await insertPortalSession(db, studio.organizationId, accountId);
    ids = { slug: await slugOf(t, studio.organizationId), clientId, accountId, invoiceId };
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  /** Every row a portal endpoint could write. */
  const footprint = async () =>
    (
      await db.query(`SELECT (SELECT count(*) FROM client_portal_accounts)::int AS accounts, (SELECT count(*) FROM client_portal_sessions)::int AS sessions,
                             (SELECT count(*) FROM client_portal_tokens)::int AS tokens, (SELECT count(*) FROM checkout_sessions)::int AS checkouts,
                             (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM booking_requests)::int AS booking_requests,
                             (SELECT string_agg(coalesce(password_hash, '-') || coalesce(disabled_at::text, '-'), ',' ORDER BY id) FROM client_portal_accounts) AS accounts_state`)
    ).rows[0];

  it('covers every portal endpoint in the route table', () => {
    expect(portalOperations.length).toBeGreaterThanOrEqual(15);
  });

  it.each(portalOperations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))('%s', async (_label, { path, method, hasBody }) => {
    const cookie = path.startsWith('/api/v1/portal/') ? portalCookie : staffCookie;
    const real = (p: string) => p.replace('{studioSlug}', ids.slug).replace('{id}', path.includes('/invoices/') ? ids.invoiceId : ids.clientId).replace('{accountId}', ids.accountId);
    const requests: Array<{ url: string; body?: object }> = [];
    // A malformed path parameter (a slug with capitals and punctuation, an id that is no UUID).
    if (path.includes('{')) requests.push({ url: path.replace('{studioSlug}', 'Not_A-Slug!').replace('{id}', 'not-a-uuid').replace('{accountId}', 'not-a-uuid'), body: {} });
    if (path.includes('{accountId}')) requests.push({ url: real(path).replace(ids.accountId, 'not-a-uuid') });
    if (hasBody) {
      requests.push({ url: real(path), body: { unexpected: true } });
      for (const body of BAD_BODIES[path] ?? []) requests.push({ url: real(path), body });
    }
    if (!requests.length) return; // no input to get wrong (GET /portal/me, /portal/invoices: only the cookie)
    const before = await footprint();
    for (const { url, body } of requests) {
      let req = t.http()[method as 'get' | 'post'](url).set('cookie', cookie);
      if (method !== 'get') req = req.send(body ?? {});
      const res = await req;
      // Under a slug that is not the session's studio, the portal session route answers 401 before any validation (the guard decides).
      const expected = path.endsWith('/auth/session') && url.includes('Not_A-Slug') ? 401 : 400;
      expect({ url, body, status: res.status }).toEqual({ url, body, status: expected });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await footprint()).toEqual(before);
  });
});
