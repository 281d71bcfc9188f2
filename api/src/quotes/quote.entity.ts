import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BilledDocumentColumns } from '../invoices/billed-document-columns.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { DECIMAL_TEXT, MINOR_UNITS } from '../money/minor-units-column.js';

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined'] as const;
export type StoredQuoteStatus = (typeof QUOTE_STATUSES)[number];
/** What the API shows: `expired` is a sent quote whose validUntil is past (computed on read, never stored). */
export type QuoteStatus = StoredQuoteStatus | 'expired';

/**
 * A quote (issue 11): priced lines offered to a client until `validUntil`. Drafts have no number;
 * sending assigns one from the studio's quote sequence (numbering.ts). Accepting it creates the
 * invoice draft (`invoiceId`), or first a deposit invoice when it asks for a deposit
 * (`depositPercent` of its total, or a fixed gross `depositMinor`: at most one of them).
 *
 * `expired` is not stored: a sent quote past validUntil (the studio's date) reads as expired, so it
 * needs no job and can never be seen as "sent" for a day because a job ran late.
 */
@Entity('quotes')
@Check('CHK_quotes_status', `"status" IN ('draft', 'sent', 'accepted', 'declined')`)
@Check('CHK_quotes_number', `("status" = 'draft') = ("number" IS NULL)`)
@Check('CHK_quotes_sent_at', `"status" <> 'draft' OR "sent_at" IS NULL`)
@Check('CHK_quotes_valid_until', `"status" = 'draft' OR ("valid_until" IS NOT NULL AND "issue_date" IS NOT NULL)`)
@Check('CHK_quotes_deposit', `("deposit_percent" IS NULL OR "deposit_minor" IS NULL) AND ("deposit_percent" IS NULL OR ("deposit_percent" > 0 AND "deposit_percent" <= 100)) AND ("deposit_minor" IS NULL OR "deposit_minor" > 0)`)
@Check('CHK_quotes_totals', `"total_minor" = "subtotal_minor" + "tax_minor" AND "subtotal_minor" >= 0 AND "tax_minor" >= 0`)
@Index('UQ_quotes_number', ['number'], { unique: true })
@Index('idx_quotes_order', ['createdAt', 'id'])
@Index('idx_quotes_client', ['clientId', 'createdAt'])
@Index('idx_quotes_invoice', ['invoiceId'])
export class Quote extends BilledDocumentColumns {
  @Column({ type: 'varchar', length: 60, nullable: true })
  number: string | null;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: StoredQuoteStatus;

  /** Last day the offer holds (required to send). */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  /** The deposit asked, as a percent of the quote's total (gross)… */
  @Column({ name: 'deposit_percent', type: 'numeric', precision: 7, scale: 4, nullable: true, transformer: DECIMAL_TEXT })
  depositPercent: string | null;

  /** …or as a fixed gross amount in minor units of `currency`. */
  @Column({ name: 'deposit_minor', type: 'bigint', nullable: true, transformer: MINOR_UNITS })
  depositMinor: number | null;

  /**
   * When its mail went out. Null on a numbered quote whose mail the SMTP server refused: sending it
   * again mails it (documents.service.ts sendQuote numbers first, then mails).
   */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Set while one request mails the quote (documents.service.ts sendQuote), so another waits its turn. */
  @Column({ name: 'mailing_since', type: 'timestamptz', nullable: true })
  mailingSince: Date | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'declined_at', type: 'timestamptz', nullable: true })
  declinedAt: Date | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: string | null;

  /**
   * What accepting created: the invoice draft, or the deposit invoice when a deposit was asked.
   * Deferrable: it and invoices.quote_id point at each other, and moving a studio to another server
   * copies table by table (tenant-copy.ts defers such keys to the end of its transaction).
   */
  @Column({ name: 'invoice_id', type: 'uuid', nullable: true })
  invoiceId: string | null;

  @ManyToOne(() => Invoice, { onDelete: 'SET NULL', deferrable: 'INITIALLY IMMEDIATE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;
}
