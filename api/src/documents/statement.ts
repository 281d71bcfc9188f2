import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Client } from '../clients/client.entity.js';
import { ProblemException } from '../common/problem.js';
import { loadStudioBlock } from './document-data.js';
import { CONTENT_WIDTH, createPdf, documentDate, drawStudioHeader, keyValues, moneyFormatter, PAGE, pageNumbers, paragraph, pdfBytes, sectionTitle, table, totalsBlock } from './pdf-layout.js';

export interface StatementEntry {
  date: string;
  kind: 'invoice' | 'deposit' | 'credit_note' | 'payment';
  number: string | null;
  /** The invoice a credit note credits or a payment pays. */
  reference: string | null;
  currency: string;
  debitMinor: number;
  creditMinor: number;
}

export interface StatementSection {
  currency: string;
  openingMinor: number;
  entries: Array<StatementEntry & { balanceMinor: number }>;
  closingMinor: number;
}

// Same day: what was charged comes before what was paid against it.
const ORDER: Record<StatementEntry['kind'], number> = { deposit: 0, invoice: 1, credit_note: 2, payment: 3 };

/**
 * A client's account by currency: the balance before `from` (opening), then every issued invoice
 * (its total less the deposits it deducts: those were billed by the deposit invoices already),
 * credit note and payment (less its refunds) up to `to`, each with the running balance.
 */
export function statementSections(entries: StatementEntry[], from: string | undefined): StatementSection[] {
  const byCurrency = new Map<string, StatementEntry[]>();
  for (const e of entries) byCurrency.set(e.currency, [...(byCurrency.get(e.currency) ?? []), e]);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => {
      const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date) || ORDER[a.kind] - ORDER[b.kind] || (a.number ?? '').localeCompare(b.number ?? ''));
      const before = from ? sorted.filter((e) => e.date < from) : [];
      const openingMinor = before.reduce((sum, e) => sum + e.debitMinor - e.creditMinor, 0);
      let balance = openingMinor;
      const inRange = sorted.slice(before.length).map((e) => ({ ...e, balanceMinor: (balance += e.debitMinor - e.creditMinor) }));
      return { currency, openingMinor, entries: inRange, closingMinor: balance };
    });
}

/** The client's issued documents and payments up to `to` (null: all), from the tenant database. */
export async function loadStatementEntries(m: EntityManager, clientId: string, to: string | undefined): Promise<StatementEntry[]> {
  const rows = (await m.query(
    `SELECT i.issue_date::text AS date, i.kind, i.number, c.number AS reference, i.currency,
            CASE WHEN i.kind = 'credit_note' THEN 0 ELSE i.total_minor - COALESCE((SELECT sum(d.gross_minor) FROM invoice_deposits d WHERE d.invoice_id = i.id), 0) END::text AS debit,
            CASE WHEN i.kind = 'credit_note' THEN i.total_minor ELSE 0 END::text AS credit
       FROM invoices i LEFT JOIN invoices c ON c.id = i.credited_invoice_id
      WHERE i.client_id = $1 AND i.status NOT IN ('draft', 'void') AND ($2::date IS NULL OR i.issue_date <= $2::date)
     UNION ALL
     SELECT p.received_on::text, 'payment', NULL, i.number, p.currency, '0', (p.amount_minor - p.refunded_minor)::text
       FROM payments p JOIN invoices i ON i.id = p.invoice_id
      WHERE i.client_id = $1 AND ($2::date IS NULL OR p.received_on <= $2::date)`,
    [clientId, to ?? null],
  )) as Array<{ date: string; kind: StatementEntry['kind']; number: string | null; reference: string | null; currency: string; debit: string; credit: string }>;
  return rows.map((r) => ({ date: r.date, kind: r.kind, number: r.number, reference: r.reference, currency: r.currency, debitMinor: Number(r.debit), creditMinor: Number(r.credit) }));
}

const KIND_LABELS: Record<StatementEntry['kind'], string> = { invoice: 'Invoice', deposit: 'Deposit invoice', credit_note: 'Credit note', payment: 'Payment' };

/** GET /clients/{id}/statement.pdf: the client's statement of account for a period. */
export async function renderStatementPdf(m: EntityManager, clientId: string, range: { from?: string; to: string }, organizationName: string): Promise<Buffer> {
  const client = await m.getRepository(Client).findOneBy({ id: clientId });
  if (!client) throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No client with this id in your studio.');
  const sections = statementSections(await loadStatementEntries(m, clientId, range.to), range.from);
  const { studio } = await loadStudioBlock(m, organizationName);

  const doc = createPdf(`Statement ${client.name}`, studio.name);
  drawStudioHeader(doc, studio);
  doc.font('bold').fontSize(18).text('Statement of account', PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  doc.font('regular').fontSize(9).moveDown(0.5);
  const top = doc.y;
  doc.font('bold').text(client.name, PAGE.margin, top, { width: CONTENT_WIDTH * 0.5 });
  doc.font('regular');
  if (client.billingAddress) doc.text(client.billingAddress, { width: CONTENT_WIDTH * 0.5 });
  if (client.taxId) doc.text(`Tax ID: ${client.taxId}`, { width: CONTENT_WIDTH * 0.5 });
  const left = doc.y;
  doc.y = top;
  keyValues(doc, [['From', range.from ? documentDate(range.from) : 'the beginning'], ['To', documentDate(range.to)]], PAGE.margin + CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45);
  doc.y = Math.max(doc.y, left) + 10;

  if (!sections.length) paragraph(doc, 'Nothing was invoiced or paid in this period.', true);
  for (const section of sections) {
    const money = moneyFormatter(section.currency);
    sectionTitle(doc, `Account in ${section.currency}`);
    table(
      doc,
      ['Date', 'Document', 'Reference', 'Charged', 'Paid / credited', 'Balance'],
      [
        [range.from ? documentDate(range.from) : '', { text: 'Opening balance', bold: true }, '', '', '', money(section.openingMinor)],
        ...section.entries.map((e) => [
          documentDate(e.date),
          `${KIND_LABELS[e.kind]}${e.number ? ` ${e.number}` : ''}`,
          e.reference ? `${e.kind === 'payment' ? 'for' : 'credits'} ${e.reference}` : '',
          e.debitMinor ? money(e.debitMinor) : '',
          e.creditMinor ? money(e.creditMinor) : '',
          money(e.balanceMinor),
        ]),
      ],
      [0.13, 0.25, 0.18, 0.14, 0.15, 0.15],
      [3, 4, 5],
    );
    totalsBlock(doc, [{ label: section.closingMinor >= 0 ? 'Balance due' : 'Balance in your favour', amount: money(Math.abs(section.closingMinor)), bold: true }]);
  }
  paragraph(doc, 'Invoices are shown less the deposits they deduct (those were invoiced on their own); payments less any refund.', true);
  pageNumbers(doc);
  return pdfBytes(doc);
}
