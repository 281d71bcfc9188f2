import type { InvoiceLine } from '../invoices/invoice-line.entity.js';
import { CONTENT_WIDTH, keyValues, PAGE, type Pdf, ratePercentLabel, sectionTitle, table, totalsBlock } from './pdf-layout.js';

/**
 * The parts invoices and quotes print the same way (issue 11): the title with the bill-to block
 * and the document's facts, the priced lines, and the totals by tax rate. One drawing of each, so a
 * quote reads like the invoice it becomes.
 */

export interface BillToBlock {
  billToName: string;
  billToAddress: string | null;
  billToTaxId: string | null;
  billToEmail: string | null;
}

/** The title, then the bill-to block (left) beside the document's facts (number, dates…, right). */
export function drawTitleAndParties(doc: Pdf, title: string, billTo: BillToBlock, facts: Array<[string, string | null | undefined]>): void {
  const top = doc.y;
  doc.font('bold').fontSize(18).text(title, PAGE.margin, top, { width: CONTENT_WIDTH });
  doc.font('regular').fontSize(9);
  const blockTop = doc.y + 8;
  const half = { width: CONTENT_WIDTH * 0.5 };
  doc.font('bold').text('Bill to', PAGE.margin, blockTop, half);
  doc.font('regular');
  doc.text(billTo.billToName, half);
  if (billTo.billToAddress) doc.text(billTo.billToAddress, half);
  if (billTo.billToTaxId) doc.text(`Tax ID: ${billTo.billToTaxId}`, half);
  if (billTo.billToEmail) doc.text(billTo.billToEmail, half);
  const billToBottom = doc.y;
  doc.y = blockTop;
  keyValues(doc, facts, PAGE.margin + CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45);
  doc.y = Math.max(doc.y, billToBottom) + 10;
}

type PrintedLine = Pick<InvoiceLine, 'description' | 'quantity' | 'unit' | 'unitPriceMinor' | 'discountMinor' | 'taxRatePercent' | 'taxInclusive' | 'netMinor'>;

/** The lines: description, quantity, unit, price, discount, tax rate and net, as stored (rounded once by money.ts). */
export function linesTable(doc: Pdf, lines: PrintedLine[], money: (minor: number) => string): void {
  sectionTitle(doc, 'Details');
  table(
    doc,
    ['Description', 'Qty', 'Unit', 'Unit price', 'Discount', 'Tax', 'Net'],
    lines.map((l) => [
      l.description,
      l.quantity,
      l.unit ?? '',
      money(l.unitPriceMinor),
      l.discountMinor ? money(l.discountMinor) : '',
      `${ratePercentLabel(l.taxRatePercent)}${l.taxInclusive ? ' incl.' : ''}`,
      money(l.netMinor),
    ]),
    [0.34, 0.07, 0.08, 0.14, 0.12, 0.1, 0.15],
    [1, 3, 4, 5, 6],
  );
}

/** Subtotal, the tax of each rate on its net, and the total. */
export function taxTotals(
  doc: Pdf,
  figures: { subtotalMinor: number; totalMinor: number; byRate: Array<{ ratePercent: string; netMinor: number; taxMinor: number }> },
  money: (minor: number) => string,
): void {
  totalsBlock(doc, [
    { label: 'Subtotal (net)', amount: money(figures.subtotalMinor) },
    ...figures.byRate.map((r) => ({ label: `Tax ${ratePercentLabel(r.ratePercent)} on ${money(r.netMinor)}`, amount: money(r.taxMinor) })),
    { label: 'Total', amount: money(figures.totalMinor), bold: true },
  ]);
}
