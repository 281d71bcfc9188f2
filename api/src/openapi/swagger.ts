import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from '../common/problem.js';
import { applyContract } from './contract.js';
import { collectRouteFacts } from './route-facts.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Recording Studio Manager API')
    .setDescription(
      'REST API of Recording Studio Manager. Errors are RFC 9457 `application/problem+json` with a `requestId`. ' +
        'Staff authenticate with the session cookie set by `POST /api/v1/auth/login`; integrators with an API key ' +
        '(`Authorization: Bearer rsm_live_…`). Each operation names the roles it admits in `x-rsm-roles` (`x-rsm-access`: ' +
        'the minimum declared; `member`: any member, by session only). Unsafe methods (POST, PATCH, ' +
        'PUT, DELETE) take JSON bodies only and must come from this site (`Origin`). Everything under `/api` is rate ' +
        'limited: see the `RateLimit-*` headers, and `Retry-After` on a 429.',
    )
    .setVersion('1')
    .addServer('/', 'This deployment (production, staging or local): the host that serves this document')
    .addTag('auth', 'Sign-up, login, logout and the signed-in user')
    .addTag('members', "The studio's members and their roles")
    .addTag('invites', 'Invitations to join the studio, sent by email')
    .addTag('api-keys', "Integrators' API keys")
    .addTag('audit', "The studio's audit log")
    .addTag('clients', "The studio's clients: bands, artists and labels it records")
    .addTag('bookings', 'Recording sessions: the calendar, holds, recurring series, check-in/out (issue 9)')
    .addTag('calendar-feeds', 'Secret, revocable ICS feed URLs per room and per engineer (issue 9, booking-extras)')
    .addTag('projects', "A client's projects (album, EP, podcast…), their summary and tracks (issue 10)")
    // Issue 11, documents.
    .addTag('documents', 'Invoice, deposit invoice, credit note and statement PDFs; sending an invoice by email (issue 11)')
    .addTag('exports', "CSV exports for the studio's accountant (issue 11)")
    .addTag('health', 'Liveness and readiness probes for the load balancer')
    // Issue 9, resources.
    .addTag('studio', "The studio's settings: time zone, default currency, opening hours, default buffers")
    .addTag('rooms', "The studio's bookable rooms, their rates and booking rules")
    .addTag('equipment', "The studio's equipment: microphones, outboard, instruments")
    .addTag('engineers', "The studio's engineers, their working hours and time off")
    // Issue 10, reviews.
    .addTag('reviews', 'Deliverables of a project, their versions, review decisions with counted revision rounds, and time-stamped review comments')
    // Issue 10, files.
    .addTag('files', 'Uploads to projects, tracks and bookings (streamed, type sniffed, SHA-256), downloads with Range and ETag, storage usage')
    .addTag('billing', "The studio's own subscription to the platform: trial, paid period, past due and read-only (issue 11)")
    .addTag('quotes', 'Quotes: priced offers to a client, sent with a number, accepted into an invoice (or a deposit invoice first), declined or expired (issue 11)')
    .addTag('reports', 'Revenue by month, room and engineer, receivables with aging, room utilisation; JSON or CSV (issue 11)')
    // Issue 13, realtime.
    .addTag('notifications', 'The notification centre: your notifications as a Server-Sent Events stream or a list, read state, per-category preferences, announcements (issue 13)')
    // Issue 13, webhooks.
    .addTag('webhooks', 'Outgoing webhooks: endpoints with a signing secret and an event filter, the delivery log, test events and redelivery (issue 13; docs/webhooks.md)')
    // Issue 11, settlements.
    .addTag('tax-rates', "The studio's tax rates (inclusive or added), one of them the default")
    .addTag('billing-settings', 'What documents say about the studio (legal name, tax ids, bank details, logo) and how they are numbered')
    .addTag('payments', 'Manual payments (Idempotency-Key), the payments list, and split payment shares')
    // Issue 11, stripe.
    .addTag('stripe', "Online payment: the studio's connected Stripe account, checkout links for invoices and shares, Stripe's signed webhooks")
    // Issue 11, invoices.
    .addTag('invoices', 'Invoices, deposit invoices and credit notes: drafts, gapless numbering, void, invoices from sessions, client balances')
    // Issue 12, portal.
    .addTag('portal', "The client portal: a client's contact signs in under the studio's slug and sees only their client's rows")
    .addTag('portal-accounts', "Staff side of the client portal: invite a client's contacts, see their last login, disable them")
    .addTag('booking-requests', 'Sessions clients ask for in the client portal: the staff queue, approve (a hold or a confirmed booking) or decline (issue 12)')
    .addCookieAuth('rsm_portal', { type: 'apiKey', in: 'cookie', name: 'rsm_portal', description: 'The portal session (`<studio id>.<token>`, Path /api/v1/portal); `__Secure-rsm_portal` over HTTPS' }, 'portal')
    .addCookieAuth('rsm_session', { type: 'apiKey', in: 'cookie', name: 'rsm_session', description: '`__Host-rsm_session` when served over HTTPS' })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'An API key as `Bearer rsm_live_<prefix>_<secret>` (an opaque secret, not a JWT): acts with its role in its studio' },
      'apiKey',
    )
    .build();
  // package.json says UNLICENSED: proprietary, with no license text to link (redocly's info-license-strict warns).
  config.info.license = { name: 'Proprietary' };
  const document = SwaggerModule.createDocument(app, config, {
    // The contract post-processor maps operations back to handlers by this name (unique, checked there).
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
    extraModels: [ProblemDto],
  });
  // Documentation tools: this server is the public API (OWASP API9 inventory).
  document.servers = document.servers?.map((server) => ({ ...server, 'x-internal': false }));
  applyContract(document, collectRouteFacts(app));
  return sortKeys(document) as OpenAPIObject;
}

/** Deeply sorted object keys (arrays keep their order) so the committed spec diffs cleanly. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Serves the document at /api/docs (Swagger UI) and /api/docs/openapi.json, built on the first request
 * for either: scanning ~180 routes costs about a second of CPU that every start-up (each test app, each
 * instance of a rolling deploy) would otherwise pay for a page few people open. The committed
 * openapi.json is checked against the code by test/openapi.e2e-spec.ts, so a route the builder rejects
 * fails CI, not a production start.
 */
export function setupSwaggerUi(app: INestApplication, buildDocument: () => OpenAPIObject): void {
  // Sections start collapsed: ~150 operations opened at once are a long page to scroll, and Swagger
  // UI 5 stopped drawing after ~120 of them (issue 11's routes); one section at a time draws them all.
  SwaggerModule.setup('api/docs', app, buildDocument, { jsonDocumentUrl: 'api/docs/openapi.json', swaggerOptions: { docExpansion: 'none' } });
}
