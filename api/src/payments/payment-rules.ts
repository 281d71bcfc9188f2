import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';
import type { Invoice } from '../invoices/invoice.entity.js';
import type { PaymentDto, ShareDto } from './dto/payment.dto.js';
import type { InvoiceShare } from './invoice-share.entity.js';
import type { Payment } from './payment.entity.js';

export const paymentNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No payment with this id in your studio.');
export const invoiceNotPayable = (invoice: Invoice) =>
  new ProblemException(
    HttpStatus.CONFLICT,
    'invoice-not-payable',
    invoice.kind === 'credit_note' ? 'A credit note is not paid: it reduces what its invoice asks.' : `A ${invoice.status} invoice takes no payment: only an issued invoice does.`,
  );
export const overpayment = (amount: number, open: number, what: 'invoice' | 'share') =>
  new ProblemException(HttpStatus.CONFLICT, 'overpayment', `${amount} is more than the ${what}'s open amount (${open}): nothing was recorded.`);
export const sharesLocked = () => new ProblemException(HttpStatus.CONFLICT, 'shares-locked', 'A share is already (partly) paid: the split can no longer change.');

/** Only an issued invoice or deposit invoice takes money: not a draft, a void one or a credit note. */
export function assertPayable(invoice: Invoice): void {
  if (invoice.kind === 'credit_note' || invoice.status === 'draft' || invoice.status === 'void') throw invoiceNotPayable(invoice);
}

export function toPaymentDto(p: Payment): PaymentDto {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    shareId: p.shareId,
    amountMinor: p.amountMinor,
    currency: p.currency,
    method: p.method,
    receivedOn: p.receivedOn,
    reference: p.reference,
    note: p.note,
    refundedMinor: p.refundedMinor,
    disputed: p.disputedAt !== null,
    recordedBy: p.recordedBy,
    createdAt: p.createdAt.toISOString(),
  };
}

/** `onlineCheckout`: whether the studio can take card payments online now (a connected Stripe account that takes charges). */
export function toShareDto(s: InvoiceShare, onlineCheckout: boolean): ShareDto {
  const paid = s.paidMinor >= s.amountMinor;
  return {
    id: s.id,
    position: s.position,
    payerName: s.payerName,
    payerEmail: s.payerEmail,
    amountMinor: s.amountMinor,
    paidMinor: s.paidMinor,
    paid,
    checkoutAvailable: onlineCheckout && !paid,
  };
}
