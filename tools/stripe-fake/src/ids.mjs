import { randomBytes } from 'node:crypto';

/** Stripe-looking ids (`cs_test_…`, `pi_…`): a prefix and 24 random base62-ish characters. */
export function newId(prefix) {
  return `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24)}`;
}

export const now = () => Math.floor(Date.now() / 1000);
