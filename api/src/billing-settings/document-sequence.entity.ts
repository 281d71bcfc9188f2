import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export const SEQUENCE_KINDS = ['invoice', 'credit_note', 'quote'] as const;
export type SequenceKind = (typeof SEQUENCE_KINDS)[number];

/**
 * The last number handed out per document kind and period ('2026', or 'all' without a yearly reset).
 * Incremented under its row lock inside the finalizing transaction (numbering.ts), so a number is
 * consumed only when its document commits: gapless and unique under concurrency.
 * Deposit invoices share the invoice sequence (one continuous series of invoices).
 */
@Entity('document_sequences')
@Check('CHK_document_sequences_kind', `"kind" IN ('invoice', 'credit_note', 'quote')`)
@Check('CHK_document_sequences_value', `"last_value" >= 1`)
export class DocumentSequence {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  kind: SequenceKind;

  @PrimaryColumn({ type: 'varchar', length: 4 })
  period: string;

  @Column({ name: 'last_value', type: 'integer' })
  lastValue: number;
}
