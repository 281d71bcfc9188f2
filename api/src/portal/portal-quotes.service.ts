import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { DocumentsService, type RenderedDocument } from '../documents/documents.service.js';
import { studioSettings, todayIn } from '../invoices/invoice-pricing.js';
import type { DeclineQuoteDto } from '../quotes/dto/quote-input.dto.js';
import type { QuoteDto } from '../quotes/dto/quote.dto.js';
import { QuoteLifecycleService } from '../quotes/quote-lifecycle.service.js';
import { quoteNotFound, quoteView, toQuoteSummary } from '../quotes/quote-view.js';
import { Quote } from '../quotes/quote.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { PortalQuoteDto, PortalQuoteListDto, PortalQuoteSummaryDto } from './dto/portal-quotes.dto.js';

/**
 * What a client sees: a quote once the studio mailed it (`sent_at`: a numbered quote whose mail was refused,
 * or is being mailed, is not in the client's hands yet), and any quote decided (accepted, declined). Never a draft.
 */
const VISIBLE = ['sent', 'accepted', 'declined'];
export const visibleToClient = (q: Pick<Quote, 'status' | 'sentAt'>) => VISIBLE.includes(q.status) && (q.status !== 'sent' || q.sentAt !== null);

/**
 * Issue 12, portal: the signed-in client's quotes. Reads start from the principal's client (another
 * client's quote, a draft or an unknown id: the same 404). Accepting and declining are the staff
 * decision path (QuoteLifecycleService: the row lock, the expiry check, the invoice or deposit invoice,
 * the outbox event, the audit entry), told which client decides.
 */
@Injectable()
export class PortalQuotesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly documents: DocumentsService,
    private readonly lifecycle: QuoteLifecycleService,
  ) {}

  async list(principal: PortalPrincipal): Promise<PortalQuoteListDto> {
    return this.tenant.run(async (m) => {
      const today = todayIn((await studioSettings(m)).timeZone);
      const quotes = await m
        .getRepository(Quote)
        .createQueryBuilder('q')
        .where("q.client_id = :client AND q.status IN (:...visible) AND (q.status <> 'sent' OR q.sent_at IS NOT NULL)", { client: principal.clientId, visible: VISIBLE })
        .orderBy('q.issue_date', 'DESC')
        .addOrderBy('q.created_at', 'DESC')
        .addOrderBy('q.id', 'DESC')
        .limit(500)
        .getMany();
      return { items: quotes.map((q) => portalSummary(toQuoteSummary(q, '', today))) };
    });
  }

  async get(principal: PortalPrincipal, quoteId: string): Promise<PortalQuoteDto> {
    return this.tenant.run(async (m) => {
      const quote = await ownQuote(m, principal, quoteId);
      return portalQuote(await quoteView(m, quote, todayIn((await studioSettings(m)).timeZone)));
    });
  }

  async pdf(principal: PortalPrincipal, quoteId: string): Promise<RenderedDocument> {
    await this.tenant.run((m) => ownQuote(m, principal, quoteId));
    return this.documents.quotePdf(quoteId);
  }

  async accept(principal: PortalPrincipal, quoteId: string): Promise<PortalQuoteDto> {
    return portalQuote(await this.lifecycle.accept(quoteId, { clientId: principal.clientId }));
  }

  async decline(principal: PortalPrincipal, quoteId: string, dto: DeclineQuoteDto): Promise<PortalQuoteDto> {
    return portalQuote(await this.lifecycle.decline(quoteId, dto, { clientId: principal.clientId }));
  }
}

/** The client's own sent quote, else a 404 (another client's, a draft, or none). */
async function ownQuote(m: EntityManager, principal: PortalPrincipal, quoteId: string): Promise<Quote> {
  const quote = await m.getRepository(Quote).findOneBy({ id: quoteId, clientId: principal.clientId });
  if (!quote || !visibleToClient(quote)) throw quoteNotFound();
  return quote;
}

function portalSummary(q: Pick<QuoteDto, 'id' | 'status' | 'number' | 'currency' | 'issueDate' | 'validUntil' | 'totalMinor'>): PortalQuoteSummaryDto {
  return { id: q.id, status: q.status, number: q.number ?? '', currency: q.currency, issueDate: q.issueDate, validUntil: q.validUntil, totalMinor: q.totalMinor };
}

function portalQuote(q: QuoteDto): PortalQuoteDto {
  return {
    ...portalSummary(q),
    billTo: q.billTo,
    lines: q.lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unit: l.unit, unitPriceMinor: l.unitPriceMinor, taxRatePercent: l.taxRatePercent, netMinor: l.netMinor, taxMinor: l.taxMinor, grossMinor: l.grossMinor })),
    byRate: q.byRate,
    subtotalMinor: q.subtotalMinor,
    taxMinor: q.taxMinor,
    deposit: q.deposit,
    notes: q.notes,
    terms: q.terms,
    acceptedAt: q.acceptedAt,
    declinedAt: q.declinedAt,
    declineReason: q.declineReason,
  };
}
