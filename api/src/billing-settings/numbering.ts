import type { EntityManager } from 'typeorm';
import { BillingSettings, type NumberReset } from './billing-settings.entity.js';
import type { SequenceKind } from './document-sequence.entity.js';

/**
 * Document numbers (issue 11): per studio and kind, gapless and unique under concurrency.
 *
 * `assignNumber` increments the sequence row inside the caller's transaction: the row stays locked
 * until that transaction ends, so concurrent finalizations queue on it and each gets the next value;
 * a finalization that fails rolls its increment back with everything else, so no number is lost.
 * Keep the transaction short after calling it: every other finalization of that kind waits for it.
 */

const TOKEN = /\{(YYYY|YY|MM|seq(?::(\d{1,2}))?)\}/g;

/** Why a number format cannot be used, or null when it can. */
export function numberFormatProblem(format: string, reset: NumberReset): string | null {
  if (format.length === 0 || format.length > 40) return 'must be 1 to 40 characters';
  const tokens = [...format.matchAll(TOKEN)];
  const seq = tokens.filter((m) => m[1].startsWith('seq'));
  if (seq.length !== 1) return 'must contain {seq} (or {seq:N} for N digits) exactly once';
  const padding = seq[0][2] ? Number(seq[0][2]) : 0;
  if (padding > 12) return '{seq:N} pads to at most 12 digits';
  if (reset === 'yearly' && !tokens.some((m) => m[1] === 'YYYY' || m[1] === 'YY')) return 'must contain {YYYY} or {YY} when numbers restart every year';
  const rest = format.replace(TOKEN, '');
  if (/[{}]/.test(rest)) return 'has an unknown {token}: use {YYYY}, {YY}, {MM}, {seq} or {seq:N}';
  if (!/^[\p{L}\p{N} _./#-]*$/u.test(rest)) return 'may hold letters, digits, spaces and - _ . / # besides its tokens';
  return null;
}

/** The number a format gives for a value and an issue date (YYYY-MM-DD). */
export function renderNumber(format: string, value: number, issueDate: string): string {
  const [year, month] = issueDate.split('-');
  return format.replace(TOKEN, (_, token: string, digits?: string) => {
    if (token === 'YYYY') return year;
    if (token === 'YY') return year.slice(2);
    if (token === 'MM') return month;
    return String(value).padStart(digits ? Number(digits) : 0, '0');
  });
}

const FORMAT_COLUMN: Record<SequenceKind, keyof BillingSettings> = {
  invoice: 'invoiceNumberFormat',
  credit_note: 'creditNoteNumberFormat',
  quote: 'quoteNumberFormat',
};

/**
 * The next number of `kind` for a document issued on `issueDate` (the studio's date, YYYY-MM-DD).
 * Must run inside the transaction that stores the number on its document.
 */
export async function assignNumber(manager: EntityManager, kind: SequenceKind, issueDate: string): Promise<string> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('assignNumber outside a transaction: the number would be consumed even if the document is not saved');
  const settings = await manager.getRepository(BillingSettings).findOneByOrFail({ id: 1 });
  const period = settings.numberReset === 'yearly' ? issueDate.slice(0, 4) : 'all';
  const [{ last_value: value }] = (await manager.query(
    `INSERT INTO "document_sequences" ("kind", "period", "last_value") VALUES ($1, $2, 1)
     ON CONFLICT ("kind", "period") DO UPDATE SET "last_value" = "document_sequences"."last_value" + 1
     RETURNING "last_value"`,
    [kind, period],
  )) as Array<{ last_value: number }>;
  return renderNumber(settings[FORMAT_COLUMN[kind]] as string, value, issueDate);
}
