/** Types of the local Stripe-compatible server (src/index.mjs). */

export interface WebhookEndpoint {
  url: string;
  /** The endpoint's signing secret (whsec_…): the API verifies with the same one. */
  secret: string;
}

export interface StripeFakeOptions {
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  /** The origin hosted pages are linked at, when not the listening address. */
  publicUrl?: string;
  /** When set, only this exact secret key is accepted; otherwise any sk_test_…/sk_live_… key. */
  secretKey?: string;
  apiVersion?: string;
  webhooks?: { platform?: WebhookEndpoint; connect?: WebhookEndpoint };
  log?: (line: string) => void;
}

export interface StripeFakeEvent {
  id: string;
  object: 'event';
  type: string;
  account?: string;
  api_version: string;
  created: number;
  livemode: false;
  data: { object: Record<string, any> };
}

export interface WebhookDelivery {
  eventId: string;
  type: string;
  endpoint: 'platform' | 'connect';
  url: string | null;
  status: number | null;
  body?: string | null;
  error?: string | null;
  skipped?: boolean;
}

export interface PayResult {
  session: Record<string, any>;
  /** mode payment: the succeeded payment intent and its charge. */
  intent: Record<string, any>;
  charge: Record<string, any>;
  /** mode subscription: the subscription it started and its paid first invoice. */
  subscription?: Record<string, any>;
  invoice?: Record<string, any>;
  events: StripeFakeEvent[];
  deliveries: WebhookDelivery[];
}

export interface SubscriptionChange {
  subscription: Record<string, any>;
  invoice?: Record<string, any>;
  events: StripeFakeEvent[];
  deliveries: WebhookDelivery[];
}

export interface StripeFake {
  /** e.g. http://127.0.0.1:41234 — the SDK's STRIPE_API_BASE. */
  readonly url: string;
  readonly port: number;
  readonly events: StripeFakeEvent[];
  readonly deliveries: WebhookDelivery[];
  /** Every object the fake holds, by id, with the connected account it lives on (null: the platform). */
  readonly state: { objects: Map<string, { account: string | null; object: Record<string, any> }> };
  setWebhookEndpoint(kind: 'platform' | 'connect', endpoint: WebhookEndpoint | undefined): void;
  /** Pays an open checkout session as the page's Pay button does; deliver: false keeps its events for deliver(). */
  pay(sessionId: string, options?: { deliver?: boolean }): Promise<PayResult>;
  completeAccount(accountId: string, options?: { deliver?: boolean }): Promise<{ account: Record<string, any>; events: StripeFakeEvent[]; deliveries: WebhookDelivery[] }>;
  dispute(chargeId: string, options?: { deliver?: boolean }): Promise<{ dispute: Record<string, any>; events: StripeFakeEvent[]; deliveries: WebhookDelivery[] }>;
  /** Stripe Billing test controls: the renewal fails (past_due), the overdue invoice is paid (active), the subscription ends now. */
  pastDue(subscriptionId: string, options?: { deliver?: boolean }): Promise<SubscriptionChange>;
  payOverdue(subscriptionId: string, options?: { deliver?: boolean }): Promise<SubscriptionChange>;
  cancelSubscription(subscriptionId: string, options?: { deliver?: boolean }): Promise<SubscriptionChange>;
  /** Sends an event again by id (a replay, or an order the test chooses). */
  deliver(eventId: string): Promise<WebhookDelivery>;
  sendEvent(event: { type: string; account?: string | null; object?: Record<string, any> }, options?: { deliver?: boolean }): Promise<{ event: StripeFakeEvent; delivery: WebhookDelivery | null }>;
  close(): Promise<void>;
}

export function startStripeFake(options?: StripeFakeOptions): Promise<StripeFake>;

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`, as Stripe signs webhooks. */
export function signatureHeader(payload: string, secret: string, timestamp?: number): string;

export function parseForm(text: string): Record<string, any>;
