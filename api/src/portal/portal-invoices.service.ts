import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { DocumentsService, type RenderedDocument } from '../documents/documents.service.js';
import { invoiceNotFound } from '../invoices/invoice-drafts.js';
import { studioSettings, todayIn } from '../invoices/invoice-pricing.js';
import { invoiceView, toSummary } from '../invoices/invoice-view.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { CheckoutService } from '../stripe/checkout.service.js';
import type { CheckoutDto } from '../stripe/dto/stripe.dto.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { PortalInvoiceDto, PortalInvoiceListDto, PortalInvoiceSummaryDto } from './dto/portal-invoices.dto.js';
import { portalInvoiceSplit, portalShareNotFound, portalShareNotYours } from './portal-problems.js';
import { normalizeEmail } from '../auth/auth.service.js';
import type { DateRangeQueryDto } from '../documents/dto/document-input.dto.js';
import { InvoiceShare } from '../payments/invoice-share.entity.js';

/** Statuses a client sees: an issued document (never a draft). */
const VISIBLE = ['sent', 'partially_paid', 'paid', 'void'];

/**
 * Issue 12, portal: the signed-in client's invoices. Every read starts from the principal's client:
 * another client's invoice (or a draft) is a 404 exactly like one that does not exist. The tenant is the
 * principal's studio, through TenantConnection like every staff route.
 */
@Injectable()
export class PortalInvoicesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly documents: DocumentsService,
    private readonly checkout: CheckoutService,
  ) {}

  async list(principal: PortalPrincipal): Promise<PortalInvoiceListDto> {
    return this.tenant.run(async (m) => {
      const today = todayIn((await studioSettings(m)).timeZone);
      const invoices = await m
        .getRepository(Invoice)
        .createQueryBuilder('i')
        .where('i.client_id = :client AND i.status IN (:...visible)', { client: principal.clientId, visible: VISIBLE })
        .orderBy('i.issue_date', 'DESC')
        .addOrderBy('i.created_at', 'DESC')
        .addOrderBy('i.id', 'DESC')
        .limit(500)
        .getMany();
      // What is due is summed over all the client's open invoices, not over the page listed above.
      const due = (await m.query(
        `SELECT currency, SUM(balance_minor)::text AS balance FROM invoices
          WHERE client_id = $1 AND kind <> 'credit_note' AND status IN ('sent', 'partially_paid')
          GROUP BY currency ORDER BY currency`,
        [principal.clientId],
      )) as Array<{ currency: string; balance: string }>;
      return { items: invoices.map((i) => summary(i, today)), balances: due.map((d) => ({ currency: d.currency, balanceMinor: Number(d.balance) })) };
    });
  }

  async get(principal: PortalPrincipal, invoiceId: string): Promise<PortalInvoiceDto> {
    return this.tenant.run(async (m) => {
      const invoice = await this.ownInvoice(m, principal, invoiceId);
      const full = await invoiceView(m, invoice, todayIn((await studioSettings(m)).timeZone));
      return {
        ...summary(invoice, todayIn((await studioSettings(m)).timeZone)),
        billTo: full.billTo,
        lines: full.lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unit: l.unit, unitPriceMinor: l.unitPriceMinor, taxRatePercent: l.taxRatePercent, netMinor: l.netMinor, taxMinor: l.taxMinor, grossMinor: l.grossMinor })),
        subtotalMinor: full.subtotalMinor,
        taxMinor: full.taxMinor,
        depositsMinor: full.depositsMinor,
        creditedMinor: full.creditedMinor,
        paidMinor: full.paidMinor,
        payments: full.payments.map((p) => ({ amountMinor: p.amountMinor, currency: p.currency, method: p.method, receivedOn: p.receivedOn })),
        shares: full.shares.map((s) => ({ id: s.id, position: s.position, payerName: s.payerName, amountMinor: s.amountMinor, paidMinor: s.paidMinor, paid: s.paid, mine: isOwnShare(s, principal) })),
      };
    });
  }

  async pdf(principal: PortalPrincipal, invoiceId: string): Promise<RenderedDocument> {
    await this.tenant.run((m) => this.ownInvoice(m, principal, invoiceId));
    return this.documents.invoicePdf(invoiceId);
  }

  /** A Stripe Checkout link for the invoice's balance; Stripe sends the payer back to the portal's invoice page. */
  async pay(principal: PortalPrincipal, invoiceId: string, appOrigin: string): Promise<CheckoutDto> {
    await this.tenant.run(async (m) => {
      await this.ownInvoice(m, principal, invoiceId);
      if ((await m.query(`SELECT 1 FROM invoice_shares WHERE invoice_id = $1 LIMIT 1`, [invoiceId])).length) throw portalInvoiceSplit();
    });
    const page = `/portal/${principal.studioSlug}/invoices/${invoiceId}`;
    return this.checkout.create(invoiceId, {}, appOrigin, { success: `${page}?paid=1`, cancel: page });
  }

  /**
   * A Stripe Checkout link for one share of a split invoice: only the account's own share (its payer
   * email is the account's), through the staff share checkout (one open session per share and amount).
   * Another payer's share is a 403; an unknown share of the invoice a 404.
   */
  async payShare(principal: PortalPrincipal, invoiceId: string, shareId: string, appOrigin: string): Promise<CheckoutDto> {
    await this.tenant.run(async (m) => {
      await this.ownInvoice(m, principal, invoiceId);
      const share = await m.getRepository(InvoiceShare).findOneBy({ id: shareId, invoiceId });
      if (!share) throw portalShareNotFound();
      if (!isOwnShare(share, principal)) throw portalShareNotYours();
    });
    const page = `/portal/${principal.studioSlug}/invoices/${invoiceId}`;
    return this.checkout.create(invoiceId, { shareId }, appOrigin, { success: `${page}?paid=1`, cancel: page });
  }

  /** The client's statement (the staff client statement document), for a date range. */
  async statement(principal: PortalPrincipal, range: DateRangeQueryDto): Promise<RenderedDocument> {
    return this.documents.statementPdf(principal.clientId, range);
  }

  /** The client's own issued invoice, else a 404 (another client's, a draft, or none). */
  private async ownInvoice(m: EntityManager, principal: PortalPrincipal, invoiceId: string): Promise<Invoice> {
    const invoice = await m.getRepository(Invoice).findOneBy({ id: invoiceId, clientId: principal.clientId });
    if (!invoice || !VISIBLE.includes(invoice.status)) throw invoiceNotFound();
    return invoice;
  }
}

/** A share is the account's own when its payer email is the account's (emails compared as normalized). */
function isOwnShare(share: Pick<InvoiceShare, 'payerEmail'>, principal: PortalPrincipal): boolean {
  return share.payerEmail !== null && normalizeEmail(share.payerEmail) === principal.email;
}

function summary(i: Invoice, today: string): PortalInvoiceSummaryDto {
  const s = toSummary(i, '', today);
  return { id: s.id, kind: s.kind, status: s.status, number: s.number ?? '', currency: s.currency, issueDate: s.issueDate, dueDate: s.dueDate, totalMinor: s.totalMinor, balanceMinor: s.balanceMinor, overdue: s.overdue };
}
