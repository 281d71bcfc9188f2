import type pg from 'pg';
import { documentTotals } from '../../src/money/money.js';

/**
 * Issue 11, documents: invoices, deposit invoices, credit notes and payments written straight into a
 * studio's database (connectTenantDatabase), as the invoices and payments APIs (built alongside)
 * would leave them: totals by money.ts documentTotals, deducted deposits copied per rate, then the
 * balance recomputed like invoice-balance.ts settleInvoice does.
 */
export interface FixtureLine {
  description: string;
  quantity: string;
  unitPriceMinor: number;
  discountMinor?: number;
  taxRatePercent: string;
  taxInclusive?: boolean;
  unit?: string | null;
}

export interface FixtureInvoice {
  clientId: string;
  kind?: 'invoice' | 'deposit' | 'credit_note';
  /** Default: 'sent' when a number is given, else 'draft'. */
  status?: 'draft' | 'sent' | 'void';
  number?: string | null;
  currency?: string;
  issueDate?: string | null;
  dueDate?: string | null;
  poNumber?: string | null;
  notes?: string | null;
  terms?: string | null;
  creditedInvoiceId?: string | null;
  billTo?: { name?: string; address?: string | null; taxId?: string | null; email?: string | null };
  lines: FixtureLine[];
  /** Issued deposit invoices deducted on this one. */
  depositInvoiceIds?: string[];
}

export async function insertClient(db: pg.Client, values: { name: string; email?: string | null; billingAddress?: string | null; taxId?: string | null }): Promise<string> {
  const { rows } = await db.query(`INSERT INTO clients (name, email, billing_address, tax_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
    values.name,
    values.email ?? null,
    values.billingAddress ?? null,
    values.taxId ?? null,
  ]);
  return rows[0].id as string;
}

export async function insertInvoice(db: pg.Client, values: FixtureInvoice): Promise<string> {
  const totals = documentTotals(values.lines.map((l) => ({ ...l, taxInclusive: l.taxInclusive ?? false })));
  const client = (await db.query(`SELECT name, email, billing_address, tax_id FROM clients WHERE id = $1`, [values.clientId])).rows[0];
  const status = values.status ?? (values.number ? 'sent' : 'draft');
  const { rows } = await db.query(
    `INSERT INTO invoices (kind, status, number, client_id, credited_invoice_id, currency, issue_date, due_date, po_number, notes, terms,
                           bill_to_name, bill_to_address, bill_to_tax_id, bill_to_email, subtotal_minor, tax_minor, total_minor, balance_minor, finalized_at)
     VALUES ($1, $2::text, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, CASE WHEN $2::text <> 'draft' THEN now() END) RETURNING id`,
    [
      values.kind ?? 'invoice',
      status,
      values.number ?? null,
      values.clientId,
      values.creditedInvoiceId ?? null,
      values.currency ?? 'EUR',
      values.issueDate ?? null,
      values.dueDate ?? null,
      values.poNumber ?? null,
      values.notes ?? null,
      values.terms ?? null,
      values.billTo?.name ?? client.name,
      values.billTo?.address !== undefined ? values.billTo.address : client.billing_address,
      values.billTo?.taxId !== undefined ? values.billTo.taxId : client.tax_id,
      values.billTo?.email !== undefined ? values.billTo.email : client.email,
      totals.subtotalMinor,
      totals.taxMinor,
      totals.totalMinor,
    ],
  );
  const id = rows[0].id as string;
  for (const [i, line] of values.lines.entries()) {
    const t = totals.lines[i];
    await db.query(
      `INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit, unit_price_minor, discount_minor, tax_rate_percent, tax_inclusive, net_minor, tax_minor, gross_minor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, i + 1, line.description, line.quantity, line.unit ?? null, line.unitPriceMinor, line.discountMinor ?? 0, line.taxRatePercent, line.taxInclusive ?? false, t.netMinor, t.taxMinor, t.grossMinor],
    );
  }
  for (const depositId of values.depositInvoiceIds ?? []) {
    // Per tax rate of the deposit, as the invoices API copies it.
    await db.query(
      `INSERT INTO invoice_deposits (invoice_id, deposit_invoice_id, tax_rate_percent, net_minor, tax_minor, gross_minor)
       SELECT $1, invoice_id, tax_rate_percent, sum(net_minor), sum(tax_minor), sum(gross_minor) FROM invoice_lines WHERE invoice_id = $2 GROUP BY invoice_id, tax_rate_percent`,
      [id, depositId],
    );
  }
  await settle(db, id);
  if (values.creditedInvoiceId) await settle(db, values.creditedInvoiceId);
  return id;
}

export async function insertPayment(
  db: pg.Client,
  values: { invoiceId: string; amountMinor: number; receivedOn: string; method?: string; reference?: string | null; refundedMinor?: number },
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO payments (invoice_id, amount_minor, currency, method, received_on, reference, refunded_minor)
     SELECT $1, $2, currency, $3, $4, $5, $6 FROM invoices WHERE id = $1 RETURNING id`,
    [values.invoiceId, values.amountMinor, values.method ?? 'bank_transfer', values.receivedOn, values.reference ?? null, values.refundedMinor ?? 0],
  );
  await settle(db, values.invoiceId);
  return rows[0].id as string;
}

/** settleInvoice's arithmetic (invoice-balance.ts) for issued, non-void invoices and deposit invoices. */
async function settle(db: pg.Client, invoiceId: string): Promise<void> {
  await db.query(
    `WITH s AS (
       SELECT (SELECT COALESCE(sum(gross_minor), 0) FROM invoice_deposits WHERE invoice_id = $1) AS deposits,
              (SELECT COALESCE(sum(total_minor), 0) FROM invoices WHERE credited_invoice_id = $1 AND kind = 'credit_note' AND status NOT IN ('draft', 'void')) AS credited,
              (SELECT COALESCE(sum(amount_minor - refunded_minor), 0) FROM payments WHERE invoice_id = $1) AS paid)
     UPDATE invoices i SET deposits_minor = s.deposits, credited_minor = s.credited, paid_minor = s.paid,
            balance_minor = GREATEST(0, i.total_minor - s.deposits - s.credited - s.paid),
            status = CASE WHEN i.total_minor - s.deposits - s.credited - s.paid <= 0 THEN 'paid' WHEN s.paid > 0 THEN 'partially_paid' ELSE 'sent' END
       FROM s WHERE i.id = $1 AND i.status NOT IN ('draft', 'void') AND i.kind <> 'credit_note'`,
    [invoiceId],
  );
}

/** A valid 1×1 PNG, as a studio logo. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export const NON_LATIN_CLIENT = 'Дмитрий Ωμέγα Łódź';

/**
 * The studio's paperwork and one client's account in EUR:
 *  - deposit invoice INV-2026-0001 (2026-03-01): 300.00 + 20 % = 360.00, paid 2026-03-02;
 *  - final invoice INV-2026-0002 (2026-03-10): lines at 20 %, 5.5 % (with a discount) and 0 %,
 *    total 654.43, deducting the deposit (net 300.00, tax 60.00) → amount due 294.43, paid 100.00 on 2026-03-15;
 *  - credit note CN-2026-0001 (2026-03-20) of 60.00 against it → balance 134.43;
 *  - a draft invoice.
 */
export async function seedDocuments(db: pg.Client) {
  await db.query(
    `UPDATE billing_settings SET legal_name = 'Ωmega Sound SARL', address = $1, tax_id = 'FR40123456789', company_id = 'SIRET 123 456 789 00012',
            email = 'billing@omega.test', bank_name = 'Banque Test', iban = 'FR7630006000011234567890189', bic = 'AGRIFRPP', default_terms = 'Payable within 30 days.',
            logo = $2, logo_content_type = 'image/png'`,
    ['12 rue du Son\n75011 Paris', TINY_PNG],
  );
  const clientId = await insertClient(db, { name: NON_LATIN_CLIENT, email: 'dmitri@client.test', billingAddress: 'ул. Тверская 1\nМосква', taxId: 'RU7701234567' });
  const depositId = await insertInvoice(db, {
    clientId,
    kind: 'deposit',
    number: 'INV-2026-0001',
    issueDate: '2026-03-01',
    dueDate: '2026-03-08',
    lines: [{ description: 'Deposit for the album sessions', quantity: '1', unitPriceMinor: 30000, taxRatePercent: '20' }],
  });
  await insertPayment(db, { invoiceId: depositId, amountMinor: 36000, receivedOn: '2026-03-02', reference: 'DEP-1' });
  const invoiceId = await insertInvoice(db, {
    clientId,
    number: 'INV-2026-0002',
    issueDate: '2026-03-10',
    dueDate: '2026-04-09',
    poNumber: 'PO-77',
    notes: 'Thank you for recording with us.',
    lines: [
      { description: '12 Mar 2026, 10:00–20:00 · Studio A · Tracks: Песня 1', quantity: '10', unit: 'hour', unitPriceMinor: 5000, taxRatePercent: '20' },
      { description: 'Neumann U87 rental', quantity: '2', unit: 'day', unitPriceMinor: 1250, discountMinor: 500, taxRatePercent: '5.5' },
      { description: 'Stems archive', quantity: '1', unitPriceMinor: 3333, taxRatePercent: '0' },
    ],
    depositInvoiceIds: [depositId],
  });
  await insertPayment(db, { invoiceId, amountMinor: 10000, receivedOn: '2026-03-15', reference: 'VIR-9' });
  const creditNoteId = await insertInvoice(db, {
    clientId,
    kind: 'credit_note',
    number: 'CN-2026-0001',
    issueDate: '2026-03-20',
    creditedInvoiceId: invoiceId,
    lines: [{ description: 'One cancelled hour', quantity: '1', unit: 'hour', unitPriceMinor: 5000, taxRatePercent: '20' }],
  });
  const draftId = await insertInvoice(db, { clientId, lines: [{ description: 'Mixing (draft)', quantity: '1', unitPriceMinor: 20000, taxRatePercent: '20' }] });
  return { clientId, depositId, invoiceId, creditNoteId, draftId };
}
