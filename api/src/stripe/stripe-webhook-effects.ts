import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { settleInvoice } from '../invoices/invoice-balance.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { callStripe } from './stripe-calls.js';
import { STRIPE_CLIENT, type StripeClient } from './stripe-client.js';
import { badWebhook } from './stripe-problems.js';

/** The audit log's actor for what Stripe's webhooks record (no caller). */
export const STRIPE_ACTOR = { type: 'system' as const, id: null, label: 'stripe' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The metadata of an event's object (our checkout writes organizationId, invoiceId, shareId). */
export function metadataOf(object: unknown): Record<string, string> {
  const metadata = (object as { metadata?: unknown } | null)?.metadata;
  return metadata && typeof metadata === 'object' ? (metadata as Record<string, string>) : {};
}

/** A succeeded payment intent, as re-read from Stripe. */
interface PaidIntent {
  intentId: string;
  chargeId: string | null;
  amountMinor: number;
  currency: string;
  metadata: Record<string, string>;
}

/** What an event means once its objects are re-read from Stripe (the event's copy may be stale). */
type Effect =
  | { kind: 'paid'; intent: PaidIntent; session?: { id: string; status: string } }
  | { kind: 'session'; session: { id: string; status: string; paymentIntentId: string | null } }
  | { kind: 'refunded'; intent: PaidIntent; amountRefunded: number }
  | { kind: 'disputed'; intent: PaidIntent }
  | { kind: 'none' };

/**
 * A Connect event's effect on its studio, run as that tenant (RequestContext.runForTenant). Stripe is
 * read first, outside the transaction (no network call while rows are locked); then one transaction
 * inserts the event id into `stripe_events` and makes the change, so a replay finds the id and
 * changes nothing, and a failure leaves neither (Stripe retries). Payments are keyed by their payment
 * intent (unique), so checkout.session.completed and payment_intent.succeeded, in either order, make one.
 */
@Injectable()
export class StripeWebhookEffects {
  private readonly logger = new Logger('StripeWebhooks');

  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: StripeClient,
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  async apply(event: Stripe.Event, accountId: string, organizationId: string): Promise<void> {
    const seen = await this.tenant.run((m) => m.query(`SELECT 1 FROM stripe_events WHERE id = $1`, [event.id]));
    if (seen.length) return; // a replay: no need to ask Stripe again
    const effect = await this.read(event, accountId);
    const intentOrg = 'intent' in effect ? effect.intent.metadata.organizationId : undefined;
    if (intentOrg && intentOrg !== organizationId) throw badWebhook("The payment's metadata names another studio than the one its account belongs to.");
    await this.tenant.transaction(async (m) => {
      const inserted = (await m.query(`INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`, [event.id, event.type])) as unknown[];
      if (!inserted.length) return; // delivered twice at once: the other delivery did it
      switch (effect.kind) {
        case 'paid':
          await this.recordPayment(m, effect.intent);
          if (effect.session) await this.updateSession(m, { ...effect.session, paymentIntentId: effect.intent.intentId });
          break;
        case 'session':
          await this.updateSession(m, effect.session);
          break;
        case 'refunded':
          await this.recordRefund(m, effect.intent, effect.amountRefunded);
          break;
        case 'disputed':
          await this.recordDispute(m, effect.intent);
          break;
        case 'none':
          break;
      }
    });
  }

  /** Re-reads what the event is about from Stripe, on the connected account. */
  private async read(event: Stripe.Event, accountId: string): Promise<Effect> {
    const stripe = this.stripe!;
    const on = { stripeAccount: accountId };
    const object = event.data.object as unknown as { id: string; payment_intent?: string | { id: string } | null };
    const intentOf = async (intentId: string): Promise<PaidIntent | null> => {
      const intent = await callStripe('read the payment intent', () => stripe.paymentIntents.retrieve(intentId, {}, on));
      if (intent.status !== 'succeeded') return null;
      const charge = intent.latest_charge;
      return {
        intentId: intent.id,
        chargeId: typeof charge === 'string' ? charge : (charge?.id ?? null),
        amountMinor: intent.amount_received,
        currency: intent.currency.toUpperCase(),
        metadata: metadataOf(intent),
      };
    };
    const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.expired': {
        const session = await callStripe('read the checkout session', () => stripe.checkout.sessions.retrieve(object.id, {}, on));
        const intentId = idOf(session.payment_intent);
        const state = { id: session.id, status: session.status ?? 'open' };
        if (session.payment_status === 'paid' && intentId) {
          const intent = await intentOf(intentId);
          if (intent) return { kind: 'paid', intent: { ...intent, metadata: { ...metadataOf(session), ...intent.metadata } }, session: state };
        }
        return { kind: 'session', session: { ...state, paymentIntentId: intentId } };
      }
      case 'payment_intent.succeeded': {
        const intent = await intentOf(object.id);
        return intent ? { kind: 'paid', intent } : { kind: 'none' };
      }
      case 'charge.refunded': {
        const charge = await callStripe('read the charge', () => stripe.charges.retrieve(object.id, {}, on));
        const intentId = idOf(charge.payment_intent);
        const intent = intentId ? await intentOf(intentId) : null;
        return intent ? { kind: 'refunded', intent, amountRefunded: charge.amount_refunded } : { kind: 'none' };
      }
      case 'charge.dispute.created': {
        const intentId = idOf(object.payment_intent);
        const intent = intentId ? await intentOf(intentId) : null;
        return intent ? { kind: 'disputed', intent } : { kind: 'none' };
      }
      default:
        return { kind: 'none' };
    }
  }

  /**
   * The `stripe` payment of a succeeded intent, once: an existing one (the other event of the pair got
   * here first) is returned as is. Returns null when the intent is not for one of this studio's invoices.
   */
  private async recordPayment(m: EntityManager, intent: PaidIntent): Promise<{ id: string; invoiceId: string; shareId: string | null } | null> {
    const existing = await this.paymentOf(m, intent.intentId);
    if (existing) return existing;
    const invoiceId = intent.metadata.invoiceId;
    const [invoice] = UUID.test(invoiceId ?? '')
      ? // Locked first, as a manual payment locks it, before its share: payments on one invoice queue in one order.
        ((await m.query(`SELECT id, currency FROM invoices WHERE id = $1 FOR UPDATE`, [invoiceId])) as Array<{ id: string; currency: string }>)
      : [];
    if (!invoice || invoice.currency !== intent.currency || intent.amountMinor <= 0) {
      this.logger.warn({ intentId: intent.intentId, invoiceId, currency: intent.currency }, 'A payment for no invoice of this studio (or in another currency): not recorded');
      return null;
    }
    const shareId = UUID.test(intent.metadata.shareId ?? '') ? intent.metadata.shareId : null;
    const [share] = shareId ? ((await m.query(`SELECT id FROM invoice_shares WHERE id = $1 AND invoice_id = $2`, [shareId, invoice.id])) as Array<{ id: string }>) : [];
    const [row] = (await m.query(
      `INSERT INTO payments (invoice_id, share_id, amount_minor, currency, method, received_on, reference, stripe_payment_intent_id, stripe_charge_id)
       VALUES ($1, $2, $3, $4, 'stripe', (now() AT TIME ZONE COALESCE((SELECT time_zone FROM studio_settings LIMIT 1), 'UTC'))::date, $5, $5, $6)
       ON CONFLICT (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL DO NOTHING RETURNING id`,
      [invoice.id, share?.id ?? null, intent.amountMinor, intent.currency, intent.intentId, intent.chargeId],
    )) as Array<{ id: string }>;
    if (!row) return this.paymentOf(m, intent.intentId);
    if (share) await m.query(`UPDATE invoice_shares SET paid_minor = LEAST(amount_minor, paid_minor + $2) WHERE id = $1`, [share.id, intent.amountMinor]);
    const { invoice: settled, previousStatus } = await settleInvoice(m, invoice.id);
    const payload = { paymentId: row.id, invoiceId: invoice.id, shareId: share?.id ?? null, amountMinor: intent.amountMinor, currency: intent.currency, method: 'stripe' };
    await recordEvent(m, { type: 'payment.recorded', subjectType: 'payment', subjectId: row.id, payload });
    // Money that arrived is recorded whatever the invoice says; paid beyond what it asks (a link paid after a
    // bank transfer, a void invoice) is raised for the studio to refund, never hidden by the balance's floor at 0.
    const excess = settled.paidMinor - (settled.totalMinor - settled.depositsMinor - settled.creditedMinor);
    if (excess > 0 || settled.status === 'void') {
      this.logger.warn({ invoiceId: invoice.id, paymentId: row.id, excess, status: settled.status }, 'An online payment exceeds what the invoice asks: refund the difference');
      await recordEvent(m, { type: 'payment.overpaid', subjectType: 'invoice', subjectId: invoice.id, payload: { ...payload, excessMinor: settled.status === 'void' ? intent.amountMinor : excess, invoiceStatus: settled.status } });
    }
    if (settled.status === 'paid' && previousStatus !== 'paid') {
      await recordEvent(m, { type: 'invoice.paid', subjectType: 'invoice', subjectId: invoice.id, payload: { invoiceId: invoice.id, number: settled.number, totalMinor: settled.totalMinor, currency: settled.currency } });
    }
    await this.audit.record(m, { action: 'stripe.payment_received', targetType: 'payment', targetId: row.id, details: payload }, STRIPE_ACTOR);
    return { id: row.id, invoiceId: invoice.id, shareId: share?.id ?? null };
  }

  private async paymentOf(m: EntityManager, intentId: string) {
    const [row] = (await m.query(`SELECT id, invoice_id, share_id FROM payments WHERE stripe_payment_intent_id = $1`, [intentId])) as Array<{ id: string; invoice_id: string; share_id: string | null }>;
    return row ? { id: row.id, invoiceId: row.invoice_id, shareId: row.share_id } : null;
  }

  private async updateSession(m: EntityManager, session: { id: string; status: string; paymentIntentId: string | null }): Promise<void> {
    if (!['open', 'complete', 'expired'].includes(session.status)) return;
    await m.query(
      `UPDATE checkout_sessions SET status = $2::varchar, payment_intent_id = COALESCE($3, payment_intent_id),
              completed_at = CASE WHEN $2::varchar = 'complete' THEN COALESCE(completed_at, now()) ELSE completed_at END
        WHERE id = $1`,
      [session.id, session.status, session.paymentIntentId],
    );
  }

  /**
   * A refund: the payment's refunded amount becomes Stripe's total for the charge (never lower: an older
   * charge.refunded arriving late changes nothing), its share is paid that much less, the invoice settles.
   */
  private async recordRefund(m: EntityManager, intent: PaidIntent, amountRefunded: number): Promise<void> {
    const payment = await this.recordPayment(m, intent);
    if (!payment) return;
    const [row] = (await m.query(`SELECT amount_minor, refunded_minor FROM payments WHERE id = $1 FOR UPDATE`, [payment.id])) as Array<{ amount_minor: string; refunded_minor: string }>;
    const target = Math.min(Number(row.amount_minor), amountRefunded);
    const delta = target - Number(row.refunded_minor);
    if (delta <= 0) return;
    await m.query(`UPDATE payments SET refunded_minor = $2 WHERE id = $1`, [payment.id, target]);
    if (payment.shareId) await m.query(`UPDATE invoice_shares SET paid_minor = GREATEST(0, paid_minor - $2) WHERE id = $1`, [payment.shareId, delta]);
    await settleInvoice(m, payment.invoiceId);
    const payload = { paymentId: payment.id, invoiceId: payment.invoiceId, amountMinor: delta, refundedMinor: target, currency: intent.currency };
    await recordEvent(m, { type: 'payment.refunded', subjectType: 'payment', subjectId: payment.id, payload });
    await this.audit.record(m, { action: 'stripe.refund_recorded', targetType: 'payment', targetId: payment.id, details: payload }, STRIPE_ACTOR);
  }

  private async recordDispute(m: EntityManager, intent: PaidIntent): Promise<void> {
    const payment = await this.recordPayment(m, intent);
    if (!payment) return;
    const updated = (await m.query(`UPDATE payments SET disputed_at = now() WHERE id = $1 AND disputed_at IS NULL RETURNING id`, [payment.id])) as [unknown[], number];
    if (!updated[1]) return;
    const payload = { paymentId: payment.id, invoiceId: payment.invoiceId };
    await recordEvent(m, { type: 'payment.disputed', subjectType: 'payment', subjectId: payment.id, payload });
    await this.audit.record(m, { action: 'stripe.dispute_opened', targetType: 'payment', targetId: payment.id, details: payload }, STRIPE_ACTOR);
  }
}
