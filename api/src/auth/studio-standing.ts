import type { AppConfig } from '../config/app-config.js';

/**
 * The studio's standing, computed in the same query that resolves a session or an API key (no extra
 * round trip), from its `organizations` row aliased `o`. One definition for both callers.
 *
 * Suspended (issue 7): the owner's email is unverified past its deadline — almost every route refuses.
 * Read-only (issue 11): the subscription is past due (or canceled) for longer than the grace period,
 * or, when billing is in use, the trial ended that long ago without a subscription. Reads keep
 * working and nothing is hidden or deleted; writes answer 402 until the subscription is paid.
 */
export const STUDIO_SUSPENDED_SQL = `(o.suspended_at IS NOT NULL OR o.unverified_until <= now())`;

export function studioReadOnlySql(subscription: AppConfig['subscription']): string {
  const grace = `make_interval(days => ${Math.trunc(subscription.graceDays)})`; // a validated integer, never user input
  const lapsed = [
    `(o.subscription_status = 'past_due' AND o.past_due_since <= now() - ${grace})`,
    `(o.subscription_status = 'canceled' AND COALESCE(o.current_period_end, now()) <= now() - ${grace})`,
  ];
  if (subscription.priceId) lapsed.push(`(o.subscription_status = 'trialing' AND o.stripe_subscription_id IS NULL AND o.current_period_end <= now() - ${grace})`);
  return `(${lapsed.join(' OR ')})`;
}
