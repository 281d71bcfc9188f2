import { createHmac, randomBytes } from 'node:crypto';

/**
 * Issue 13, webhooks: the event types an endpoint can subscribe to (docs/webhooks.md lists them). Only
 * these leave the studio: internal events (announcements, portal logins) never reach an integrator.
 */
export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.series_created',
  'booking.changed',
  'booking.confirmed',
  'booking.cancelled',
  'booking.hold_expired',
  'member.joined',
  'quote.sent',
  'quote.accepted',
  'quote.declined',
  'invoice.finalized',
  'invoice.sent',
  'invoice.paid',
  'invoice.voided',
  'invoice.late_notice',
  'credit_note.issued',
  'payment.recorded',
  'payment.refunded',
  'payment.disputed',
  'payment.overpaid',
  'payment.deleted',
  'version.uploaded',
  'version.approved',
  'version.changes_requested',
  'revision.extra_round',
  'webhook.endpoint_disabled',
] as const;
/** Sent only by "send a test event", whatever the endpoint's filter. */
export const PING_EVENT = 'ping';
/** In an endpoint's filter: every event type, present and future. */
export const ALL_EVENTS = '*';

/** How long an event is retried (and how long an endpoint may fail before it is disabled). */
export const RETRY_WINDOW_MS = 3 * 24 * 3600_000;

/** The secret an endpoint signs with: `whsec_` and 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export interface WebhookMessage {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (docs/webhooks.md, "Verifying a delivery"). */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/**
 * The delay before attempt `attempt + 1` after `attempt` failed: 1 min × 4^(attempt-1), at most 12 h,
 * with ±20 % jitter so endpoints that failed together do not all retry in the same second.
 * Roughly 1 m, 4 m, 16 m, 1 h, 4.3 h, then every 12 h until 3 days have passed.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000 * 4 ** Math.max(0, attempt - 1), 12 * 3600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}
