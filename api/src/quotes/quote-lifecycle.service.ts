import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { RequestContext } from '../common/request-context.js';
import { assertBookingsNotInvoiced, clientOrInvalid, copyBillTo, writeDraftContent } from '../invoices/invoice-drafts.js';
import { depositDeductions, type PricedLine, studioSettings, todayIn } from '../invoices/invoice-pricing.js';
import { Invoice, isIssued } from '../invoices/invoice.entity.js';
import type { InvoiceDto } from '../invoices/dto/invoice.dto.js';
import { invoiceView } from '../invoices/invoice-view.js';
import { documentTotals, lineTotals } from '../money/money.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { DeclineQuoteDto } from './dto/quote-input.dto.js';
import type { QuoteDto } from './dto/quote.dto.js';
import { QuoteLine } from './quote-line.entity.js';
import { depositAmount, lockQuote, quoteConflict, quoteNotFound, quoteView, visibleStatus } from './quote-view.js';
import { Quote } from './quote.entity.js';

/** A quote's stored lines as invoice lines: copied as they are (prices and tax rates the client accepted). */
function copiedLines(lines: QuoteLine[]): PricedLine[] {
  return lines.map(({ id: _id, quoteId: _q, position: _p, quote: _quote, booking: _b, taxRate: _t, ...line }) => line);
}

/**
 * The one line of a quote's deposit invoice: `amount` tax included, taxed at the rate carrying most of the
 * quote's net (ties: the higher rate), so the deposit invoice's total is exactly the amount asked and its
 * tax is its own ("facture d'acompte", "Anzahlungsrechnung").
 */
function depositLine(quote: Quote, lines: QuoteLine[], amount: number, description: string): PricedLine {
  const weight = new Map<string, { line: QuoteLine; net: number }>();
  for (const l of lines) {
    const entry = weight.get(l.taxRatePercent) ?? { line: l, net: 0 };
    entry.net += l.netMinor;
    weight.set(l.taxRatePercent, entry);
  }
  const [main] = [...weight.values()].sort((a, b) => b.net - a.net || Number(b.line.taxRatePercent) - Number(a.line.taxRatePercent));
  const rate = main?.line ?? null;
  const figures = lineTotals({ quantity: '1', unitPriceMinor: amount, discountMinor: 0, taxRatePercent: rate?.taxRatePercent ?? '0', taxInclusive: true });
  return {
    kind: 'deposit',
    bookingId: null,
    description,
    quantity: '1',
    unit: null,
    unitPriceMinor: amount,
    discountMinor: 0,
    taxRateId: rate?.taxRateId ?? null,
    taxName: rate?.taxName ?? null,
    taxRatePercent: rate?.taxRatePercent ?? '0',
    taxInclusive: true,
    netMinor: figures.netMinor,
    taxMinor: figures.taxMinor,
    grossMinor: figures.grossMinor,
  };
}

/**
 * Issue 12, portal: who may decide. Staff decide any quote of the studio; a client in the portal only
 * their own client's quotes once sent (another client's quote, or a draft, is a 404 like an unknown id).
 */
export interface QuoteDecider {
  clientId: string;
}

/** Sending (number, issue date), accepting (the invoice or deposit invoice), declining, and the final invoice (issue 11). */
@Injectable()
export class QuoteLifecycleService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  /**
   * Under the quote's row lock (two accepts cannot both create an invoice): a sent, unexpired quote
   * becomes accepted and gets its invoice draft with the same lines, or, when it asks for a deposit,
   * a deposit invoice draft for exactly that amount (the final invoice comes later: `invoice`).
   */
  async accept(id: string, decider?: QuoteDecider): Promise<QuoteDto> {
    return this.tenant.transaction(async (m) => {
      const quote = await this.lockFor(m, id, decider);
      const today = todayIn((await studioSettings(m)).timeZone);
      this.mustBeOpen(quote, today);
      const lines = await m.getRepository(QuoteLine).find({ where: { quoteId: id }, order: { position: 'ASC' } });
      const deposit = depositAmount(quote);
      const invoice =
        deposit > 0
          ? await this.createInvoiceDraft(m, quote, 'deposit', [depositLine(quote, lines, deposit, `Deposit for quote ${quote.number}${quote.depositPercent ? `, ${Number(quote.depositPercent)} %` : ''}`)])
          : await this.createInvoiceDraft(m, quote, 'invoice', copiedLines(lines));
      quote.status = 'accepted';
      quote.acceptedAt = new Date();
      quote.invoiceId = invoice.id;
      await m.getRepository(Quote).save(quote);
      await recordEvent(m, { type: 'quote.accepted', subjectType: 'quote', subjectId: id, payload: { number: quote.number, invoiceId: invoice.id, invoiceKind: invoice.kind, depositMinor: deposit, ...this.portalActor() }, actorId: this.actorId() });
      await this.audit.record(m, { action: 'quote.accepted', targetType: 'quote', targetId: id, details: { number: quote.number, invoiceId: invoice.id } });
      return quoteView(m, quote, today);
    });
  }

  async decline(id: string, dto: DeclineQuoteDto, decider?: QuoteDecider): Promise<QuoteDto> {
    return this.tenant.transaction(async (m) => {
      const quote = await this.lockFor(m, id, decider);
      const today = todayIn((await studioSettings(m)).timeZone);
      if (quote.status === 'accepted') throw quoteConflict('quote-already-accepted', 'This quote is accepted: void or credit its invoice instead.');
      // A client may still answer "no" after the validity date: an expired quote can be declined.
      if (quote.status !== 'sent') throw quoteConflict('quote-not-sent', 'Only a sent quote can be declined.');
      quote.status = 'declined';
      quote.declinedAt = new Date();
      quote.declineReason = dto.reason ?? null;
      await m.getRepository(Quote).save(quote);
      await recordEvent(m, { type: 'quote.declined', subjectType: 'quote', subjectId: id, payload: { number: quote.number, ...this.portalActor() }, actorId: this.actorId() });
      await this.audit.record(m, { action: 'quote.declined', targetType: 'quote', targetId: id, details: { number: quote.number } });
      return quoteView(m, quote, today);
    });
  }

  /**
   * The final invoice ("facture de solde", "Schlussrechnung") of an accepted quote that asked for a
   * deposit: every quote line, deducting the issued deposit invoices made from the quote. For a quote
   * without a deposit, a new invoice draft when the one accepting made was deleted or voided.
   */
  async finalInvoice(id: string): Promise<InvoiceDto> {
    return this.tenant.transaction(async (m) => {
      const quote = await lockQuote(m, id);
      const today = todayIn((await studioSettings(m)).timeZone);
      if (quote.status !== 'accepted') throw quoteConflict('quote-not-accepted', 'Only an accepted quote is invoiced.');
      const linked = await m.getRepository(Invoice).findBy({ quoteId: id });
      if (linked.some((i) => i.kind === 'invoice' && i.status !== 'void')) throw quoteConflict('quote-already-invoiced', 'This quote already has its invoice.');
      const deposits = linked.filter((i) => i.kind === 'deposit' && isIssued(i.status));
      // A quote without a deposit got its invoice when accepted: this makes it again if that one was deleted or voided.
      // With a deposit, only a deposit draft still waiting to be issued holds the final invoice back: once the studio
      // deleted or voided it (the deposit was dropped), the final invoice bills everything with nothing to deduct.
      const depositPending = linked.some((i) => i.kind === 'deposit' && i.status === 'draft');
      if (!deposits.length && depositPending) throw quoteConflict('quote-deposit-not-issued', 'Finalize the deposit invoice of this quote first (or delete it to invoice the whole quote).');
      const lines = await m.getRepository(QuoteLine).find({ where: { quoteId: id }, order: { position: 'ASC' } });
      const invoice = await this.createInvoiceDraft(m, quote, 'invoice', copiedLines(lines), deposits.map((d) => d.id));
      if (!quote.invoiceId) {
        quote.invoiceId = invoice.id; // the invoice accepting made was deleted: this one replaces it
        await m.getRepository(Quote).save(quote);
      }
      await this.audit.record(m, { action: 'quote.invoiced', targetType: 'quote', targetId: id, details: { invoiceId: invoice.id } });
      return invoiceView(m, await m.getRepository(Invoice).findOneByOrFail({ id: invoice.id }), today);
    });
  }

  /** The quote under its row lock, when `decider` may see it (a client: their own, not a draft, mailed); else 404. */
  private async lockFor(m: EntityManager, id: string, decider: QuoteDecider | undefined): Promise<Quote> {
    const quote = await lockQuote(m, id);
    // A client decides only on a quote in their hands: theirs, not a draft, and mailed if merely sent (portal-quotes.service).
    if (decider && (quote.clientId !== decider.clientId || quote.status === 'draft' || (quote.status === 'sent' && quote.sentAt === null))) throw quoteNotFound();
    return quote;
  }

  /** Issue 12: a decision made in the portal names the portal account in its outbox event (the audit entry names it as actor). */
  private portalActor(): { portalAccountId?: string } {
    const portal = this.context.portalPrincipal();
    return portal ? { portalAccountId: portal.accountId } : {};
  }

  private mustBeOpen(quote: Quote, today: string): void {
    if (quote.status === 'accepted') throw quoteConflict('quote-already-accepted', 'This quote is already accepted.');
    if (quote.status !== 'sent') throw quoteConflict('quote-not-sent', 'Only a sent quote can be accepted.');
    if (visibleStatus(quote, today) === 'expired') throw quoteConflict('quote-expired', `This quote was valid until ${quote.validUntil}: send a new one.`);
  }

  /** An invoice draft of the quote's client, currency and references, `quote_id` set, priced by the lines given. */
  private async createInvoiceDraft(m: EntityManager, quote: Quote, kind: 'invoice' | 'deposit', lines: PricedLine[], depositIds: string[] = []): Promise<Invoice> {
    const repo = m.getRepository(Invoice);
    const currency = quote.currency.trim();
    // A quote line naming a session bills it: the same once-only rule as every other invoice line.
    if (kind === 'invoice') await assertBookingsNotInvoiced(m, lines.map((l) => l.bookingId), null);
    const invoice = repo.create({
      kind,
      status: 'draft',
      clientId: quote.clientId,
      projectId: quote.projectId,
      bookingId: kind === 'deposit' ? quote.bookingId : null,
      quoteId: quote.id,
      currency,
      notes: quote.notes,
      terms: quote.terms,
      createdBy: this.actorId(),
    });
    copyBillTo(invoice, await clientOrInvalid(m, quote.clientId));
    await repo.save(invoice);
    const deductions = await depositDeductions(m, depositIds, quote.clientId, currency, invoice.id);
    await writeDraftContent(m, invoice, { lines: { lines, totals: documentTotals(lines) }, deposits: deductions });
    await repo.save(invoice);
    await this.audit.record(m, { action: 'invoice.created', targetType: 'invoice', targetId: invoice.id, details: { kind, quoteId: quote.id } });
    return invoice;
  }

  private actorId(): string | null {
    return this.context.principal()?.userId ?? null;
  }
}
