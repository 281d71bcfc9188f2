import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { ValidationProblem } from '../common/problem.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { splitEvenly } from '../money/money.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { ShareListDto } from './dto/payment.dto.js';
import type { SetSharesDto } from './dto/payment-input.dto.js';
import { InvoiceShare } from './invoice-share.entity.js';
import { lockInvoice } from '../invoices/invoice-drafts.js';
import { assertPayable, invoiceNotPayable, sharesLocked, toShareDto } from './payment-rules.js';

interface ShareInput {
  payerName: string;
  payerEmail: string | null;
  amountMinor: number;
}

/**
 * Issue 11: split payment. An invoice's balance divided among payers (each band member), summing
 * exactly to it; a payment naming a share counts toward it, and the invoice is paid when every share
 * is. The split can change only while nothing is paid on any share. Under the invoice row lock, like
 * every payment.
 */
@Injectable()
export class SharesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async set(invoiceId: string, dto: SetSharesDto): Promise<ShareListDto> {
    if ((dto.equal === undefined) === (dto.shares === undefined)) {
      throw new ValidationProblem([{ field: 'equal', messages: ['send exactly one of equal (an even split) or shares (custom amounts)'] }]);
    }
    if (dto.equal?.payers && dto.equal.payers.length !== dto.equal.count) {
      throw new ValidationProblem([{ field: 'equal.payers', messages: [`equal.payers must name ${dto.equal.count} payers, one per share`] }]);
    }
    const online = await this.onlineCheckout();
    const saved = await this.tenant.transaction(async (m) => {
      const invoice = await lockInvoice(m, invoiceId);
      assertPayable(invoice);
      if (invoice.balanceMinor === 0) throw invoiceNotPayable(invoice);
      await this.assertNothingPaid(m, invoiceId);
      const inputs = this.amountsFor(dto, invoice.balanceMinor);
      const repo = m.getRepository(InvoiceShare);
      await repo.delete({ invoiceId });
      await repo.insert(inputs.map((s, i) => ({ invoiceId, position: i + 1, ...s })));
      await this.audit.record(m, {
        action: 'invoice.shares_set',
        targetType: 'invoice',
        targetId: invoiceId,
        details: { number: invoice.number, amounts: inputs.map((s) => s.amountMinor), currency: invoice.currency },
      });
      return repo.find({ where: { invoiceId }, order: { position: 'ASC' } });
    });
    return { items: saved.map((s) => toShareDto(s, online)) };
  }

  async remove(invoiceId: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const invoice = await lockInvoice(m, invoiceId);
      await this.assertNothingPaid(m, invoiceId);
      const { affected } = await m.getRepository(InvoiceShare).delete({ invoiceId });
      if (affected) await this.audit.record(m, { action: 'invoice.shares_removed', targetType: 'invoice', targetId: invoiceId, details: { number: invoice.number } });
    });
  }

  /** The shares as the invoice's API shows them (invoices read them with their own manager). */
  async listIn(m: EntityManager, invoiceId: string): Promise<ShareListDto> {
    const online = await this.onlineCheckout();
    const shares = await m.getRepository(InvoiceShare).find({ where: { invoiceId }, order: { position: 'ASC' } });
    return { items: shares.map((s) => toShareDto(s, online)) };
  }

  private amountsFor(dto: SetSharesDto, balance: number): ShareInput[] {
    if (dto.equal) {
      const { count, payers } = dto.equal;
      if (balance < count) throw new ValidationProblem([{ field: 'equal.count', messages: [`equal.count must be at most the balance (${balance} minor units): every share needs at least one`] }]);
      return splitEvenly(balance, count).map((amountMinor, i) => ({
        payerName: payers?.[i].payerName ?? `Payer ${i + 1}`,
        payerEmail: payers?.[i].payerEmail ?? null,
        amountMinor,
      }));
    }
    const shares = dto.shares!;
    const sum = shares.reduce((total, s) => total + s.amountMinor, 0);
    if (sum !== balance) throw new ValidationProblem([{ field: 'shares', messages: [`the amounts must sum exactly to the balance (${balance}); they sum to ${sum}`] }]);
    return shares.map((s) => ({ payerName: s.payerName, payerEmail: s.payerEmail ?? null, amountMinor: s.amountMinor }));
  }

  private async assertNothingPaid(m: EntityManager, invoiceId: string): Promise<void> {
    if (await m.getRepository(InvoiceShare).createQueryBuilder('s').where('s.invoice_id = :invoiceId AND s.paid_minor > 0', { invoiceId }).getExists()) throw sharesLocked();
  }

  /**
   * Whether a share could be paid online now: the studio's Stripe account is connected and takes
   * charges (control database). The Stripe part of issue 11 also turns this off without STRIPE_SECRET_KEY.
   */
  private async onlineCheckout(): Promise<boolean> {
    const organizationId = this.tenant.tenantId;
    const rows = (await this.control.query(`SELECT 1 FROM "stripe_accounts" WHERE "organization_id" = $1 AND "status" = 'active' AND "charges_enabled"`, [organizationId])) as unknown[];
    return rows.length > 0;
  }
}
