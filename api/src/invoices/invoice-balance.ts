import type { EntityManager } from 'typeorm';
import { Invoice, type InvoiceStatus } from './invoice.entity.js';

export interface Settlement {
  invoice: Invoice;
  previousStatus: InvoiceStatus;
}

/**
 * Recomputes an issued invoice's (or deposit invoice's) deposits, credits, payments, balance and status
 * from its rows, under its row lock, in the caller's transaction (a payment, refund or credit note
 * writes its row and calls this before committing, so the invoice never disagrees with them):
 *
 *   due     = total − deposits deducted − issued credit notes
 *   paid    = payments − their refunds
 *   balance = max(0, due − paid)
 *   status  = paid when nothing is left to pay, partially_paid when something was paid, else sent.
 *
 * Drafts, void invoices and credit notes are returned unchanged. Returns the status it had before,
 * so the caller can record an event (e.g. `invoice.paid`) only when it changed.
 */
export async function settleInvoice(manager: EntityManager, invoiceId: string): Promise<Settlement> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('settleInvoice outside a transaction');
  const repo = manager.getRepository(Invoice);
  const invoice = await repo.findOne({ where: { id: invoiceId }, lock: { mode: 'pessimistic_write' } });
  if (!invoice) throw new Error(`settleInvoice: no invoice ${invoiceId}`);
  const previousStatus = invoice.status;
  if (invoice.status === 'draft' || invoice.status === 'void' || invoice.kind === 'credit_note') return { invoice, previousStatus };

  const [sums] = (await manager.query(
    `SELECT
       (SELECT COALESCE(sum(gross_minor), 0) FROM invoice_deposits WHERE invoice_id = $1)::bigint AS deposits,
       (SELECT COALESCE(sum(total_minor), 0) FROM invoices WHERE credited_invoice_id = $1 AND kind = 'credit_note' AND status NOT IN ('draft', 'void'))::bigint AS credited,
       (SELECT COALESCE(sum(amount_minor - refunded_minor), 0) FROM payments WHERE invoice_id = $1)::bigint AS paid`,
    [invoiceId],
  )) as Array<{ deposits: string; credited: string; paid: string }>;
  const deposits = Number(sums.deposits);
  const credited = Number(sums.credited);
  const paid = Number(sums.paid);
  const open = invoice.totalMinor - deposits - credited - paid;

  invoice.depositsMinor = deposits;
  invoice.creditedMinor = credited;
  invoice.paidMinor = paid;
  invoice.balanceMinor = Math.max(0, open);
  invoice.status = open <= 0 ? 'paid' : paid > 0 ? 'partially_paid' : 'sent';
  if (invoice.status === 'paid' && previousStatus !== 'paid') invoice.paidAt = new Date();
  if (invoice.status !== 'paid') invoice.paidAt = null;
  await repo.save(invoice);
  return { invoice, previousStatus };
}
