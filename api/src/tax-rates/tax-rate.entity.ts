import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DECIMAL_TEXT } from '../money/minor-units-column.js';

/**
 * A tax the studio charges (VAT 20 %, reduced 5.5 %, none). Lines copy its name, rate and mode when
 * their document is saved, so editing or archiving a rate never changes an issued invoice.
 */
@Entity('tax_rates')
@Check('CHK_tax_rates_rate', `"rate_percent" >= 0 AND "rate_percent" <= 100`)
@Index('UQ_tax_rates_default', ['isDefault'], { unique: true, where: `"is_default" AND "archived_at" IS NULL` })
export class TaxRate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Percent with up to 4 decimals, as exact text ("20", "5.5", "7.7"). */
  @Column({ name: 'rate_percent', type: 'numeric', precision: 7, scale: 4, transformer: DECIMAL_TEXT })
  ratePercent: string;

  /** True: line prices include this tax (the tax is carved out of them); false: it is added on top. */
  @Column({ type: 'boolean', default: false })
  inclusive: boolean;

  /** New lines get this rate unless they name another (at most one live default). */
  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  /** Archived rates stay on the documents that used them but are offered no more. */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
