import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzOperations } from './support/openapi-fuzz.js';
import { insertPortalAccount, insertPortalSession } from './support/portal-fixtures.js';
import { connectTenantDatabase, createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

/**
 * The bounds openapi.json declares are the ones the server keeps: every request string one character
 * over its maxLength is a 400 naming the field, one at maxLength is accepted, and what the API returns
 * (a page cursor) fits its declared maxLength and is accepted back.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const spec = JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8'));
const operations = fuzzOperations(spec);

describe('openapi.json bounds hold on the real API', () => {
  let t: TestApp;
  let cookie: string;
  let organizationId: string;
  let credentials: { email: string; password: string };
  beforeAll(async () => {
    t = await createTestApp();
    const studio = await registerStudio(t, 'Bounds');
    cookie = studio.cookie;
    organizationId = studio.organizationId;
    credentials = { email: studio.credentials.email, password: studio.credentials.password };
  });
  afterAll(async () => {
    await t?.close();
  });
  // Issue 12, portalquotes: a portal client of the studio, for the portal routes with a body.
  let portal: Promise<string> | undefined;
  const portalCookie = () =>
    (portal ??= (async () => {
      const db = await connectTenantDatabase(t, organizationId);
      try {
        const { accountId } = await insertPortalAccount(db);
        return await insertPortalSession(db, organizationId, accountId);
      } finally {
        await db.end();
      }
    })());

  const bookingBody = {
    clientId: '00000000-0000-4000-8000-000000000000',
    roomId: '00000000-0000-4000-8000-000000000000',
    title: 'Bounded',
    startsAt: '2030-01-07T10:00:00Z',
    endsAt: '2030-01-07T12:00:00Z',
  };
  const validBodies: Record<string, () => Record<string, unknown>> = {
    register: () => newStudio(),
    login: () => credentials,
    createClient: () => ({ name: 'Bounded' }),
    createCheckout: () => ({}), // issue 11, stripe
    updateClient: () => ({ name: 'Bounded' }),
    verifyEmail: () => ({ token: 'x' }),
    // Issue 7, accounts-mail.
    requestPasswordReset: () => ({ email: 'bounds@studio.test' }),
    confirmPasswordReset: () => ({ token: 'A'.repeat(43), password: 'a brand new passphrase' }),
    changePassword: () => ({ currentPassword: credentials.password, newPassword: 'a brand new passphrase' }),
    // Issue 7, accounts-access.
    createApiKey: () => ({ name: 'Bounded', role: 'viewer' }),
    switchOrganization: () => ({ organizationId: '00000000-0000-4000-8000-000000000000' }),
    createInvite: () => ({ email: 'bounded@bounds.test', role: 'viewer' }),
    acceptInvite: () => ({ token: 'x'.repeat(43) }),
    // Issue 9, resources (room names must be unique: a fresh one each time).
    updateStudio: () => ({}),
    createRoom: () => ({ name: `Bounded ${Math.random()}` }),
    updateRoom: () => ({}),
    createEquipment: () => ({ name: 'Bounded', category: 'Bounded' }),
    updateEquipment: () => ({}),
    addTimeOff: () => ({ startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z' }),
    // Issue 9, bookings (ids need not exist: a field over its bound is refused before any lookup).
    createBooking: () => ({ ...bookingBody }),
    createBookingSeries: () => ({ ...bookingBody, recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2' } }) as never,
    updateBooking: () => ({ title: 'Bounded' }),
    cancelBooking: () => ({}),
    // Issue 9, booking-extras.
    saveRecallSheet: () => ({ baseVersion: 0, tracks: [], settings: [], notes: '' }) as never,
    // Issue 10, reviews.
    createDeliverable: () => ({ title: 'Bounded' }),
    updateDeliverable: () => ({ title: 'Bounded' }),
    createVersion: () => ({ fileId: '00000000-0000-4000-8000-000000000000' }),
    approveVersion: () => ({}),
    requestVersionChanges: () => ({}),
    createReviewComment: () => ({ atSeconds: 1, body: 'Bounded' }) as never,
    replyToReviewComment: () => ({ body: 'Bounded' }),
    updateReviewComment: () => ({ body: 'Bounded' }),
    // Issue 10, projects (ids need not exist: a field over its bound is refused before any lookup).
    createProject: () => ({ clientId: '00000000-0000-4000-8000-000000000000', title: 'Bounded', type: 'album' }),
    updateProject: () => ({}),
    createTrack: () => ({ title: 'Bounded' }),
    updateTrack: () => ({}),
    // Issue 11, documents (the id need not be an invoice: a field over its bound is refused before any lookup).
    sendInvoice: () => ({}),
    // Issue 11, settlements (ids need not exist: a field over its bound is refused before any lookup).
    createTaxRate: () => ({ name: 'Bounded', ratePercent: '20' }),
    updateTaxRate: () => ({}),
    updateBillingSettings: () => ({}),
    recordPayment: () => ({ amountMinor: 100, method: 'cash', receivedOn: '2026-03-01' }) as never,
    // Issue 11, invoices (ids need not exist: a field over its bound is refused before any lookup).
    createInvoice: () => ({ clientId: '00000000-0000-4000-8000-000000000000' }),
    updateInvoice: () => ({}),
    previewInvoice: () => ({ currency: 'EUR' }),
    createInvoiceFromBookings: () => ({ bookingIds: ['00000000-0000-4000-8000-000000000000'] }) as never,
    createDepositInvoice: () => ({ clientId: '00000000-0000-4000-8000-000000000000', amountMinor: 100 }) as never,
    finalizeInvoice: () => ({}),
    voidInvoice: () => ({ reason: 'Bounded' }),
    createCreditNote: () => ({}),
    // Issue 11, quotes (ids need not exist: a field over its bound is refused before any lookup).
    createQuote: () => ({ clientId: '00000000-0000-4000-8000-000000000000' }),
    updateQuote: () => ({}),
    declineQuote: () => ({}),
    sendQuote: () => ({}), // quotes-web: the send body is checked before the quote is looked up
    // Issue 12, portal (a slug or client that does not exist: the body is refused before any lookup).
    invitePortalContact: () => ({ email: 'bounded@bounds.test' }),
    portalLogin: () => ({ email: 'bounded@bounds.test', password: 'x' }),
    requestPortalMagicLink: () => ({ email: 'bounded@bounds.test' }),
    verifyPortalMagicLink: () => ({ token: 'x'.repeat(43) }),
    acceptPortalInvite: () => ({ token: 'x'.repeat(43), password: 'a brand new passphrase' }),
    createAnnouncement: () => ({ title: 'Bounded' }), // issue 13, realtime
    // Issue 12, portal reviews (a version that does not exist: the body is refused before any lookup).
    createPortalReviewComment: () => ({ atSeconds: 1, body: 'Bounded' }),
    approvePortalVersion: () => ({}),
    requestPortalVersionChanges: () => ({}),
    declinePortalQuote: () => ({}), // issue 12, portalquotes (a portal route: sent with a portal cookie, below)
    createWebhookEndpoint: () => ({ url: 'https://hooks.test/bounded', events: ['*'] }), // issue 13, webhooks
    updateWebhookEndpoint: () => ({ description: 'Bounded' }),
    // Issue 12, bookreq (a request id that does not exist: the body is refused before any lookup).
    createPortalBookingRequest: () => ({ preferredSlots: [{ startsAt: '2031-01-07T10:00:00Z', endsAt: '2031-01-07T14:00:00Z' }], durationMinutes: 60 }),
    approveBookingRequest: () => ({ slotIndex: 0, as: 'confirmed' }),
    declineBookingRequest: () => ({ reason: 'Bounded' }),
  };
  const bodyStrings = operations.flatMap((op) =>
    Object.entries(op.body?.properties ?? {})
      .filter(([, schema]) => schema.type === 'string')
      .map(([field, schema]) => ({ op, field, maxLength: schema.maxLength as number, format: schema.format as string | undefined })),
  );

  it.each(bodyStrings.map((b) => [`${b.op.id} ${b.field}`, b] as const))('%s: maxLength + 1 is a 400 naming the field', async (_label, { op, field, maxLength }) => {
    let clientId = '';
    if (op.pathParams.length) clientId = (await t.http().post('/api/v1/clients').set('cookie', cookie).send({ name: 'Target' }).expect(201)).body.id;
    // Any UUID will do for other path parameters (a user id): the body is refused before it is looked up.
    const path = op.path.replace('{id}', clientId).replace(/\{\w+\}/g, clientId);
    const body = { ...validBodies[op.id](), [field]: 'x'.repeat(maxLength + 1) };
    // Issue 12, portalquotes: a portal route takes the portal cookie only (the body is refused before the id is looked up).
    const caller = op.path.startsWith('/api/v1/portal/') && !op.isPublic ? await portalCookie() : cookie;
    const res = await t.http()[op.method.toLowerCase() as 'post' | 'patch'](path).set('cookie', caller).send(body);
    expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, [field]]);
  });

  it.each(bodyStrings.filter((b) => b.op.id.endsWith('Client') && !b.format).map((b) => [`${b.op.id} ${b.field}`, b] as const))(
    '%s: exactly maxLength is accepted',
    async (_label, { op, field, maxLength }) => {
      const id = (await t.http().post('/api/v1/clients').set('cookie', cookie).send({ name: 'Target' }).expect(201)).body.id;
      const path = op.path.replace('{id}', id);
      const res = await t.http()[op.method.toLowerCase() as 'post' | 'patch'](path).set('cookie', cookie).send({ name: 'Bounded', [field]: 'x'.repeat(maxLength) });
      expect(res.status).toBeLessThan(300);
      expect(res.body[field]).toHaveLength(maxLength);
    },
  );

  it('query strings: maxLength + 1 is a 400, maxLength is accepted', async () => {
    const list = operations.find((op) => op.id === 'listClients')!;
    for (const { name, schema } of list.query.filter((q) => q.schema.type === 'string')) {
      const over = await t.http().get(`/api/v1/clients?${name}=${'x'.repeat(schema.maxLength + 1)}`).set('cookie', cookie);
      expect([name, over.status, over.body.errors?.map((e: { field: string }) => e.field)]).toEqual([name, 400, [name]]);
    }
    const q = list.query.find((p) => p.name === 'q')!.schema.maxLength;
    await t.http().get(`/api/v1/clients?q=${'x'.repeat(q)}`).set('cookie', cookie).expect(200);
  });

  it('query integers (limit) are decimal digits within minimum..maximum, nothing Number() would also read', async () => {
    const limit = operations.find((op) => op.id === 'listClients')!.query.find((p) => p.name === 'limit')!.schema;
    for (const value of ['0x10', '%205', '5%20', '+5', '0b11', '0o7', '1e1', '1.0', '', `${limit.minimum - 1}`, `${limit.maximum + 1}`]) {
      const res = await t.http().get(`/api/v1/clients?limit=${value}`).set('cookie', cookie);
      expect([value, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([value, 400, ['limit']]);
    }
    for (const value of [`${limit.minimum}`, `${limit.maximum}`, '007']) {
      await t.http().get(`/api/v1/clients?limit=${value}`).set('cookie', cookie).expect(200);
    }
  });

  it('a nextCursor fits its declared maxLength and is accepted back, whatever the names hold', async () => {
    const declared = spec.components.schemas.ClientListDto.properties.nextCursor.maxLength as number;
    // Names of the longest kind: 200 characters that are 4 bytes in UTF-8, and 200 that JSON escapes to 6 bytes.
    for (const name of ['\u{1F3B8}'.repeat(200), '\u0001'.repeat(200)]) {
      await t.http().post('/api/v1/clients').set('cookie', cookie).send({ name }).expect(201);
    }
    const first = await t.http().get('/api/v1/clients?limit=1').set('cookie', cookie).expect(200);
    let cursor: string | null = first.body.nextCursor;
    let pages = 0;
    while (cursor) {
      expect(cursor.length).toBeLessThanOrEqual(declared);
      const page = await t.http().get(`/api/v1/clients?limit=1&cursor=${cursor}`).set('cookie', cookie);
      expect([page.status, page.body.detail]).toEqual([200, undefined]);
      cursor = page.body.nextCursor;
      pages++;
    }
    expect(pages).toBeGreaterThan(2);
  });
});
