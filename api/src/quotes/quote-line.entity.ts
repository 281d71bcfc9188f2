import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { DECIMAL_TEXT, MINOR_UNITS } from '../money/minor-units-column.js';
import { TaxRate } from '../tax-rates/tax-rate.entity.js';
import type { LineKind } from '../invoices/invoice-line.entity.js';
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
export class QuoteLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'quote_id', type: 'uuid' })
  quoteId: string;

  @ManyToOne(() => Quote, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quote_id' })
  quote?: Quote;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 20, default: 'manual' })
  kind: LineKind;

  /** The session this line prices. */
  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  /** What the client reads: for a session, date, start–end, room, engineers and track titles. */
  @Column({ type: 'text' })
  description: string;

  /** Up to 3 decimals, exact text ("2.5" hours). */
  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: DECIMAL_TEXT })
  quantity: string;

  /** hour, day, session, item… free text for the document. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  unit: string | null;

  @Column({ name: 'unit_price_minor', type: 'bigint', transformer: MINOR_UNITS })
  unitPriceMinor: number;

  @Column({ name: 'discount_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  discountMinor: number;

  @Column({ name: 'tax_rate_id', type: 'uuid', nullable: true })
  taxRateId: string | null;

  @ManyToOne(() => TaxRate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tax_rate_id' })
  taxRate?: TaxRate;

  /** Copies of the tax rate when the line was saved (an edited rate never changes this line). */
  @Column({ name: 'tax_name', type: 'varchar', length: 100, nullable: true })
  taxName: string | null;

  @Column({ name: 'tax_rate_percent', type: 'numeric', precision: 7, scale: 4, default: 0, transformer: DECIMAL_TEXT })
  taxRatePercent: string;

  @Column({ name: 'tax_inclusive', type: 'boolean', default: false })
  taxInclusive: boolean;

  @Column({ name: 'net_minor', type: 'bigint', transformer: MINOR_UNITS })
  netMinor: number;

  @Column({ name: 'tax_minor', type: 'bigint', transformer: MINOR_UNITS })
  taxMinor: number;

  @Column({ name: 'gross_minor', type: 'bigint', transformer: MINOR_UNITS })
  grossMinor: number;
}
