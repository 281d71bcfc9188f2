import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Invoice } from '../invoices/invoice.entity.js';
import { MINOR_UNITS } from '../money/minor-units-column.js';

/**
 * One payer's part of a split invoice (e.g. each band member): its own payer, amount and checkout
 * link. The shares of an invoice sum exactly to the balance when split; the invoice is paid when
 * every share is.
 */
@Entity('invoice_shares')
@Check('CHK_invoice_shares_amounts', `"amount_minor" > 0 AND "paid_minor" >= 0 AND "paid_minor" <= "amount_minor"`)
@Unique('UQ_invoice_shares_position', ['invoiceId', 'position'], { deferrable: 'INITIALLY DEFERRED' })
export class InvoiceShare {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'payer_name', type: 'varchar', length: 200 })
  payerName: string;

  @Column({ name: 'payer_email', type: 'varchar', length: 320, nullable: true })
  payerEmail: string | null;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: MINOR_UNITS })
  amountMinor: number;

  @Column({ name: 'paid_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  paidMinor: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
