import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Client } from '../clients/client.entity.js';
import { ProblemException } from '../common/problem.js';
import { breakdownByRate, lineView } from '../invoices/invoice-view.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { normalizeRate, percentOf } from '../money/money.js';
import type { ListedQuoteStatus } from './dto/quote-input.dto.js';
import type { QuoteDto, QuoteSummaryDto } from './dto/quote.dto.js';
import { QuoteLine } from './quote-line.entity.js';
import { Quote } from './quote.entity.js';

export const quoteNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No quote with this id in your studio.');
export const quoteConflict = (type: string, detail: string) => new ProblemException(HttpStatus.CONFLICT, type, detail);

/** The status the API shows: a sent quote whose last valid day is before `today` (the studio's date) has expired. */
export function visibleStatus(q: Pick<Quote, 'status' | 'validUntil'>, today: string): ListedQuoteStatus {
  return q.status === 'sent' && q.validUntil !== null && q.validUntil < today ? 'expired' : q.status;
}

/** The gross amount of the deposit a quote asks (0 when none): percentOf its total (money.ts rounding), or the fixed amount. */
export function depositAmount(q: Pick<Quote, 'depositPercent' | 'depositMinor' | 'totalMinor'>): number {
  if (q.depositPercent !== null) return percentOf(q.totalMinor, q.depositPercent);
  return q.depositMinor ?? 0;
}

/** The quote, locked for the rest of the transaction (every read-modify-write of a quote starts here). */
export async function lockQuote(m: EntityManager, id: string): Promise<Quote> {
  const quote = await m.getRepository(Quote).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!quote) throw quoteNotFound();
  return quote;
}

export function toQuoteSummary(q: Quote, clientName: string, today: string): QuoteSummaryDto {
  return {
    id: q.id,
    status: visibleStatus(q, today),
    number: q.number,
    client: { id: q.clientId, name: clientName },
    projectId: q.projectId,
    currency: q.currency.trim(),
    issueDate: q.issueDate,
    validUntil: q.validUntil,
    totalMinor: q.totalMinor,
    invoiceId: q.invoiceId,
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
  };
}

export async function quoteView(m: EntityManager, quote: Quote, today: string): Promise<QuoteDto> {
  const client = await m.getRepository(Client).findOneByOrFail({ id: quote.clientId });
  const lines = await m.getRepository(QuoteLine).find({ where: { quoteId: quote.id }, order: { position: 'ASC' } });
  const invoices = await m.getRepository(Invoice).find({ where: { quoteId: quote.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const asksDeposit = quote.depositPercent !== null || quote.depositMinor !== null;
  return {
    ...toQuoteSummary(quote, client.name, today),
    bookingId: quote.bookingId,
    notes: quote.notes,
    terms: quote.terms,
    billTo: { name: quote.billToName, address: quote.billToAddress, taxId: quote.billToTaxId, email: quote.billToEmail },
    lines: lines.map(lineView),
    byRate: breakdownByRate(lines),
    subtotalMinor: quote.subtotalMinor,
    taxMinor: quote.taxMinor,
    deposit: asksDeposit ? { percent: quote.depositPercent === null ? null : normalizeRate(quote.depositPercent), amountMinor: quote.depositMinor, depositMinor: depositAmount(quote) } : null,
    sentAt: quote.sentAt?.toISOString() ?? null,
    acceptedAt: quote.acceptedAt?.toISOString() ?? null,
    declinedAt: quote.declinedAt?.toISOString() ?? null,
    declineReason: quote.declineReason,
    invoices: invoices.map((i) => ({ id: i.id, kind: i.kind, status: i.status, number: i.number, totalMinor: i.totalMinor })),
  };
}
