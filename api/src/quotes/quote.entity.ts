import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { Client } from '../clients/client.entity.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { DECIMAL_TEXT, MINOR_UNITS } from '../money/minor-units-column.js';
import { Project } from '../projects/project.entity.js';

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
@Check('CHK_quotes_valid_until', `"status" = 'draft' OR ("valid_until" IS NOT NULL AND "issue_date" IS NOT NULL)`)
@Check('CHK_quotes_deposit', `("deposit_percent" IS NULL OR "deposit_minor" IS NULL) AND ("deposit_percent" IS NULL OR ("deposit_percent" > 0 AND "deposit_percent" <= 100)) AND ("deposit_minor" IS NULL OR "deposit_minor" > 0)`)
@Check('CHK_quotes_totals', `"total_minor" = "subtotal_minor" + "tax_minor" AND "subtotal_minor" >= 0 AND "tax_minor" >= 0`)
@Index('UQ_quotes_number', ['number'], { unique: true })
@Index('idx_quotes_order', ['createdAt', 'id'])
@Index('idx_quotes_client', ['clientId', 'createdAt'])
@Index('idx_quotes_invoice', ['invoiceId'])
export class Quote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  number: string | null;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: StoredQuoteStatus;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId: string | null;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @Column({ type: 'character', length: 3 })
  currency: string;

  /** Set when sent (the studio's date then), with the number. */
  @Column({ name: 'issue_date', type: 'date', nullable: true })
  issueDate: string | null;

  /** Last day the offer holds (required to send). */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'text', nullable: true })
  terms: string | null;

  /** The client's billing details, copied while a draft, frozen when sent (as invoices do). */
  @Column({ name: 'bill_to_name', type: 'varchar', length: 200 })
  billToName: string;

  @Column({ name: 'bill_to_address', type: 'text', nullable: true })
  billToAddress: string | null;

  @Column({ name: 'bill_to_tax_id', type: 'varchar', length: 50, nullable: true })
  billToTaxId: string | null;

  @Column({ name: 'bill_to_email', type: 'varchar', length: 320, nullable: true })
  billToEmail: string | null;

  @Column({ name: 'subtotal_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  subtotalMinor: number;

  @Column({ name: 'tax_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  taxMinor: number;

  @Column({ name: 'total_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  totalMinor: number;

  /** The deposit asked, as a percent of the quote's total (gross)… */
  @Column({ name: 'deposit_percent', type: 'numeric', precision: 7, scale: 4, nullable: true, transformer: DECIMAL_TEXT })
  depositPercent: string | null;

  /** …or as a fixed gross amount in minor units of `currency`. */
  @Column({ name: 'deposit_minor', type: 'bigint', nullable: true, transformer: MINOR_UNITS })
  depositMinor: number | null;

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

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
