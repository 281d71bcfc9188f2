import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { insertComment, insertFile, insertReviewChain } from './support/review-fixtures.js';
import { seedProject } from './support/file-fixtures.js';
import { reportFixtures } from './support/report-fixtures.js';
import { insertClient, insertInvoice } from './support/document-fixtures.js';
import { insertInvoiceOf } from './support/money-fixtures.js';
import { insertClientReviewChain } from './support/portal-review-fixtures.js'; // issue 12, portal reviews
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * The tenant comes only from the authenticated principal: never from a header, a query parameter or a
 * body field the caller controls (DESIGN.md "Resolution"). This is checked as a property of every tenant
 * route, generated from the committed route table (openapi.json), so a new feature's routes are covered
 * the day they exist: studio A's owner sends B's organization id in every tenant-looking place and must
 * still see only A's rows, get 404 for B's ids, and leave B untouched.
 */
type Schema = { type?: string; format?: string; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; $ref?: string; maxLength?: number; minLength?: number; allOf?: Schema[] };
type Operation = { security?: Array<Record<string, unknown>>; requestBody?: { content: Record<string, { schema: Schema }> } };
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

// RSM_REPO_ROOT: set by `npm run mutate`, whose Stryker sandbox holds a copy of api/ only.
const root = process.env.RSM_REPO_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const spec: Spec = JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8'));

/** Tenant collections: authenticated /api/v1 paths outside auth with a POST (create) and an /{id} item path. */
function tenantCollections(): string[] {
  return Object.keys(spec.paths)
    .filter((p) => p.startsWith('/api/v1/') && !p.startsWith('/api/v1/auth/'))
    .filter((p) => spec.paths[p].post && spec.paths[`${p}/{id}`])
    .filter((p) => (spec.paths[p].post.security ?? []).some((s) => Object.keys(s).length > 0));
}

/** Every tenant route (method + path), so the test can prove each one was exercised. */
function tenantRoutes(): string[] {
  return Object.entries(spec.paths)
    .filter(([p]) => p.startsWith('/api/v1/') && !p.startsWith('/api/v1/auth/'))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

function deref(schema: Schema): Schema {
  if (schema.$ref) return deref(spec.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf) return schema.allOf.map(deref).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
  return schema;
}

/** A valid value for a simple property schema; throws for shapes a fixture must provide. */
function sample(schema: Schema, label: string): unknown {
  const s = deref(schema);
  if (s.enum) return s.enum[0];
  if (s.type === 'string' && s.format === 'email') return `${label.toLowerCase().replace(/\W/g, '')}@tenant.test`;
  if (s.type === 'string' && !s.format) return label.slice(0, s.maxLength ?? 200);
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return true;
  throw new Error(`No sample for ${JSON.stringify(s)}: add a create fixture for this resource in tenant-resolution.e2e-spec.ts`);
}

function bodyFor(operation: Operation, label: string, all = false): Record<string, unknown> {
  const schema = deref(operation.requestBody!.content['application/json'].schema);
  const keys = all ? Object.keys(schema.properties ?? {}) : (schema.required ?? []);
  const body = Object.fromEntries(keys.filter((k) => !all || deref(schema.properties![k]).type === 'string').slice(0, all ? 1 : undefined).map((k) => [k, sample(schema.properties![k], label)]));
  if (!Object.keys(body).length) throw new Error(`Cannot derive a body for ${label}`);
  return body;
}

type Studio = Awaited<ReturnType<typeof registerStudio>>;

/**
 * Bodies the route table cannot derive (references to other rows, times, fields with formats). A fixture
 * creates what the body refers to in the same studio, so the only cross-studio thing is the spoofing.
 */
const CREATE_FIXTURES: Record<string, (t: TestApp, who: Studio, label: string) => Promise<Record<string, unknown>>> = {
  '/api/v1/bookings': async (t, who, label) => {
    const client = await t.http().post('/api/v1/clients').set('cookie', who.cookie).send({ name: `${label} client` }).expect(201);
    const room = await t.http().post('/api/v1/rooms').set('cookie', who.cookie).send({ name: `${label} room`, hourlyRateMinor: 5000, currency: 'EUR' }).expect(201);
    return { clientId: client.body.id, roomId: room.body.id, title: label, startsAt: '2031-03-04T10:00:00Z', endsAt: '2031-03-04T14:00:00Z' };
  },
  // Issue 10, projects.
  '/api/v1/projects': async (t, who, label) => {
    const client = await t.http().post('/api/v1/clients').set('cookie', who.cookie).send({ name: `${label} client` }).expect(201);
    return { clientId: client.body.id, title: label, type: 'album' };
  },
  '/api/v1/engineers/{userId}/time-off': async (_t, _who, label) => ({ startsAt: '2031-07-01T00:00:00Z', endsAt: '2031-07-15T00:00:00Z', reason: label }),
  // Issue 11, settlements.
  '/api/v1/tax-rates': async (_t, _who, label) => ({ name: label, ratePercent: '20' }),
  // Issue 11, invoices: a draft for a client of the same studio.
  '/api/v1/invoices': async (t, who, label) => {
    const client = await t.http().post('/api/v1/clients').set('cookie', who.cookie).send({ name: `${label} client` }).expect(201);
    return { clientId: client.body.id, lines: [{ description: label, quantity: '1', unitPriceMinor: 1000 }] };
  },
  // Issue 11, quotes: a draft for a client of the same studio, sendable (lines, validUntil), asking a deposit.
  '/api/v1/quotes': async (t, who, label) => {
    // An email: sending mails the quote (quotes-web).
    const client = await t.http().post('/api/v1/clients').set('cookie', who.cookie).send({ name: `${label} client`, email: 'quote@client.test' }).expect(201);
    return { clientId: client.body.id, validUntil: '2099-12-31', deposit: { percent: '30' }, lines: [{ description: label, quantity: '1', unitPriceMinor: 1000 }] };
  },
  // Issue 13, webhooks: an endpoint (nothing is sent: no event is raised).
  '/api/v1/webhook-endpoints': async (_t, _who, label) => ({ url: 'http://127.0.0.1:9/tenancy', description: label, events: ['*'] }),
};
/** PATCH bodies where the first string property is not free text (rooms: colour; bookings: times). */
const PATCH_FIXTURES: Record<string, Record<string, unknown>> = {
  '/api/v1/rooms': { name: 'Changed by A' },
  '/api/v1/bookings': { title: 'Changed by A' },
  '/api/v1/projects': { title: 'Changed by A' },
  '/api/v1/tax-rates': { name: 'Changed by A' }, // issue 11, settlements
  '/api/v1/invoices': { poNumber: 'Changed by A' }, // issue 11
  '/api/v1/quotes': { notes: 'Changed by A' }, // issue 11, quotes
  '/api/v1/webhook-endpoints': { description: 'Changed by A' }, // issue 13, webhooks
};
/** Path parameters other than the row's own id name the acting studio's own things (its owner as engineer). */
const at = (path: string, who: Studio) => path.replace('{userId}', who.userId);

describe('the tenant comes only from the session, on every tenant route', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerStudio(t, 'Resolver A');
    b = await registerStudio(t, 'Resolver B');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Every place a careless resolver might read a tenant from, all naming studio B. */
  const spoof = (req: import('supertest').Test, cookie: string) =>
    req
      .set('cookie', cookie)
      .set('x-tenant-id', b.organizationId)
      .set('x-organization-id', b.organizationId)
      .set('x-org', b.organizationId)
      .set('x-org-id', b.organizationId)
      .set('tenant', b.organizationId);
  const withTenantQuery = (url: string) => `${url}${url.includes('?') ? '&' : '?'}tenant=${b.organizationId}&organizationId=${b.organizationId}`;

  it('covers at least the clients collection (the route table is read)', () => {
    expect(tenantCollections()).toContain('/api/v1/clients');
  });

  it.each(tenantCollections())('%s: own rows only, 404 for the other studio\'s ids, the other studio untouched', async (path) => {
    const exercised = new Set<string>();
    const item = `${path}/{id}`;
    const ops = spec.paths[path];
    const itemOps = spec.paths[item];

    const create = async (who: Studio, label: string, spoofed = false) => {
      const body = CREATE_FIXTURES[path] ? await CREATE_FIXTURES[path](t, who, label) : bodyFor(ops.post, label);
      const req = t.http().post(spoofed ? withTenantQuery(at(path, who)) : at(path, who));
      const res = await (spoofed ? spoof(req, who.cookie) : req.set('cookie', who.cookie)).send(body);
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    /** Whether a studio sees a row: its item route when there is one, else its list (invites, API keys have no item GET). */
    /** The collection's list; the calendar (bookings) lists a time window instead of pages. */
    // Tax rates (issue 11) are one short list, not pages: archived ones included.
    const listOf = (who: Studio) =>
      path === '/api/v1/bookings'
        ? `${path}?from=2031-03-01T00:00:00Z&to=2031-03-31T00:00:00Z`
        : path === '/api/v1/tax-rates'
          ? `${path}?includeArchived=true`
          : `${at(path, who)}?limit=100`;
    const sees = async (who: Studio, id: string) => {
      if (itemOps.get) {
        const res = await t.http().get(at(item, who).replace('{id}', id)).set('cookie', who.cookie);
        expect([200, 404]).toContain(res.status);
        return res.status === 200;
      }
      const list = await t.http().get(listOf(who)).set('cookie', who.cookie).expect(200);
      return (list.body.items as Array<{ id: string }>).some((r) => r.id === id);
    };
    const snapshot = async (who: Studio, id: string) =>
      itemOps.get
        ? (await t.http().get(at(item, who).replace('{id}', id)).set('cookie', who.cookie).expect(200)).body
        : ((await t.http().get(listOf(who)).set('cookie', who.cookie).expect(200)).body.items as Array<{ id: string }>).find((r) => r.id === id);
    const bRow = await create(b, 'Row of B');
    const bBefore = await snapshot(b, bRow.id);

    // Create while naming B everywhere: the row lands in A.
    const aRow = await create(a, 'Row of A', true);
    exercised.add(`POST ${path}`);
    expect(await sees(a, aRow.id)).toBe(true);
    expect(await sees(b, aRow.id)).toBe(false);

    if (ops.get) {
      const list = await spoof(t.http().get(listOf(a)), a.cookie).expect(200);
      const ids = (list.body.items as Array<{ id: string }>).map((r) => r.id);
      expect(ids).toContain(aRow.id);
      expect(ids).not.toContain(bRow.id);
      // A tenant-looking query parameter is either refused as unknown (400) or ignored: never B's rows.
      const queried = await spoof(t.http().get(withTenantQuery(listOf(a))), a.cookie);
      if (queried.status !== 400) {
        expect(queried.status).toBe(200);
        expect((queried.body.items as Array<{ id: string }>).map((r) => r.id)).not.toContain(bRow.id);
      }
      exercised.add(`GET ${path}`);
    }
    const aItem = (id: string) => withTenantQuery(at(item, a).replace('{id}', id));
    if (itemOps.get) {
      await spoof(t.http().get(aItem(bRow.id)), a.cookie).expect(404);
      await spoof(t.http().get(aItem(aRow.id)), a.cookie).expect(200);
      exercised.add(`GET ${item}`);
    }
    if (itemOps.patch) {
      const patch = PATCH_FIXTURES[path] ?? bodyFor(itemOps.patch, 'Changed by A', true);
      await spoof(t.http().patch(aItem(bRow.id)), a.cookie).send(patch).expect(404);
      await spoof(t.http().patch(aItem(aRow.id)), a.cookie).send(patch).expect(200);
      exercised.add(`PATCH ${item}`);
    }
    if (itemOps.delete) {
      await spoof(t.http().delete(aItem(bRow.id)), a.cookie).expect(404);
      await spoof(t.http().delete(aItem(aRow.id)), a.cookie).expect(204);
      expect(await sees(a, aRow.id)).toBe(false);
      exercised.add(`DELETE ${item}`);
    }

    // B's row is exactly as it was.
    expect(await snapshot(b, bRow.id)).toEqual(bBefore);
    // Every route of this resource was exercised: a new method on it must be added above.
    const ofResource = tenantRoutes().filter((r) => r.endsWith(` ${path}`) || r.endsWith(` ${item}`));
    expect([...exercised].sort()).toEqual(ofResource);
  });

  it('members and the audit log (no create route): own rows only, 404 for the other studio\'s member ids, the other studio untouched', async () => {
    const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((r) => r.id);
    const bMembers = (await t.http().get('/api/v1/members').set('cookie', b.cookie).expect(200)).body.items as Array<{ id: string; userId: string }>;
    const aMembers = (await spoof(t.http().get('/api/v1/members'), a.cookie).expect(200)).body.items as Array<{ id: string; userId: string }>;
    expect(aMembers.map((m) => m.userId)).toEqual([a.userId]);
    const bMember = bMembers[0].id;
    await spoof(t.http().patch(withTenantQuery(`/api/v1/members/${bMember}`)), a.cookie).send({ role: 'viewer' }).expect(404);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/members/${bMember}`)), a.cookie).expect(404);
    expect((await t.http().get('/api/v1/members').set('cookie', b.cookie).expect(200)).body.items).toEqual(bMembers);

    // Both studios wrote audit entries above (clients, invites, keys): each log holds only its own.
    const aAudit = ids(await spoof(t.http().get('/api/v1/audit?limit=100'), a.cookie).expect(200));
    const bAudit = ids(await t.http().get('/api/v1/audit?limit=100').set('cookie', b.cookie).expect(200));
    expect(aAudit.length).toBeGreaterThan(0);
    expect(bAudit.length).toBeGreaterThan(0);
    expect(aAudit.filter((id) => bAudit.includes(id))).toEqual([]);
  });

  it('studio settings, engineers and booking actions (no plain collection shape): own studio only, 404 for the other studio\'s ids, the other studio untouched', async () => {
    // Studio settings: each studio has one row; A writes while naming B everywhere.
    await t.http().patch('/api/v1/studio').set('cookie', b.cookie).send({ timeZone: 'Asia/Tokyo' }).expect(200);
    await spoof(t.http().patch(withTenantQuery('/api/v1/studio')), a.cookie).send({ timeZone: 'Europe/Paris' }).expect(200);
    expect((await spoof(t.http().get(withTenantQuery('/api/v1/studio')), a.cookie).expect(200)).body.timeZone).toBe('Europe/Paris');
    expect((await t.http().get('/api/v1/studio').set('cookie', b.cookie).expect(200)).body.timeZone).toBe('Asia/Tokyo');

    // Engineers are the studio's own members; B's owner is not one of A's.
    // (The list validates its query: a tenant-looking parameter is refused as unknown, so only the headers spoof.)
    const engineers = (await spoof(t.http().get('/api/v1/engineers'), a.cookie).expect(200)).body.items as Array<{ userId: string }>;
    expect(engineers.map((e) => e.userId)).toEqual([a.userId]);
    const hours = { workingHours: [{ weekday: 1, opens: '09:00', closes: '17:00' }] };
    const bHours = (await t.http().get(`/api/v1/engineers/${b.userId}/working-hours`).set('cookie', b.cookie).expect(200)).body;
    await spoof(t.http().get(withTenantQuery(`/api/v1/engineers/${b.userId}/working-hours`)), a.cookie).expect(404);
    await spoof(t.http().put(withTenantQuery(`/api/v1/engineers/${b.userId}/working-hours`)), a.cookie).send(hours).expect(404);
    await spoof(t.http().put(withTenantQuery(`/api/v1/engineers/${a.userId}/working-hours`)), a.cookie).send(hours).expect(200);
    expect((await t.http().get(`/api/v1/engineers/${b.userId}/working-hours`).set('cookie', b.cookie).expect(200)).body).toEqual(bHours);

    // Booking actions on B's booking answer 404 and change nothing; a series made while naming B lands in A.
    const bookingIn = async (who: Studio, label: string, day: string) => {
      const body = await CREATE_FIXTURES['/api/v1/bookings'](t, who, label);
      return (await t.http().post('/api/v1/bookings').set('cookie', who.cookie).send({ ...body, startsAt: `${day}T10:00:00Z`, endsAt: `${day}T12:00:00Z` }).expect(201)).body as { id: string; roomId: string; clientId: string };
    };
    const bBooking = await bookingIn(b, 'Action B', '2031-05-05');
    const bBefore = (await t.http().get(`/api/v1/bookings/${bBooking.id}`).set('cookie', b.cookie).expect(200)).body;
    for (const action of ['cancel', 'check-in', 'check-out']) {
      await spoof(t.http().post(withTenantQuery(`/api/v1/bookings/${bBooking.id}/${action}`)), a.cookie).send({}).expect(404);
    }
    await spoof(t.http().get(withTenantQuery(`/api/v1/bookings/${bBooking.id}/summary`)), a.cookie).expect(404);
    // Its recall sheet: B saved one; A can neither read nor overwrite it.
    const sheet = { baseVersion: 0, tracks: ['Intro'], settings: [{ label: 'Vocal mic', value: 'U87' }], notes: 'B only' };
    await t.http().put(`/api/v1/bookings/${bBooking.id}/recall-sheet`).set('cookie', b.cookie).send(sheet).expect(201);
    for (const path of ['recall-sheet', 'recall-sheet/versions', 'recall-sheet/versions/1']) {
      await spoof(t.http().get(withTenantQuery(`/api/v1/bookings/${bBooking.id}/${path}`)), a.cookie).expect(404);
    }
    await spoof(t.http().put(withTenantQuery(`/api/v1/bookings/${bBooking.id}/recall-sheet`)), a.cookie).send({ ...sheet, baseVersion: 1, notes: 'A was here' }).expect(404);
    expect((await t.http().get(`/api/v1/bookings/${bBooking.id}/recall-sheet`).set('cookie', b.cookie).expect(200)).body).toMatchObject({ version: 1, notes: 'B only' });
    // Calendar feeds of B's room and B's engineer: not A's to create or revoke.
    const bFeed = (await t.http().post(`/api/v1/rooms/${bBooking.roomId}/calendar-feed`).set('cookie', b.cookie).expect(201)).body as { url: string };
    await spoof(t.http().post(withTenantQuery(`/api/v1/rooms/${bBooking.roomId}/calendar-feed`)), a.cookie).expect(404);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/rooms/${bBooking.roomId}/calendar-feed`)), a.cookie).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/engineers/${b.userId}/calendar-feed`)), a.cookie).expect(404);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/engineers/${b.userId}/calendar-feed`)), a.cookie).expect(404);
    await t.http().get(new URL(bFeed.url).pathname).expect(200); // B's feed still works
    expect((await t.http().get(`/api/v1/bookings/${bBooking.id}`).set('cookie', b.cookie).expect(200)).body).toEqual(bBefore);

    const aBooking = await bookingIn(a, 'Action A', '2031-05-06');
    await spoof(t.http().get(withTenantQuery(`/api/v1/bookings/${aBooking.id}/summary`)), a.cookie).expect(200);
    await spoof(t.http().put(withTenantQuery(`/api/v1/bookings/${aBooking.id}/recall-sheet`)), a.cookie).send({ baseVersion: 0, tracks: [], settings: [], notes: 'A' }).expect(201);
    const aFeed = (await spoof(t.http().post(withTenantQuery(`/api/v1/engineers/${a.userId}/calendar-feed`)), a.cookie).expect(201)).body as { url: string };
    await t.http().get(new URL(aFeed.url).pathname).expect(200);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/engineers/${a.userId}/calendar-feed`)), a.cookie).expect(204);
    await spoof(t.http().post(withTenantQuery(`/api/v1/bookings/${aBooking.id}/cancel`)), a.cookie).send({}).expect(200);
    const series = await spoof(t.http().post(withTenantQuery('/api/v1/bookings/series')), a.cookie)
      .send({ clientId: aBooking.clientId, roomId: aBooking.roomId, title: 'Series of A', startsAt: '2031-06-02T10:00:00Z', endsAt: '2031-06-02T12:00:00Z', recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2' } })
      .expect(201);
    const window = '?from=2031-06-01T00:00:00Z&to=2031-06-30T00:00:00Z';
    const inA = (await t.http().get(`/api/v1/bookings${window}`).set('cookie', a.cookie).expect(200)).body.items as Array<{ id: string }>;
    const inB = (await t.http().get(`/api/v1/bookings${window}`).set('cookie', b.cookie).expect(200)).body.items as Array<{ id: string }>;
    expect(inA.map((x) => x.id).sort()).toEqual((series.body.items as Array<{ id: string }>).map((x) => x.id).sort());
    expect(inB).toEqual([]);
  });

  // Issue 10, reviews: every deliverable, version and comment route (none has the plain collection shape).
  it('deliverables, versions and review comments: own studio only, 404 for the other studio\'s ids, the other studio untouched', async () => {
    const [dbA, dbB] = [await connectTenantDatabase(t, a.organizationId), await connectTenantDatabase(t, b.organizationId)];
    try {
      const inA = await insertReviewChain(dbA);
      const inB = await insertReviewChain(dbB);
      const bComment = await insertComment(dbB, inB.versionId, b.userId);
      const bFile = await insertFile(dbB, inB.projectId);
      const bState = async () => ({
        deliverable: (await t.http().get(`/api/v1/deliverables/${inB.deliverableId}`).set('cookie', b.cookie).expect(200)).body,
        comments: (await t.http().get(`/api/v1/versions/${inB.versionId}/comments`).set('cookie', b.cookie).expect(200)).body,
        list: (await t.http().get(`/api/v1/projects/${inB.projectId}/deliverables`).set('cookie', b.cookie).expect(200)).body,
      });
      const before = await bState();
      const asA = (method: 'get' | 'post' | 'patch' | 'delete', path: string) => spoof(t.http()[method](withTenantQuery(path)), a.cookie);

      // B's ids: 404 on every route, whatever names B.
      await asA('get', `/api/v1/projects/${inB.projectId}/deliverables`).expect(404);
      await asA('post', `/api/v1/projects/${inB.projectId}/deliverables`).send({ title: 'By A' }).expect(404);
      await asA('get', `/api/v1/deliverables/${inB.deliverableId}`).expect(404);
      await asA('patch', `/api/v1/deliverables/${inB.deliverableId}`).send({ title: 'By A' }).expect(404);
      await asA('delete', `/api/v1/deliverables/${inB.deliverableId}`).expect(404);
      await asA('post', `/api/v1/deliverables/${inB.deliverableId}/versions`).send({ fileId: bFile }).expect(404);
      await asA('get', `/api/v1/versions/${inB.versionId}`).expect(404);
      await asA('post', `/api/v1/versions/${inB.versionId}/approve`).send({}).expect(404);
      await asA('post', `/api/v1/versions/${inB.versionId}/request-changes`).send({}).expect(404);
      await asA('get', `/api/v1/versions/${inB.versionId}/comments`).expect(404);
      await asA('post', `/api/v1/versions/${inB.versionId}/comments`).send({ atSeconds: 1, body: 'By A' }).expect(404);
      await asA('post', `/api/v1/comments/${bComment}/replies`).send({ body: 'By A' }).expect(404);
      await asA('patch', `/api/v1/comments/${bComment}`).send({ resolved: true }).expect(404);
      await asA('delete', `/api/v1/comments/${bComment}`).expect(404);
      // B's file is not A's to submit as a version of A's deliverable.
      await asA('post', `/api/v1/deliverables/${inA.deliverableId}/versions`).send({ fileId: bFile }).expect(400);
      expect(await bState()).toEqual(before);

      // A's own ids work with the same spoofing, and land in A.
      const created = (await asA('post', `/api/v1/projects/${inA.projectId}/deliverables`).send({ title: 'By A' }).expect(201)).body as { id: string };
      expect((await asA('get', `/api/v1/projects/${inA.projectId}/deliverables`).expect(200)).body.items.map((d: { id: string }) => d.id)).toContain(created.id);
      await asA('patch', `/api/v1/deliverables/${created.id}`).send({ title: 'Renamed by A' }).expect(200);
      await asA('delete', `/api/v1/deliverables/${created.id}`).expect(204);
      await asA('get', `/api/v1/deliverables/${inA.deliverableId}`).expect(200);
      await asA('get', `/api/v1/versions/${inA.versionId}`).expect(200);
      const comment = (await asA('post', `/api/v1/versions/${inA.versionId}/comments`).send({ atSeconds: 1, body: 'By A' }).expect(201)).body as { id: string };
      await asA('post', `/api/v1/comments/${comment.id}/replies`).send({ body: 'Reply by A' }).expect(201);
      await asA('patch', `/api/v1/comments/${comment.id}`).send({ resolved: true }).expect(200);
      expect((await asA('get', `/api/v1/versions/${inA.versionId}/comments`).expect(200)).body.items).toHaveLength(1);
      await asA('delete', `/api/v1/comments/${comment.id}`).expect(204);
      await asA('post', `/api/v1/versions/${inA.versionId}/request-changes`).send({}).expect(200);
      const v2 = (await asA('post', `/api/v1/deliverables/${inA.deliverableId}/versions`).send({ fileId: await insertFile(dbA, inA.projectId) }).expect(201)).body as { id: string };
      await asA('post', `/api/v1/versions/${v2.id}/approve`).send({}).expect(200);
      expect(await bState()).toEqual(before);
      // Issue 13: B has events of its own (its bookings, earlier); none of A's landed there.
      expect((await dbB.query(`SELECT count(*)::int AS n FROM outbox WHERE type LIKE 'version.%' OR type LIKE 'revision.%'`)).rows[0].n).toBe(0);
    } finally {
      await Promise.all([dbA.end(), dbB.end()]);
    }
  });

  it("a project's tracks and sessions (issue 10): own studio only, 404 for the other studio's ids, the other studio untouched", async () => {
    const projectOf = async (who: Studio, label: string) => {
      const body = await CREATE_FIXTURES['/api/v1/projects'](t, who, label);
      return (await t.http().post('/api/v1/projects').set('cookie', who.cookie).send(body).expect(201)).body.id as string;
    };
    const bProject = await projectOf(b, 'Tracks of B');
    const bTrack = (await t.http().post(`/api/v1/projects/${bProject}/tracks`).set('cookie', b.cookie).send({ title: 'B only' }).expect(201)).body.id as string;
    const bBefore = (await t.http().get(`/api/v1/projects/${bProject}/tracks`).set('cookie', b.cookie).expect(200)).body;
    await spoof(t.http().get(withTenantQuery(`/api/v1/projects/${bProject}/tracks`)), a.cookie).expect(404);
    await spoof(t.http().get(withTenantQuery(`/api/v1/projects/${bProject}/bookings`)), a.cookie).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/projects/${bProject}/tracks`)), a.cookie).send({ title: 'A was here' }).expect(404);
    await spoof(t.http().put(withTenantQuery(`/api/v1/projects/${bProject}/tracks/order`)), a.cookie).send({ trackIds: [bTrack] }).expect(404);
    await spoof(t.http().patch(withTenantQuery(`/api/v1/tracks/${bTrack}`)), a.cookie).send({ title: 'A was here' }).expect(404);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/tracks/${bTrack}`)), a.cookie).expect(404);
    expect((await t.http().get(`/api/v1/projects/${bProject}/tracks`).set('cookie', b.cookie).expect(200)).body).toEqual(bBefore);

    // The same calls on A's own project work while naming B everywhere.
    const aProject = await projectOf(a, 'Tracks of A');
    const aTrack = (await spoof(t.http().post(withTenantQuery(`/api/v1/projects/${aProject}/tracks`)), a.cookie).send({ title: 'A' }).expect(201)).body.id as string;
    await spoof(t.http().put(withTenantQuery(`/api/v1/projects/${aProject}/tracks/order`)), a.cookie).send({ trackIds: [aTrack] }).expect(200);
    await spoof(t.http().patch(withTenantQuery(`/api/v1/tracks/${aTrack}`)), a.cookie).send({ title: 'A2' }).expect(200);
    expect((await spoof(t.http().get(withTenantQuery(`/api/v1/projects/${aProject}/tracks`)), a.cookie).expect(200)).body.items).toHaveLength(1);
    await spoof(t.http().get(withTenantQuery(`/api/v1/projects/${aProject}/bookings`)), a.cookie).expect(200);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/tracks/${aTrack}`)), a.cookie).expect(204);
  });

  // Issue 10, files: uploads hang off a project or a booking (no plain collection shape).
  it("files: uploads land in the caller's studio, 404 for the other studio's projects, bookings and files (downloads included), the other studio untouched", async () => {
    const bProject = await seedProject(t, b.organizationId, 'Files of B');
    const aProject = await seedProject(t, a.organizationId, 'Files of A');
    const bookingBody = await CREATE_FIXTURES['/api/v1/bookings'](t, b, 'Files B');
    const bBooking = (await t.http().post('/api/v1/bookings').set('cookie', b.cookie).send({ ...bookingBody, startsAt: '2031-08-01T10:00:00Z', endsAt: '2031-08-01T12:00:00Z' }).expect(201)).body as { id: string };
    const bFile = (await t.http().post(`/api/v1/projects/${bProject.projectId}/files`).set('cookie', b.cookie).attach('file', Buffer.from('B only'), 'b.txt').expect(201)).body as { id: string };
    const bUsage = (await t.http().get('/api/v1/files/usage').set('cookie', b.cookie).expect(200)).body;

    for (const url of [`/api/v1/projects/${bProject.projectId}/files`, `/api/v1/bookings/${bBooking.id}/files`]) {
      await spoof(t.http().post(url), a.cookie).attach('file', Buffer.from('A was here'), 'a.txt').expect(404);
      await spoof(t.http().get(url), a.cookie).expect(404);
      // A tenant-looking query parameter is refused as unknown (400) or ignored (404): never B's project.
      expect([400, 404]).toContain((await spoof(t.http().post(withTenantQuery(url)), a.cookie).attach('file', Buffer.from('A was here'), 'a.txt')).status);
    }
    await spoof(t.http().get(withTenantQuery(`/api/v1/files/${bFile.id}`)), a.cookie).expect(404);
    await spoof(t.http().get(`/api/v1/files/${bFile.id}/content`), a.cookie).expect(404); // (its query is validated: unknown parameters are a 400)
    await spoof(t.http().delete(withTenantQuery(`/api/v1/files/${bFile.id}`)), a.cookie).expect(404);

    // Other cases store files in A too: the usage is compared before and after this upload.
    const aUsage = (await t.http().get('/api/v1/files/usage').set('cookie', a.cookie).expect(200)).body as { usedBytes: number; fileCount: number };
    const aFile = (await spoof(t.http().post(`/api/v1/projects/${aProject.projectId}/files`), a.cookie).attach('file', Buffer.from('A file'), 'a.txt').expect(201)).body as { id: string };
    expect((await spoof(t.http().get(`/api/v1/projects/${aProject.projectId}/files`), a.cookie).expect(200)).body.items.map((f: { id: string }) => f.id)).toEqual([aFile.id]);
    expect((await spoof(t.http().get(`/api/v1/files/${aFile.id}/content`), a.cookie).expect(200)).headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await spoof(t.http().get('/api/v1/files/usage'), a.cookie).expect(200)).body).toEqual({ usedBytes: aUsage.usedBytes + 6, fileCount: aUsage.fileCount + 1 });
    await t.http().get(`/api/v1/files/${aFile.id}`).set('cookie', b.cookie).expect(404);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/files/${aFile.id}`)), a.cookie).expect(204);

    expect((await t.http().get(`/api/v1/files/${bFile.id}/content`).set('cookie', b.cookie).expect(200)).headers['content-length']).toBe('6');
    expect((await t.http().get('/api/v1/files/usage').set('cookie', b.cookie).expect(200)).body).toEqual(bUsage);
  });

  // Issue 10, peaks: a file's peaks are read by its id; B's file (written behind the app's back, peaks
  // ready) is a 404 for A however A names B, and A's own file answers.
  it("file peaks: own files only, 404 for the other studio's file ids", async () => {
    const fileOf = async (who: Studio) => {
      const db = await connectTenantDatabase(t, who.organizationId);
      try {
        const clientId = (await db.query(`INSERT INTO clients (name) VALUES ('Peaks client') RETURNING id`)).rows[0].id as string;
        const projectId = (await db.query(`INSERT INTO projects (client_id, title, type) VALUES ($1, 'Peaks', 'single') RETURNING id`, [clientId])).rows[0].id as string;
        const fileId = (
          await db.query(
            `INSERT INTO files (project_id, original_name, storage, storage_key, size_bytes, content_type, sha256, peaks_status)
             VALUES ($1, 'mix.wav', 'local', $2, 44, 'audio/wav', repeat('0', 64), 'ready') RETURNING id`,
            [projectId, `${who.organizationId}/peaks-resolution`],
          )
        ).rows[0].id as string;
        await db.query(`INSERT INTO file_peaks (file_id, duration_seconds, sample_rate, channels, peaks) VALUES ($1, 1, 8000, 1, '[0.5]')`, [fileId]);
        return fileId;
      } finally {
        await db.end();
      }
    };
    const bFile = await fileOf(b);
    const aFile = await fileOf(a);
    await spoof(t.http().get(withTenantQuery(`/api/v1/files/${bFile}/peaks`)), a.cookie).expect(404);
    expect((await spoof(t.http().get(withTenantQuery(`/api/v1/files/${aFile}/peaks`)), a.cookie).expect(200)).body).toMatchObject({ status: 'ready', peaks: [0.5] });
    expect((await t.http().get(`/api/v1/files/${bFile}/peaks`).set('cookie', b.cookie).expect(200)).body).toMatchObject({ status: 'ready', peaks: [0.5] });
  });

  // Issue 11, documents: PDFs, sending and exports hang off an invoice or a client, or read the whole studio.
  it("documents: PDFs, statements, sending and exports: own studio only, 404 for the other studio's ids, the other studio untouched", async () => {
    const invoiceOf = async (who: Studio, number: string) => {
      const db = await connectTenantDatabase(t, who.organizationId);
      try {
        const clientId = await insertClient(db, { name: `Client ${number}`, email: `${number.toLowerCase()}@client.test` });
        const id = await insertInvoice(db, { clientId, number, issueDate: '2031-02-01', lines: [{ description: number, quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
        return { clientId, id };
      } finally {
        await db.end();
      }
    };
    const sentAt = async (who: Studio, id: string) => {
      const db = await connectTenantDatabase(t, who.organizationId);
      try {
        return (await db.query(`SELECT sent_at FROM invoices WHERE id = $1`, [id])).rows[0].sent_at as Date | null;
      } finally {
        await db.end();
      }
    };
    const bDoc = await invoiceOf(b, 'RES-B-1');
    const aDoc = await invoiceOf(a, 'RES-A-1');
    await spoof(t.http().get(withTenantQuery(`/api/v1/invoices/${bDoc.id}/pdf`)), a.cookie).expect(404);
    await spoof(t.http().get(`/api/v1/clients/${bDoc.clientId}/statement.pdf`), a.cookie).expect(404); // (its query is validated: unknown parameters are a 400)
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${bDoc.id}/send`)), a.cookie).send({}).expect(404);
    expect(await sentAt(b, bDoc.id)).toBeNull();

    await spoof(t.http().get(withTenantQuery(`/api/v1/invoices/${aDoc.id}/pdf`)), a.cookie).expect(200);
    await spoof(t.http().get(`/api/v1/clients/${aDoc.clientId}/statement.pdf`), a.cookie).expect(200);
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${aDoc.id}/send`)), a.cookie).send({}).expect(200);
    expect(await sentAt(a, aDoc.id)).not.toBeNull();
    for (const name of ['invoices', 'payments', 'credit-notes']) {
      const csv = (await spoof(t.http().get(`/api/v1/exports/${name}.csv`), a.cookie).expect(200)).text;
      expect(csv).not.toContain('RES-B-1');
      if (name === 'invoices') expect(csv).toContain('RES-A-1');
      // A tenant-looking query parameter is refused as unknown.
      await spoof(t.http().get(withTenantQuery(`/api/v1/exports/${name}.csv`)), a.cookie).expect(400);
    }
  });

  // Issue 11, settlements: billing settings (one row per studio), payments and shares hang off an invoice.
  it("billing settings, payments and shares: own studio only, 404 for the other studio's invoices and payments, the other studio untouched", async () => {
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await t.http().patch('/api/v1/billing-settings').set('cookie', b.cookie).send({ legalName: 'B Ltd' }).expect(200);
    await spoof(t.http().patch(withTenantQuery('/api/v1/billing-settings')), a.cookie).send({ legalName: 'A Ltd' }).expect(200);
    await spoof(t.http().put(withTenantQuery('/api/v1/billing-settings/logo')), a.cookie).attach('file', PNG, 'logo.png').expect(204);
    expect((await spoof(t.http().get(withTenantQuery('/api/v1/billing-settings')), a.cookie).expect(200)).body).toMatchObject({ legalName: 'A Ltd', hasLogo: true });
    await spoof(t.http().get(withTenantQuery('/api/v1/billing-settings/logo')), a.cookie).expect(200);
    expect((await t.http().get('/api/v1/billing-settings').set('cookie', b.cookie).expect(200)).body).toMatchObject({ legalName: 'B Ltd', hasLogo: false });
    await t.http().get('/api/v1/billing-settings/logo').set('cookie', b.cookie).expect(404);
    await spoof(t.http().delete(withTenantQuery('/api/v1/billing-settings/logo')), a.cookie).expect(204);

    const [dbA, dbB] = [await connectTenantDatabase(t, a.organizationId), await connectTenantDatabase(t, b.organizationId)];
    try {
      const bInvoice = await insertInvoiceOf(dbB, 1000);
      const aInvoice = await insertInvoiceOf(dbA, 1000);
      const bPayment = (await t.http().post(`/api/v1/invoices/${bInvoice.id}/payments`).set('cookie', b.cookie).send({ amountMinor: 100, method: 'cash', receivedOn: '2026-03-01' }).expect(201)).body.id as string;
      const bState = async () => ({
        invoice: (await dbB.query(`SELECT status, balance_minor, paid_minor FROM invoices WHERE id = $1`, [bInvoice.id])).rows,
        payments: (await t.http().get('/api/v1/payments').set('cookie', b.cookie).expect(200)).body,
        shares: (await dbB.query(`SELECT count(*)::int AS n FROM invoice_shares`)).rows,
      });
      const before = await bState();
      const cash = { amountMinor: 100, method: 'cash', receivedOn: '2026-03-01' };
      await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${bInvoice.id}/payments`)), a.cookie).send(cash).expect(404);
      await spoof(t.http().put(withTenantQuery(`/api/v1/invoices/${bInvoice.id}/shares`)), a.cookie).send({ equal: { count: 2 } }).expect(404);
      await spoof(t.http().delete(withTenantQuery(`/api/v1/invoices/${bInvoice.id}/shares`)), a.cookie).expect(404);
      await spoof(t.http().delete(withTenantQuery(`/api/v1/payments/${bPayment}`)), a.cookie).expect(404);
      expect((await spoof(t.http().get('/api/v1/payments'), a.cookie).expect(200)).body.items).toEqual([]);
      expect(await bState()).toEqual(before);

      // A's own invoice, with the same spoofing: it all lands in A.
      await spoof(t.http().put(withTenantQuery(`/api/v1/invoices/${aInvoice.id}/shares`)), a.cookie).send({ equal: { count: 2 } }).expect(200);
      await spoof(t.http().delete(withTenantQuery(`/api/v1/invoices/${aInvoice.id}/shares`)), a.cookie).expect(204);
      const aPayment = (await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${aInvoice.id}/payments`)), a.cookie).send(cash).expect(201)).body.id as string;
      expect((await spoof(t.http().get('/api/v1/payments'), a.cookie).expect(200)).body.items.map((p: { id: string }) => p.id)).toEqual([aPayment]);
      await spoof(t.http().delete(withTenantQuery(`/api/v1/payments/${aPayment}`)), a.cookie).expect(204);
      expect(await bState()).toEqual(before);
    } finally {
      await Promise.all([dbA.end(), dbB.end()]);
    }
  });

  // Issue 11, reports: read-only figures (no collection shape). Each studio has an invoice, a payment and a
  // session written behind the app's back; A, naming B everywhere, sees only its own figures.
  it("reports: own studio's money and sessions only, whatever names the other studio", async () => {
    const seed = async (who: Studio, amount: number) => {
      const db = await connectTenantDatabase(t, who.organizationId);
      try {
        const f = reportFixtures(db);
        const clientId = await f.client(`Reports ${amount}`);
        const invoice = await f.invoice({ clientId, issueDate: '2030-01-15', dueDate: '2030-01-20', lines: [{ quantity: '1', unitPriceMinor: amount }] });
        await f.payment(invoice, 100, '2030-01-16');
        await f.booking({ clientId, roomId: await f.room(`Reports room ${amount}`), startsAt: '2030-01-15T10:00:00Z', endsAt: amount > 5000 ? '2030-01-15T14:00:00Z' : '2030-01-15T11:00:00Z' });
      } finally {
        await db.end();
      }
    };
    await seed(a, 1000);
    await seed(b, 9000);
    const asA = (path: string) => spoof(t.http().get(withTenantQuery(path)), a.cookie);
    const asAHeadersOnly = (path: string) => spoof(t.http().get(path), a.cookie);
    // The query is validated (a tenant-looking parameter is an unknown one: 400); the headers still name B.
    await asA('/api/v1/reports/revenue?from=2030-01-01&to=2030-01-31').expect(400);
    const revenue = (await asAHeadersOnly('/api/v1/reports/revenue?from=2030-01-01&to=2030-01-31').expect(200)).body;
    expect(revenue.currencies.map((c: { totals: unknown }) => c.totals)).toEqual([{ invoicedNetMinor: 1000, paidMinor: 100 }]);
    const receivables = (await asAHeadersOnly('/api/v1/reports/receivables').expect(200)).body;
    // Studio A's other cases in this file leave invoices of theirs open too: B's client must simply never appear.
    const owing = receivables.currencies.flatMap((c: { clients: Array<{ clientName: string }> }) => c.clients.map((x) => x.clientName));
    expect(owing).toContain('Reports 1000');
    expect(owing).not.toContain('Reports 9000');
    const utilisation = (await asAHeadersOnly('/api/v1/reports/utilisation?from=2030-01-15&to=2030-01-15').expect(200)).body;
    expect(utilisation.rooms.filter((r: { bookedMinutes: number }) => r.bookedMinutes > 0).map((r: { roomName: string; bookedMinutes: number }) => [r.roomName, r.bookedMinutes])).toEqual([['Reports room 1000', 60]]);
    // B's own report is B's.
    const theirs = (await t.http().get('/api/v1/reports/revenue?from=2030-01-01&to=2030-01-31').set('cookie', b.cookie).expect(200)).body;
    expect(theirs.currencies.map((c: { totals: unknown }) => c.totals)).toEqual([{ invoicedNetMinor: 9000, paidMinor: 100 }]);
  });

  // Issue 11, stripe: the connection is read from the session's studio, whatever names B (B has a connected account).
  it("stripe connection: the caller's studio only, however another studio is named", async () => {
    await t.control.query(`INSERT INTO stripe_accounts (account_id, organization_id, status, charges_enabled) VALUES ($1, $2, 'active', true)`, [
      `acct_resolution_${b.organizationId.slice(0, 8)}`,
      b.organizationId,
    ]);
    const res = await spoof(t.http().get(withTenantQuery('/api/v1/stripe/connection')), a.cookie).expect(200);
    expect(res.body).toMatchObject({ status: 'none', accountId: null });
    await spoof(t.http().delete(withTenantQuery('/api/v1/stripe/connection')), a.cookie).expect(404);
    expect((await t.http().get('/api/v1/stripe/connection').set('cookie', b.cookie).expect(200)).body).toMatchObject({ status: 'active' });
  });

  // Issue 11, invoices: actions on an invoice and the routes that create one from other rows.
  it("invoice actions, invoices from other rows and a client's balance: own studio only, 404 (or 400 naming the field) for the other studio's ids, the other studio untouched", async () => {
    const issuedIn = async (who: Studio, label: string) => {
      const body = await CREATE_FIXTURES['/api/v1/invoices'](t, who, label);
      const created = (await t.http().post('/api/v1/invoices').set('cookie', who.cookie).send(body).expect(201)).body as { id: string; client: { id: string } };
      await t.http().post(`/api/v1/invoices/${created.id}/finalize`).set('cookie', who.cookie).send({}).expect(200);
      return created;
    };
    const bInvoice = await issuedIn(b, 'Invoice of B');
    const bDraft = (await t.http().post('/api/v1/invoices').set('cookie', b.cookie).send(await CREATE_FIXTURES['/api/v1/invoices'](t, b, 'Draft of B')).expect(201)).body.id as string;
    const bBooking = (await t.http().post('/api/v1/bookings').set('cookie', b.cookie).send(await CREATE_FIXTURES['/api/v1/bookings'](t, b, 'Billed B')).expect(201)).body.id as string;
    const bBefore = (await t.http().get(`/api/v1/invoices?limit=100`).set('cookie', b.cookie).expect(200)).body;
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${bDraft}/finalize`)), a.cookie).send({}).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${bInvoice.id}/void`)), a.cookie).send({ reason: 'A was here' }).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${bInvoice.id}/credit-notes`)), a.cookie).send({ full: true }).expect(404);
    await spoof(t.http().get(withTenantQuery(`/api/v1/clients/${bInvoice.client.id}/balance`)), a.cookie).expect(404);
    await spoof(t.http().post(withTenantQuery('/api/v1/invoices/from-bookings')), a.cookie).send({ bookingIds: [bBooking] }).expect(400);
    await spoof(t.http().post(withTenantQuery('/api/v1/invoices/deposits')), a.cookie).send({ clientId: bInvoice.client.id, amountMinor: 100 }).expect(400);
    await spoof(t.http().post(withTenantQuery('/api/v1/invoices/preview')), a.cookie).send({ currency: 'EUR', lines: [{ description: 'x', quantity: '1', unitPriceMinor: 1 }], depositInvoiceIds: [bInvoice.id] }).expect(400);
    expect((await t.http().get(`/api/v1/invoices?limit=100`).set('cookie', b.cookie).expect(200)).body).toEqual(bBefore);

    // The same calls on A's own rows work while naming B everywhere, and land in A.
    const aInvoice = await issuedIn(a, 'Invoice of A');
    const aNote = (await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${aInvoice.id}/credit-notes`)), a.cookie).send({ full: true }).expect(201)).body.id as string;
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${aNote}/finalize`)), a.cookie).send({}).expect(200);
    await spoof(t.http().get(withTenantQuery(`/api/v1/clients/${aInvoice.client.id}/balance`)), a.cookie).expect(200);
    const aBooking = (await t.http().post('/api/v1/bookings').set('cookie', a.cookie).send(await CREATE_FIXTURES['/api/v1/bookings'](t, a, 'Billed A')).expect(201)).body.id as string;
    const fromA = (await spoof(t.http().post(withTenantQuery('/api/v1/invoices/from-bookings')), a.cookie).send({ bookingIds: [aBooking] }).expect(201)).body.id as string;
    const depositA = (await spoof(t.http().post(withTenantQuery('/api/v1/invoices/deposits')), a.cookie).send({ clientId: aInvoice.client.id, amountMinor: 100 }).expect(201)).body.id as string;
    await spoof(t.http().post(withTenantQuery('/api/v1/invoices/preview')), a.cookie).send({ currency: 'EUR', lines: [] }).expect(200);
    const aOther = (await t.http().post('/api/v1/invoices').set('cookie', a.cookie).send(await CREATE_FIXTURES['/api/v1/invoices'](t, a, 'Void A')).expect(201)).body.id as string;
    await t.http().post(`/api/v1/invoices/${aOther}/finalize`).set('cookie', a.cookie).send({}).expect(200);
    await spoof(t.http().post(withTenantQuery(`/api/v1/invoices/${aOther}/void`)), a.cookie).send({ reason: 'mine' }).expect(200);
    for (const id of [fromA, depositA]) await t.http().get(`/api/v1/invoices/${id}`).set('cookie', a.cookie).expect(200);
    for (const id of [fromA, depositA]) await t.http().get(`/api/v1/invoices/${id}`).set('cookie', b.cookie).expect(404);
  });

  // Issue 11, quotes: sending, accepting, declining and the final invoice act on the caller's studio only.
  it("quote actions: own studio only, 404 for the other studio's quotes, the other studio untouched", async () => {
    const quoteIn = async (who: Studio, label: string) =>
      (await t.http().post('/api/v1/quotes').set('cookie', who.cookie).send(await CREATE_FIXTURES['/api/v1/quotes'](t, who, label)).expect(201)).body.id as string;
    const bDraft = await quoteIn(b, 'Draft quote of B');
    const bSent = await quoteIn(b, 'Sent quote of B');
    await t.http().post(`/api/v1/quotes/${bSent}/send`).set('cookie', b.cookie).expect(200);
    const bBefore = (await t.http().get('/api/v1/quotes?limit=100').set('cookie', b.cookie).expect(200)).body;
    await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${bDraft}/send`)), a.cookie).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${bSent}/accept`)), a.cookie).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${bSent}/decline`)), a.cookie).send({ reason: 'A was here' }).expect(404);
    await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${bSent}/invoice`)), a.cookie).expect(404);
    await spoof(t.http().get(withTenantQuery(`/api/v1/quotes/${bSent}/pdf`)), a.cookie).expect(404); // quotes-web
    expect((await t.http().get('/api/v1/quotes?limit=100').set('cookie', b.cookie).expect(200)).body).toEqual(bBefore);

    // The same calls on A's own quotes work while naming B everywhere, and land in A.
    const aQuote = await quoteIn(a, 'Quote of A');
    await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${aQuote}/send`)), a.cookie).expect(200);
    expect((await spoof(t.http().get(withTenantQuery(`/api/v1/quotes/${aQuote}/pdf`)), a.cookie).expect(200)).headers['content-type']).toBe('application/pdf');
    const deposit = (await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${aQuote}/accept`)), a.cookie).expect(200)).body.invoiceId as string;
    await t.http().post(`/api/v1/invoices/${deposit}/finalize`).set('cookie', a.cookie).send({}).expect(200);
    const final = (await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${aQuote}/invoice`)), a.cookie).expect(201)).body.id as string;
    const aDeclined = await quoteIn(a, 'Declined quote of A');
    await t.http().post(`/api/v1/quotes/${aDeclined}/send`).set('cookie', a.cookie).expect(200);
    await spoof(t.http().post(withTenantQuery(`/api/v1/quotes/${aDeclined}/decline`)), a.cookie).send({}).expect(200);
    await t.http().get(`/api/v1/invoices/${final}`).set('cookie', a.cookie).expect(200);
    await t.http().get(`/api/v1/invoices/${final}`).set('cookie', b.cookie).expect(404);
  });

  // Issue 13, realtime: the notification centre (the stream's tenancy: test/notifications-stream.e2e-spec.ts).
  it("notifications: own studio's and own user's only, however another studio is named; 404 for the other studio's ids", async () => {
    const waitForOwn = async (who: Studio, title: string) => {
      for (let i = 0; i < 200; i++) {
        const res = await t.http().get('/api/v1/notifications').set('cookie', who.cookie).expect(200);
        const found = res.body.items.find((n: { title: string }) => n.title === title);
        if (found) return found.id as string;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no notification ${title}`);
    };
    await spoof(t.http().post(withTenantQuery('/api/v1/notifications')), a.cookie).send({ title: 'Said in A' }).expect(202);
    await t.http().post('/api/v1/notifications').set('cookie', b.cookie).send({ title: 'Said in B' }).expect(202);
    const aId = await waitForOwn(a, 'Said in A');
    await waitForOwn(b, 'Said in B');
    const listA = await spoof(t.http().get('/api/v1/notifications'), a.cookie).expect(200); // its query is validated: no extra parameters
    expect(listA.body.items.map((n: { title: string }) => n.title)).not.toContain('Said in B');
    const bBefore = (await t.http().get('/api/v1/notifications/unread-count').set('cookie', b.cookie).expect(200)).body.count;
    await spoof(t.http().post(withTenantQuery('/api/v1/notifications/read-all')), a.cookie).expect(200);
    expect((await spoof(t.http().get(withTenantQuery('/api/v1/notifications/unread-count')), a.cookie).expect(200)).body).toEqual({ count: 0 });
    expect((await t.http().get('/api/v1/notifications/unread-count').set('cookie', b.cookie).expect(200)).body.count).toBe(bBefore);
    const bList = await t.http().get('/api/v1/notifications').set('cookie', b.cookie).expect(200);
    const bIds = new Set(bList.body.items.map((n: { id: string }) => n.id));
    if (!bIds.has(aId)) await t.http().post(`/api/v1/notifications/${aId}/read`).set('cookie', b.cookie).expect(404);
    await spoof(t.http().put(withTenantQuery('/api/v1/notifications/preferences')), a.cookie).send({ preferences: [{ category: 'money', channel: 'none' }] }).expect(200);
    const bPrefs = await t.http().get('/api/v1/notifications/preferences').set('cookie', b.cookie).expect(200);
    expect(bPrefs.body.preferences).toContainEqual({ category: 'money', channel: 'in_app' });
  });

  // Issue 12, portal: every portal route (read from the route table: security `portal`) and the staff portal-account routes.
  it("portal routes: the studio comes from the portal cookie only; another studio's ids, slug and rows are out of reach, whatever names it", async () => {
    const [dbA, dbB] = [await connectTenantDatabase(t, a.organizationId), await connectTenantDatabase(t, b.organizationId)];
    try {
      const slugOf = async (id: string) => (await t.control.query(`SELECT slug FROM organizations WHERE id = $1`, [id])).rows[0].slug as string;
      const portalOf = async (db: import('pg').Client, organizationId: string) => {
        const clientId = await insertClient(db, { name: 'Portal client', email: 'portal@tenant.test' });
        const accountId = (await db.query(`INSERT INTO client_portal_accounts (client_id, email) VALUES ($1, 'portal@tenant.test') RETURNING id`, [clientId])).rows[0].id as string;
        const invoiceId = await insertInvoice(db, { clientId, number: `PT-${organizationId.slice(0, 8)}`, issueDate: '2031-01-01', lines: [{ description: 'Portal', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
        const token = randomBytes(32).toString('base64url');
        await db.query(`INSERT INTO client_portal_sessions (token_hash, account_id, last_seen_at, idle_expires_at, expires_at) VALUES ($1, $2, now(), now() + interval '1 hour', now() + interval '1 hour')`, [
          createHash('sha256').update(token).digest('hex'),
          accountId,
        ]);
        const chain = await insertClientReviewChain(db, clientId); // issue 12, portal reviews
        // Issue 12, portalquotes: a sent quote of the client, and a share of its invoice that is the client's.
        const quoteId = (
          await db.query(`INSERT INTO quotes (number, status, client_id, currency, issue_date, valid_until, bill_to_name, sent_at) VALUES ($1, 'sent', $2, 'EUR', '2031-01-01', '2099-12-31', 'Portal client', now()) RETURNING id`, [
            `PQ-${organizationId.slice(0, 8)}`,
            clientId,
          ])
        ).rows[0].id as string;
        const shareId = (await db.query(`INSERT INTO invoice_shares (invoice_id, position, payer_name, payer_email, amount_minor) VALUES ($1, 1, 'Portal client', 'portal@tenant.test', 100) RETURNING id`, [invoiceId])).rows[0].id as string;
        // Issue 12, bookreq: a session and a pending booking request of the client.
        const roomId = (await db.query(`INSERT INTO rooms (name, currency) VALUES ('Portal room', 'EUR') RETURNING id`)).rows[0].id as string;
        const bookingId = (await db.query(
          `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, hourly_rate_minor, currency, access_code) VALUES ($1, $2, 'Portal session', '2031-04-01T10:00:00Z', '2031-04-01T12:00:00Z', 0, 'EUR', '11112222') RETURNING id`,
          [clientId, roomId],
        )).rows[0].id as string;
        const requestId = (await db.query(
          `INSERT INTO booking_requests (client_id, portal_account_id, room_id, preferred_slots, duration_minutes) VALUES ($1, $2, $3, '[{"startsAt": "2031-04-02T10:00:00.000Z", "endsAt": "2031-04-02T12:00:00.000Z"}]', 120) RETURNING id`,
          [clientId, accountId, roomId],
        )).rows[0].id as string;
        // Issue 13, board: a portal notification of the account (B's ids far above A's: B's id must name no row of A's).
        if (organizationId !== a.organizationId) await db.query(`ALTER TABLE portal_notifications ALTER COLUMN id RESTART WITH 1000000000`);
        const event = (await db.query(`INSERT INTO outbox (type, subject_type, subject_id, payload, dispatched_at) VALUES ('invoice.sent', 'invoice', $1, '{}', now()) RETURNING id`, [invoiceId])).rows[0].id;
        const notificationId = (
          await db.query(`INSERT INTO portal_notifications (portal_account_id, event_id, type, title, payload, subject_type, subject_id) VALUES ($1, $2, 'invoice.sent', 'Sent', '{}', 'invoice', $3) RETURNING id::text`, [accountId, event, invoiceId])
        ).rows[0].id as string;
        return { clientId, accountId, invoiceId, ...chain, quoteId, shareId, bookingId, requestId, notificationId, cookie: `rsm_portal=${organizationId}.${token}`, slug: await slugOf(organizationId) };
      };
      const pa = await portalOf(dbA, a.organizationId);
      const pb = await portalOf(dbB, b.organizationId);
      const bState = async () => (await dbB.query(`SELECT (SELECT count(*) FROM client_portal_sessions)::int AS sessions, (SELECT count(*) FROM checkout_sessions)::int AS checkouts, (SELECT string_agg(status, ',') FROM invoices) AS invoices,
        (SELECT count(*) FROM review_comments)::int AS comments, (SELECT string_agg(status, ',') FROM deliverable_versions) AS versions, (SELECT string_agg(status, ',') FROM quotes) AS quotes,
        (SELECT string_agg(status, ',') FROM booking_requests) AS requests, (SELECT count(*) FROM bookings)::int AS bookings,
        (SELECT count(*) FROM portal_notifications WHERE read_at IS NOT NULL)::int AS read`)).rows[0];
      const before = await bState();
      // Issue 12, portal reviews: which of a portal client's rows a route's {id} names.
      // Each {id} names a row of its own kind: a project, a version, a quote, a session or a booking request
      // (issue 12, portal reviews, portalquotes, bookreq); else the invoice ({shareId}: a share of it).
      const idOf = (p: typeof pa, path: string) =>
        path.includes('/projects/') ? p.projectId
        : path.includes('/versions/') ? p.versionId
        : path.startsWith('/api/v1/portal/quotes/') ? p.quoteId
        : path.includes('/portal/bookings/') ? p.bookingId
        : path.includes('/booking-requests/') ? p.requestId
        : p.invoiceId;
      const freshVersionOf = async (db: import('pg').Client, clientId: string) => {
        const { projectId, versionId } = await insertClientReviewChain(db, clientId);
        const fileId = (await t.http().post(`/api/v1/projects/${projectId}/files`).set('cookie', a.cookie).attach('file', Buffer.from('tenant'), 'tenant.txt').expect(201)).body.id as string;
        await db.query(`UPDATE deliverable_versions SET file_id = $1 WHERE id = $2`, [fileId, versionId]);
        return versionId;
      };
      const portalRoutes = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => (op.security ?? []).some((s) => 'portal' in s))
          .map(([method]) => ({ method, path }))
          // Issue 13, board: a stream never ends; its tenancy is test/portal-notifications.e2e-spec.ts (another studio's events never arrive).
          .filter(({ path }) => !path.endsWith('/stream')),
      );
      expect(portalRoutes.length).toBeGreaterThan(3);
      // Logout last: it ends A's session.
      for (const { method, path } of [...portalRoutes].sort((x, y) => Number(x.path.endsWith('/logout')) - Number(y.path.endsWith('/logout')))) {
        const withB = path.replace('{id}', idOf(pb, path)).replace('{shareId}', pb.shareId).replace('{studioSlug}', pb.slug).replace('{notificationId}', pb.notificationId);
        const res = await spoof(t.http()[method as 'get' | 'post'](withTenantQuery(withB)), pa.cookie).send(method === 'get' ? undefined : {});
        if (path.includes('{')) {
          // B's id or slug under A's cookie: 404 (an id of no row of A's client) or 401 (another studio's slug); a tenant-looking query may be refused (400).
          expect([path, [400, 401, 404].includes(res.status)]).toEqual([path, true]);
          // Issue 12, portal reviews: a fresh version of A's client per route (a decision spends it), its file with real bytes.
          const ownId = path.includes('/versions/') ? await freshVersionOf(dbA, pa.clientId) : idOf(pa, path);
          const own = await t.http()[method as 'get' | 'post'](path.replace('{id}', ownId).replace('{shareId}', pa.shareId).replace('{studioSlug}', pa.slug).replace('{notificationId}', pa.notificationId)).set('cookie', pa.cookie).send(method === 'get' ? undefined : {});
          // A's own rows answer (a checkout is refused by this app's missing Stripe key: 409, never 404; a comment needs a
          // body: 400; of a quote's accept and decline, the first decides and the second finds it decided: 200 or 409;
          // a booking request's withdrawal succeeds; marking a notification read: 204).
          const answers =
            path.endsWith('/versions/{id}/comments') && method === 'post' ? [400]
            : path.startsWith('/api/v1/portal/quotes/') && method === 'post' ? [200, 409]
            : path.endsWith('/withdraw') ? [200]
            : path.endsWith('/read') ? [204]
            : method === 'post' && !path.includes('/versions/') ? [409]
            : [200];
          expect([path, own.status, answers.includes(own.status)]).toEqual([path, own.status, true]);
        } else {
          expect([path, res.status < 300 || res.status === 400]).toEqual([path, true]);
          expect(JSON.stringify(res.body)).not.toContain(pb.invoiceId);
          expect(JSON.stringify(res.body)).not.toContain(pb.clientId);
          expect(JSON.stringify(res.body)).not.toContain(pb.projectId);
        }
      }
      expect(await bState()).toEqual(before);

      // Staff side: A's staff, naming B everywhere, reach only A's clients' portal accounts.
      await spoof(t.http().get(withTenantQuery(`/api/v1/clients/${pb.clientId}/portal-accounts`)), a.cookie).expect((r) => expect([400, 404]).toContain(r.status));
      await spoof(t.http().post(`/api/v1/clients/${pb.clientId}/portal-invites`), a.cookie).send({ email: 'x@tenant.test' }).expect(404);
      await spoof(t.http().post(`/api/v1/clients/${pb.clientId}/portal-accounts/${pb.accountId}/disable`), a.cookie).expect(404);
      await spoof(t.http().post(`/api/v1/clients/${pb.clientId}/portal-accounts/${pb.accountId}/enable`), a.cookie).expect(404);
      await spoof(t.http().post(`/api/v1/clients/${pa.clientId}/portal-accounts/${pb.accountId}/disable`), a.cookie).expect(404);
      expect((await spoof(t.http().get(`/api/v1/clients/${pa.clientId}/portal-accounts`), a.cookie).expect(200)).body.items).toHaveLength(1);
      expect((await dbB.query(`SELECT count(*)::int AS n FROM client_portal_accounts WHERE disabled_at IS NOT NULL`)).rows[0].n).toBe(0);
      // Issue 12, portalquotes: B's client's portal activity is out of A's staff's reach.
      await spoof(t.http().get(withTenantQuery(`/api/v1/clients/${pb.clientId}/portal-activity`)), a.cookie).expect((r) => expect([400, 404]).toContain(r.status));
      await spoof(t.http().get(`/api/v1/clients/${pa.clientId}/portal-activity`), a.cookie).expect(200);
      // Issue 12, bookreq: the staff queue of booking requests, naming B everywhere, holds only A's.
      await spoof(t.http().get(withTenantQuery(`/api/v1/booking-requests/${pb.requestId}`)), a.cookie).expect((r) => expect([400, 404]).toContain(r.status));
      await spoof(t.http().get(`/api/v1/booking-requests/${pb.requestId}`), a.cookie).expect(404);
      await spoof(t.http().post(`/api/v1/booking-requests/${pb.requestId}/approve`), a.cookie).send({ slotIndex: 0, as: 'confirmed' }).expect(404);
      await spoof(t.http().post(`/api/v1/booking-requests/${pb.requestId}/decline`), a.cookie).send({ reason: 'Spoofed' }).expect(404);
      const queue = JSON.stringify((await spoof(t.http().get('/api/v1/booking-requests'), a.cookie).expect(200)).body);
      expect(queue).not.toContain(pb.requestId);
      expect(queue).toContain(pa.requestId);
      expect(await bState()).toEqual(before);
    } finally {
      await Promise.all([dbA.end(), dbB.end()]);
    }
  });

  it('every tenant route belongs to a collection exercised above (add a case for any other shape)', () => {
    // Members and the audit log have their own case above; accepting an invitation is public: its
    // studio comes from the invitation the token names (test/invites.e2e-spec.ts).
    const covered = [...tenantCollections().flatMap((p) => [p, `${p}/{id}`]), '/api/v1/members', '/api/v1/members/{id}', '/api/v1/audit', '/api/v1/invites/accept',
      // Their own case above: one settings row per studio, members as engineers, actions on a booking.
      '/api/v1/studio', '/api/v1/engineers', '/api/v1/engineers/{userId}/working-hours', '/api/v1/bookings/series',
      '/api/v1/bookings/{id}/cancel', '/api/v1/bookings/{id}/check-in', '/api/v1/bookings/{id}/check-out', '/api/v1/bookings/{id}/summary',
      '/api/v1/bookings/{id}/recall-sheet', '/api/v1/bookings/{id}/recall-sheet/versions', '/api/v1/bookings/{id}/recall-sheet/versions/{version}',
      '/api/v1/rooms/{id}/calendar-feed', '/api/v1/engineers/{userId}/calendar-feed',
      // Issue 10, reviews: their own case above.
      '/api/v1/projects/{id}/deliverables', '/api/v1/deliverables/{id}', '/api/v1/deliverables/{id}/versions', '/api/v1/versions/{id}',
      '/api/v1/versions/{id}/approve', '/api/v1/versions/{id}/request-changes', '/api/v1/versions/{id}/comments', '/api/v1/comments/{id}',
      '/api/v1/comments/{id}/replies',
      // Issue 10, projects: a project's tracks and sessions (their own case above).
      '/api/v1/projects/{id}/bookings', '/api/v1/projects/{id}/tracks', '/api/v1/projects/{id}/tracks/order', '/api/v1/tracks/{id}',
      // Issue 10, files: their own case above.
      '/api/v1/projects/{id}/files', '/api/v1/bookings/{id}/files', '/api/v1/files/usage', '/api/v1/files/{id}', '/api/v1/files/{id}/content',
      // Public: the studio comes from the feed key and its token must be found in that studio (test/calendar-feeds.e2e-spec.ts).
      '/api/v1/calendar-feeds/{feedKey}',
      // Issue 10, peaks: its own case above.
      '/api/v1/files/{id}/peaks',
      // Issue 11, documents: their own case above.
      '/api/v1/invoices/{id}/pdf', '/api/v1/invoices/{id}/send', '/api/v1/clients/{id}/statement.pdf',
      '/api/v1/exports/invoices.csv', '/api/v1/exports/payments.csv', '/api/v1/exports/credit-notes.csv',
      // Issue 11, settlements: their own case above.
      '/api/v1/billing-settings', '/api/v1/billing-settings/logo', '/api/v1/invoices/{id}/payments', '/api/v1/invoices/{id}/shares',
      '/api/v1/payments', '/api/v1/payments/{id}',
      // Issue 11, reports: their own case above.
      '/api/v1/reports/revenue', '/api/v1/reports/receivables', '/api/v1/reports/utilisation',
      // Issue 11, stripe: the connection (its own case above); checkout of another studio's invoice is a 404 and
      // webhooks are public, routed by the event's connected account (test/stripe-checkout and stripe-webhooks e2e specs).
      '/api/v1/stripe/connection', '/api/v1/stripe/connection/refresh', '/api/v1/invoices/{id}/checkout',
      '/api/v1/webhooks/stripe', '/api/v1/webhooks/stripe/connect',
      // Issue 11, invoices: their own case above.
      '/api/v1/invoices/{id}/finalize', '/api/v1/invoices/{id}/void', '/api/v1/invoices/{id}/credit-notes', '/api/v1/invoices/preview',
      '/api/v1/invoices/from-bookings', '/api/v1/invoices/deposits', '/api/v1/clients/{id}/balance',
      // Issue 11, quotes: their own case above.
      '/api/v1/quotes/{id}/send', '/api/v1/quotes/{id}/pdf', '/api/v1/quotes/{id}/accept', '/api/v1/quotes/{id}/decline', '/api/v1/quotes/{id}/invoice',
      // Issue 11: the studio's own subscription is control data, read for the caller's own organization
      // (subscription-standing.e2e-spec.ts); no tenant database is involved. Checkout and portal act on the
      // caller's studio whatever names another (subscription-billing.e2e-spec.ts: this app has no Stripe key).
      '/api/v1/billing', '/api/v1/billing/checkout', '/api/v1/billing/portal',
      // Issue 12, portal: the staff portal-account routes and every portal route have their own case above; signing in under
      // a slug is public: its studio comes from the slug and the account is looked up in that studio alone (test/portal-isolation).
      '/api/v1/clients/{id}/portal-invites', '/api/v1/clients/{id}/portal-accounts', '/api/v1/clients/{id}/portal-accounts/{accountId}/disable',
      '/api/v1/clients/{id}/portal-accounts/{accountId}/enable', '/api/v1/clients/{id}/portal-activity',
      // Issue 12, bookreq: the staff queue of booking requests has its own lines in the portal case above.
      '/api/v1/booking-requests', '/api/v1/booking-requests/{id}', '/api/v1/booking-requests/{id}/approve', '/api/v1/booking-requests/{id}/decline',
      ...Object.keys(spec.paths).filter((p) => p.startsWith('/api/v1/portal/')),
      // Issue 13, realtime: their own case above (the stream: test/notifications-stream.e2e-spec.ts).
      '/api/v1/notifications', '/api/v1/notifications/{notificationId}/read', '/api/v1/notifications/read-all', '/api/v1/notifications/unread-count',
      '/api/v1/notifications/preferences', '/api/v1/notifications/stream',
      // Issue 13, webhooks: the collection above; its sub-routes and deliveries: test/webhooks-api.e2e-spec.ts ("another studio's … 404").
      '/api/v1/webhook-endpoints/{id}/roll-secret', '/api/v1/webhook-endpoints/{id}/deliveries', '/api/v1/webhook-endpoints/{id}/test',
      '/api/v1/webhook-deliveries/{id}/redeliver',
      // Issue 13, board: no parameter; its studio is the session's (test/room-board.e2e-spec.ts: another studio's rooms never show).
      '/api/v1/rooms/board'];
    const uncovered = tenantRoutes().filter((r) => !covered.includes(r.split(' ')[1]));
    expect(uncovered).toEqual([]);
  });
});
