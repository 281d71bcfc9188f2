import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const NUMBER_RESETS = ['yearly', 'never'] as const;
export type NumberReset = (typeof NUMBER_RESETS)[number];

/**
 * What the studio's documents say about the studio (legal name, address, tax ids, bank details, logo)
 * and how they are numbered. One row per tenant database (id 1), created by the migration.
 * Number formats: tokens {YYYY}, {YY}, {MM} and {seq} or {seq:N} (zero-padded to N digits).
 */
@Entity('billing_settings')
@Check('CHK_billing_settings_singleton', `"id" = 1`)
@Check('CHK_billing_settings_reset', `"number_reset" IN ('yearly', 'never')`)
@Check('CHK_billing_settings_logo', `("logo" IS NULL) = ("logo_content_type" IS NULL) AND ("logo" IS NULL OR octet_length("logo") <= 524288)`)
@Check('CHK_billing_settings_terms', `"payment_terms_days" >= 0 AND "payment_terms_days" <= 365`)
export class BillingSettings {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id: number;

  @Column({ name: 'legal_name', type: 'varchar', length: 200, nullable: true })
  legalName: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  /** VAT number (or other sales-tax id) printed on documents. */
  @Column({ name: 'tax_id', type: 'varchar', length: 50, nullable: true })
  taxId: string | null;

  /** Company registration (SIRET, HRB…). */
  @Column({ name: 'company_id', type: 'varchar', length: 50, nullable: true })
  companyId: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  phone: string | null;

  @Column({ name: 'bank_name', type: 'varchar', length: 200, nullable: true })
  bankName: string | null;

  @Column({ type: 'varchar', length: 34, nullable: true })
  iban: string | null;

  @Column({ type: 'varchar', length: 11, nullable: true })
  bic: string | null;

  /**
   * The logo printed at the top of documents: a PNG or JPEG of at most 512 KB, kept here rather than
   * in files/ (files belong to a project or booking; this belongs to the studio's paperwork).
   */
  @Column({ type: 'bytea', nullable: true, select: false })
  logo: Buffer | null;

  @Column({ name: 'logo_content_type', type: 'varchar', length: 20, nullable: true })
  logoContentType: string | null;

  @Column({ name: 'invoice_number_format', type: 'varchar', length: 60, default: 'INV-{YYYY}-{seq:4}' })
  invoiceNumberFormat: string;

  @Column({ name: 'credit_note_number_format', type: 'varchar', length: 60, default: 'CN-{YYYY}-{seq:4}' })
  creditNoteNumberFormat: string;

  @Column({ name: 'quote_number_format', type: 'varchar', length: 60, default: 'Q-{YYYY}-{seq:4}' })
  quoteNumberFormat: string;

  /** `yearly`: each sequence restarts at 1 every calendar year (of the issue date, studio time zone). */
  @Column({ name: 'number_reset', type: 'varchar', length: 10, default: 'yearly' })
  numberReset: NumberReset;

  /** Due date = issue date + this many days, unless an invoice sets its own. */
  @Column({ name: 'payment_terms_days', type: 'integer', default: 30 })
  paymentTermsDays: number;

  @Column({ name: 'default_terms', type: 'text', nullable: true })
  defaultTerms: string | null;

  @Column({ name: 'default_notes', type: 'text', nullable: true })
  defaultNotes: string | null;

  /** Late notices go out this many days after the due date (one per entry) while a balance is open. */
  @Column({ name: 'late_notice_days', type: 'integer', array: true, default: () => `'{7,14,30}'` })
  lateNoticeDays: number[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
