import type { EntityManager } from 'typeorm';
import { todayIn } from '../invoices/invoice-pricing.js';
import { breakdownByRate } from '../invoices/invoice-view.js';
import { normalizeRate } from '../money/money.js';
import type { ListedQuoteStatus } from '../quotes/dto/quote-input.dto.js';
import { QuoteLine } from '../quotes/quote-line.entity.js';
import { depositAmount, quoteNotFound, visibleStatus } from '../quotes/quote-view.js';
import { Quote } from '../quotes/quote.entity.js';
import { loadStudioBlock } from './document-data.js';
import { drawTitleAndParties, linesTable, taxTotals } from './document-sections.js';
import { createPdf, documentDate, drawStudioHeader, moneyFormatter, pageNumbers, paragraph, pdfBytes, sectionTitle, totalsBlock, watermark, type StudioBlock } from './pdf-layout.js';

/** Everything a quote document prints, read in one tenant transaction. */
export interface QuoteDocumentData {
  quote: Quote;
  /** What the client sees: `expired` for a sent quote past its validUntil (studio time zone). */
  status: ListedQuoteStatus;
  lines: QuoteLine[];
  byRate: Array<{ ratePercent: string; netMinor: number; taxMinor: number }>;
  /** The deposit asked, tax included (0: none), and its percent when it is one. */
  depositMinor: number;
  depositPercent: string | null;
  studio: StudioBlock;
  terms: string | null;
  notes: string | null;
}

/** Loads a quote of the current studio and what its document shows; another studio's id is a 404. */
export async function loadQuoteDocument(m: EntityManager, quoteId: string, organizationName: string): Promise<QuoteDocumentData> {
  const quote = await m.getRepository(Quote).findOneBy({ id: quoteId });
  if (!quote) throw quoteNotFound();
  const lines = await m.getRepository(QuoteLine).find({ where: { quoteId }, order: { position: 'ASC' } });
  const { studio, settings, timeZone } = await loadStudioBlock(m, organizationName);
  return {
    quote,
    status: visibleStatus(quote, todayIn(timeZone)),
    lines,
    byRate: breakdownByRate(lines),
    depositMinor: depositAmount(quote),
    depositPercent: quote.depositPercent === null ? null : normalizeRate(quote.depositPercent),
    studio,
    // A draft shows the defaults sending will copy onto it.
    terms: quote.terms ?? settings?.defaultTerms ?? null,
    notes: quote.notes ?? settings?.defaultNotes ?? null,
  };
}

/** The file a quote is served and mailed under: its number, or quote-draft-<id> before it has one. */
export const quoteFileName = (quote: { number: string | null; id: string }) => `${(quote.number ?? `quote-draft-${quote.id}`).replace(/[^\w.-]+/g, '_')}.pdf`;

const percentLabel = (percent: string) => `${Number(percent)} %`;

/**
 * A quote as a PDF: the studio, the client, number (a draft has none: "Draft"), issue date and the
 * last valid day, the lines and totals by tax rate drawn exactly as on an invoice, the deposit asked
 * on acceptance, notes and terms. A draft is marked DRAFT, an expired quote EXPIRED, a declined one
 * DECLINED.
 */
export async function renderQuotePdf(data: QuoteDocumentData): Promise<Buffer> {
  const { quote, studio } = data;
  const money = moneyFormatter(quote.currency.trim());
  const doc = createPdf(`Quote ${quote.number ?? 'draft'}`, studio.name);
  drawStudioHeader(doc, studio);
  drawTitleAndParties(doc, 'Quote', quote, [
    ['Number', quote.number ?? 'Draft (no number yet)'],
    ['Issue date', quote.issueDate && documentDate(quote.issueDate)],
    ['Valid until', quote.validUntil && documentDate(quote.validUntil)],
    ['Currency', quote.currency.trim()],
  ]);
  linesTable(doc, data.lines, money);
  taxTotals(doc, { subtotalMinor: quote.subtotalMinor, totalMinor: quote.totalMinor, byRate: data.byRate }, money);

  if (data.depositMinor > 0) {
    sectionTitle(doc, 'Deposit');
    paragraph(doc, 'On acceptance, a deposit invoice is issued for the amount below (tax included); the final invoice deducts it.');
    totalsBlock(doc, [
      { label: data.depositPercent ? `Deposit (${percentLabel(data.depositPercent)} of the total)` : 'Deposit', amount: money(data.depositMinor), bold: true },
      { label: 'Balance on completion', amount: money(quote.totalMinor - data.depositMinor) },
    ]);
  }
  if (data.notes) {
    sectionTitle(doc, 'Notes');
    paragraph(doc, data.notes);
  }
  if (data.terms) {
    sectionTitle(doc, 'Terms');
    paragraph(doc, data.terms, true);
  }

  const mark = { draft: 'DRAFT', expired: 'EXPIRED', declined: 'DECLINED' } as Partial<Record<ListedQuoteStatus, string>>;
  if (mark[data.status]) watermark(doc, mark[data.status]!);
  pageNumbers(doc);
  return pdfBytes(doc);
}
