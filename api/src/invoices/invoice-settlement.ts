import { splitEvenly, splitInProportion } from '../money/money.js';

/**
 * The arithmetic of settling an invoice, kept apart from the SQL in invoice-balance.ts so that it can be
 * property-tested on its own (invoice-settlement.spec.ts). invoice-balance.ts reads the sums and shares
 * under the invoice's row lock, calls these, and writes what they return; nothing else decides a balance,
 * a status or a re-split.
 */

/** What an issued invoice's rows add up to (minor units, each ≥ 0). */
export interface SettlementInput {
  total: number;
  /** Gross of the deposit invoices it deducts. */
  deposits: number;
  /** Totals of its issued credit notes. */
  credited: number;
  /** Payments minus their refunds. */
  paid: number;
}

export type SettledStatus = 'sent' | 'partially_paid' | 'paid';

export interface SettlementFigures {
  balance: number;
  status: SettledStatus;
}

/**
 *   due     = total − deposits − credited
 *   balance = max(0, due − paid)       (an overpayment leaves nothing to pay, never a negative balance)
 *   status  = paid when nothing is left to pay, partially_paid when something was paid, else sent.
 */
export function settlementOf({ total, deposits, credited, paid }: SettlementInput): SettlementFigures {
  const open = total - deposits - credited - paid;
  return { balance: Math.max(0, open), status: open <= 0 ? 'paid' : paid > 0 ? 'partially_paid' : 'sent' };
}

/** A share as the re-split sees it: 0 ≤ paid ≤ amount (the table's check constraint). */
export interface ShareFigures {
  amount: number;
  paid: number;
}

/** What to do with the share at `index` of the list given to resplitPlan. */
export type ShareChange = { index: number; amount: number } | { index: number; delete: true };

/**
 * How a split invoice's shares follow a new balance so that their open parts (amount − paid) sum to it
 * again (docs/payments.md, "Shares follow the balance"):
 *
 *  - what each share has paid is never touched: a paid share stays paid;
 *  - the balance is re-split over the shares still open, in proportion to what each had open
 *    (splitInProportion), or evenly over every share when none was open (a refund re-opening a fully
 *    paid split);
 *  - a share left with nothing paid and nothing to pay is deleted.
 *
 * Returns only the shares that change (none when the open parts already sum to the balance).
 */
export function resplitPlan(shares: ShareFigures[], balance: number): ShareChange[] {
  if (!shares.length) return [];
  const open = shares.map((s) => s.amount - s.paid);
  const stillOpen = open.reduce((a, b) => a + b, 0);
  if (stillOpen === balance) return [];
  const parts = stillOpen > 0 ? splitInProportion(balance, open) : splitEvenly(balance, shares.length);
  const changes: ShareChange[] = [];
  for (const [index, share] of shares.entries()) {
    const amount = share.paid + parts[index];
    if (amount === share.amount) continue;
    changes.push(amount > 0 ? { index, amount } : { index, delete: true });
  }
  return changes;
}
