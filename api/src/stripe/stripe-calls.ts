import { Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { stripeUnavailable } from './stripe-problems.js';

const logger = new Logger('Stripe');

/**
 * Runs one call to Stripe; a Stripe error (refused, unreachable, rate limited) becomes a 502 problem
 * naming what failed, logged with Stripe's request id. Nothing of ours has been written before a call.
 */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof Stripe.errors.StripeError)) throw err;
    logger.warn({ what, type: err.type, code: err.code, requestId: err.requestId, statusCode: err.statusCode, message: err.message }, 'Stripe call failed');
    throw stripeUnavailable(`Stripe refused or could not be reached (${what}): ${err.message}`);
  }
}

/** A connected account's state as the product shows it. */
export function accountStatus(account: Pick<Stripe.Account, 'details_submitted' | 'charges_enabled'>): 'onboarding' | 'active' | 'restricted' {
  if (!account.details_submitted) return 'onboarding';
  return account.charges_enabled ? 'active' : 'restricted';
}
