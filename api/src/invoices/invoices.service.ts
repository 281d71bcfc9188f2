import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.service.js';
import { decodeNewestFirstCursor, DEFAULT_PAGE_SIZE, keysetPage, newestFirst } from '../common/pagination.js';
import { RequestContext } from '../common/request-context.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { InvoiceDto, InvoiceListDto, InvoicePreviewDto } from './dto/invoice.dto.js';
import type { CreateInvoiceDto, ListInvoicesQueryDto, PreviewInvoiceDto, UpdateInvoiceDto } from './dto/invoice-input.dto.js';
import { assertBookingsNotInvoiced, checkCurrency, checkReferences, clientOrInvalid, copyBillTo, currentDepositIds, depositLinesFixed, invoiceNotFound, lockInvoice, notDraft, writeDraftContent } from './invoice-drafts.js';
import { depositDeductions, priceLines, studioSettings, todayIn } from './invoice-pricing.js';
import { invoiceView, toSummary } from './invoice-view.js';
import { Invoice } from './invoice.entity.js';
import { billedDocumentsQuery } from './billed-documents.query.js';

/** Invoices, deposit invoices and credit notes while they are drafts, and every read (issue 11). */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  async create(dto: CreateInvoiceDto): Promise<InvoiceDto> {
    return this.tenant.transaction(async (m) => {
      const settings = await studioSettings(m);
      const client = await clientOrInvalid(m, dto.clientId);
      const currency = checkCurrency(dto.currency ?? settings.defaultCurrency.trim());
      await checkReferences(m, client.id, dto);
      const priced = await priceLines(m, dto.lines ?? []);
      await assertBookingsNotInvoiced(m, priced.lines.map((l) => l.bookingId), null);
      const deposits = await depositDeductions(m, dto.depositInvoiceIds ?? [], client.id, currency, null);
      const repo = m.getRepository(Invoice);
      const invoice = repo.create({
        kind: dto.kind ?? 'invoice',
        status: 'draft',
        clientId: client.id,
        projectId: dto.projectId ?? null,
        bookingId: dto.bookingId ?? null,
        currency,
        dueDate: dto.dueDate ?? null,
        poNumber: dto.poNumber ?? null,
        notes: dto.notes ?? null,
        terms: dto.terms ?? null,
        createdBy: this.context.principal()?.userId ?? null,
      });
      copyBillTo(invoice, client);
      await repo.save(invoice);
      await writeDraftContent(m, invoice, { lines: priced, deposits });
      await repo.save(invoice);
      await this.audit.record(m, { action: 'invoice.created', targetType: 'invoice', targetId: invoice.id, details: { kind: invoice.kind, lines: priced.lines.length } });
      return invoiceView(m, await repo.findOneByOrFail({ id: invoice.id }), todayIn(settings.timeZone));
    });
  }

  async get(id: string): Promise<InvoiceDto> {
    return this.tenant.run(async (m) => {
      const invoice = await m.getRepository(Invoice).findOneBy({ id });
      if (!invoice) throw invoiceNotFound();
      return invoiceView(m, invoice, todayIn((await studioSettings(m)).timeZone));
    });
  }

  /**
   * Read-modify-write of a draft under its row lock, so concurrent PATCHes of different fields all
   * stick; updated_at is stamped after the lock, in commit order (as clients do).
   */
  async update(id: string, dto: UpdateInvoiceDto): Promise<InvoiceDto> {
    return this.tenant.transaction(async (m) => {
      const invoice = await lockInvoice(m, id);
      if (invoice.status !== 'draft') throw notDraft();
      const quoteDeposit = invoice.kind === 'deposit' && invoice.quoteId !== null;
      if (quoteDeposit && (dto.lines !== undefined || (dto.kind !== undefined && dto.kind !== 'deposit'))) throw depositLinesFixed();
      const settings = await studioSettings(m);
      const client = await clientOrInvalid(m, dto.clientId ?? invoice.clientId);
      if (dto.currency !== undefined) invoice.currency = checkCurrency(dto.currency);
      if (dto.kind !== undefined && invoice.kind !== 'credit_note') invoice.kind = dto.kind;
      for (const key of ['projectId', 'bookingId', 'dueDate', 'poNumber', 'notes', 'terms'] as const) {
        if (dto[key] !== undefined) (invoice as unknown as Record<string, unknown>)[key] = dto[key];
      }
      invoice.clientId = client.id;
      await checkReferences(m, client.id, { projectId: invoice.projectId, bookingId: invoice.bookingId });
      copyBillTo(invoice, client);
      const priced = dto.lines ? await priceLines(m, dto.lines) : undefined;
      if (priced && invoice.kind !== 'credit_note') await assertBookingsNotInvoiced(m, priced.lines.map((l) => l.bookingId), id);
      // Deposits are re-checked whenever what they depend on may have changed (client, currency).
      const depositIds = dto.depositInvoiceIds ?? (await currentDepositIds(m, id));
      const deposits = await depositDeductions(m, depositIds, client.id, invoice.currency.trim(), id);
      await writeDraftContent(m, invoice, { lines: priced, deposits });
      const { createdAt: _c, updatedAt: _u, ...fields } = invoice;
      await m
        .getRepository(Invoice)
        .createQueryBuilder()
        .update()
        .set({ ...fields, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
        .where('id = :id', { id })
        .execute();
      await this.audit.record(m, { action: 'invoice.updated', targetType: 'invoice', targetId: id, details: { fields: Object.keys(dto).sort() } });
      return invoiceView(m, await m.getRepository(Invoice).findOneByOrFail({ id }), todayIn(settings.timeZone));
    });
  }

  async remove(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const invoice = await lockInvoice(m, id);
      if (invoice.status !== 'draft') throw notDraft();
      await m.getRepository(Invoice).delete({ id }); // lines and deductions cascade
      await this.audit.record(m, { action: 'invoice.deleted', targetType: 'invoice', targetId: id, details: { kind: invoice.kind } });
    });
  }

  /** Totals of lines that are not saved: the web editor's live figures, from the same money.ts. Writes nothing. */
  async preview(dto: PreviewInvoiceDto): Promise<InvoicePreviewDto> {
    return this.tenant.run(async (m) => {
      const currency = checkCurrency(dto.currency);
      const { totals } = await priceLines(m, dto.lines ?? []);
      let depositsMinor = 0;
      if (dto.depositInvoiceIds?.length) {
        const [first] = await m.getRepository(Invoice).findBy({ id: dto.depositInvoiceIds[0] });
        const deposits = await depositDeductions(m, dto.depositInvoiceIds, first?.clientId ?? '', currency, null);
        depositsMinor = deposits.reduce((sum, d) => sum + d.grossMinor, 0);
      }
      return {
        lines: totals.lines.map((l) => ({ netMinor: l.netMinor, taxMinor: l.taxMinor, grossMinor: l.grossMinor })),
        byRate: totals.byRate,
        subtotalMinor: totals.subtotalMinor,
        taxMinor: totals.taxMinor,
        totalMinor: totals.totalMinor,
        depositsMinor,
        amountDueMinor: totals.totalMinor - depositsMinor,
      };
    });
  }

  /** Newest first (created_at, then id, both descending), filtered; `total` counts every match. */
  async list(query: ListInvoicesQueryDto): Promise<InvoiceListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNewestFirstCursor(query.cursor) : undefined;
    return this.tenant.run(async (m) => {
      const today = todayIn((await studioSettings(m)).timeZone);
      const filtered = () => {
        const qb = billedDocumentsQuery(m.getRepository(Invoice), 'i', query);
        if (query.status?.length) qb.andWhere('i.status IN (:...statuses)', { statuses: query.status });
        if (query.kind) qb.andWhere('i.kind = :kind', { kind: query.kind });
        if (query.projectId) qb.andWhere('i.project_id = :projectId', { projectId: query.projectId });
        if (query.issuedFrom) qb.andWhere('i.issue_date >= :from', { from: query.issuedFrom });
        if (query.issuedTo) qb.andWhere('i.issue_date <= :to', { to: query.issuedTo });
        const overdue = `(i.status IN ('sent', 'partially_paid') AND i.balance_minor > 0 AND i.due_date < :today)`;
        if (query.overdue === 'true') qb.andWhere(overdue, { today });
        if (query.overdue === 'false') qb.andWhere(`NOT ${overdue}`, { today });
        return qb;
      };
      const { items, raw, nextCursor } = await keysetPage<Invoice, { sort_key: string; client_name: string }>(newestFirst(filtered(), 'i', after, limit + 1), limit);
      const total = await filtered().getCount();
      return { items: items.map((invoice, i) => toSummary(invoice, raw[i].client_name, today)), nextCursor, total };
    });
  }
}
