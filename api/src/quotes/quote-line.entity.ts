import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { PricedLineColumns } from '../invoices/priced-line-columns.js';
import { Quote } from './quote.entity.js';

/**
 * One line of a quote: the same columns and rules as invoice_lines (accepting copies them onto the
 * invoice as they are). net/tax/gross are money/'s result for this line (rounded once, per line).
 */
@Entity('quote_lines')
@Check('CHK_quote_lines_kind', `"kind" IN ('manual', 'room', 'engineer', 'equipment', 'deposit')`)
@Check('CHK_quote_lines_amounts', `"quantity" >= 0 AND "unit_price_minor" >= 0 AND "discount_minor" >= 0 AND "net_minor" >= 0 AND "tax_minor" >= 0 AND "gross_minor" = "net_minor" + "tax_minor"`)
@Check('CHK_quote_lines_tax', `"tax_rate_percent" >= 0 AND "tax_rate_percent" <= 100`)
@Check('CHK_quote_lines_position', `"position" >= 1`)
@Unique('UQ_quote_lines_position', ['quoteId', 'position'], { deferrable: 'INITIALLY DEFERRED' })
@Index('idx_quote_lines_booking', ['bookingId'])
export class QuoteLine extends PricedLineColumns {
  @Column({ name: 'quote_id', type: 'uuid' })
  quoteId: string;

  @ManyToOne(() => Quote, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quote_id' })
  quote?: Quote;
}
