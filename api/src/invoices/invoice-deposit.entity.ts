import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DECIMAL_TEXT, MINOR_UNITS } from '../money/minor-units-column.js';
import { Invoice } from './invoice.entity.js';

/**
 * A paid deposit invoice deducted on a final invoice ("facture de solde" / "Schlussrechnung"): the
 * final invoice lists the full service with its tax, then each deposit (number, date, net, tax) and
 * deducts it. Copied at the time of deduction, per tax rate of the deposit.
 */
@Entity('invoice_deposits')
@Index('idx_invoice_deposits_deposit', ['depositInvoiceId'])
export class InvoiceDeposit {
  @PrimaryColumn({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;

  @PrimaryColumn({ name: 'deposit_invoice_id', type: 'uuid' })
  depositInvoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'deposit_invoice_id' })
  depositInvoice?: Invoice;

  @PrimaryColumn({ name: 'tax_rate_percent', type: 'numeric', precision: 7, scale: 4, transformer: DECIMAL_TEXT })
  taxRatePercent: string;

  @Column({ name: 'net_minor', type: 'bigint', transformer: MINOR_UNITS })
  netMinor: number;

  @Column({ name: 'tax_minor', type: 'bigint', transformer: MINOR_UNITS })
  taxMinor: number;

  @Column({ name: 'gross_minor', type: 'bigint', transformer: MINOR_UNITS })
  grossMinor: number;
}
