import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { SubscriptionStatus } from '../control/organization.entity.js';
import { callStripe } from '../stripe/stripe-calls.js';
import { STRIPE_CLIENT, type StripeClient } from '../stripe/stripe-client.js';
import type { BillingRedirectDto } from './dto/subscription.dto.js';
import { alreadySubscribed, checkoutInProgress, noBillingCustomer, onlineBillingOff } from './subscription-problems.js';

interface BillingRow {
  name: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  subscription_status: SubscriptionStatus;
}

/**
 * Subscription states in which the customer is billed: one is enough. Not `incomplete`: its first
 * payment failed (3-D Secure abandoned) and Stripe expires it within 23 hours, so the owner may start
 * over rather than wait.
 */
const LIVE_AT_STRIPE = new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']);

/**
 * The owner's way to pay the platform: a Checkout Session in subscription mode on the platform's own
 * Stripe account (not Connect), and the Customer Portal to manage it. Nothing here changes the
 * studio's standing: only Stripe's signed webhooks do (SubscriptionEvents), so a payer returning
 * from the page cannot claim a payment that did not happen.
 */
@Injectable()
export class SubscriptionBillingService {
  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: StripeClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  /** Online billing needs both the platform's key and the price a studio subscribes to. */
  private billing() {
    const priceId = this.config.subscription.priceId;
    if (!this.stripe || !priceId) throw onlineBillingOff();
    return { stripe: this.stripe, priceId };
  }

  private async row(organizationId: string, m: Pick<DataSource, 'query'> = this.control): Promise<BillingRow> {
    const [row] = (await m.query(`SELECT name, stripe_customer_id, stripe_subscription_id, subscription_status FROM organizations WHERE id = $1`, [organizationId])) as BillingRow[];
    if (!row) throw new Error(`No organization ${organizationId}`);
    return row;
  }

  /**
   * The owner's Subscribe button. Stripe decides, not only our row (the webhook of a payment may still
   * be on its way): a subscription still live there → 409 already-subscribed; an open subscription
   * checkout of this customer → that same page again, so two tabs or a double click lead to one
   * session and can never start two subscriptions. One click of a studio at a time: a transaction-level
   * advisory lock on the control database, tried, not waited for (a second click meanwhile → 409
   * checkout-in-progress), so clicks never queue up holding connections; everything this reads or
   * writes goes through that one connection.
   */
  async checkout(organizationId: string, ownerEmail: string | undefined, appOrigin: string): Promise<BillingRedirectDto> {
    const { stripe, priceId } = this.billing();
    return this.control.transaction(async (m) => {
      const [{ locked }] = (await m.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [`subscription-checkout:${organizationId}`])) as Array<{ locked: boolean }>;
      if (!locked) throw checkoutInProgress();
      const row = await this.row(organizationId, m);
      // A live subscription is paid or fixed in the portal; a second checkout would bill the studio twice.
      if (row.stripe_subscription_id && row.subscription_status !== 'canceled') throw alreadySubscribed();
      const customerId = row.stripe_customer_id ?? (await this.createCustomer(organizationId, row.name, ownerEmail, m));
      const subscriptions = await callStripe('list the subscriptions', () => stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 100 }));
      if (subscriptions.data.some((s) => LIVE_AT_STRIPE.has(s.status))) throw alreadySubscribed();
      const open = await callStripe('list the open checkouts', () => stripe.checkout.sessions.list({ customer: customerId, status: 'open', limit: 100 }));
      const pending = open.data.find((s) => s.mode === 'subscription' && s.url);
      if (pending?.url) return { url: pending.url };
      const back = `${appOrigin}/settings/subscription`;
      const session = await callStripe('create the subscription checkout', () =>
        stripe.checkout.sessions.create(
          {
            mode: 'subscription',
            customer: customerId,
            line_items: [{ price: priceId, quantity: 1 }],
            // Only used to bind the customer if its id was somehow not stored; the webhook checks it against the customer Stripe has.
            client_reference_id: organizationId,
            metadata: { organizationId },
            subscription_data: { metadata: { organizationId } },
            success_url: `${back}?checkout=success`,
            cancel_url: `${back}?checkout=cancelled`,
          },
          // A session is made only when none is open (above); the key makes the SDK's own retries safe.
          { idempotencyKey: `rsm-subscription-checkout-${organizationId}-${randomUUID()}` },
        ),
      );
      if (!session.url) throw new Error('Stripe answered a checkout session without a URL');
      return { url: session.url };
    });
  }

  async portal(organizationId: string, appOrigin: string): Promise<BillingRedirectDto> {
    const { stripe } = this.billing();
    const { stripe_customer_id: customerId } = await this.row(organizationId);
    if (!customerId) throw noBillingCustomer();
    const session = await callStripe('open the billing portal', () =>
      stripe.billingPortal.sessions.create({ customer: customerId, return_url: `${appOrigin}/settings/subscription` }, { idempotencyKey: `rsm-billing-portal-${organizationId}-${randomUUID()}` }),
    );
    return { url: session.url };
  }

  /**
   * The studio's platform customer, made once: the idempotency key is per studio, so a double click
   * (or a retry after the id failed to be stored) gets the same customer, and only the first store wins.
   */
  private async createCustomer(organizationId: string, name: string, email: string | undefined, m: Pick<DataSource, 'query'>): Promise<string> {
    const { stripe } = this.billing();
    const customer = await callStripe('create the billing customer', () =>
      stripe.customers.create({ name, ...(email ? { email } : {}), metadata: { organizationId } }, { idempotencyKey: `rsm-platform-customer-${organizationId}` }),
    );
    const [stored] = (await m.query(`UPDATE organizations SET stripe_customer_id = $2 WHERE id = $1 AND stripe_customer_id IS NULL RETURNING stripe_customer_id`, [
      organizationId,
      customer.id,
    ])) as [Array<{ stripe_customer_id: string }>, number];
    if (stored.length) return customer.id;
    const current = (await this.row(organizationId, m)).stripe_customer_id;
    if (!current) throw new Error('The billing customer was neither stored nor found');
    return current;
  }
}
