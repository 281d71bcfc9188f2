import Stripe from 'stripe';
import type { StripeConfig } from '../config/app-config.js';

/** DI token of the one Stripe client: `Stripe`, or null when STRIPE_SECRET_KEY is unset (online payment off). */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');
export type StripeClient = Stripe | null;

/**
 * The official SDK, pointed at STRIPE_API_BASE when set (the local Stripe server in tests and demos).
 * Retries reuse the idempotency key each call passes, so a retried POST never creates a second object.
 */
export function createStripeClient(config: StripeConfig): StripeClient {
  if (!config.secretKey) return null;
  return new Stripe(config.secretKey, {
    ...(config.apiBase ?? {}),
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    appInfo: { name: 'Recording Studio Manager' },
  });
}

/** Signature check of a webhook (tolerance 300 s): the SDK's, so it matches Stripe's scheme exactly. */
export function verifyStripeEvent(rawBody: string, signature: string, secret: string): Stripe.Event {
  return Stripe.webhooks.constructEvent(rawBody, signature, secret, 300);
}
