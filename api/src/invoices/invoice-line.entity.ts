import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { Invoice } from './invoice.entity.js';
import { PricedLineColumns } from './priced-line-columns.js';

/**
 * One line of an invoice, deposit invoice or credit note: quantity × unit price − discount, taxed at
 * the copied rate. net/tax/gross are money/'s result for this line (rounded once, per line).
 */
@Entity('invoice_lines')
@Check('CHK_invoice_lines_kind', `"kind" IN ('manual', 'room', 'engineer', 'equipment', 'deposit')`)
@Check('CHK_invoice_lines_amounts', `"quantity" >= 0 AND "unit_price_minor" >= 0 AND "discount_minor" >= 0 AND "net_minor" >= 0 AND "tax_minor" >= 0 AND "gross_minor" = "net_minor" + "tax_minor"`)
@Check('CHK_invoice_lines_tax', `"tax_rate_percent" >= 0 AND "tax_rate_percent" <= 100`)
@Check('CHK_invoice_lines_position', `"position" >= 1`)
@Unique('UQ_invoice_lines_position', ['invoiceId', 'position'], { deferrable: 'INITIALLY DEFERRED' })
@Index('idx_invoice_lines_booking', ['bookingId'])
export class InvoiceLine extends PricedLineColumns {
  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Invoice;
}
