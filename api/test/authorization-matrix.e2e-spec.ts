import { Controller, Get } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { roleAtLeast, type RouteRule } from '../src/auth/access.decorator.js';
import { AccessRulesCheck, type DeclaredRoute, declaredRoutes } from '../src/auth/access-rules.check.js';
import type { Role } from '../src/control/membership.entity.js';
import { insertComment, insertDeliverable, insertProject, insertReviewChain } from './support/review-fixtures.js';
import { insertClient, insertInvoice } from './support/document-fixtures.js';
import { insertClientReviewChain } from './support/portal-review-fixtures.js'; // issue 12, portal reviews
import { insertIssuedInvoice } from './support/stripe-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';
import { baseUrl, openStream } from './support/sse-client.js'; // issue 13, realtime
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker.js'; // issue 13, webhooks

/**
 * The authorization matrix (issue 7), generated from the app's route table (Nest's router metadata,
 * the same declarations the guard enforces), never from a hand-written list: every route × every kind
 * of caller → the status its declared rule implies.
 *
 *  - refused: 401 for no/ended credentials, 403 for a role below the rule or an API key on a
 *    session-only route;
 *  - allowed: exactly what studio A's owner gets for the same request (a 2xx, or a 400 for the empty
 *    body every POST/PATCH sends), and never 401/403;
 *  - the owner of another studio, allowed by role, gets 404 for studio A's ids (never 403, never data),
 *    and the record is untouched.
 *
 * A new route is covered the day it exists; a route without a declared rule fails here (and at start-up).
 */
type Principal =
  | 'anonymous'
  | 'viewer'
  | 'engineer'
  | 'admin'
  | 'owner'
  | 'owner of another studio'
  | 'key: viewer'
  | 'key: engineer'
  | 'key: admin'
  | 'key: owner'
  | 'revoked key'
  | 'expired session'
  // Issue 12: a client signed in to studio A's portal (the portal cookie).
  | 'portal client';

const PRINCIPALS: Principal[] = [
  'anonymous',
  'viewer',
  'engineer',
  'admin',
  'owner',
  'owner of another studio',
  'key: viewer',
  'key: engineer',
  'key: admin',
  'key: owner',
  'revoked key',
  'expired session',
  'portal client',
];

/** Bodies that make an allowed request succeed where `{}` would only reach validation (harmless on the fixtures). */
const VALID_BODIES: Record<string, object> = {
  // Issue 12, portal reviews.
  'POST /api/v1/portal/versions/:id/comments': { atSeconds: 1, body: 'Matrix' },
  // Issue 12, bookreq.
  'POST /api/v1/booking-requests/:id/approve': { slotIndex: 0, as: 'confirmed' },
  'POST /api/v1/booking-requests/:id/decline': { reason: 'Matrix' },
  'POST /api/v1/portal/booking-requests': { preferredSlots: [{ startsAt: '2031-09-01T10:00:00Z', endsAt: '2031-09-01T14:00:00Z' }], durationMinutes: 60 },
  'PATCH /api/v1/members/:id': { role: 'viewer' },
  // Issue 11, invoices: the actions on an issued invoice (fixtures below).
  'POST /api/v1/invoices/:id/void': { reason: 'Matrix' },
  'POST /api/v1/invoices/:id/credit-notes': { full: true },
  // Issue 13, realtime.
  'PUT /api/v1/notifications/preferences': { preferences: [{ category: 'bookings', channel: 'in_app' }] },
  'POST /api/v1/notifications': { title: 'Matrix announcement' },
  // Issue 13, webhooks: the discard port on loopback (allowed under NODE_ENV=test): a ping there is refused at once.
  'POST /api/v1/webhook-endpoints': { url: 'http://127.0.0.1:9/matrix', events: ['*'] },
  'PATCH /api/v1/webhook-endpoints/:id': { description: 'Matrix' },
};

/** Issue 13, realtime: Server-Sent Events routes, probed over a real socket (an allowed caller's response never ends). */
const STREAM_ROUTES = new Set(['/api/v1/notifications/stream', '/api/v1/portal/notifications/stream' /* issue 13, board */]);

/** Issue 10, files: routes whose POST body is a multipart upload. */
const MULTIPART_ROUTES = new Set(['/api/v1/projects/:id/files', '/api/v1/bookings/:id/files']);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** What the declared rule says about a caller: allowed, or the refusal status. */
function expectedRefusal(rule: RouteRule, who: Principal): 401 | 403 | undefined {
  if (rule === 'public') return undefined;
  // Issue 12: portal routes admit the portal client only; staff routes never admit it. Both refuse with 401.
  if (rule.level === 'portal') return who === 'portal client' ? undefined : 401;
  if (who === 'portal client') return 401;
  if (who === 'anonymous' || who === 'revoked key' || who === 'expired session') return 401;
  const isKey = who.startsWith('key: ');
  if (isKey && rule.sessionOnly) return 403;
  const role = (who === 'owner of another studio' ? 'owner' : who.replace('key: ', '')) as Role;
  if (rule.level !== 'member' && !roleAtLeast(role, rule.level as Role)) return 403;
  return undefined;
}

describe('authorization matrix: every route × every caller', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let routes: DeclaredRoute[];
  const users: Partial<Record<Role, string>> = {};
  const keys: Partial<Record<Principal, string>> = {};

  /** A fresh session token for a user in a studio, written behind the app's back (no argon2 per cell). */
  const mintSession = async (userId: string, organizationId: string, expired = false) => {
    const token = randomBytes(32).toString('base64url');
    await t.control.query(
      `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
       VALUES ($1, $2, $3, now(), now() + $4 * interval '1 hour', now() + $4 * interval '1 hour')`,
      [sha256(token), userId, organizationId, expired ? -1 : 1],
    );
    return token;
  };

  const addMember = async (organizationId: string, role: Role, label: string) => {
    const [user] = (
      await t.control.query(`INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'not-a-hash') RETURNING id`, [
        label,
        `${label.replace(/\W/g, '-')}-${randomBytes(4).toString('hex')}@matrix.test`,
      ])
    ).rows as Array<{ id: string }>;
    const { rows } = await t.control.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3) RETURNING id`, [
      organizationId,
      user.id,
      role,
    ]);
    return { userId: user.id, membershipId: rows[0].id as string };
  };

  /** The user `who` acts as in studio A (A's owner for callers that are not one of A's members). */
  const userOf = (who: Principal) => (who === 'viewer' || who === 'engineer' || who === 'admin' || who === 'owner' ? users[who]! : a.userId);

  /** A fresh session of A's owner, for making fixtures (a.cookie itself may be ended by sign-out-others). */
  const ownerCookie = async () => `rsm_session=${await mintSession(a.userId, a.organizationId)}`;

  /**
   * A record of studio A for a route's `:id`, fresh for each request (a DELETE spends it). Records that
   * belong to a person rather than the studio (sessions) are those of the user the caller acts as: a
   * member ends their own session; the owner of another studio gets one of A's owner's (404).
   */
  // Issue 9, bookings: a fresh booking of studio A in `status`, each at its own hour (no two overlap).
  let bookingSlot = 0;
  let bookingRefs: Promise<{ db: import('pg').Client; clientId: string; roomId: string }> | undefined;
  const matrixBooking = async (status: 'confirmed' | 'in_progress') => {
    bookingRefs ??= (async () => {
      const db = await connectTenantDatabase(t, a.organizationId);
      const clientId = (await db.query(`INSERT INTO clients (name) VALUES ('Matrix client') RETURNING id`)).rows[0].id as string;
      const roomId = (await db.query(`INSERT INTO rooms (name, currency) VALUES ('Matrix room', 'EUR') RETURNING id`)).rows[0].id as string;
      return { db, clientId, roomId };
    })();
    const { db, clientId, roomId } = await bookingRefs;
    const startsAt = new Date(Date.UTC(2031, 0, 1) + bookingSlot++ * 3_600_000);
    const { rows } = await db.query(
      `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, status, actual_start_at, hourly_rate_minor, currency, access_code)
       VALUES ($1, $2, 'Matrix booking', $3, $4, $5::text, CASE WHEN $5::text = 'in_progress' THEN $3::timestamptz END, 0, 'EUR', '12345678') RETURNING id`,
      [clientId, roomId, startsAt, new Date(startsAt.getTime() + 3_600_000), status],
    );
    return rows[0].id as string;
  };

  // Issue 9, booking-extras: recall sheets and calendar feeds of studio A, written behind the app's back.
  const matrixRecallSheet = async () => {
    const bookingId = await matrixBooking('confirmed');
    const { db } = await bookingRefs!;
    await db.query(`INSERT INTO booking_recall_sheets (booking_id, version, tracks, settings, notes) VALUES ($1, 1, '[]', '[]', '')`, [bookingId]);
    return bookingId;
  };
  /** A live feed of the resource; returns its token. */
  const matrixFeed = async (kind: 'room' | 'engineer', resourceId: string) => {
    const { db } = await bookingRefs!;
    const token = randomBytes(32).toString('base64url');
    await db.query(`UPDATE calendar_feeds SET revoked_at = now() WHERE kind = $1 AND resource_id = $2 AND revoked_at IS NULL`, [kind, resourceId]);
    await db.query(`INSERT INTO calendar_feeds (kind, resource_id, token_hash) VALUES ($1, $2, $3)`, [kind, resourceId, sha256(token)]);
    return token;
  };
  /** A fresh room of A with a live feed (a DELETE revokes it). */
  const matrixRoomWithFeed = async () => {
    await matrixBooking('confirmed'); // opens the tenant connection and its room
    const { db } = await bookingRefs!;
    const roomId = (await db.query(`INSERT INTO rooms (name, currency) VALUES ($1, 'EUR') RETURNING id`, [`Matrix feed room ${randomBytes(4).toString('hex')}`])).rows[0].id as string;
    await matrixFeed('room', roomId);
    return roomId;
  };

  // Issue 10, reviews: projects, deliverables, versions (a fresh one awaiting review each time: deciding spends it)
  // and comments of studio A, written behind the app's back. A comment is by the user the caller acts as
  // (only its author or an admin deletes it).
  let reviewDb: Promise<import('pg').Client> | undefined;
  const reviews = () => (reviewDb ??= connectTenantDatabase(t, a.organizationId));
  const reviewFixtures: Record<string, (who: Principal) => Promise<string>> = {
    '/api/v1/projects/:id/deliverables': async () => insertProject(await reviews()),
    '/api/v1/deliverables/:id': async () => insertDeliverable(await reviews(), await insertProject(await reviews())),
    '/api/v1/deliverables/:id/versions': async () => insertDeliverable(await reviews(), await insertProject(await reviews())),
    '/api/v1/versions/:id': async () => (await insertReviewChain(await reviews())).versionId,
    '/api/v1/versions/:id/approve': async () => (await insertReviewChain(await reviews())).versionId,
    '/api/v1/versions/:id/request-changes': async () => (await insertReviewChain(await reviews())).versionId,
    '/api/v1/versions/:id/comments': async () => (await insertReviewChain(await reviews())).versionId,
    '/api/v1/comments/:id/replies': async (who) => insertComment(await reviews(), (await insertReviewChain(await reviews())).versionId, userOf(who)),
    '/api/v1/comments/:id': async (who) => insertComment(await reviews(), (await insertReviewChain(await reviews())).versionId, userOf(who)),
  };

  // Issue 10, files: a file uploaded by A's owner to a project of A (matrixProject, below).
  const matrixFile = async () =>
    (await t.http().post(`/api/v1/projects/${await matrixProject()}/files`).set('cookie', await ownerCookie()).attach('file', Buffer.from('matrix'), 'matrix.txt').expect(201))
      .body.id as string;

  // Issue 11, documents: an issued invoice of studio A with a bill-to email (PDF and send succeed for A's admins).
  const matrixInvoice = async () => {
    const db = await reviews();
    const clientId = await insertClient(db, { name: 'Matrix invoice client', email: 'matrix@client.test' });
    return insertInvoice(db, { clientId, number: `M-${randomBytes(6).toString('hex')}`, issueDate: '2031-01-01', lines: [{ description: 'Matrix', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
  };
  // Issue 11, settlements: a manual payment on an issued invoice of A (written behind the app's back).
  const matrixPayment = async () => {
    const invoiceId = await matrixInvoice();
    const { rows } = await (await reviews()).query(
      `INSERT INTO payments (invoice_id, amount_minor, currency, method, received_on) VALUES ($1, 100, 'EUR', 'cash', '2026-03-01') RETURNING id`,
      [invoiceId],
    );
    return rows[0].id as string;
  };
  // Issue 11, invoices: a fresh draft (finalize, PATCH and DELETE spend or change it) or an issued invoice of A, through the API.
  const matrixApiInvoice = async (issued: boolean) => {
    const cookie = await ownerCookie();
    const client = (await t.http().post('/api/v1/clients').set('cookie', cookie).send({ name: 'Matrix invoice client' }).expect(201)).body.id;
    const id = (await t.http().post('/api/v1/invoices').set('cookie', cookie).send({ clientId: client, lines: [{ description: 'Matrix', quantity: '1', unitPriceMinor: 1000 }] }).expect(201)).body.id as string;
    if (issued) await t.http().post(`/api/v1/invoices/${id}/finalize`).set('cookie', cookie).send({}).expect(200);
    return id;
  };

  // Issue 11, quotes: a fresh quote of A in the state each action needs (a draft, a sent one, or an accepted
  // one with a 30 % deposit whose deposit invoice is issued, for the final invoice).
  const matrixQuote = async (state: 'draft' | 'sent' | 'deposit issued') => {
    const cookie = await ownerCookie();
    const client = (await t.http().post('/api/v1/clients').set('cookie', cookie).send({ name: 'Matrix quote client', email: 'matrix-quote@client.test' }).expect(201)).body.id;
    const deposit = state === 'deposit issued' ? { deposit: { percent: '30' } } : {};
    const body = { clientId: client, validUntil: '2099-12-31', lines: [{ description: 'Matrix', quantity: '1', unitPriceMinor: 1000 }], ...deposit };
    const id = (await t.http().post('/api/v1/quotes').set('cookie', cookie).send(body).expect(201)).body.id as string;
    if (state === 'draft') return id;
    await t.http().post(`/api/v1/quotes/${id}/send`).set('cookie', cookie).expect(200);
    if (state === 'sent') return id;
    const invoiceId = (await t.http().post(`/api/v1/quotes/${id}/accept`).set('cookie', cookie).expect(200)).body.invoiceId as string;
    await t.http().post(`/api/v1/invoices/${invoiceId}/finalize`).set('cookie', cookie).send({}).expect(200);
    return id;
  };

  // Issue 12, portal: a client of A with a portal account (the 'portal client'), its issued invoices, and A's slug.
  let portal: Promise<{ clientId: string; accountId: string; slug: string }> | undefined;
  const portalClient = () =>
    (portal ??= (async () => {
      const db = await reviews();
      const clientId = await insertClient(db, { name: 'Matrix portal client', email: 'portal@client.test' });
      const accountId = (await db.query(`INSERT INTO client_portal_accounts (client_id, email) VALUES ($1, 'portal@client.test') RETURNING id`, [clientId])).rows[0].id as string;
      const slug = (await t.control.query(`SELECT slug FROM organizations WHERE id = $1`, [a.organizationId])).rows[0].slug as string;
      return { clientId, accountId, slug };
    })());
  const portalInvoice = async () => {
    const { clientId } = await portalClient();
    return insertInvoice(await reviews(), { clientId, number: `P-${randomBytes(6).toString('hex')}`, issueDate: '2031-01-01', lines: [{ description: 'Matrix', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
  };
  const portalClientAccount = async () => {
    const { clientId } = await portalClient();
    const accountId = (await (await reviews()).query(`INSERT INTO client_portal_accounts (client_id, email) VALUES ($1, $2) RETURNING id`, [clientId, `p-${randomBytes(4).toString('hex')}@client.test`])).rows[0].id as string;
    return { id: clientId, accountId };
  };
  /** A fresh session of the portal client, written behind the app's back (logout spends one). */
  const mintPortalSession = async () => {
    const token = randomBytes(32).toString('base64url');
    await (await reviews()).query(
      `INSERT INTO client_portal_sessions (token_hash, account_id, last_seen_at, idle_expires_at, expires_at) VALUES ($1, $2, now(), now() + interval '1 hour', now() + interval '1 hour')`,
      [sha256(token), (await portalClient()).accountId],
    );
    return `rsm_portal=${a.organizationId}.${token}`;
  };
  const portalSlug = async () => ({ studioSlug: (await portalClient()).slug });
  const portalReviewChain = async () => insertClientReviewChain(await reviews(), (await portalClient()).clientId, { title: 'Matrix portal project' });
  /** A version whose file has real bytes (uploaded by A's owner), so the download answers 200. */
  const portalReviewVersionWithBlob = async () => {
    const { projectId, versionId } = await portalReviewChain();
    const fileId = (await t.http().post(`/api/v1/projects/${projectId}/files`).set('cookie', await ownerCookie()).attach('file', Buffer.from('matrix'), 'matrix.txt').expect(201)).body.id as string;
    await (await reviews()).query(`UPDATE deliverable_versions SET file_id = $1 WHERE id = $2`, [fileId, versionId]);
    return versionId;
  };
  // Issue 12, portalquotes: a fresh sent quote of the portal client; an issued invoice of it split so its one share is the client's.
  const portalQuote = async () => {
    const cookie = await ownerCookie();
    const body = { clientId: (await portalClient()).clientId, validUntil: '2099-12-31', lines: [{ description: 'Matrix', quantity: '1', unitPriceMinor: 1000 }] };
    const id = (await t.http().post('/api/v1/quotes').set('cookie', cookie).send(body).expect(201)).body.id as string;
    await t.http().post(`/api/v1/quotes/${id}/send`).set('cookie', cookie).expect(200);
    return id;
  };
  const portalShare = async () => {
    const id = await portalInvoice();
    const share = await (await reviews()).query(`INSERT INTO invoice_shares (invoice_id, position, payer_name, payer_email, amount_minor) VALUES ($1, 1, 'Matrix', 'portal@client.test', 100) RETURNING id`, [id]);
    return { id, shareId: share.rows[0].id as string };
  };
  // Issue 12, bookreq: a fresh pending request of the portal client (deciding spends it), each in its own hour of a
  // matrix room so approvals never conflict; a session of the portal client.
  let requestRoom: Promise<string> | undefined;
  let requestHour = 0;
  const matrixRequestRoom = () =>
    (requestRoom ??= (async () => (await (await reviews()).query(`INSERT INTO rooms (name, currency) VALUES ('Matrix request room', 'EUR') RETURNING id`)).rows[0].id as string)());
  const portalRequest = async () => {
    const { clientId, accountId } = await portalClient();
    const start = Date.UTC(2032, 0, 5) + ++requestHour * 3 * 3_600_000;
    const slots = JSON.stringify([{ startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * 3_600_000).toISOString() }]);
    return (await (await reviews()).query(
      `INSERT INTO booking_requests (client_id, portal_account_id, room_id, preferred_slots, duration_minutes) VALUES ($1, $2, $3, $4, 120) RETURNING id`,
      [clientId, accountId, await matrixRequestRoom(), slots],
    )).rows[0].id as string;
  };
  const portalBooking = async () =>
    (await (await reviews()).query(
      `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, status, hourly_rate_minor, currency, access_code) VALUES ($1, $2, 'Matrix session', '2031-06-01T10:00:00Z', '2031-06-01T12:00:00Z', 'cancelled', 0, 'EUR', '12345678') RETURNING id`,
      [(await portalClient()).clientId, await matrixRequestRoom()],
    )).rows[0].id as string;
  let notificationIdsRaised = false; // issue 13

  const FIXTURES: Record<string, (who: Principal) => Promise<string | Record<string, string>>> = {
    ...reviewFixtures,
    // Issue 12, portal.
    '/api/v1/clients/:id/portal-invites': async () => (await portalClient()).clientId,
    '/api/v1/clients/:id/portal-accounts': async () => (await portalClient()).clientId,
    '/api/v1/clients/:id/portal-accounts/:accountId/disable': () => portalClientAccount(),
    '/api/v1/clients/:id/portal-accounts/:accountId/enable': () => portalClientAccount(),
    '/api/v1/portal/:studioSlug/auth/login': portalSlug,
    '/api/v1/portal/:studioSlug/auth/magic-link': portalSlug,
    '/api/v1/portal/:studioSlug/auth/magic-link/verify': portalSlug,
    '/api/v1/portal/:studioSlug/auth/accept-invite': portalSlug,
    '/api/v1/portal/:studioSlug/auth/session': portalSlug,
    '/api/v1/portal/invoices/:id': () => portalInvoice(),
    '/api/v1/portal/invoices/:id/pdf': () => portalInvoice(),
    '/api/v1/portal/invoices/:id/checkout': () => portalInvoice(),
    // Issue 12, portal reviews: a fresh project of the portal client with v1 awaiting review (decisions spend it).
    '/api/v1/portal/projects/:id': async () => (await portalReviewChain()).projectId,
    '/api/v1/portal/versions/:id/download': () => portalReviewVersionWithBlob(),
    '/api/v1/portal/versions/:id/peaks': async () => (await portalReviewChain()).versionId,
    '/api/v1/portal/versions/:id/comments': async () => (await portalReviewChain()).versionId,
    '/api/v1/portal/versions/:id/approve': async () => (await portalReviewChain()).versionId,
    '/api/v1/portal/versions/:id/request-changes': async () => (await portalReviewChain()).versionId,
    // Issue 12, portalquotes.
    '/api/v1/portal/invoices/:id/shares/:shareId/checkout': () => portalShare(),
    '/api/v1/portal/quotes/:id': () => portalQuote(),
    '/api/v1/portal/quotes/:id/pdf': () => portalQuote(),
    '/api/v1/portal/quotes/:id/accept': () => portalQuote(),
    '/api/v1/portal/quotes/:id/decline': () => portalQuote(),
    '/api/v1/portal/:studioSlug/auth/branding': portalSlug,
    '/api/v1/portal/:studioSlug/auth/branding/logo': portalSlug,
    '/api/v1/clients/:id/portal-activity': async () => (await portalClient()).clientId,
    // Issue 13, webhooks: a fresh endpoint of studio A (and a test ping's delivery).
    '/api/v1/webhook-endpoints/:id': () => matrixWebhook(),
    '/api/v1/webhook-endpoints/:id/roll-secret': () => matrixWebhook(),
    '/api/v1/webhook-endpoints/:id/deliveries': () => matrixWebhook(),
    '/api/v1/webhook-endpoints/:id/test': () => matrixWebhook(),
    '/api/v1/webhook-deliveries/:id/redeliver': async () => {
      const { id } = (await t.http().post(`/api/v1/webhook-endpoints/${await matrixWebhook()}/test`).set('cookie', await ownerCookie()).expect(202)).body;
      // The ping's own attempt (the discard port refuses it) must be over: redelivering a delivery still in
      // flight is a 409 webhook-delivery-in-flight, whoever asks.
      await t.app.get(WebhookDeliveryWorker).drain();
      return id;
    },
    // Issue 12, bookreq.
    '/api/v1/portal/bookings/:id': () => portalBooking(),
    '/api/v1/portal/booking-requests/:id/withdraw': () => portalRequest(),
    '/api/v1/booking-requests/:id': () => portalRequest(),
    '/api/v1/booking-requests/:id/approve': () => portalRequest(),
    '/api/v1/booking-requests/:id/decline': () => portalRequest(),
    // Issue 13, realtime: a notification of the caller (an API key's is its creator's, A's owner).
    '/api/v1/notifications/:notificationId/read': async (who) => {
      const recipient = who === 'viewer' || who === 'engineer' || who === 'admin' ? users[who]! : a.userId;
      const db = await reviews();
      // Far above any id studio B reaches (its owner announces in this matrix too): A's id is unknown in B, so a 404 there.
      if (!notificationIdsRaised) await db.query(`ALTER TABLE notifications ALTER COLUMN id RESTART WITH 1000000000`);
      notificationIdsRaised = true;
      const event = (await db.query(`INSERT INTO outbox (type, subject_type, subject_id, payload) VALUES ('announcement', 'announcement', gen_random_uuid(), '{}') RETURNING id`)).rows[0].id;
      await db.query(`UPDATE outbox SET dispatched_at = now() WHERE id = $1`, [event]);
      return (
        await db.query(
          `INSERT INTO notifications (recipient_user_id, event_id, type, category, title, payload, subject_type, subject_id) VALUES ($1, $2, 'announcement', 'announcements', 'Matrix', '{}', 'announcement', gen_random_uuid()) RETURNING id::text`,
          [recipient, event],
        )
      ).rows[0].id as string;
    },
    // Issue 13, board: a portal notification of the portal client.
    '/api/v1/portal/notifications/:notificationId/read': async () => {
      const { accountId } = await portalClient();
      const db = await reviews();
      const event = (await db.query(`INSERT INTO outbox (type, subject_type, subject_id, payload, dispatched_at) VALUES ('booking.confirmed', 'booking', gen_random_uuid(), '{}', now()) RETURNING id`)).rows[0].id;
      return (
        await db.query(
          `INSERT INTO portal_notifications (portal_account_id, event_id, type, title, payload, subject_type, subject_id) VALUES ($1, $2, 'booking.confirmed', 'Matrix', '{}', 'booking', gen_random_uuid()) RETURNING id::text`,
          [accountId, event],
        )
      ).rows[0].id as string;
    },
    // Issue 11, documents.
    '/api/v1/invoices/:id/pdf': () => matrixInvoice(),
    '/api/v1/invoices/:id/send': () => matrixInvoice(),
    '/api/v1/clients/:id/statement.pdf': async () => insertClient(await reviews(), { name: 'Matrix statement client' }),
    // Issue 11, settlements.
    '/api/v1/tax-rates/:id': async () =>
      (await t.http().post('/api/v1/tax-rates').set('cookie', await ownerCookie()).send({ name: 'Matrix VAT', ratePercent: '20' }).expect(201)).body.id,
    '/api/v1/invoices/:id/payments': () => matrixInvoice(),
    '/api/v1/invoices/:id/shares': () => matrixInvoice(),
    '/api/v1/payments/:id': () => matrixPayment(),
    // Issue 11, quotes.
    '/api/v1/quotes/:id': () => matrixQuote('draft'),
    '/api/v1/quotes/:id/send': () => matrixQuote('draft'),
    '/api/v1/quotes/:id/pdf': () => matrixQuote('draft'), // issue 11, quotes-web
    '/api/v1/quotes/:id/accept': () => matrixQuote('sent'),
    '/api/v1/quotes/:id/decline': () => matrixQuote('sent'),
    '/api/v1/quotes/:id/invoice': () => matrixQuote('deposit issued'),
    // Issue 11, invoices.
    '/api/v1/invoices/:id': () => matrixApiInvoice(false),
    '/api/v1/invoices/:id/finalize': () => matrixApiInvoice(false),
    '/api/v1/invoices/:id/void': () => matrixApiInvoice(true),
    '/api/v1/invoices/:id/credit-notes': () => matrixApiInvoice(true),
    '/api/v1/clients/:id/balance': async () => (await t.http().post('/api/v1/clients').set('cookie', await ownerCookie()).send({ name: 'Matrix balance client' }).expect(201)).body.id,
    // Issue 10, files.
    '/api/v1/projects/:id/files': () => matrixProject(),
    '/api/v1/bookings/:id/files': () => matrixBooking('confirmed'),
    '/api/v1/files/:id': () => matrixFile(),
    '/api/v1/files/:id/content': () => matrixFile(),
    '/api/v1/files/:id/peaks': () => matrixFile(), // issue 10, peaks
    '/api/v1/bookings/:id': () => matrixBooking('confirmed'),
    // Issue 11, stripe: an issued invoice of studio A (this app has no Stripe key: checkout is 409 online-payment-off for everyone allowed).
    '/api/v1/invoices/:id/checkout': async () => (await insertIssuedInvoice(await reviews())).invoiceId,
    '/api/v1/bookings/:id/summary': () => matrixBooking('confirmed'),
    '/api/v1/bookings/:id/cancel': () => matrixBooking('confirmed'),
    '/api/v1/bookings/:id/check-in': () => matrixBooking('confirmed'),
    '/api/v1/bookings/:id/check-out': () => matrixBooking('in_progress'),
    // Issue 9, booking-extras: a booking with a saved recall sheet (version 1, which `:version` names).
    '/api/v1/bookings/:id/recall-sheet': () => matrixRecallSheet(),
    '/api/v1/bookings/:id/recall-sheet/versions': () => matrixRecallSheet(),
    '/api/v1/bookings/:id/recall-sheet/versions/:version': () => matrixRecallSheet(),
    '/api/v1/rooms/:id/calendar-feed': () => matrixRoomWithFeed(),
    // The caller's own user (A's owner for API keys, whose user is their creator): engineers manage their own feed.
    // A viewer is no engineer: they get the engineer's (refused by role either way).
    '/api/v1/engineers/:userId/calendar-feed': async (who) => {
      const userId = who === 'viewer' ? users.engineer! : userOf(who);
      await matrixFeed('engineer', userId);
      return userId;
    },
    // The public feed: a live key of studio A (for anyone; the route takes no caller).
    '/api/v1/calendar-feeds/:feedKey': async () => `${a.organizationId}.${await matrixFeed('room', await matrixRoomWithFeed())}.ics`,
    '/api/v1/clients/:id': async () => (await t.http().post('/api/v1/clients').set('cookie', await ownerCookie()).send({ name: 'Matrix client' }).expect(201)).body.id,
    '/api/v1/members/:id': async () => (await addMember(a.organizationId, 'viewer', 'Matrix fixture')).membershipId,
    '/api/v1/invites/:id': async () =>
      (
        await t.control.query(
          `INSERT INTO invites (organization_id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, 'viewer', $3, $4, now() + interval '1 day') RETURNING id`,
          [a.organizationId, `invitee-${randomBytes(4).toString('hex')}@matrix.test`, sha256(randomBytes(16).toString('hex')), a.userId],
        )
      ).rows[0].id,
    '/api/v1/api-keys/:id': async () =>
      (
        await t.control.query(
          `INSERT INTO api_keys (organization_id, created_by, name, prefix, secret_hash, role) VALUES ($1, $2, 'Matrix fixture', $3, $4, 'viewer') RETURNING id`,
          [a.organizationId, a.userId, randomBytes(6).toString('hex'), sha256('x')],
        )
      ).rows[0].id,
    '/api/v1/auth/sessions/:id': async (who) =>
      (await t.control.query(`SELECT id FROM sessions WHERE token_hash = $1`, [sha256(await mintSession(userOf(who), a.organizationId))])).rows[0].id,
    // Issue 9, resources. An engineer changes only their own schedule: an engineer acts on their own
    // user id, everyone else on the owner's (an engineer of the studio too, since owners run sessions).
    '/api/v1/rooms/:id': async () =>
      (await t.http().post('/api/v1/rooms').set('cookie', await ownerCookie()).send({ name: `Matrix room ${randomBytes(4).toString('hex')}` }).expect(201)).body.id,
    '/api/v1/equipment/:id': async () =>
      (await t.http().post('/api/v1/equipment').set('cookie', await ownerCookie()).send({ name: 'Matrix mic', category: 'Microphone' }).expect(201)).body.id,
    '/api/v1/engineers/:userId/working-hours': async (who) => ({ userId: engineerOf(who) }),
    '/api/v1/engineers/:userId/time-off': async (who) => ({ userId: engineerOf(who) }),
    // Issue 10, projects: a fresh project (and track) of studio A.
    '/api/v1/projects/:id': () => matrixProject(),
    '/api/v1/projects/:id/bookings': () => matrixProject(),
    '/api/v1/projects/:id/tracks': () => matrixProject(),
    '/api/v1/projects/:id/tracks/order': () => matrixProject(),
    '/api/v1/tracks/:id': async () =>
      (await t.http().post(`/api/v1/projects/${await matrixProject()}/tracks`).set('cookie', await ownerCookie()).send({ title: 'Matrix track' }).expect(201)).body.id,
    '/api/v1/engineers/:userId/time-off/:id': async (who) => {
      const userId = engineerOf(who);
      const body = { startsAt: '2030-01-01T09:00:00Z', endsAt: '2030-01-01T18:00:00Z' };
      const { id } = (await t.http().post(`/api/v1/engineers/${userId}/time-off`).set('cookie', await ownerCookie()).send(body).expect(201)).body;
      return { userId, id };
    },
  };
  // Issue 13, webhooks.
  const matrixWebhook = async () =>
    (await t.http().post('/api/v1/webhook-endpoints').set('cookie', await ownerCookie()).send(VALID_BODIES['POST /api/v1/webhook-endpoints']).expect(201)).body.id as string;
  // Issue 10, projects.
  const matrixProject = async () => {
    const cookie = await ownerCookie();
    const client = (await t.http().post('/api/v1/clients').set('cookie', cookie).send({ name: 'Matrix project client' }).expect(201)).body.id;
    return (await t.http().post('/api/v1/projects').set('cookie', cookie).send({ clientId: client, title: 'Matrix project', type: 'single' }).expect(201)).body.id as string;
  };
  const engineerOf = (who: Principal) => (who === 'engineer' ? users.engineer! : a.userId);

  const pathFor = async (route: DeclaredRoute, who: Principal) => {
    if (!route.path.includes(':')) return route.path;
    const fixture = FIXTURES[route.path];
    if (!fixture) throw new Error(`No fixture for ${route.path}: add one to FIXTURES in authorization-matrix.e2e-spec.ts`);
    const value = await fixture(who);
    // A string names the record (the first parameter; a `:version`, recall sheets, is the fixture's version 1);
    // a map names each parameter.
    if (typeof value === 'string') return route.path.replace(/:\w+/, value).replace(':version', '1');
    return Object.entries(value).reduce((path, [name, id]) => path.replace(`:${name}`, id), route.path);
  };

  /** Issue 13: a stream route's status, headers and (refused) body; an accepted stream is closed at once. */
  const probeStream = async (who: Principal, path: string) => {
    const headers: Record<string, string> = {};
    if (who === 'viewer' || who === 'engineer' || who === 'admin' || who === 'owner') headers.cookie = `rsm_session=${await mintSession(users[who]!, a.organizationId)}`;
    else if (who === 'owner of another studio') headers.cookie = `rsm_session=${await mintSession(b.userId, b.organizationId)}`;
    else if (who === 'expired session') headers.cookie = `rsm_session=${await mintSession(a.userId, a.organizationId, true)}`;
    else if (who === 'portal client') headers.cookie = await mintPortalSession(); // issue 13, board: the portal stream
    else if (who !== 'anonymous') headers.authorization = `Bearer ${keys[who]}`;
    const stream = await openStream(`${await baseUrl(t.app)}${path}`, headers);
    if (stream.status === 200) stream.close();
    else await stream.ended;
    return { status: stream.status, headers: stream.headers, body: stream.body ? (JSON.parse(stream.body) as unknown) : {} };
  };

  /** Sends the route's probe request as `who`. */
  const send = async (route: DeclaredRoute, who: Principal, path: string) => {
    if (STREAM_ROUTES.has(route.path)) return probeStream(who, path);
    let req = t.http()[route.method.toLowerCase() as 'get'](path);
    if (who === 'viewer' || who === 'engineer' || who === 'admin' || who === 'owner') {
      req = req.set('cookie', `rsm_session=${await mintSession(users[who]!, a.organizationId)}`);
    } else if (who === 'owner of another studio') {
      req = req.set('cookie', `rsm_session=${await mintSession(b.userId, b.organizationId)}`);
    } else if (who === 'expired session') {
      req = req.set('cookie', `rsm_session=${await mintSession(a.userId, a.organizationId, true)}`);
    } else if (who === 'portal client') {
      req = req.set('cookie', await mintPortalSession());
    } else if (who !== 'anonymous') {
      req = req.set('authorization', `Bearer ${keys[who]}`);
    }
    // Issue 10, files: upload routes take multipart with one `file` part (a JSON body would only be a 400).
    if (route.method === 'POST' && MULTIPART_ROUTES.has(route.path)) return req.attach('file', Buffer.from('matrix upload'), 'matrix.txt');
    if (['POST', 'PATCH', 'PUT'].includes(route.method)) req = req.send(VALID_BODIES[`${route.method} ${route.path}`] ?? {});
    return req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    routes = declaredRoutes(t.app.get(ModulesContainer));
    a = await registerStudio(t, 'Matrix A');
    b = await registerStudio(t, 'Matrix B');
    users.owner = a.userId;
    for (const role of ['viewer', 'engineer', 'admin'] as const) users[role] = (await addMember(a.organizationId, role, `Matrix ${role}`)).userId;
    for (const role of ['viewer', 'engineer', 'admin', 'owner'] as const) {
      keys[`key: ${role}`] = (await t.http().post('/api/v1/api-keys').set('cookie', a.cookie).send({ name: `Matrix ${role}`, role }).expect(201)).body.key;
    }
    const revoked = (await t.http().post('/api/v1/api-keys').set('cookie', a.cookie).send({ name: 'Matrix revoked', role: 'owner' }).expect(201)).body;
    await t.http().delete(`/api/v1/api-keys/${revoked.id}`).set('cookie', a.cookie).expect(204);
    keys['revoked key'] = revoked.key;
  });
  afterAll(async () => {
    await (await bookingRefs)?.db.end();
    await (await reviewDb)?.end();
    await t?.close();
  });

  it('reads the route table: every route declares a rule, and openapi.json shows the same rule on each operation', () => {
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((r) => r.rule === undefined).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
    const spec = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string; 'x-rsm-access': string }>>;
    };
    const documented = Object.values(spec.paths).flatMap((ops) => Object.values(ops).map((op) => [op.operationId, op['x-rsm-access']]));
    for (const [operationId, access] of documented) {
      const route = routes.find((r) => r.name === operationId);
      expect({ operationId, access: route && (route.rule === 'public' ? 'public' : route.rule?.level) }).toEqual({ operationId, access });
    }
  });

  it("the user's own account routes (password change, sessions) are for signed-in members by session only; reset and its confirmation are public", () => {
    const ruleOf = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)?.rule;
    const member = { level: 'member', sessionOnly: true };
    expect(ruleOf('POST', '/api/v1/auth/password')).toEqual(member);
    expect(ruleOf('GET', '/api/v1/auth/sessions')).toEqual(member);
    expect(ruleOf('DELETE', '/api/v1/auth/sessions/:id')).toEqual(member);
    expect(ruleOf('POST', '/api/v1/auth/sessions/sign-out-others')).toEqual(member);
    expect(ruleOf('POST', '/api/v1/auth/password-reset')).toBe('public');
    expect(ruleOf('POST', '/api/v1/auth/password-reset/confirm')).toBe('public');
  });

  it('refuses to start when a route declares no rule', async () => {
    @Controller('api/v1/forgotten')
    class ForgottenController {
      @Get()
      forgotten() {
        return 'served without a rule';
      }
    }
    const module = await Test.createTestingModule({ controllers: [ForgottenController], providers: [AccessRulesCheck] }).compile();
    const app = module.createNestApplication(new FastifyAdapter(), { logger: false });
    await expect(app.init()).rejects.toThrow(/Routes without an access rule.*GET \/api\/v1\/forgotten \(ForgottenController\.forgotten\)/);
    await app.close().catch(() => undefined);
  });

  it(`every route × ${PRINCIPALS.length} callers answers as its declared rule says`, async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const rule = route.rule!;
      // The baseline: studio A's owner, by session, on a fresh fixture (A's portal client on a portal route).
      const admitted: Principal = rule !== 'public' && rule.level === 'portal' ? 'portal client' : 'owner';
      const baseline = (await send(route, admitted, await pathFor(route, admitted))).status;
      if (rule !== 'public' && [401, 403].includes(baseline)) failures.push(`${route.method} ${route.path}: ${admitted} got ${baseline}`);
      for (const who of PRINCIPALS) {
        cells++;
        const path = await pathFor(route, who);
        const res = await send(route, who, path);
        const refusal = expectedRefusal(rule, who);
        const otherStudioId = who === 'owner of another studio' && route.path.includes(':');
        let expected: number = refusal ?? baseline;
        // A public route takes no caller: another studio's owner gets what anyone gets.
        if (!refusal && otherStudioId && rule !== 'public' && baseline < 300) expected = 404;
        if (res.status !== expected) failures.push(`${route.method} ${route.path} as ${who}: ${res.status}, expected ${expected} (${JSON.stringify(res.body).slice(0, 160)})`);
        if (refusal || expected === 404) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          // Refused means nothing done: A's owner can still act on the record (a DELETE finds it).
          if (route.method === 'DELETE' && route.path.includes(':')) {
            const again = await send(route, 'owner', path);
            if (again.status !== baseline) failures.push(`${route.method} ${path}: refused for ${who}, yet the record is gone (${again.status})`);
          }
        }
      }
    }
    console.log(`authorization matrix: ${routes.length} routes × ${PRINCIPALS.length} callers = ${cells} requests`);
    expect(failures).toEqual([]);
    expect(cells).toBe(routes.length * PRINCIPALS.length);
  }, 420_000); // every route × 13 callers (issue 12 added the portal client), one request each: it grows with the API and runs beside other suites on 2 cores
});
