import { Injectable } from '@nestjs/common';
import { formatMinor } from '../money/money.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { type CsvColumn, toCsv } from './csv-export.js';
import type { DateRangeQueryDto } from './dto/document-input.dto.js';

interface InvoiceRow {
  number: string;
  kind: string;
  status: string;
  issue_date: string;
  due_date: string | null;
  client_name: string;
  bill_to_name: string;
  bill_to_tax_id: string | null;
  po_number: string | null;
  credited_number: string | null;
  currency: string;
  subtotal_minor: string;
  tax_minor: string;
  total_minor: string;
  deposits_minor: string;
  credited_minor: string;
  paid_minor: string;
  balance_minor: string;
  notes: string | null;
}

interface PaymentRow {
  received_on: string;
  invoice_number: string | null;
  client_name: string;
  method: string;
  reference: string | null;
  currency: string;
  amount_minor: string;
  refunded_minor: string;
  disputed: boolean;
}

/** An amount column: decimals in the currency's exponent (JPY 1500, EUR 12.50), next to a currency column. */
const amount = <Row extends { currency: string }>(header: string, pick: (row: Row) => string): CsvColumn<Row> => ({
  header,
  value: (row) => formatMinor(Number(pick(row)), row.currency),
});

const INVOICE_COLUMNS: Array<CsvColumn<InvoiceRow>> = [
  { header: 'number', value: (r) => r.number },
  { header: 'kind', value: (r) => r.kind },
  { header: 'status', value: (r) => r.status },
  { header: 'issue_date', value: (r) => r.issue_date },
  { header: 'due_date', value: (r) => r.due_date },
  { header: 'client', value: (r) => r.client_name },
  { header: 'bill_to_name', value: (r) => r.bill_to_name },
  { header: 'bill_to_tax_id', value: (r) => r.bill_to_tax_id },
  { header: 'po_number', value: (r) => r.po_number },
  { header: 'currency', value: (r) => r.currency },
  amount('subtotal', (r) => r.subtotal_minor),
  amount('tax', (r) => r.tax_minor),
  amount('total', (r) => r.total_minor),
  amount('deposits_deducted', (r) => r.deposits_minor),
  amount('credited', (r) => r.credited_minor),
  amount('paid', (r) => r.paid_minor),
  amount('balance', (r) => r.balance_minor),
];

const CREDIT_NOTE_COLUMNS: Array<CsvColumn<InvoiceRow>> = [
  { header: 'number', value: (r) => r.number },
  { header: 'status', value: (r) => r.status },
  { header: 'issue_date', value: (r) => r.issue_date },
  { header: 'credited_invoice', value: (r) => r.credited_number },
  { header: 'client', value: (r) => r.client_name },
  { header: 'bill_to_name', value: (r) => r.bill_to_name },
  { header: 'bill_to_tax_id', value: (r) => r.bill_to_tax_id },
  { header: 'currency', value: (r) => r.currency },
  amount('subtotal', (r) => r.subtotal_minor),
  amount('tax', (r) => r.tax_minor),
  amount('total', (r) => r.total_minor),
  { header: 'notes', value: (r) => r.notes },
];

const PAYMENT_COLUMNS: Array<CsvColumn<PaymentRow>> = [
  { header: 'received_on', value: (r) => r.received_on },
  { header: 'invoice_number', value: (r) => r.invoice_number },
  { header: 'client', value: (r) => r.client_name },
  { header: 'method', value: (r) => r.method },
  { header: 'reference', value: (r) => r.reference },
  { header: 'currency', value: (r) => r.currency },
  amount('amount', (r) => r.amount_minor),
  amount('refunded', (r) => r.refunded_minor),
  { header: 'disputed', value: (r) => (r.disputed ? 'yes' : 'no') },
];

const INVOICE_SELECT = `SELECT i.number, i.kind, i.status, i.issue_date::text AS issue_date, i.due_date::text AS due_date, c.name AS client_name,
         i.bill_to_name, i.bill_to_tax_id, i.po_number, cr.number AS credited_number, i.currency,
         i.subtotal_minor::text AS subtotal_minor, i.tax_minor::text AS tax_minor, i.total_minor::text AS total_minor,
         i.deposits_minor::text AS deposits_minor, i.credited_minor::text AS credited_minor, i.paid_minor::text AS paid_minor,
         i.balance_minor::text AS balance_minor, i.notes
    FROM invoices i JOIN clients c ON c.id = i.client_id LEFT JOIN invoices cr ON cr.id = i.credited_invoice_id`;

/**
 * The accountant's CSV exports, by date range (issue date for documents, day received for payments;
 * both bounds inclusive, either optional). Issued documents only: drafts have no number and are no
 * accounting record yet; void ones are listed with their status (their number was used).
 */
@Injectable()
export class ExportsService {
  constructor(private readonly tenant: TenantConnection) {}

  async invoices(range: DateRangeQueryDto): Promise<string> {
    const rows = await this.tenant.run(
      (m) =>
        m.query(
          `${INVOICE_SELECT} WHERE i.kind IN ('invoice', 'deposit') AND i.status <> 'draft' AND ${inRange('i.issue_date')} ORDER BY i.issue_date, i.number`,
          [range.from ?? null, range.to ?? null],
        ) as Promise<InvoiceRow[]>,
    );
    return toCsv(INVOICE_COLUMNS, rows);
  }

  async creditNotes(range: DateRangeQueryDto): Promise<string> {
    const rows = await this.tenant.run(
      (m) =>
        m.query(`${INVOICE_SELECT} WHERE i.kind = 'credit_note' AND i.status <> 'draft' AND ${inRange('i.issue_date')} ORDER BY i.issue_date, i.number`, [
          range.from ?? null,
          range.to ?? null,
        ]) as Promise<InvoiceRow[]>,
    );
    return toCsv(CREDIT_NOTE_COLUMNS, rows);
  }

  async payments(range: DateRangeQueryDto): Promise<string> {
    const rows = await this.tenant.run(
      (m) =>
        m.query(
          `SELECT p.received_on::text AS received_on, i.number AS invoice_number, c.name AS client_name, p.method, p.reference, p.currency,
                  p.amount_minor::text AS amount_minor, p.refunded_minor::text AS refunded_minor, p.disputed_at IS NOT NULL AS disputed
             FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN clients c ON c.id = i.client_id
            WHERE ${inRange('p.received_on')} ORDER BY p.received_on, p.created_at, p.id`,
          [range.from ?? null, range.to ?? null],
        ) as Promise<PaymentRow[]>,
    );
    return toCsv(PAYMENT_COLUMNS, rows);
  }
}

const inRange = (column: string) => `($1::date IS NULL OR ${column} >= $1::date) AND ($2::date IS NULL OR ${column} <= $2::date)`;
