import { waitForLockWaiters } from './support/review-fixtures.js';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { line, taxRate } from './support/invoice-fixtures.js';
import { insertPortalAccount, insertPortalSession, portalCookieOf, slugOf } from './support/portal-fixtures.js';
import { quote, quoteRows, send } from './support/quote-fixtures.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './support/test-app.js';

const FUTURE = '2099-12-31';
const problemType = (name: string) => `https://rsm.dev/problems/${name}`;

/**
 * Issue 12, portalquotes: a client's quotes in the portal. Only their own client's quotes once sent;
 * accepting and declining take the staff decision path (row lock, expiry, the invoice or deposit invoice,
 * the outbox event, the audit entry by the portal account); accept and decline at once → one wins.
 * Also the staff side's portal activity and the portal's public branding.
 */
describe('portal quotes', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let vat20: string;
  let mine: { clientId: string; accountId: string; email: string; cookie: string };
  let neighbour: { clientId: string };
  const portal = (method: 'get' | 'post', path: string, cookie = mine.cookie) => t.http()[method](path).set('cookie', cookie);
  const sentQuote = async (clientId: string, extra: Record<string, unknown> = {}) => send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line({ taxRateId: vat20 })], ...extra })).id);

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Portal Quotes');
    other = await bookingStudio(t, 'Portal Quotes Elsewhere');
    vat20 = await taxRate(s.db, { ratePercent: '20', isDefault: true });
    const hasher = t.app.get(PasswordHasher);
    const account = await insertPortalAccount(s.db, { clientName: 'The Owls', email: 'ana@owls.test', passwordHash: await hasher.hash('owls at midnight 2031') });
    const login = await t.http().post(`/api/v1/portal/${await slugOf(t, s.organizationId)}/auth/login`).send({ email: 'ana@owls.test', password: 'owls at midnight 2031' }).expect(200);
    mine = { ...account, cookie: portalCookieOf(login) };
    neighbour = await insertPortalAccount(s.db, { clientName: 'Neighbour Band' });
    // Quotes are mailed when sent: the clients need an address.
    await s.db.query(`UPDATE clients SET email = 'band@clients.test'`);
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  it('lists and shows only the client’s own sent quotes, with the PDF; drafts are not there', async () => {
    const sent = await sentQuote(mine.clientId, { notes: 'Album, 10 songs' });
    const draft = await quote(s, { clientId: mine.clientId, lines: [line()] });
    await sentQuote(neighbour.clientId);
    const list = (await portal('get', '/api/v1/portal/quotes').expect(200)).body;
    expect(list.items.map((q: { id: string }) => q.id)).toEqual([sent.id]);
    expect(list.items[0]).toEqual({ id: sent.id, status: 'sent', number: sent.number, currency: 'EUR', issueDate: sent.issueDate, validUntil: FUTURE, totalMinor: 12000 });
    const detail = (await portal('get', `/api/v1/portal/quotes/${sent.id}`).expect(200)).body;
    expect(detail).toMatchObject({ id: sent.id, notes: 'Album, 10 songs', subtotalMinor: 10000, taxMinor: 2000, deposit: null, acceptedAt: null, lines: [expect.objectContaining({ description: 'Mixing', grossMinor: 12000 })] });
    expect(detail).not.toHaveProperty('client');
    const pdf = await portal('get', `/api/v1/portal/quotes/${sent.id}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await portal('get', `/api/v1/portal/quotes/${draft.id}`).expect(404)).body.type).toBe(problemType('not-found'));
  });

  it("another client's quote, a draft, an unmailed one and another studio's quote are 404 on every route, and nothing is written", async () => {
    const theirs = await sentQuote(neighbour.clientId);
    const draft = await quote(s, { clientId: mine.clientId, lines: [line()] });
    const elsewhereClient = (await other.api.post('/api/v1/clients').send({ name: 'Elsewhere Band', email: 'elsewhere@band.test' }).expect(201)).body.id as string;
    const elsewhere = await send(other, (await quote(other, { clientId: elsewhereClient, validUntil: FUTURE, lines: [line()] })).id);
    // Numbered but its mail refused (or still being mailed): not in the client's hands yet.
    const unmailed = await sentQuote(mine.clientId);
    await s.db.query(`UPDATE quotes SET sent_at = NULL WHERE id = $1`, [unmailed.id]);
    const before = await quoteRows(s.db);
    const otherBefore = await quoteRows(other.db);
    const listed = (await portal('get', '/api/v1/portal/quotes').expect(200)).body.items.map((q: { id: string }) => q.id);
    expect(listed).not.toContain(unmailed.id);
    for (const id of [theirs.id, draft.id, elsewhere.id, unmailed.id]) {
      for (const [method, path] of [['get', ''], ['get', '/pdf'], ['post', '/accept'], ['post', '/decline']] as const) {
        const res = await portal(method, `/api/v1/portal/quotes/${id}${path}`).send(method === 'post' ? {} : undefined);
        expect({ id, path, status: res.status }).toEqual({ id, path, status: 404 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect(await quoteRows(s.db)).toEqual(before);
    expect(await quoteRows(other.db)).toEqual(otherBefore);
  });

  it('bad input is a 400 problem and writes nothing', async () => {
    const q = await sentQuote(mine.clientId);
    const before = await quoteRows(s.db);
    const cases: Array<[string, Record<string, unknown> | undefined]> = [
      [`/api/v1/portal/quotes/not-a-uuid/accept`, undefined],
      [`/api/v1/portal/quotes/not-a-uuid/decline`, {}],
      [`/api/v1/portal/quotes/${q.id}/decline`, { reason: 'x'.repeat(501) }],
      [`/api/v1/portal/quotes/${q.id}/decline`, { reason: 42 }],
      [`/api/v1/portal/quotes/${q.id}/decline`, { reason: 'ok', extra: true }],
    ];
    for (const [path, body] of cases) {
      const res = await portal('post', path).send(body);
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await portal('get', '/api/v1/portal/quotes/not-a-uuid').expect(400)).headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await quoteRows(s.db)).toEqual(before);
  });

  it('accepting makes the invoice draft as staff accept does, with the outbox event and an audit entry by the portal account; staff see it accepted', async () => {
    const q = await sentQuote(mine.clientId);
    const accepted = (await portal('post', `/api/v1/portal/quotes/${q.id}/accept`).expect(200)).body;
    expect(accepted).toMatchObject({ id: q.id, status: 'accepted', acceptedAt: expect.any(String) });
    const staff = (await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body;
    expect(staff).toMatchObject({ status: 'accepted', invoiceId: expect.any(String), invoices: [{ kind: 'invoice', status: 'draft', totalMinor: 12000 }] });
    const invoice = (await s.api.get(`/api/v1/invoices/${staff.invoiceId}`).expect(200)).body;
    expect(invoice).toMatchObject({ kind: 'invoice', status: 'draft', client: { id: mine.clientId }, totalMinor: 12000, lines: [expect.objectContaining({ description: 'Mixing', grossMinor: 12000 })] });
    const events = (await s.db.query(`SELECT type, payload FROM outbox WHERE subject_id = $1 ORDER BY id`, [q.id])).rows;
    expect(events.map((e) => e.type)).toEqual(['quote.sent', 'quote.accepted']);
    expect(events[1].payload).toMatchObject({ invoiceId: staff.invoiceId, portalAccountId: mine.accountId });
    const audit = (await s.db.query(`SELECT action, actor_type, actor_id FROM audit_log WHERE target_id IN ($1, $2) AND actor_type = 'portal-account' ORDER BY occurred_at`, [q.id, staff.invoiceId])).rows;
    expect(audit).toEqual([
      { action: 'invoice.created', actor_type: 'portal-account', actor_id: mine.accountId },
      { action: 'quote.accepted', actor_type: 'portal-account', actor_id: mine.accountId },
    ]);
    expect((await portal('post', `/api/v1/portal/quotes/${q.id}/accept`).expect(409)).body.type).toBe(problemType('quote-already-accepted'));
    expect((await portal('post', `/api/v1/portal/quotes/${q.id}/decline`).send({}).expect(409)).body.type).toBe(problemType('quote-already-accepted'));
  });

  it('a quote asking for a deposit makes the deposit invoice first, as for staff', async () => {
    const q = await sentQuote(mine.clientId, { deposit: { percent: '30' } });
    (await portal('post', `/api/v1/portal/quotes/${q.id}/accept`).expect(200)).body;
    const staff = (await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body;
    expect(staff.invoices).toEqual([expect.objectContaining({ kind: 'deposit', status: 'draft', totalMinor: 3600 })]);
  });

  it('declining records the reason and the event; an expired quote cannot be accepted (409, nothing written) but can be declined', async () => {
    const q = await sentQuote(mine.clientId);
    const declined = (await portal('post', `/api/v1/portal/quotes/${q.id}/decline`).send({ reason: 'Over our budget' }).expect(200)).body;
    expect(declined).toMatchObject({ status: 'declined', declineReason: 'Over our budget', declinedAt: expect.any(String) });
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body).toMatchObject({ status: 'declined', declineReason: 'Over our budget' });
    const event = (await s.db.query(`SELECT payload FROM outbox WHERE subject_id = $1 AND type = 'quote.declined'`, [q.id])).rows;
    expect(event).toEqual([{ payload: expect.objectContaining({ portalAccountId: mine.accountId }) }]);
    expect((await portal('post', `/api/v1/portal/quotes/${q.id}/accept`).expect(409)).body.type).toBe(problemType('quote-not-sent'));

    const late = await sentQuote(mine.clientId);
    await s.db.query(`UPDATE quotes SET valid_until = '2000-01-01' WHERE id = $1`, [late.id]);
    expect((await portal('get', `/api/v1/portal/quotes/${late.id}`).expect(200)).body.status).toBe('expired');
    const before = await quoteRows(s.db);
    expect((await portal('post', `/api/v1/portal/quotes/${late.id}/accept`).expect(409)).body.type).toBe(problemType('quote-expired'));
    expect(await quoteRows(s.db)).toEqual(before);
    expect((await portal('post', `/api/v1/portal/quotes/${late.id}/decline`).send({}).expect(200)).body.status).toBe('declined');
  });

  it('accept and decline at the same moment, queued on the row lock: one wins, the other is a 409', async () => {
    for (let round = 0; round < 3; round++) {
      const q = await sentQuote(mine.clientId);
      const locker = await connectTenantDatabase(t, s.organizationId);
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM quotes WHERE id = $1 FOR UPDATE', [q.id]);
      const pending = [portal('post', `/api/v1/portal/quotes/${q.id}/accept`).send(), portal('post', `/api/v1/portal/quotes/${q.id}/decline`).send({ reason: 'No' })].map((r) => r.then((x) => x));
      // Both requests now wait on the quote's row lock (seen from the server's maintenance connection: the
      // control role cannot see the tenant role's wait events), or the test fails rather than race nothing.
      await waitForLockWaiters(t, (await locker.query('SELECT current_database() AS d')).rows[0].d as string, 2);
      await locker.query('COMMIT');
      await locker.end();
      const [accept, decline] = await Promise.all(pending);
      expect([accept.status, decline.status].sort()).toEqual([200, 409]);
      const stored = (await s.db.query(`SELECT status FROM quotes WHERE id = $1`, [q.id])).rows[0].status as string;
      const invoices = Number((await s.db.query(`SELECT count(*) FROM invoices WHERE quote_id = $1`, [q.id])).rows[0].count);
      const decisions = (await s.db.query(`SELECT type FROM outbox WHERE subject_id = $1 AND type IN ('quote.accepted', 'quote.declined')`, [q.id])).rows.map((r) => r.type);
      if (accept.status === 200) expect({ stored, invoices, decisions }).toEqual({ stored: 'accepted', invoices: 1, decisions: ['quote.accepted'] });
      else expect({ stored, invoices, decisions }).toEqual({ stored: 'declined', invoices: 0, decisions: ['quote.declined'] });
    }
  });

  it('staff see the client’s portal activity newest first, cursor paged: sign-in, quote decisions; not another client’s', async () => {
    // The neighbour's contact decides too: none of it is this client's activity.
    const theirs = await insertPortalSession(s.db, s.organizationId, (await insertPortalAccount(s.db, { clientName: 'Quiet Band' })).accountId);
    const q = await sentQuote(neighbour.clientId);
    const neighbourCookie = await insertPortalSession(s.db, s.organizationId, (await s.db.query(`SELECT id FROM client_portal_accounts WHERE client_id = $1`, [neighbour.clientId])).rows[0].id);
    await portal('post', `/api/v1/portal/quotes/${q.id}/accept`, neighbourCookie).send().expect(200);
    await portal('get', '/api/v1/portal/quotes', theirs).expect(200);
    const all = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ kind: string; at: string; account: { id: string } | null; number: string | null }>; nextCursor: string | null } } = await s.api
        .get(`/api/v1/clients/${mine.clientId}/portal-activity?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const kinds = all.map((a) => a.kind);
    expect(kinds[kinds.length - 1]).toBe('portal_account.signed_in');
    expect(kinds).toContain('quote.accepted');
    expect(kinds).toContain('quote.declined');
    expect(all.every((a) => a.account?.id === mine.accountId)).toBe(true);
    const times = all.map((a) => a.at);
    expect([...times].sort().reverse()).toEqual(times);
    const accepted = all.find((a) => a.kind === 'quote.accepted')!;
    expect(accepted.number).toMatch(/^Q-\d{4}-\d{4}$/);
    expect((await s.api.get(`/api/v1/clients/${neighbour.clientId}/portal-activity`).expect(200)).body.items.map((a: { kind: string }) => a.kind)).toEqual(['quote.accepted', 'invoice.created']);
  });

  it('portal activity: unknown client 404, bad cursor or limit 400, engineers 403', async () => {
    expect((await s.api.get(`/api/v1/clients/00000000-0000-4000-8000-000000000000/portal-activity`).expect(404)).body.type).toBe(problemType('not-found'));
    for (const query of ['cursor=nope', 'limit=0', 'limit=101', 'cursor=' + Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url')]) {
      const res = await s.api.get(`/api/v1/clients/${mine.clientId}/portal-activity?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
    expect((await s.api.get(`/api/v1/clients/not-a-uuid/portal-activity`).expect(400)).headers['content-type']).toMatch(/^application\/problem\+json/);
    const engineer = await s.cookieOf(await s.member('engineer'));
    await t.http().get(`/api/v1/clients/${mine.clientId}/portal-activity`).set('cookie', engineer).expect(403);
  });

  it('the portal shows the studio’s name, and its logo once the studio has one (public, under the slug)', async () => {
    const slug = await slugOf(t, s.organizationId);
    const before = (await t.http().get(`/api/v1/portal/${slug}/auth/branding`).expect(200)).body;
    const name = (await t.control.query(`SELECT name FROM organizations WHERE id = $1`, [s.organizationId])).rows[0].name as string;
    expect(before).toEqual({ name, slug, logoUrl: null });
    await t.http().get(`/api/v1/portal/${slug}/auth/branding/logo`).expect(404);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f30000000049454e44ae426082', 'hex');
    await s.db.query(`UPDATE billing_settings SET logo = $1, logo_content_type = 'image/png' WHERE id = 1`, [png]);
    const after = (await t.http().get(`/api/v1/portal/${slug}/auth/branding`).expect(200)).body;
    expect(after).toEqual({ name, slug, logoUrl: `/api/v1/portal/${slug}/auth/branding/logo` });
    const logo = await t.http().get(after.logoUrl).buffer(true).expect(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(logo.body as Buffer, png)).toBe(0);
    expect((await t.http().get(`/api/v1/portal/no-such-studio/auth/branding`).expect(404)).body.type).toBe(problemType('not-found'));
    expect((await t.http().get(`/api/v1/portal/Not_A_Slug/auth/branding`).expect(400)).headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('the statement of account is the staff client statement, for the signed-in client; a bad range is a 400', async () => {
    const res = await portal('get', '/api/v1/portal/statement').buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    for (const query of ['from=yesterday', 'from=2031-02-01&to=2031-01-01', 'to=2031-13-01']) {
      const bad = await portal('get', `/api/v1/portal/statement?${query}`);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
    }
    await t.http().get('/api/v1/portal/statement').set('cookie', s.cookie).expect(401);
  });
});
