import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { MINOR_UNITS } from '../money/minor-units-column.js';
// Type only: quote.entity.ts imports this file (the relation names 'Quote' by string).
import type { Quote } from '../quotes/quote.entity.js';
import { BilledDocumentColumns } from './billed-document-columns.js';

export const INVOICE_KINDS = ['invoice', 'deposit', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const INVOICE_STATUSES = ['draft', 'sent', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** Issued and not void: what can be paid, credited, deducted as a deposit or counted as billed. */
export const ISSUED_STATUSES = ['sent', 'partially_paid', 'paid'] as const satisfies readonly InvoiceStatus[];
export const isIssued = (status: InvoiceStatus): boolean => (ISSUED_STATUSES as readonly InvoiceStatus[]).includes(status);

/**
 * An invoice, a deposit invoice (its own numbered invoice, "facture d'acompte" / "Anzahlungsrechnung")
 * or a credit note (which references the invoice it credits). Amounts are minor units of `currency`.
 *
 * Totals are stored as computed by money/ when the lines were last saved (subtotal = net, tax, total =
 * gross = subtotal + tax); `depositsMinor` is the gross of the deposit invoices deducted on a final
 * invoice; `creditedMinor` the issued credit notes against it; `paidMinor` the payments less refunds.
 * balance = total − deposits − credited − paid, never below zero (invoice-balance.ts keeps them).
 *
 * Drafts have no number; finalizing assigns one (numbering.ts) and it is never reused: a void invoice keeps it.
 */
@Entity('invoices')
@Check('CHK_invoices_kind', `"kind" IN ('invoice', 'deposit', 'credit_note')`)
@Check('CHK_invoices_status', `"status" IN ('draft', 'sent', 'partially_paid', 'paid', 'void')`)
@Check('CHK_invoices_number', `("status" = 'draft') = ("number" IS NULL)`)
@Check('CHK_invoices_credit_note', `("kind" = 'credit_note') = ("credited_invoice_id" IS NOT NULL)`)
@Check('CHK_invoices_totals', `"total_minor" = "subtotal_minor" + "tax_minor" AND "subtotal_minor" >= 0 AND "tax_minor" >= 0`)
@Check('CHK_invoices_balance', `"deposits_minor" >= 0 AND "credited_minor" >= 0 AND "paid_minor" >= 0 AND "balance_minor" >= 0`)
@Index('UQ_invoices_number', ['number'], { unique: true })
@Index('idx_invoices_status_order', ['status', 'createdAt', 'id'])
@Index('idx_invoices_client', ['clientId', 'createdAt'])
@Index('idx_invoices_due', ['dueDate'], { where: `"status" IN ('sent', 'partially_paid')` })
@Index('idx_invoices_credited', ['creditedInvoiceId'])
@Index('idx_invoices_booking', ['bookingId'])
@Index('idx_invoices_quote', ['quoteId'])
export class Invoice extends BilledDocumentColumns {
  @Column({ type: 'varchar', length: 20, default: 'invoice' })
  kind: InvoiceKind;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: InvoiceStatus;

  @Column({ type: 'varchar', length: 60, nullable: true })
  number: string | null;

  /** A credit note's invoice. */
  @Column({ name: 'credited_invoice_id', type: 'uuid', nullable: true })
  creditedInvoiceId: string | null;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'credited_invoice_id' })
  creditedInvoice?: Invoice;

  /**
   * The quote this invoice comes from (quotes module): the invoice or deposit invoice accepting it
   * created, or the final invoice made from it later. Its deposit invoices are found through it.
   */
  @Column({ name: 'quote_id', type: 'uuid', nullable: true })
  quoteId: string | null;

  @ManyToOne('Quote', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'quote_id' })
  quote?: Quote;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ name: 'po_number', type: 'varchar', length: 100, nullable: true })
  poNumber: string | null;

  @Column({ name: 'deposits_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  depositsMinor: number;

  @Column({ name: 'credited_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  creditedMinor: number;

  @Column({ name: 'paid_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  paidMinor: number;

  @Column({ name: 'balance_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  balanceMinor: number;

  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt: Date | null;

  /** Last time it was emailed to the client. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ name: 'void_reason', type: 'text', nullable: true })
  voidReason: string | null;

  @Column({ name: 'late_notices_sent', type: 'integer', default: 0 })
  lateNoticesSent: number;

  @Column({ name: 'last_late_notice_at', type: 'timestamptz', nullable: true })
  lastLateNoticeAt: Date | null;
}
