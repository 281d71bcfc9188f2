import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

/** The 409s and 400s of online payment (contract: "Stripe"), one place for their types and wording. */
export const onlinePaymentOff = () =>
  new ProblemException(HttpStatus.CONFLICT, 'online-payment-off', 'Online payment is off on this installation (no Stripe key is configured).');
export const stripeNotConnected = () =>
  new ProblemException(HttpStatus.CONFLICT, 'stripe-not-connected', "The studio's Stripe account is not connected or cannot take payments yet.");
export const invoiceNotPayable = (detail: string) => new ProblemException(HttpStatus.CONFLICT, 'invoice-not-payable', detail);
export const noConnection = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'The studio has no connected Stripe account.');
export const badWebhook = (detail: string) => new ProblemException(HttpStatus.BAD_REQUEST, 'stripe-webhook-refused', detail);
/** Stripe could not be reached or refused the call: the studio can try again. */
export const stripeUnavailable = (detail: string) => new ProblemException(HttpStatus.BAD_GATEWAY, 'stripe-unavailable', detail);

/** The checkout link for this amount was just paid; its webhook has not been recorded yet. */
export const paymentInProgress = () =>
  new ProblemException(HttpStatus.CONFLICT, 'payment-in-progress', 'This amount was just paid online: the payment is being recorded. Refresh in a moment.');
