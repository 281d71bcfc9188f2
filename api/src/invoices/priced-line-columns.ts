import { Column, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { DECIMAL_TEXT, MINOR_UNITS } from '../money/minor-units-column.js';
import { TaxRate } from '../tax-rates/tax-rate.entity.js';

export const LINE_KINDS = ['manual', 'room', 'engineer', 'equipment', 'deposit'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/**
 * The columns an invoice line and a quote line share: quantity × unit price − discount, taxed at the
 * copied rate. One class so accepting a quote can copy its lines onto the invoice as they are.
 * Not an entity: TypeORM gives these columns to each entity that extends it (each keeps its own
 * table, parent column, checks and constraint names).
 */
export abstract class PricedLineColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 20, default: 'manual' })
  kind: LineKind;

  /** The session this line bills or prices. */
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
