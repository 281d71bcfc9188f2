import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiJson } from '../src/openapi/write-openapi.js';

// RSM_REPO_ROOT: set by `npm run mutate`, whose Stryker sandbox holds a copy of api/ only.
const root = process.env.RSM_REPO_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('openapi.json', () => {
  it('is what the code generates (run `npm run openapi` and commit when this fails)', async () => {
    const committed = readFileSync(resolve(root, 'openapi.json'), 'utf8');
    expect(committed).toBe(await generateOpenApiJson());
  });

  it("matches the web app's generated client types (web/src/lib/api/schema.d.ts)", async () => {
    const dir = mkdtempSync(resolve(tmpdir(), 'rsm-openapi-'));
    writeFileSync(resolve(dir, 'openapi.json'), await generateOpenApiJson());
    execFileSync(process.execPath, [resolve(root, 'node_modules/openapi-typescript/bin/cli.js'), resolve(dir, 'openapi.json'), '-o', resolve(dir, 'schema.d.ts')], { stdio: 'ignore' });
    expect(readFileSync(resolve(root, 'web/src/lib/api/schema.d.ts'), 'utf8')).toBe(readFileSync(resolve(dir, 'schema.d.ts'), 'utf8'));
  });

  it('names every operation after its controller method', async () => {
    const spec = JSON.parse(await generateOpenApiJson());
    expect(operations(spec).map((o) => o.op.operationId).sort()).toEqual(
      [
        'acceptInvite', 'changePassword', 'confirmPasswordReset', 'createApiKey', 'createClient', 'createInvite', 'deleteApiKey', 'deleteClient',
        'deleteInvite', 'deleteMember', 'endSession', 'getClient', 'listApiKeys', 'listAudit', 'listClients', 'listInvites',
        'listMembers', 'listOrganizations', 'listSessions', 'live', 'login', 'logout', 'me', 'ready',
        'register', 'requestPasswordReset', 'resendVerification', 'session', 'signOutOtherSessions', 'switchOrganization', 'updateClient', 'updateMember',
        'verifyEmail',
        // Issue 11: the studio's own subscription.
        'getSubscription', 'createSubscriptionCheckout', 'createBillingPortalSession',
        // Issue 12, portal reviews.
        'listPortalProjects', 'getPortalProject', 'downloadPortalVersion', 'getPortalVersionPeaks', 'listPortalReviewComments', 'createPortalReviewComment',
        'approvePortalVersion', 'requestPortalVersionChanges',
        // Issue 9, resources.
        'addTimeOff', 'createEquipment', 'createRoom', 'deleteEquipment', 'deleteRoom', 'deleteTimeOff', 'getEquipment', 'getRoom', 'getStudio',
        'getWorkingHours', 'listEngineers', 'listEquipment', 'listRooms', 'listTimeOff', 'setWorkingHours', 'updateEquipment', 'updateRoom', 'updateStudio',
        // Issue 9, bookings.
        'cancelBooking', 'checkInBooking', 'checkOutBooking', 'createBooking', 'createBookingSeries', 'getBooking', 'getBookingSummary', 'listBookings',
        'updateBooking',
        // Issue 9, booking-extras.
        'getRecallSheet', 'saveRecallSheet', 'listRecallSheetVersions', 'getRecallSheetVersion', 'createRoomCalendarFeed', 'revokeRoomCalendarFeed',
        'createEngineerCalendarFeed', 'revokeEngineerCalendarFeed', 'getCalendarFeed',
        // Issue 10, reviews.
        'listDeliverables', 'createDeliverable', 'getDeliverable', 'updateDeliverable', 'deleteDeliverable', 'createVersion', 'getVersion',
        'approveVersion', 'requestVersionChanges', 'listReviewComments', 'createReviewComment', 'replyToReviewComment', 'updateReviewComment',
        'deleteReviewComment',
        // Issue 10, projects.
        'createProject', 'listProjects', 'getProject', 'listProjectBookings', 'updateProject', 'deleteProject',
        'listTracks', 'createTrack', 'reorderTracks', 'updateTrack', 'deleteTrack',
        // Issue 10, files.
        'uploadProjectFile', 'listProjectFiles', 'uploadBookingFile', 'listBookingFiles', 'getStorageUsage', 'getFile', 'getFileContent', 'deleteFile',
        // Issue 11, invoices.
        'createInvoice', 'listInvoices', 'previewInvoice', 'createInvoiceFromBookings', 'createDepositInvoice', 'getInvoice', 'updateInvoice',
        'deleteInvoice', 'finalizeInvoice', 'voidInvoice', 'createCreditNote', 'getClientBalance',
        // Issue 10, peaks.
        'getFilePeaks',
        // Issue 11, documents.
        'getInvoicePdf', 'sendInvoice', 'getClientStatement', 'exportInvoices', 'exportPayments', 'exportCreditNotes',
        // Issue 11, settlements.
        'listTaxRates', 'createTaxRate', 'updateTaxRate', 'getBillingSettings', 'updateBillingSettings', 'setBillingLogo', 'getBillingLogo',
        'deleteBillingLogo', 'recordPayment', 'setInvoiceShares', 'deleteInvoiceShares', 'listPayments', 'deletePayment',
        // Issue 11, reports.
        'getRevenueReport', 'getReceivablesReport', 'getUtilisationReport',
        // Issue 11, stripe.
        'getStripeConnection', 'connectStripe', 'refreshStripeConnection', 'disconnectStripe', 'createCheckout',
        'receiveStripePlatformEvent', 'receiveStripeConnectEvent',
        // Issue 11, quotes.
        'createQuote', 'listQuotes', 'getQuote', 'updateQuote', 'deleteQuote', 'sendQuote', 'acceptQuote', 'declineQuote', 'createQuoteFinalInvoice',
        // Issue 11, quotes-web: the quote's PDF (documents module; sendQuote moved there).
        'getQuotePdf',
        // Issue 12, portal: staff side, portal sign-in, the client's invoices.
        'invitePortalContact', 'listPortalAccounts', 'disablePortalAccount', 'enablePortalAccount',
        'portalLogin', 'requestPortalMagicLink', 'verifyPortalMagicLink', 'acceptPortalInvite', 'portalSession', 'portalMe', 'portalLogout',
        'listPortalInvoices', 'getPortalInvoice', 'getPortalInvoicePdf', 'payPortalInvoice',
        // Issue 12, portalquotes: quotes, my share, statement, branding; the staff client page's portal activity.
        'listPortalQuotes', 'getPortalQuote', 'getPortalQuotePdf', 'acceptPortalQuote', 'declinePortalQuote', 'payPortalInvoiceShare', 'getPortalStatement',
        'getPortalBranding', 'getPortalLogo', 'listClientPortalActivity',
        // Issue 12, bookreq: the client's sessions and booking requests, the staff queue.
        'listPortalBookings', 'getPortalBooking', 'listPortalRooms', 'createPortalBookingRequest', 'listPortalBookingRequests',
        'withdrawPortalBookingRequest', 'listBookingRequests', 'getBookingRequest', 'approveBookingRequest', 'declineBookingRequest',
        // Issue 13, realtime: the notification centre.
        'streamNotifications', 'listNotifications', 'unreadNotificationCount', 'readAllNotifications', 'getNotificationPreferences',
        'updateNotificationPreferences', 'readNotification', 'createAnnouncement',
        // Issue 13, webhooks.
        'createWebhookEndpoint', 'listWebhookEndpoints', 'getWebhookEndpoint', 'updateWebhookEndpoint', 'deleteWebhookEndpoint',
        'rollWebhookSecret', 'listWebhookDeliveries', 'testWebhookEndpoint', 'redeliverWebhook',
        // Issue 13, board: the live room board and the portal's notifications.
        'getRoomBoard', 'streamPortalNotifications', 'listPortalNotifications', 'portalUnreadNotificationCount', 'readAllPortalNotifications', 'readPortalNotification',
      ].sort(),
    );
  });
});

type Json = Record<string, any>;
const operations = (spec: Json) =>
  Object.entries(spec.paths as Json).flatMap(([path, item]) => Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })));

describe('openapi.json contract', () => {
  let spec: Json;
  beforeAll(async () => {
    spec = JSON.parse(await generateOpenApiJson());
  });
  const deref = (node: Json): Json => (node?.$ref ? deref(node.$ref.split('/').slice(1).reduce((n: Json, k: string) => n[k], spec)) : node);

  it('declares a server and the security of every operation: [] exactly on the @Public() ones, API keys where the rule admits them', () => {
    expect(spec.servers).toEqual([expect.objectContaining({ url: '/', 'x-internal': false })]);
    const publicOps = operations(spec).filter(({ op }) => Array.isArray(op.security) && op.security.length === 0).map(({ op }) => op.operationId);
    expect(publicOps.sort()).toEqual(['acceptInvite', 'confirmPasswordReset', 'getCalendarFeed', 'live', 'login', 'ready', 'receiveStripeConnectEvent', 'receiveStripePlatformEvent', 'register', 'requestPasswordReset', 'session', 'verifyEmail',
      // Issue 12, portal: signing in under a studio's slug.
      'acceptPortalInvite', 'portalLogin', 'requestPortalMagicLink', 'verifyPortalMagicLink',
      // Issue 12, portalquotes: the studio's name and logo for the portal's header.
      'getPortalBranding', 'getPortalLogo'].sort());
    const sessionOnly = [
      'changePassword', 'createApiKey', 'createInvite', 'deleteApiKey', 'deleteInvite', 'deleteMember', 'endSession', 'listOrganizations', 'listSessions',
      'logout', 'me', 'resendVerification', 'signOutOtherSessions', 'switchOrganization', 'updateMember',
      'streamNotifications', // issue 13: a stream ends with its session; API keys have none
    ];
    for (const { op } of operations(spec)) {
      if (publicOps.includes(op.operationId)) continue;
      // Issue 12: portal routes take the portal cookie only.
      const security = op['x-rsm-access'] === 'portal' ? [{ portal: [] }] : sessionOnly.includes(op.operationId) ? [{ cookie: [] }] : [{ cookie: [] }, { apiKey: [] }];
      expect([op.operationId, op.security]).toEqual([op.operationId, security]);
    }
  });

  it('names the roles each operation admits (x-rsm-roles), from its @Access() declaration', () => {
    const roles = Object.fromEntries(operations(spec).map(({ op }) => [op.operationId, [op['x-rsm-access'], op['x-rsm-roles']]]));
    expect(roles.register).toEqual(['public', []]);
    expect(roles.me).toEqual(['member', ['owner', 'admin', 'engineer', 'viewer']]);
    expect(roles.listClients).toEqual(['viewer', ['owner', 'admin', 'engineer', 'viewer']]);
    expect(roles.createClient).toEqual(['engineer', ['owner', 'admin', 'engineer']]);
    expect(roles.deleteMember).toEqual(['admin', ['owner', 'admin']]);
    expect(roles.listAudit).toEqual(['admin', ['owner', 'admin']]);
    expect(operations(spec).filter(({ op }) => !Array.isArray(op['x-rsm-roles'])).map(({ op }) => op.operationId)).toEqual([]);
  });

  it('declares the problem responses each kind of operation can return, as problem+json', () => {
    for (const { path, method, op } of operations(spec)) {
      const statuses = Object.keys(op.responses).map(Number);
      const expected = [400, 500];
      if (path.startsWith('/api/')) expected.push(429);
      if (method !== 'get') expected.push(403, 413, 415);
      if (op.security.length) expected.push(401, 403, 503);
      if (path.includes('{id}')) expected.push(404, 414);
      expect([op.operationId, expected.filter((s) => !statuses.includes(s))]).toEqual([op.operationId, []]);
      for (const status of statuses.filter((s) => s >= 400)) {
        const response = deref(op.responses[status]);
        const schema = response.content['application/problem+json'].schema;
        // Every problem is a ProblemDto; a route may extend it (a booking conflict's `conflicts`).
        if (schema.allOf) expect(schema.allOf[0]).toEqual({ $ref: '#/components/schemas/ProblemDto' });
        else expect(schema).toEqual({ $ref: '#/components/schemas/ProblemDto' });
      }
    }
    expect(spec.paths['/api/v1/auth/register'].post.responses['409']).toEqual({ $ref: '#/components/responses/Conflict' });
    // A booking conflict says what is taken: its 409 extends the problem with `conflicts`.
    const bookingConflict = spec.paths['/api/v1/bookings'].post.responses['409'].content['application/problem+json'].schema;
    expect(bookingConflict.allOf[1]).toEqual({ $ref: '#/components/schemas/BookingConflictsDto' });
    expect(spec.components.schemas.BookingConflictsDto.properties.conflicts.items).toEqual({ $ref: '#/components/schemas/BookingConflictDto' });
    expect(Object.keys(spec.components.responses.TooManyRequests.headers).sort()).toEqual(
      ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'],
    );
  });

  it('bounds every request string (maxLength) and array (maxItems), closes request bodies, and types ids as UUIDs', () => {
    const unbounded: string[] = [];
    const visit = (node: Json, where: string): void => {
      const schema = deref(node);
      if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum) unbounded.push(where);
      if (schema.type === 'array' && schema.maxItems === undefined) unbounded.push(where);
      if (schema.items) visit(schema.items, `${where}[]`);
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Json)) visit(property, `${where}.${name}`);
    };
    for (const { op } of operations(spec)) {
      for (const param of op.parameters ?? []) visit(param.schema, `${op.operationId} ${param.in} ${param.name}`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) {
        visit(body, `${op.operationId} body`);
        expect([op.operationId, deref(body).additionalProperties]).toEqual([op.operationId, false]);
      }
      for (const param of (op.parameters ?? []).filter((p: Json) => p.in === 'path')) {
        // Issue 9, booking-extras: the path parameters that are not ids.
        const notIds: Record<string, Json> = {
          version: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 },
          feedKey: { type: 'string', maxLength: 85, pattern: expect.any(String) },
          studioSlug: { type: 'string', maxLength: 100, pattern: expect.any(String) }, // issue 12, portal
          notificationId: { type: 'string', maxLength: 18, pattern: expect.any(String) }, // issue 13: the stream's event id
        };
        expect(param.schema).toEqual(notIds[param.name] ?? { type: 'string', format: 'uuid', maxLength: 36 });
      }
    }
    expect(unbounded).toEqual([]);
  });
});
