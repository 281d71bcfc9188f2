import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.service.js';
import { ValidationProblem } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { percentOf } from '../money/money.js';
import { InvoiceShare } from '../payments/invoice-share.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { CheckoutDto, CreateCheckoutDto } from './dto/stripe.dto.js';
import { callStripe } from './stripe-calls.js';
import { STRIPE_CLIENT, type StripeClient } from './stripe-client.js';
import { StripeConnectionService } from './stripe-connection.service.js';
import { invoiceNotFound } from '../invoices/invoice-drafts.js';
import { invoiceNotPayable, onlinePaymentOff, paymentInProgress, stripeNotConnected } from './stripe-problems.js';

const DEFAULT_RETURN = { success: '/checkout/complete?session_id={CHECKOUT_SESSION_ID}', cancel: '/checkout/cancelled' };

/** What a checkout asks the payer for: the invoice's balance, or one share's open amount. */
interface CheckoutTarget {
  invoice: Invoice;
  share: InvoiceShare | null;
  amountMinor: number;
}

/**
 * Checkout Sessions that pay an issued invoice (or deposit invoice, or one share) by card: a direct
 * charge on the studio's connected account (`stripeAccount`), with the platform's optional fee. The
 * money is recorded only when Stripe's webhook says it was paid (stripe-webhook-effects.ts).
 */
@Injectable()
export class CheckoutService {
  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: StripeClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenant: TenantConnection,
    private readonly connection: StripeConnectionService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * `returnTo` (issue 12, portal): where Stripe sends the payer back, as paths of the app; the staff
   * app's checkout pages by default. `{CHECKOUT_SESSION_ID}` is filled in by Stripe.
   */
  async create(invoiceId: string, dto: CreateCheckoutDto, appOrigin: string, returnTo: { success: string; cancel: string } = DEFAULT_RETURN): Promise<CheckoutDto> {
    // Off for the whole installation: said first, whatever the invoice (it reveals nothing about it).
    const stripe = this.stripe;
    if (!stripe) throw onlinePaymentOff();
    const organizationId = this.tenant.tenantId;
    const { invoice, share, amountMinor } = await this.tenant.run((m) => this.target(m, invoiceId, dto.shareId));
    const account = await this.connection.liveAccount(organizationId);
    if (!account?.chargesEnabled) throw stripeNotConnected();

    const fee = percentOf(amountMinor, this.config.stripe.platformFeePercent);
    const metadata = { organizationId, invoiceId, shareId: share?.id ?? '' };
    const label = invoice.kind === 'deposit' ? 'Deposit invoice' : 'Invoice';
    const params = {
      mode: 'payment' as const,
      client_reference_id: invoiceId,
      customer_email: share?.payerEmail ?? invoice.billToEmail ?? undefined,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: invoice.currency.toLowerCase(),
            unit_amount: amountMinor,
            product_data: { name: share ? `${label} ${invoice.number} — ${share.payerName}` : `${label} ${invoice.number}` },
          },
        },
      ],
      metadata,
      payment_intent_data: { metadata, ...(fee > 0 ? { application_fee_amount: fee } : {}) },
      success_url: `${appOrigin}${returnTo.success}`,
      cancel_url: `${appOrigin}${returnTo.cancel}`,
    };
    // A link already open for the same (invoice, share, amount), made by staff or from the portal, is
    // handed out again whatever its return pages: one open session per amount, so the payer cannot pay twice.
    const reused = await this.openSession(invoiceId, share?.id ?? null, amountMinor, account.accountId);
    if (reused) return { url: reused.url, sessionId: reused.id, amountMinor };
    // One key per (invoice, share, amount, return pages): a retried or doubled click gets the same session;
    // a new amount (after a partial payment) a new one; other return pages (staff app, portal) another key,
    // since Stripe refuses a key reused with other parameters. A session no longer open is not handed out again.
    const returnPages = createHash('sha256').update(`${params.success_url}\n${params.cancel_url}`).digest('hex').slice(0, 16);
    const key = `rsm-checkout-${invoiceId}-${share?.id ?? 'balance'}-${amountMinor}-${returnPages}`;
    let session = await callStripe('create the checkout session', () => stripe.checkout.sessions.create(params, { stripeAccount: account.accountId, idempotencyKey: key }));
    // Paid a moment ago, its webhook not recorded yet: a new session now would let the same amount be paid twice.
    if (session.status === 'complete') throw paymentInProgress();
    if (session.status !== 'open') {
      const stale = session.id;
      session = await callStripe('create the checkout session', () =>
        stripe.checkout.sessions.create(params, { stripeAccount: account.accountId, idempotencyKey: `${key}-after-${stale}` }),
      );
    }
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
    const url = session.url;

    await this.tenant.transaction(async (m) => {
      await m.query(
        `INSERT INTO checkout_sessions (id, invoice_id, share_id, amount_minor, currency, status, url, stripe_account_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, to_timestamp($8)) ON CONFLICT (id) DO NOTHING`,
        [session.id, invoiceId, share?.id ?? null, amountMinor, invoice.currency, url, account.accountId, session.expires_at],
      );
      await this.audit.record(m, {
        action: 'stripe.checkout_created',
        targetType: 'invoice',
        targetId: invoiceId,
        details: { sessionId: session.id, shareId: share?.id ?? null, amountMinor, currency: invoice.currency },
      });
    });
    return { url, sessionId: session.id, amountMinor };
  }

  /**
   * The open, unexpired session recorded for this (invoice, share, amount) on this account, as Stripe
   * has it now: paid a moment ago (its webhook not recorded yet) is 409 payment-in-progress; expired at
   * Stripe (its webhook not recorded yet) is none.
   */
  private async openSession(invoiceId: string, shareId: string | null, amountMinor: number, stripeAccount: string): Promise<{ id: string; url: string } | undefined> {
    const stripe = this.stripe!;
    const [row] = (await this.tenant.run((m) =>
      m.query(
        `SELECT id FROM checkout_sessions
          WHERE invoice_id = $1 AND share_id IS NOT DISTINCT FROM $2 AND amount_minor = $3 AND stripe_account_id = $4
            AND status = 'open' AND (expires_at IS NULL OR expires_at > now())
          ORDER BY created_at DESC LIMIT 1`,
        [invoiceId, shareId, amountMinor, stripeAccount],
      ),
    )) as Array<{ id: string }>;
    if (!row) return undefined;
    const live = await callStripe('read the checkout session', () => stripe.checkout.sessions.retrieve(row.id, {}, { stripeAccount }));
    if (live.status === 'complete') throw paymentInProgress();
    return live.status === 'open' && live.url ? { id: live.id, url: live.url } : undefined;
  }

  private async target(m: import('typeorm').EntityManager, invoiceId: string, shareId: string | undefined): Promise<CheckoutTarget> {
    const invoice = await m.getRepository(Invoice).findOne({ where: { id: invoiceId } });
    if (!invoice) throw invoiceNotFound();
    if (invoice.kind === 'credit_note' || !['sent', 'partially_paid'].includes(invoice.status)) {
      throw invoiceNotPayable(`Only an issued invoice with something left to pay can be paid online (this one is ${invoice.kind === 'credit_note' ? 'a credit note' : invoice.status}).`);
    }
    const shares = await m.getRepository(InvoiceShare).find({ where: { invoiceId }, order: { position: 'ASC' } });
    if (shareId !== undefined) {
      const share = shares.find((s) => s.id === shareId);
      if (!share) throw new ValidationProblem([{ field: 'shareId', messages: ['shareId is not a share of this invoice'] }]);
      const open = share.amountMinor - share.paidMinor;
      if (open <= 0) throw invoiceNotPayable('This share is already paid.');
      return { invoice, share, amountMinor: Math.min(open, invoice.balanceMinor) };
    }
    if (shares.length > 0) throw new ValidationProblem([{ field: 'shareId', messages: ['shareId is required: this invoice is split into shares, each paid on its own'] }]);
    if (invoice.balanceMinor <= 0) throw invoiceNotPayable('Nothing is left to pay on this invoice.');
    return { invoice, share: null, amountMinor: invoice.balanceMinor };
  }
}
