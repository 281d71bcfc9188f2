import type { EntityManager } from 'typeorm';
import { Invoice, type InvoiceStatus } from './invoice.entity.js';
import { resplitPlan, settlementOf } from './invoice-settlement.js';

export interface Settlement {
  invoice: Invoice;
  previousStatus: InvoiceStatus;
}

/**
 * Recomputes an issued invoice's (or deposit invoice's) deposits, credits, payments, balance and status
 * from its rows, under its row lock, in the caller's transaction (a payment, refund or credit note
 * writes its row and calls this before committing, so the invoice never disagrees with them). The
 * arithmetic is settlementOf (invoice-settlement.ts): balance = max(0, total − deposits deducted −
 * issued credit notes − (payments − their refunds)); paid when nothing is left, partially_paid when
 * something was paid, else sent.
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
  const { balance, status } = settlementOf({ total: invoice.totalMinor, deposits, credited, paid });

  invoice.depositsMinor = deposits;
  invoice.creditedMinor = credited;
  invoice.paidMinor = paid;
  invoice.balanceMinor = balance;
  invoice.status = status;
  if (invoice.status === 'paid' && previousStatus !== 'paid') invoice.paidAt = new Date();
  if (invoice.status !== 'paid') invoice.paidAt = null;
  await repo.save(invoice);
  await resplitShares(manager, invoiceId, invoice.balanceMinor);
  return { invoice, previousStatus };
}

/**
 * A split invoice's shares always sum to its balance (what each payer still owes = what the invoice
 * still asks). A payment on a share keeps that by itself; a credit note, a refund of a payment made
 * before the split, or a payment beyond a share's amount does not. Then, in the same transaction, the
 * shares are changed as resplitPlan (invoice-settlement.ts) says: paid parts untouched, the balance
 * re-split over the open parts (splitInProportion: a 20 % credit lowers each open share by 20 %), or
 * evenly when none was open; a share left with nothing paid and nothing to pay is removed: a fully
 * refunded payment or a checkout link that named it keeps its amounts and stops naming it (ON DELETE
 * SET NULL, migration 1796620000000).
 */
async function resplitShares(m: EntityManager, invoiceId: string, balance: number): Promise<void> {
  const shares = ((await m.query(
    `SELECT id, amount_minor::bigint AS amount, paid_minor::bigint AS paid FROM invoice_shares WHERE invoice_id = $1 ORDER BY position FOR UPDATE`,
    [invoiceId],
  )) as Array<{ id: string; amount: string; paid: string }>).map((s) => ({ id: s.id, amount: Number(s.amount), paid: Number(s.paid) }));
  for (const change of resplitPlan(shares, balance)) {
    const share = shares[change.index];
    if ('delete' in change) {
      await m.query(`DELETE FROM invoice_shares WHERE id = $1`, [share.id]);
    } else {
      await m.query(`UPDATE invoice_shares SET amount_minor = $2 WHERE id = $1`, [share.id, change.amount]);
    }
  }
}
