import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { documentTotals, type LineInput } from '../../src/money/money.js';

/**
 * Issue 11, settlements: invoices written straight into a studio's database (connectTenantDatabase),
 * as the invoices API leaves them after finalization, so payment and share tests do not depend on that
 * API. Totals come from money.ts (documentTotals), exactly as the API computes them.
 */
export interface InvoiceFixture {
  /** Lines as money.ts takes them (default: one line of 1 × 1000 at 0 %). */
  lines?: LineInput[];
  currency?: string;
  status?: 'draft' | 'sent' | 'void';
  kind?: 'invoice' | 'deposit' | 'credit_note';
  /** A credit note's invoice (required for kind credit_note). */
  creditedInvoiceId?: string;
  clientId?: string;
}

export interface InsertedInvoice {
  id: string;
  clientId: string;
  number: string | null;
  totalMinor: number;
}

/** A client of the studio (for invoices). */
export async function insertClient(db: pg.Client, name = 'Money client'): Promise<string> {
  return (await db.query(`INSERT INTO clients (name, email) VALUES ($1, 'billing@money.test') RETURNING id`, [name])).rows[0].id as string;
}

/**
 * An invoice with lines and correct totals: issued (`sent`, numbered, balance = total) by default; a
 * draft has no number; a void one keeps its number and a zero balance.
 */
export async function insertInvoice(db: pg.Client, fixture: InvoiceFixture = {}): Promise<InsertedInvoice> {
  const lines = fixture.lines ?? [{ quantity: '1', unitPriceMinor: 1000, taxRatePercent: '0', taxInclusive: false }];
  const totals = documentTotals(lines);
  const status = fixture.status ?? 'sent';
  const kind = fixture.kind ?? 'invoice';
  const clientId = fixture.clientId ?? (await insertClient(db));
  const number = status === 'draft' ? null : `${kind === 'credit_note' ? 'CN' : 'INV'}-T-${randomBytes(5).toString('hex')}`;
  const issued = status !== 'draft';
  const { rows } = await db.query(
    `INSERT INTO invoices (kind, status, number, client_id, credited_invoice_id, currency, issue_date, due_date, bill_to_name, bill_to_email,
       subtotal_minor, tax_minor, total_minor, balance_minor, finalized_at, voided_at, void_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Money client', 'billing@money.test', $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
    [
      kind,
      status,
      number,
      clientId,
      fixture.creditedInvoiceId ?? null,
      fixture.currency ?? 'EUR',
      issued ? '2026-03-01' : null,
      issued ? '2026-03-31' : null,
      totals.subtotalMinor,
      totals.taxMinor,
      totals.totalMinor,
      status === 'sent' && kind !== 'credit_note' ? totals.totalMinor : 0,
      issued ? new Date() : null,
      status === 'void' ? new Date() : null,
      status === 'void' ? 'Fixture void' : null,
    ],
  );
  const id = rows[0].id as string;
  for (const [i, line] of lines.entries()) {
    const t = totals.lines[i];
    await db.query(
      `INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price_minor, discount_minor, tax_rate_percent, tax_inclusive, net_minor, tax_minor, gross_minor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, i + 1, `Line ${i + 1}`, line.quantity, line.unitPriceMinor, line.discountMinor ?? 0, line.taxRatePercent, line.taxInclusive, t.netMinor, t.taxMinor, t.grossMinor],
    );
  }
  return { id, clientId, number, totalMinor: totals.totalMinor };
}

/** An issued invoice whose total is exactly `totalMinor` (one untaxed line). */
export const insertInvoiceOf = (db: pg.Client, totalMinor: number, fixture: InvoiceFixture = {}) =>
  insertInvoice(db, { ...fixture, lines: [{ quantity: '1', unitPriceMinor: totalMinor, taxRatePercent: '0', taxInclusive: false }] });

/** Row counts of everything a payment or a share write touches (a refused request changes none). */
export async function moneyCounts(db: pg.Client): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM payments)::int AS payments, (SELECT count(*) FROM invoice_shares)::int AS shares,
            (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM audit_log)::int AS audit,
            (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
            (SELECT coalesce(sum(paid_minor), 0)::bigint::text FROM invoice_shares) AS shares_paid,
            (SELECT string_agg(id || ':' || status || ':' || balance_minor || ':' || paid_minor, ',' ORDER BY id) FROM invoices) AS invoices`,
  );
  return rows[0] as Record<string, number>;
}
