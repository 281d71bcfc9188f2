import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Invoice } from '../invoices/invoice.entity.js';
import { MINOR_UNITS } from '../money/minor-units-column.js';
import { InvoiceShare } from './invoice-share.entity.js';

export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'card_terminal', 'cheque', 'stripe', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Money received against an invoice (by hand, or through Stripe Checkout). Written in the same
 * transaction as the invoice's new balance and status (invoice-balance.ts). Refunds and disputes are
 * recorded on the payment; the invoice's paid amount is the payments less their refunds.
 */
@Entity('payments')
@Check('CHK_payments_method', `"method" IN ('cash', 'bank_transfer', 'card_terminal', 'cheque', 'stripe', 'other')`)
@Check('CHK_payments_amounts', `"amount_minor" > 0 AND "refunded_minor" >= 0 AND "refunded_minor" <= "amount_minor"`)
@Index('idx_payments_invoice', ['invoiceId', 'receivedOn'])
@Index('idx_payments_received', ['receivedOn', 'id'])
@Index('UQ_payments_payment_intent', ['stripePaymentIntentId'], { unique: true, where: `"stripe_payment_intent_id" IS NOT NULL` })
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;

  /** The split-payment share this pays, if any. */
  @Column({ name: 'share_id', type: 'uuid', nullable: true })
  shareId: string | null;

  @ManyToOne(() => InvoiceShare, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'share_id' })
  share?: InvoiceShare;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: MINOR_UNITS })
  amountMinor: number;

  @Column({ type: 'character', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 20 })
  method: PaymentMethod;

  /** The day the money arrived (studio's calendar). */
  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  /** Bank reference, cheque number, terminal slip… */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'refunded_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  refundedMinor: number;

  /** A dispute (chargeback) is open or was lost on this payment. */
  @Column({ name: 'disputed_at', type: 'timestamptz', nullable: true })
  disputedAt: Date | null;

  @Column({ name: 'stripe_payment_intent_id', type: 'varchar', length: 255, nullable: true })
  stripePaymentIntentId: string | null;

  @Column({ name: 'stripe_charge_id', type: 'varchar', length: 255, nullable: true })
  stripeChargeId: string | null;

  /** The staff user who recorded it by hand (null for online payments). */
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
