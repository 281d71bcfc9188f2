import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { documentTotals } from '../../src/money/money.js';

/**
 * Issue 11, reports: money and sessions written straight into a studio's database (the invoices and
 * payments APIs belong to other modules; the reports only read their tables). Totals come from money.ts
 * `documentTotals`, and balances follow invoice-balance.ts (total − deposits − credited − paid).
 */
export interface FixtureLine {
  quantity: string;
  unitPriceMinor: number;
  taxRatePercent?: string;
  taxInclusive?: boolean;
  discountMinor?: number;
  bookingId?: string | null;
  kind?: 'manual' | 'room' | 'engineer' | 'equipment' | 'deposit';
}

export interface FixtureInvoice {
  clientId: string;
  kind?: 'invoice' | 'deposit' | 'credit_note';
  status?: 'draft' | 'sent' | 'partially_paid' | 'paid' | 'void';
  currency?: string;
  issueDate?: string | null;
  dueDate?: string | null;
  bookingId?: string | null;
  creditedInvoiceId?: string | null;
  lines: FixtureLine[];
}

export function reportFixtures(db: pg.Client) {
  const settle = async (invoiceId: string) => {
    await db.query(
      `UPDATE invoices i SET
          deposits_minor = s.deposits, credited_minor = s.credited, paid_minor = s.paid,
          balance_minor = CASE WHEN i.status = 'void' OR i.kind = 'credit_note' THEN 0 ELSE GREATEST(i.total_minor - s.deposits - s.credited - s.paid, 0) END
         FROM (SELECT
                 (SELECT COALESCE(sum(gross_minor), 0) FROM invoice_deposits WHERE invoice_id = $1) AS deposits,
                 (SELECT COALESCE(sum(total_minor), 0) FROM invoices WHERE credited_invoice_id = $1 AND status NOT IN ('draft', 'void')) AS credited,
                 (SELECT COALESCE(sum(amount_minor - refunded_minor), 0) FROM payments WHERE invoice_id = $1) AS paid) s
        WHERE i.id = $1`,
      [invoiceId],
    );
  };

  return {
    settle,

    async client(name: string): Promise<string> {
      return (await db.query(`INSERT INTO clients (name) VALUES ($1) RETURNING id`, [name])).rows[0].id;
    },

    async room(name: string, values: { openingHours?: unknown; active?: boolean } = {}): Promise<string> {
      const { rows } = await db.query(`INSERT INTO rooms (name, currency, opening_hours, active) VALUES ($1, 'EUR', $2, $3) RETURNING id`, [
        name,
        values.openingHours === undefined ? null : JSON.stringify(values.openingHours),
        values.active ?? true,
      ]);
      return rows[0].id;
    },

    /** A session [startsAt, endsAt) with its engineers (user ids). */
    async booking(values: { clientId: string; roomId: string; startsAt: string; endsAt: string; status?: string; engineers?: string[] }): Promise<string> {
      const { rows } = await db.query(
        `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, status, hourly_rate_minor, currency, access_code)
         VALUES ($1, $2, 'Report session', $3, $4, $5, 5000, 'EUR', $6) RETURNING id`,
        [values.clientId, values.roomId, values.startsAt, values.endsAt, values.status ?? 'completed', randomBytes(4).toString('hex')],
      );
      for (const userId of values.engineers ?? []) await db.query(`INSERT INTO booking_engineers (booking_id, user_id) VALUES ($1, $2)`, [rows[0].id, userId]);
      return rows[0].id;
    },

    /** An invoice, deposit invoice or credit note with its lines; issued ones get a number. Settles it (and the credited invoice). */
    async invoice(values: FixtureInvoice): Promise<string> {
      const status = values.status ?? 'sent';
      const lines = values.lines.map((l) => ({ ...l, taxRatePercent: l.taxRatePercent ?? '0', taxInclusive: l.taxInclusive ?? false }));
      const totals = documentTotals(lines);
      const { rows } = await db.query(
        `INSERT INTO invoices (kind, status, number, client_id, booking_id, credited_invoice_id, currency, issue_date, due_date, bill_to_name, subtotal_minor, tax_minor, total_minor, balance_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'Bill to', $10, $11, $12, $12) RETURNING id`,
        [
          values.kind ?? 'invoice',
          status,
          status === 'draft' ? null : `RPT-${randomBytes(5).toString('hex')}`,
          values.clientId,
          values.bookingId ?? null,
          values.creditedInvoiceId ?? null,
          values.currency ?? 'EUR',
          values.issueDate ?? null,
          values.dueDate ?? null,
          totals.subtotalMinor,
          totals.taxMinor,
          totals.totalMinor,
        ],
      );
      const id: string = rows[0].id;
      for (const [i, line] of lines.entries()) {
        const t = totals.lines[i];
        await db.query(
          `INSERT INTO invoice_lines (invoice_id, position, kind, booking_id, description, quantity, unit_price_minor, discount_minor, tax_rate_percent, tax_inclusive, net_minor, tax_minor, gross_minor)
           VALUES ($1, $2, $3, $4, 'Line', $5, $6, $7, $8, $9, $10, $11, $12)`,
          [id, i + 1, line.kind ?? (line.bookingId ? 'room' : 'manual'), line.bookingId ?? null, line.quantity, line.unitPriceMinor, line.discountMinor ?? 0, line.taxRatePercent, line.taxInclusive, t.netMinor, t.taxMinor, t.grossMinor],
        );
      }
      await settle(id);
      if (values.creditedInvoiceId) await settle(values.creditedInvoiceId);
      return id;
    },

    /** A deposit invoice deducted on a final invoice (one tax rate), as the invoices module records it. */
    async deduct(invoiceId: string, depositInvoiceId: string): Promise<void> {
      await db.query(
        `INSERT INTO invoice_deposits (invoice_id, deposit_invoice_id, tax_rate_percent, net_minor, tax_minor, gross_minor)
         SELECT $1, id, 20, subtotal_minor, tax_minor, total_minor FROM invoices WHERE id = $2`,
        [invoiceId, depositInvoiceId],
      );
      await settle(invoiceId);
    },

    /** A payment (less `refundedMinor` refunded later), in the invoice's currency. */
    async payment(invoiceId: string, amountMinor: number, receivedOn: string, refundedMinor = 0): Promise<void> {
      await db.query(
        `INSERT INTO payments (invoice_id, amount_minor, refunded_minor, currency, method, received_on) SELECT id, $2, $3, currency, 'bank_transfer', $4 FROM invoices WHERE id = $1`,
        [invoiceId, amountMinor, refundedMinor, receivedOn],
      );
      await settle(invoiceId);
    },
  };
}
