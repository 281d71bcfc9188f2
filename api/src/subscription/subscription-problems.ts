import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

/** The 409s of the studio's own subscription (docs/stripe.md, "The studio's own subscription"). */
export const onlineBillingOff = () =>
  new ProblemException(
    HttpStatus.CONFLICT,
    'online-billing-off',
    'Online subscription billing is off on this platform (STRIPE_SECRET_KEY and STRIPE_PRICE_ID are not both configured).',
  );
export const noBillingCustomer = () =>
  new ProblemException(HttpStatus.CONFLICT, 'no-billing-customer', 'The studio has not subscribed yet, so there is no billing account to manage: subscribe first.');
export const alreadySubscribed = () =>
  new ProblemException(HttpStatus.CONFLICT, 'already-subscribed', 'The studio already has a subscription: manage it (payment method, overdue invoice, cancellation) in the billing portal.');
export const checkoutInProgress = () =>
  new ProblemException(HttpStatus.CONFLICT, 'checkout-in-progress', 'Another subscription checkout of this studio is being prepared right now: try again in a moment.');
