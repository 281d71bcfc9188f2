import { HttpStatus, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { studioToday } from '../billing-settings/billing-settings.service.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { type IdempotentResult, IdempotentWrites } from '../idempotency/idempotent-writes.js';
import { settleInvoice } from '../invoices/invoice-balance.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { PaymentDto, PaymentListDto, PaymentListItemDto } from './dto/payment.dto.js';
import type { ListPaymentsQueryDto, RecordPaymentDto } from './dto/payment-input.dto.js';
import { InvoiceShare } from './invoice-share.entity.js';
import { Payment } from './payment.entity.js';
import { lockInvoice } from '../invoices/invoice-drafts.js';
import { assertPayable, overpayment, paymentNotFound, toPaymentDto } from './payment-rules.js';

const notDeletable = () =>
  new ProblemException(HttpStatus.CONFLICT, 'payment-not-deletable', 'A Stripe payment is not deleted by hand: refund it in Stripe, and the refund is recorded from its webhook.');

/**
 * Issue 11: manual payments. Each write locks the invoice row first (then the share's), writes the
 * payment, and settles the invoice (invoice-balance.ts) in the same transaction, with its outbox events
 * and audit entry: the invoice's balance and status never disagree with its payments.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly idempotent: IdempotentWrites,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  /** With an Idempotency-Key, a retry (even a concurrent one) gets the first answer and records nothing more. */
  record(invoiceId: string, dto: RecordPaymentDto, key: string | undefined): Promise<IdempotentResult<PaymentDto>> {
    return this.idempotent.run(`payment.record:${invoiceId}`, key, dto, (m) => this.recordIn(m, invoiceId, dto));
  }

  private async recordIn(m: EntityManager, invoiceId: string, dto: RecordPaymentDto): Promise<PaymentDto> {
    const invoice = await lockInvoice(m, invoiceId);
    const tomorrow = DateTime.fromISO(await studioToday(m)).plus({ days: 1 }).toISODate()!;
    if (dto.receivedOn > tomorrow) throw new ValidationProblem([{ field: 'receivedOn', messages: [`receivedOn must be on or before ${tomorrow} (tomorrow in the studio's time zone)`] }]);
    assertPayable(invoice);
    const shares = m.getRepository(InvoiceShare);
    let share: InvoiceShare | null = null;
    if (dto.shareId) {
      share = await shares.findOne({ where: { id: dto.shareId, invoiceId }, lock: { mode: 'pessimistic_write' } });
      if (!share) throw new ValidationProblem([{ field: 'shareId', messages: ['shareId must be a share of this invoice'] }]);
    } else if (await shares.existsBy({ invoiceId })) {
      // Each share's paid amount must account for every payment, or "paid when every share is" breaks.
      throw new ValidationProblem([{ field: 'shareId', messages: ['this invoice is split into shares: shareId must name the share this pays'] }]);
    }
    if (dto.amountMinor > invoice.balanceMinor) throw overpayment(dto.amountMinor, invoice.balanceMinor, 'invoice');
    if (share && dto.amountMinor > share.amountMinor - share.paidMinor) throw overpayment(dto.amountMinor, share.amountMinor - share.paidMinor, 'share');

    const caller = this.context.principal();
    const repo = m.getRepository(Payment);
    const { identifiers } = await repo.insert({
      invoiceId,
      shareId: share?.id ?? null,
      amountMinor: dto.amountMinor,
      currency: invoice.currency,
      method: dto.method,
      receivedOn: dto.receivedOn,
      reference: dto.reference ?? null,
      note: dto.note ?? null,
      recordedBy: caller?.userId ?? null,
    });
    const paymentId = identifiers[0].id as string;
    if (share) await shares.update({ id: share.id }, { paidMinor: share.paidMinor + dto.amountMinor });
    const settled = await settleInvoice(m, invoiceId);
    const actorId = caller?.userId ?? null;
    await recordEvent(m, {
      type: 'payment.recorded',
      subjectType: 'invoice',
      subjectId: invoiceId,
      payload: { paymentId, amountMinor: dto.amountMinor, currency: invoice.currency, method: dto.method, shareId: share?.id ?? null },
      actorId,
    });
    if (settled.invoice.status === 'paid' && settled.previousStatus !== 'paid') {
      await recordEvent(m, { type: 'invoice.paid', subjectType: 'invoice', subjectId: invoiceId, payload: { number: invoice.number, totalMinor: invoice.totalMinor, currency: invoice.currency }, actorId });
    }
    await this.audit.record(m, {
      action: 'payment.recorded',
      targetType: 'payment',
      targetId: paymentId,
      details: { invoiceId, number: invoice.number, amountMinor: dto.amountMinor, currency: invoice.currency, method: dto.method, shareId: share?.id ?? null },
    });
    return toPaymentDto(await repo.findOneByOrFail({ id: paymentId }));
  }

  async list(query: ListPaymentsQueryDto): Promise<PaymentListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    let after: { receivedOn: string; id: string } | undefined;
    if (query.cursor) {
      const [receivedOn, id] = decodeCursor(query.cursor, ['string', 'string']) as [string, string];
      if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn) || !DateTime.fromISO(receivedOn).isValid || !isUUID(id)) throw invalidCursor();
      after = { receivedOn, id };
    }
    const rows = await this.tenant.withRepository(Payment, (repo) => {
      const qb = repo
        .createQueryBuilder('p')
        .innerJoin('p.invoice', 'i')
        .innerJoin('i.client', 'c')
        .addSelect(['i.number', 'c.name'])
        .orderBy('p.received_on', 'DESC')
        .addOrderBy('p.id', 'DESC')
        .limit(limit + 1);
      if (query.from) qb.andWhere('p.received_on >= :from', { from: query.from });
      if (query.to) qb.andWhere('p.received_on <= :to', { to: query.to });
      if (query.method) qb.andWhere('p.method = :method', { method: query.method });
      if (query.invoiceId) qb.andWhere('p.invoice_id = :invoiceId', { invoiceId: query.invoiceId });
      if (after) qb.andWhere('(p.received_on, p.id) < (CAST(:receivedOn AS date), :id)', after);
      return qb.getRawAndEntities();
    });
    const page = rows.entities.slice(0, limit);
    const items: PaymentListItemDto[] = page.map((p, i) => ({
      ...toPaymentDto(p),
      invoiceNumber: (rows.raw[i] as { i_number: string | null }).i_number,
      clientName: (rows.raw[i] as { c_name: string }).c_name,
    }));
    const last = page.at(-1);
    return { items, nextCursor: rows.entities.length > limit && last ? encodeCursor([last.receivedOn, last.id]) : null };
  }

  /** A mistaken manual entry: removed (with its share's paid amount), and the invoice settles again. */
  async remove(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Payment);
      const found = await repo.findOneBy({ id });
      if (!found) throw paymentNotFound();
      // Invoice first, as every payment write locks: a concurrent payment on it waits, never deadlocks.
      const invoice = await lockInvoice(m, found.invoiceId);
      const payment = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!payment) throw paymentNotFound();
      if (payment.method === 'stripe') throw notDeletable();
      await repo.delete({ id });
      if (payment.shareId) await m.query(`UPDATE "invoice_shares" SET "paid_minor" = "paid_minor" - $2 WHERE "id" = $1`, [payment.shareId, payment.amountMinor]);
      const settled = await settleInvoice(m, invoice.id);
      const actorId = this.context.principal()?.userId ?? null;
      await recordEvent(m, {
        type: 'payment.deleted',
        subjectType: 'invoice',
        subjectId: invoice.id,
        payload: { paymentId: id, amountMinor: payment.amountMinor, currency: payment.currency, status: settled.invoice.status },
        actorId,
      });
      await this.audit.record(m, {
        action: 'payment.deleted',
        targetType: 'payment',
        targetId: id,
        details: { invoiceId: invoice.id, number: invoice.number, amountMinor: payment.amountMinor, currency: payment.currency, method: payment.method, receivedOn: payment.receivedOn },
      });
    });
  }
}
