import { z } from 'zod';

/** Issue 11, stripe: Connect payments through the official SDK; unset key: online payment is off (part of envSchema in env-schema.ts). */
const stripeEnvSchema = z.object({
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\S+$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)').optional(),
  STRIPE_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+\/?$/, 'must be an origin such as http://127.0.0.1:12111 (the local Stripe server)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_PLATFORM_FEE_PERCENT: z
    .string()
    .regex(/^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/, 'must be a percentage from 0 to 100 with at most 4 decimals')
    .default('0'),
  /** The platform's subscription price: without it trials never end a studio's writes (see subscription-config.ts). */
  STRIPE_PRICE_ID: z.string().min(1).optional(),
});
export const stripeEnv = stripeEnvSchema.shape;
export type StripeEnv = z.infer<typeof stripeEnvSchema>;

/**
 * secretKey unset: online payment is off (no client is built). apiBase: where the SDK sends requests
 * (STRIPE_API_BASE, e.g. the local Stripe server); undefined: api.stripe.com.
 */
export interface StripeConfig {
  secretKey: string | undefined;
  apiBase: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  webhookSecret: string | undefined;
  connectWebhookSecret: string | undefined;
  /** Percentage of each checkout kept by the platform as an application fee ("0": none). */
  platformFeePercent: string;
  priceId: string | undefined;
}

/** `http://127.0.0.1:12111` → the SDK's host, port and protocol. */
export function parseStripeApiBase(base: string | undefined): StripeConfig['apiBase'] {
  if (!base) return undefined;
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

export function stripeConfig(env: StripeEnv): StripeConfig {
  return {
    secretKey: env.STRIPE_SECRET_KEY,
    apiBase: parseStripeApiBase(env.STRIPE_API_BASE),
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    connectWebhookSecret: env.STRIPE_CONNECT_WEBHOOK_SECRET,
    platformFeePercent: env.STRIPE_PLATFORM_FEE_PERCENT,
    priceId: env.STRIPE_PRICE_ID,
  };
}
