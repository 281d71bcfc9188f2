import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { currencyExponent, formatMinor } from '../money/money.js';

/**
 * The look of every document (invoices, deposit invoices, credit notes, statements): fonts, page,
 * studio block, watermark, tables and amount/date formatting, in one place.
 *
 * Fonts: DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` package, embedded (subset) in
 * every PDF, so Latin, Greek and Cyrillic names render the same on any reader; pdfkit's standard
 * 14 fonts would only cover WinAnsi. The package is a production dependency of the api, so the
 * Docker image (npm ci --omit=dev) ships it; the path is resolved like a module, never hard-coded.
 */
const require = createRequire(import.meta.url);
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

export type Pdf = PDFKit.PDFDocument;

export const PAGE = { margin: 50, width: 595.28, height: 841.89 };
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const MUTED = '#52525b';
const RULE = '#d4d4d8';

/** A4 document with both fonts registered and the regular one selected. Pages are buffered for the watermark. */
export function createPdf(title: string, author: string): Pdf {
  const doc = new PDFDocument({ size: 'A4', margin: PAGE.margin, bufferPages: true, info: { Title: title, Author: author, Creator: 'Recording Studio Manager' } });
  doc.registerFont('regular', FONT_FILES.regular);
  doc.registerFont('bold', FONT_FILES.bold);
  doc.font('regular').fontSize(9).fillColor('black');
  return doc;
}

/** Ends the document and returns its bytes. */
export function pdfBytes(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * Amounts as the reader expects them: grouped digits, the currency's own number of decimals (JPY
 * none, EUR 2, BHD 3) and its ISO code. The exact decimal text comes from money.ts (formatMinor)
 * and Intl formats that string as is, so no float ever rounds a figure on a document.
 */
export function moneyFormatter(currency: string): (minor: number) => string {
  const digits = currencyExponent(currency);
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl takes a decimal string exactly (ECMA-402 NumberFormat v3); the lib typing only knows numbers.
  return (minor) => format.format(formatMinor(minor, currency) as unknown as number).replace(/\u00a0/g, ' ');
}

/** Locale-neutral dates (ISO 8601, YYYY-MM-DD): the same on a French and a Japanese client's desk. */
export function documentDate(value: string | Date | null, timeZone = 'UTC'): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value.slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(value);
}

/** "20.0000" → "20 %". */
export const ratePercentLabel = (ratePercent: string) => `${ratePercent.includes('.') ? ratePercent.replace(/0+$/, '').replace(/\.$/, '') : ratePercent} %`;

export interface StudioBlock {
  name: string;
  address: string | null;
  taxId: string | null;
  companyId: string | null;
  email: string | null;
  phone: string | null;
  bankName: string | null;
  iban: string | null;
  bic: string | null;
  /** PNG or JPEG bytes (billing_settings.logo), or null. */
  logo: Buffer | null;
}

/** The studio's name, address, ids and contact at the top left; its logo at the top right. Leaves doc.y below both. */
export function drawStudioHeader(doc: Pdf, studio: StudioBlock): void {
  const top = PAGE.margin;
  let logoBottom = top;
  if (studio.logo) {
    try {
      doc.image(studio.logo, PAGE.width - PAGE.margin - 160, top, { fit: [160, 60], align: 'right' });
      logoBottom = top + 60;
    } catch {
      // A logo pdfkit cannot decode must not stop the invoice: it goes out without it.
    }
  }
  doc.font('bold').fontSize(13).text(studio.name, PAGE.margin, top, { width: 300 });
  doc.font('regular').fontSize(9).fillColor(MUTED);
  const lines = [
    studio.address,
    studio.taxId && `Tax ID: ${studio.taxId}`,
    studio.companyId && `Company ID: ${studio.companyId}`,
    [studio.email, studio.phone].filter(Boolean).join(' · ') || null,
  ].filter((l): l is string => !!l);
  for (const line of lines) doc.text(line, { width: 300 });
  doc.fillColor('black');
  doc.y = Math.max(doc.y, logoBottom) + 20;
}

/** A bold heading with a rule under it. */
export function sectionTitle(doc: Pdf, title: string): void {
  doc.moveDown(0.8);
  doc.font('bold').fontSize(10).text(title, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  const y = doc.y + 2;
  doc.moveTo(PAGE.margin, y).lineTo(PAGE.width - PAGE.margin, y).lineWidth(0.5).strokeColor(RULE).stroke();
  doc.y = y + 6;
  doc.font('regular').fontSize(9);
}

/** Label/value pairs in two columns starting at `x` (the document's dates, PO, bill-to ids). */
export function keyValues(doc: Pdf, rows: Array<[string, string | null | undefined]>, x: number, width: number): void {
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    const y = doc.y;
    doc.fillColor(MUTED).text(label, x, y, { width: width * 0.4 });
    const labelBottom = doc.y;
    doc.fillColor('black').text(value, x + width * 0.4, y, { width: width * 0.6 });
    doc.y = Math.max(doc.y, labelBottom);
  }
}

export type Cell = string | { text: string; bold?: boolean };

/**
 * A table across the content width: `widths` are fractions, `right` the indexes of right-aligned
 * (amount) columns. pdfkit's table breaks pages by itself.
 */
export function table(doc: Pdf, header: string[], rows: Cell[][], widths: number[], right: number[] = []): void {
  const columnStyles = widths.map((w, i) => ({ width: w * CONTENT_WIDTH, align: { x: right.includes(i) ? ('right' as const) : ('left' as const), y: 'top' as const } }));
  const cell = (c: Cell) => (typeof c === 'string' ? { text: c } : { text: c.text, font: c.bold ? { src: 'bold' } : undefined });
  doc.table({
    position: { x: PAGE.margin, y: doc.y },
    columnStyles,
    defaultStyle: { border: [0, 0, 0.5, 0], borderColor: RULE, padding: [3, 4] },
    data: [header.map((h) => ({ text: h, font: { src: 'bold' }, type: 'TH' as const })), ...rows.map((r) => r.map(cell))],
  });
  doc.x = PAGE.margin;
}

/** Right-aligned label/amount rows under a table (subtotal, tax per rate, total, amount due). */
export function totalsBlock(doc: Pdf, rows: Array<{ label: string; amount: string; bold?: boolean }>): void {
  const x = PAGE.margin + CONTENT_WIDTH * 0.45;
  const width = CONTENT_WIDTH * 0.55;
  doc.moveDown(0.4);
  for (const row of rows) {
    const y = doc.y;
    doc.font(row.bold ? 'bold' : 'regular').fontSize(row.bold ? 10 : 9);
    doc.text(row.label, x, y, { width: width * 0.6 });
    const after = doc.y;
    doc.text(row.amount, x + width * 0.6, y, { width: width * 0.4, align: 'right' });
    doc.y = Math.max(doc.y, after) + 1;
  }
  doc.font('regular').fontSize(9);
  doc.x = PAGE.margin;
}

/** Free text (terms, notes, a statement's footnote) at full width. */
export function paragraph(doc: Pdf, text: string, muted = false): void {
  doc.font('regular').fontSize(9).fillColor(muted ? MUTED : 'black').text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  doc.fillColor('black');
}

/**
 * A large diagonal mark on every page (DRAFT, VOID), drawn last over the buffered pages. It is real
 * text, so it survives copying and text extraction: a draft can never pass for an issued invoice.
 */
export function watermark(doc: Pdf, text: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.save();
    doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
    doc.font('bold').fontSize(110).fillColor('#dc2626').fillOpacity(0.15);
    doc.text(text, 0, PAGE.height / 2 - 60, { width: PAGE.width, align: 'center', lineBreak: false });
    doc.restore();
  }
}

/** "Page n of m" at the foot of every buffered page. */
export function pageNumbers(doc: Pdf): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not add a page
    doc.font('regular').fontSize(8).fillColor(MUTED).text(`Page ${i - range.start + 1} of ${range.count}`, PAGE.margin, PAGE.height - 30, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
  }
}
