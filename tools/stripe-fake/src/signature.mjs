import { createHmac } from 'node:crypto';

/**
 * The Stripe-Signature header Stripe sends with every webhook: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256(endpoint secret, "<t>.<raw payload>")>` — what `stripe.webhooks.constructEvent` verifies.
 */
export function signatureHeader(payload, secret, timestamp = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
