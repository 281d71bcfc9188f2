import { z } from 'zod';
import { bool, positiveInt } from './env-values.js';

/** Issue 13, webhooks: outgoing webhook deliveries (part of envSchema in env-schema.ts). */
const webhooksEnvSchema = z.object({
  /** Endpoints may point at private, loopback or link-local addresses (default: outside production only). */
  WEBHOOKS_ALLOW_PRIVATE_URLS: bool.optional(),
  /** How long one delivery attempt may take, connection to response headers. */
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Deliveries in flight at once per instance (all studios). */
  WEBHOOKS_CONCURRENCY: positiveInt(8),
});
export const webhooksEnv = webhooksEnvSchema.shape;
export type WebhooksEnv = z.infer<typeof webhooksEnvSchema>;

export interface WebhooksConfig {
  /** false: URLs resolving to private/loopback/link-local addresses are refused at creation and at every send (SSRF). */
  allowPrivateUrls: boolean;
  timeoutMs: number;
  concurrency: number;
}

export function webhooksConfig(env: WebhooksEnv & { NODE_ENV: string }): WebhooksConfig {
  return {
    // Fail closed: only the test suite's apps (NODE_ENV=test) allow private addresses unless told to; a staging
    // or development server that forgot NODE_ENV=production must not reach 169.254.169.254 or internal ports.
    allowPrivateUrls: env.WEBHOOKS_ALLOW_PRIVATE_URLS ?? env.NODE_ENV === 'test',
    timeoutMs: env.WEBHOOKS_TIMEOUT_MS,
    concurrency: env.WEBHOOKS_CONCURRENCY,
  };
}
