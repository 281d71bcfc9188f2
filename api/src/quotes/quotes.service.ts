import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { decodeNewestFirstCursor, DEFAULT_PAGE_SIZE, keysetPage, newestFirst } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { checkCurrency, checkReferences, clientOrInvalid, copyBillTo } from '../invoices/invoice-drafts.js';
import { type PricedLine, priceLines, studioSettings, todayIn } from '../invoices/invoice-pricing.js';
import type { DocumentTotals } from '../money/money.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { CreateQuoteDto, ListQuotesQueryDto, QuoteDepositInputDto, UpdateQuoteDto } from './dto/quote-input.dto.js';
import type { QuoteDto, QuoteListDto } from './dto/quote.dto.js';
import { QuoteLine } from './quote-line.entity.js';
import { depositAmount, lockQuote, quoteConflict, quoteNotFound, quoteView, toQuoteSummary } from './quote-view.js';
import { billedDocumentsQuery } from '../invoices/billed-documents.query.js';
import { Quote } from './quote.entity.js';

const invalid = (field: string, message: string) => new ValidationProblem([{ field, messages: [message] }]);
export const quoteNotDraft = () => quoteConflict('quote-not-draft', 'Only a draft quote can be changed, sent or deleted.');

/** The deposit columns for a `deposit` input: exactly one of percent (0 < p ≤ 100) and amountMinor; null clears it. */
function depositColumns(deposit: QuoteDepositInputDto | null): Pick<Quote, 'depositPercent' | 'depositMinor'> {
  if (deposit === null) return { depositPercent: null, depositMinor: null };
  if ((deposit.percent === undefined) === (deposit.amountMinor === undefined)) throw invalid('deposit', 'give exactly one of deposit.percent and deposit.amountMinor');
  if (deposit.percent !== undefined && (Number(deposit.percent) <= 0 || Number(deposit.percent) > 100)) throw invalid('deposit.percent', 'percent must be more than 0 and at most 100');
  return { depositPercent: deposit.percent ?? null, depositMinor: deposit.amountMinor ?? null };
}

/** Replaces a draft quote's lines (when given) and stores their totals; a fixed deposit must stay within the total. */
async function writeQuoteContent(m: EntityManager, quote: Quote, priced?: { lines: PricedLine[]; totals: DocumentTotals }): Promise<void> {
  if (priced) {
    await m.getRepository(QuoteLine).delete({ quoteId: quote.id });
    if (priced.lines.length) await m.getRepository(QuoteLine).insert(priced.lines.map((l, i) => ({ ...l, quoteId: quote.id, position: i + 1 })));
    quote.subtotalMinor = priced.totals.subtotalMinor;
    quote.taxMinor = priced.totals.taxMinor;
    quote.totalMinor = priced.totals.totalMinor;
  }
  if (quote.depositMinor !== null && quote.depositMinor > quote.totalMinor) throw invalid('deposit.amountMinor', 'the deposit is larger than the quote\u2019s total');
}

/** Quotes while they are drafts, and every read (issue 11). Sending, accepting and declining: QuoteLifecycleService. */
@Injectable()
export class QuotesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  async create(dto: CreateQuoteDto): Promise<QuoteDto> {
    const deposit = depositColumns(dto.deposit ?? null);
    return this.tenant.transaction(async (m) => {
      const settings = await studioSettings(m);
      const client = await clientOrInvalid(m, dto.clientId);
      const currency = checkCurrency(dto.currency ?? settings.defaultCurrency.trim());
      await checkReferences(m, client.id, dto);
      const priced = await priceLines(m, dto.lines ?? []);
      const repo = m.getRepository(Quote);
      const quote = repo.create({
        status: 'draft',
        clientId: client.id,
        projectId: dto.projectId ?? null,
        bookingId: dto.bookingId ?? null,
        currency,
        validUntil: dto.validUntil ?? null,
        notes: dto.notes ?? null,
        terms: dto.terms ?? null,
        ...deposit,
        createdBy: this.context.principal()?.userId ?? null,
      });
      copyBillTo(quote, client);
      await repo.save(quote);
      await writeQuoteContent(m, quote, priced);
      await repo.save(quote);
      await this.audit.record(m, { action: 'quote.created', targetType: 'quote', targetId: quote.id, details: { lines: priced.lines.length } });
      return quoteView(m, await repo.findOneByOrFail({ id: quote.id }), todayIn(settings.timeZone));
    });
  }

  async get(id: string): Promise<QuoteDto> {
    return this.tenant.run(async (m) => {
      const quote = await m.getRepository(Quote).findOneBy({ id });
      if (!quote) throw quoteNotFound();
      return quoteView(m, quote, todayIn((await studioSettings(m)).timeZone));
    });
  }

  /** Read-modify-write of a draft under its row lock: concurrent PATCHes of different fields all stick. */
  async update(id: string, dto: UpdateQuoteDto): Promise<QuoteDto> {
    const deposit = dto.deposit === undefined ? undefined : depositColumns(dto.deposit);
    return this.tenant.transaction(async (m) => {
      const quote = await lockQuote(m, id);
      if (quote.status !== 'draft') throw quoteNotDraft();
      const settings = await studioSettings(m);
      const client = await clientOrInvalid(m, dto.clientId ?? quote.clientId);
      if (dto.currency !== undefined) quote.currency = checkCurrency(dto.currency);
      for (const key of ['projectId', 'bookingId', 'validUntil', 'notes', 'terms'] as const) {
        if (dto[key] !== undefined) (quote as unknown as Record<string, unknown>)[key] = dto[key];
      }
      if (deposit) Object.assign(quote, deposit);
      quote.clientId = client.id;
      await checkReferences(m, client.id, { projectId: quote.projectId, bookingId: quote.bookingId });
      copyBillTo(quote, client);
      await writeQuoteContent(m, quote, dto.lines ? await priceLines(m, dto.lines) : undefined);
      const { createdAt: _c, updatedAt: _u, ...fields } = quote;
      await m
        .getRepository(Quote)
        .createQueryBuilder()
        .update()
        .set({ ...fields, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
        .where('id = :id', { id })
        .execute();
      await this.audit.record(m, { action: 'quote.updated', targetType: 'quote', targetId: id, details: { fields: Object.keys(dto).sort() } });
      return quoteView(m, await m.getRepository(Quote).findOneByOrFail({ id }), todayIn(settings.timeZone));
    });
  }

  async remove(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const quote = await lockQuote(m, id);
      if (quote.status !== 'draft') throw quoteNotDraft();
      await m.getRepository(Quote).delete({ id }); // lines cascade
      await this.audit.record(m, { action: 'quote.deleted', targetType: 'quote', targetId: id, details: {} });
    });
  }

  /** Newest first (created_at, then id, both descending), filtered; `total` counts every match. */
  async list(query: ListQuotesQueryDto): Promise<QuoteListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNewestFirstCursor(query.cursor) : undefined;
    return this.tenant.run(async (m) => {
      const today = todayIn((await studioSettings(m)).timeZone);
      const filtered = () => {
        const qb = billedDocumentsQuery(m.getRepository(Quote), 'q', query);
        if (query.status?.length) {
          // `expired` is computed (see Quote): sent and past validUntil; `sent` means still valid. The stored ones are bound, never spliced in.
          const stored = query.status.filter((s) => s !== 'expired' && s !== 'sent');
          const conditions = [
            ...(query.status.includes('expired') ? [`(q.status = 'sent' AND q.valid_until < :today)`] : []),
            ...(query.status.includes('sent') ? [`(q.status = 'sent' AND q.valid_until >= :today)`] : []),
            ...(stored.length ? ['q.status IN (:...stored)'] : []),
          ];
          qb.andWhere(`(${conditions.join(' OR ')})`, { today, stored });
        }
        return qb;
      };
      const { items, raw, nextCursor } = await keysetPage<Quote, { sort_key: string; client_name: string }>(newestFirst(filtered(), 'q', after, limit + 1), limit);
      const total = await filtered().getCount();
      return { items: items.map((quote, i) => toQuoteSummary(quote, raw[i].client_name, today)), nextCursor, total };
    });
  }
}

export { depositAmount };
