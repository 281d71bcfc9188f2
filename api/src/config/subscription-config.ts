import { z } from 'zod';
import { positiveInt } from './env-values.js';
import type { StripeEnv } from './stripe-config.js';

/** Issue 11, the studio's own subscription (part of envSchema in env-schema.ts; its price, STRIPE_PRICE_ID, is in stripe-config.ts). */
const subscriptionEnvSchema = z.object({
  SUBSCRIPTION_TRIAL_DAYS: positiveInt(14),
  SUBSCRIPTION_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(7),
});
export const subscriptionEnv = subscriptionEnvSchema.shape;
type SubscriptionEnv = z.infer<typeof subscriptionEnvSchema>;

/**
 * A sign-up starts a trial of `trialDays`; a subscription past due (or canceled) for more than
 * `graceDays` makes the studio read-only (writes → 402); a trial that ended without a subscription
 * does too, but only when `priceId` is set (billing in use).
 */
export interface SubscriptionConfig {
  trialDays: number;
  graceDays: number;
  priceId: string | undefined;
}

export function subscriptionConfig(env: SubscriptionEnv & Pick<StripeEnv, 'STRIPE_PRICE_ID'>): SubscriptionConfig {
  return { trialDays: env.SUBSCRIPTION_TRIAL_DAYS, graceDays: env.SUBSCRIPTION_GRACE_DAYS, priceId: env.STRIPE_PRICE_ID };
}
