import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Invoice } from '../invoices/invoice.entity.js';
import { MINOR_UNITS } from '../money/minor-units-column.js';
import { InvoiceShare } from '../payments/invoice-share.entity.js';

export const CHECKOUT_STATUSES = ['open', 'complete', 'expired'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/**
 * A Stripe Checkout Session created on the studio's connected account (a direct charge) to pay an
 * invoice's balance, a deposit invoice or one share. Its id is Stripe's (cs_…).
 */
@Entity('checkout_sessions')
@Check('CHK_checkout_sessions_status', `"status" IN ('open', 'complete', 'expired')`)
@Check('CHK_checkout_sessions_amount', `"amount_minor" > 0`)
@Index('idx_checkout_sessions_invoice', ['invoiceId', 'createdAt'])
export class CheckoutSession {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;

  @Column({ name: 'share_id', type: 'uuid', nullable: true })
  shareId: string | null;

  @ManyToOne(() => InvoiceShare, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'share_id' })
  share?: InvoiceShare;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: MINOR_UNITS })
  amountMinor: number;

  @Column({ type: 'character', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 20, default: 'open' })
  status: CheckoutStatus;

  @Column({ type: 'text' })
  url: string;

  /** The connected account (acct_…) it was created on. */
  @Column({ name: 'stripe_account_id', type: 'varchar', length: 255 })
  stripeAccountId: string;

  @Column({ name: 'payment_intent_id', type: 'varchar', length: 255, nullable: true })
  paymentIntentId: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
