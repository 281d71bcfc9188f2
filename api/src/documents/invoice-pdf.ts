import type { InvoiceKind } from '../invoices/invoice.entity.js';
import type { PaymentMethod } from '../payments/payment.entity.js';
import type { InvoiceDocumentData } from './document-data.js';
import { drawTitleAndParties, linesTable, taxTotals } from './document-sections.js';
import {
  CONTENT_WIDTH,
  createPdf,
  documentDate,
  keyValues,
  moneyFormatter,
  PAGE,
  pageNumbers,
  paragraph,
  pdfBytes,
  ratePercentLabel,
  sectionTitle,
  drawStudioHeader,
  table,
  totalsBlock,
  watermark,
} from './pdf-layout.js';

export const DOCUMENT_TITLES: Record<InvoiceKind, string> = { invoice: 'Invoice', deposit: 'Deposit invoice', credit_note: 'Credit note' };

const METHOD_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  bank_transfer: 'Bank transfer',
  card_terminal: 'Card terminal',
  cheque: 'Cheque',
  stripe: 'Card (online)',
  other: 'Other',
};

/** The file name a document is served and mailed under: its number, or draft-<id> before it has one. */
export const invoiceFileName = (invoice: { number: string | null; id: string }) => `${(invoice.number ?? `draft-${invoice.id}`).replace(/[^\w.-]+/g, '_')}.pdf`;

/**
 * An invoice, deposit invoice or credit note as a PDF: studio and bill-to blocks, dates and PO, the
 * lines, totals with the tax per rate, then for a final invoice each deducted deposit (number, date,
 * net, tax — the French "facture de solde" / German "Schlussrechnung" presentation) and the amount
 * due, the payments received, the balance, bank details and terms. A draft is marked DRAFT on every
 * page, a void invoice VOID. Every figure is the stored one (money.ts rounded it once).
 */
export async function renderInvoicePdf(data: InvoiceDocumentData): Promise<Buffer> {
  const { invoice, studio } = data;
  const money = moneyFormatter(invoice.currency);
  const title = DOCUMENT_TITLES[invoice.kind];
  const doc = createPdf(`${title} ${invoice.number ?? 'draft'}`, studio.name);

  drawStudioHeader(doc, studio);

  drawTitleAndParties(doc, title, invoice, [
    ['Number', invoice.number ?? 'Draft (no number yet)'],
    ['Issue date', invoice.issueDate && documentDate(invoice.issueDate)],
    [invoice.kind === 'credit_note' ? 'Credits invoice' : 'Due date', invoice.kind === 'credit_note' ? (data.creditedInvoiceNumber ?? 'draft') : invoice.dueDate && documentDate(invoice.dueDate)],
    ['PO number', invoice.poNumber],
    ['Currency', invoice.currency],
  ]);
  if (invoice.kind === 'credit_note') paragraph(doc, `This credit note credits invoice ${data.creditedInvoiceNumber ?? '(not yet issued)'}.`);

  linesTable(doc, data.lines, money);
  taxTotals(doc, { subtotalMinor: invoice.subtotalMinor, totalMinor: invoice.totalMinor, byRate: data.byRate }, money);

  if (data.deposits.length) {
    sectionTitle(doc, 'Deposits deducted');
    table(
      doc,
      ['Deposit invoice', 'Date', 'Tax rate', 'Net', 'Tax', 'Gross'],
      data.deposits.map((d) => [d.number ?? '—', documentDate(d.issueDate), ratePercentLabel(d.ratePercent), money(d.netMinor), money(d.taxMinor), money(d.grossMinor)]),
      [0.24, 0.14, 0.12, 0.17, 0.15, 0.18],
      [2, 3, 4, 5],
    );
    totalsBlock(doc, [{ label: 'Deposits deducted', amount: `−${money(data.depositsMinor)}` }]);
  }
  if (invoice.kind !== 'credit_note') {
    totalsBlock(doc, [
      ...(invoice.creditedMinor ? [{ label: 'Credit notes', amount: `−${money(invoice.creditedMinor)}` }] : []),
      { label: 'Amount due', amount: money(data.amountDueMinor), bold: true },
    ]);
  }

  if (data.payments.length) {
    sectionTitle(doc, 'Payments received');
    table(
      doc,
      ['Date', 'Method', 'Reference', 'Amount'],
      data.payments.map((p) => [
        documentDate(p.receivedOn),
        METHOD_LABELS[p.method] ?? p.method,
        p.reference ?? '',
        p.refundedMinor ? `${money(p.amountMinor - p.refundedMinor)} (${money(p.refundedMinor)} refunded)` : money(p.amountMinor),
      ]),
      [0.18, 0.22, 0.3, 0.3],
      [3],
    );
  }
  if (invoice.kind !== 'credit_note') {
    totalsBlock(doc, [
      ...(data.paidMinor ? [{ label: 'Paid', amount: `−${money(data.paidMinor)}` }] : []),
      { label: 'Balance', amount: money(data.balanceMinor), bold: true },
    ]);
  }

  if (studio.iban || studio.bic || studio.bankName) {
    sectionTitle(doc, 'Bank details');
    keyValues(
      doc,
      [
        ['Bank', studio.bankName],
        ['IBAN', studio.iban],
        ['BIC', studio.bic],
        ['Reference', invoice.number],
      ],
      PAGE.margin,
      CONTENT_WIDTH * 0.6,
    );
  }
  if (invoice.notes) {
    sectionTitle(doc, 'Notes');
    paragraph(doc, invoice.notes);
  }
  if (data.terms) {
    sectionTitle(doc, 'Terms');
    paragraph(doc, data.terms, true);
  }

  if (invoice.status === 'draft') watermark(doc, 'DRAFT');
  else if (invoice.status === 'void') watermark(doc, 'VOID');
  pageNumbers(doc);
  return pdfBytes(doc);
}
