import type Stripe from 'stripe';
import type { SubscriptionStatus } from '../control/organization.entity.js';

/**
 * Stripe's subscription statuses as the studio's standing (docs/stripe.md, "The studio's own subscription"):
 *
 * - `trialing`, `active`, `past_due`, `canceled`: the same.
 * - `unpaid` (Stripe gave up retrying) and `paused` (a trial ended without a payment method): `past_due` —
 *   money is owed, so the grace period runs from when it first became due, then the studio is read-only.
 * - `incomplete` (the first payment of a new subscription is still being attempted) and
 *   `incomplete_expired` (it never was paid): null — the subscription never started, so the studio's
 *   standing (its trial, or its previous subscription) is left as it is.
 */
export function standingOf(status: Stripe.Subscription.Status): SubscriptionStatus | null {
  switch (status) {
    case 'trialing':
    case 'active':
    case 'past_due':
    case 'canceled':
      return status as SubscriptionStatus;
    case 'unpaid':
    case 'paused':
      return 'past_due';
    default:
      return null; // incomplete, incomplete_expired, and any status a later API version adds
  }
}

/** The end of what the studio has (paid period, or trial): on the items since API 2025-03 (`basil`), with the subscription's as a fallback. */
export function periodEndOf(subscription: Stripe.Subscription): Date | null {
  const itemEnds = subscription.items?.data?.map((item) => item.current_period_end).filter((end): end is number => typeof end === 'number') ?? [];
  const legacy = (subscription as { current_period_end?: number }).current_period_end;
  const seconds = itemEnds.length ? Math.max(...itemEnds) : (legacy ?? subscription.trial_end ?? null);
  return seconds ? new Date(seconds * 1000) : null;
}

const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

/** The platform events that change a studio's subscription, and where each names its customer and subscription. */
export function subscriptionRefsOf(event: Stripe.Event): { customerId: string | null; subscriptionId: string | null } | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = object as unknown as Stripe.Checkout.Session;
      if (session.mode !== 'subscription') return null;
      return { customerId: idOf(session.customer), subscriptionId: idOf(session.subscription) };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed': {
      const subscription = object as unknown as Stripe.Subscription;
      return { customerId: idOf(subscription.customer), subscriptionId: subscription.id ?? null };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed':
    case 'invoice.payment_succeeded': {
      const invoice = object as unknown as Stripe.Invoice & { subscription?: string | { id: string } | null };
      const subscription = invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null;
      if (!subscription) return null; // a one-off invoice: not the subscription's business
      return { customerId: idOf(invoice.customer), subscriptionId: idOf(subscription) };
    }
    default:
      return null;
  }
}
