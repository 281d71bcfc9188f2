import { invalid } from './errors.mjs';
import { integerParam } from './form.mjs';
import { newId, now } from './ids.mjs';

/** The plan an unknown price id stands for: Stripe would refuse it, the fake makes one up so any STRIPE_PRICE_ID works. */
const DEFAULT_PLAN = { unit_amount: 2900, currency: 'eur', interval: 'month', nickname: 'Studio plan' };
const PERIOD_SECONDS = { day: 86_400, week: 7 * 86_400, month: 30 * 86_400, year: 365 * 86_400 };

/**
 * Stripe Billing on the platform account, as far as the product uses it: customers, prices (read),
 * Checkout in subscription mode, subscriptions and the Customer Portal. Everything lives on the
 * platform (no Stripe-Account). Operations return the events Stripe would send, in its usual order.
 */
export class FakeBilling {
  constructor(state) {
    this.state = state;
  }

  createCustomer(params) {
    return this.state.put(
      { id: newId('cus'), object: 'customer', created: now(), email: params.email ?? null, name: params.name ?? null, metadata: params.metadata ?? {}, livemode: false },
      null,
    );
  }

  /** A price by id; an id the fake has not seen becomes the default monthly plan (see README). */
  price(id) {
    const entry = this.state.objects.get(id);
    if (entry?.object.object === 'price') return entry.object;
    const { interval, ...rest } = DEFAULT_PLAN;
    return this.state.put({ id, object: 'price', active: true, type: 'recurring', recurring: { interval, interval_count: 1 }, livemode: false, ...rest }, null);
  }

  createSubscriptionSession(params, account) {
    if (account) throw invalid('The fake implements subscription mode on the platform account only.', 'mode');
    if (!params.success_url) throw invalid('Missing required param: success_url.', 'success_url');
    if (!params.customer) throw invalid('The fake needs customer in subscription mode.', 'customer');
    const customer = this.state.get('customer', params.customer, null);
    const items = params.line_items ?? [];
    if (!Array.isArray(items) || items.length !== 1 || !items[0].price) throw invalid('Subscription mode needs exactly one line item with a recurring price.', 'line_items');
    const quantity = integerParam(items[0].quantity ?? '1');
    if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalid('Invalid integer: quantity', 'line_items[0][quantity]');
    const price = this.price(items[0].price);
    const id = newId('cs_test');
    const session = this.state.put(
      {
        id,
        object: 'checkout.session',
        amount_subtotal: price.unit_amount * quantity,
        amount_total: price.unit_amount * quantity,
        cancel_url: params.cancel_url ?? null,
        client_reference_id: params.client_reference_id ?? null,
        created: now(),
        currency: price.currency,
        customer: customer.id,
        customer_email: customer.email,
        expires_at: now() + 24 * 3600,
        livemode: false,
        metadata: params.metadata ?? {},
        mode: 'subscription',
        payment_intent: null,
        payment_status: 'unpaid',
        status: 'open',
        subscription: null,
        success_url: params.success_url,
        url: `${this.state.baseUrl}/checkout/${id}`,
      },
      null,
    );
    const name = price.nickname ?? price.id;
    this.state.pending.set(id, {
      lineItems: [{ quantity, price_data: { product_data: { name } } }],
      price: price.id,
      quantity,
      subscriptionMetadata: params.subscription_data?.metadata ?? {},
    });
    return session;
  }

  /**
   * The payer pressed Pay on a subscription checkout: the subscription starts active with its first
   * period paid. Events: customer.subscription.created, invoice.paid, checkout.session.completed.
   */
  paySubscriptionSession(session) {
    const extra = this.state.pending.get(session.id);
    const price = this.price(extra.price);
    const start = now();
    const end = start + PERIOD_SECONDS[price.recurring.interval] * price.recurring.interval_count;
    const subscription = this.state.put(
      {
        id: newId('sub'),
        object: 'subscription',
        cancel_at_period_end: false,
        canceled_at: null,
        created: start,
        currency: price.currency,
        customer: session.customer,
        ended_at: null,
        items: { object: 'list', data: [{ id: newId('si'), object: 'subscription_item', price, quantity: extra.quantity, current_period_start: start, current_period_end: end }] },
        latest_invoice: null,
        livemode: false,
        metadata: { ...extra.subscriptionMetadata },
        start_date: start,
        status: 'active',
        trial_end: null,
      },
      null,
    );
    const invoice = this.invoice(subscription, 'paid');
    Object.assign(session, { status: 'complete', payment_status: 'paid', subscription: subscription.id });
    const events = [
      this.state.event('customer.subscription.created', subscription, null),
      this.state.event('invoice.paid', invoice, null),
      this.state.event('checkout.session.completed', session, null),
    ];
    return { session, subscription, invoice, events };
  }

  invoice(subscription, status) {
    const item = subscription.items.data[0];
    const amount = item.price.unit_amount * item.quantity;
    const invoice = this.state.put(
      {
        id: newId('in'),
        object: 'invoice',
        amount_due: amount,
        amount_paid: status === 'paid' ? amount : 0,
        amount_remaining: status === 'paid' ? 0 : amount,
        billing_reason: subscription.latest_invoice ? 'subscription_cycle' : 'subscription_create',
        created: now(),
        currency: subscription.currency,
        customer: subscription.customer,
        livemode: false,
        parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: subscription.metadata, subscription: subscription.id } },
        period_start: item.current_period_start,
        period_end: item.current_period_end,
        status,
      },
      null,
    );
    subscription.latest_invoice = invoice.id;
    return invoice;
  }

  subscription(id) {
    return this.state.get('subscription', id, null);
  }

  /** POST /v1/subscriptions/:id: metadata and cancel_at_period_end (what a portal or an API user changes). */
  updateSubscription(id, params) {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled') throw invalid('A canceled subscription can only update its cancellation_details and metadata.', null, 'resource_missing');
    if (params.metadata) subscription.metadata = { ...subscription.metadata, ...params.metadata };
    if (params.cancel_at_period_end !== undefined) subscription.cancel_at_period_end = params.cancel_at_period_end === 'true';
    return { subscription, events: [this.state.event('customer.subscription.updated', subscription, null)] };
  }

  /** DELETE /v1/subscriptions/:id (or the portal's Cancel): ends it now → customer.subscription.deleted. */
  cancelSubscription(id) {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled') throw invalid('This subscription is already canceled.', null, 'resource_missing');
    Object.assign(subscription, { status: 'canceled', canceled_at: now(), ended_at: now() });
    return { subscription, events: [this.state.event('customer.subscription.deleted', subscription, null)] };
  }

  /** Test control: the renewal payment failed → invoice.payment_failed, customer.subscription.updated (past_due). */
  pastDue(id) {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled') throw invalid('This subscription is canceled.', null, 'subscription_canceled');
    const item = subscription.items.data[0];
    const length = item.current_period_end - item.current_period_start;
    Object.assign(item, { current_period_start: item.current_period_end, current_period_end: item.current_period_end + length });
    subscription.status = 'past_due';
    const invoice = this.invoice(subscription, 'open');
    return { subscription, invoice, events: [this.state.event('invoice.payment_failed', invoice, null), this.state.event('customer.subscription.updated', subscription, null)] };
  }

  /** The overdue invoice is paid (portal's Pay, or a test control) → invoice.paid, customer.subscription.updated (active). */
  payOverdue(id) {
    const subscription = this.subscription(id);
    if (!['past_due', 'unpaid'].includes(subscription.status)) throw invalid(`This subscription is ${subscription.status}: nothing is overdue.`, null, 'nothing_overdue');
    const invoice = this.state.get('invoice', subscription.latest_invoice, null);
    Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0 });
    subscription.status = 'active';
    return { subscription, invoice, events: [this.state.event('invoice.paid', invoice, null), this.state.event('customer.subscription.updated', subscription, null)] };
  }

  createPortalSession(params) {
    if (!params.customer) throw invalid('Missing required param: customer.', 'customer');
    const customer = this.state.get('customer', params.customer, null);
    const id = newId('bps');
    return this.state.put(
      { id, object: 'billing_portal.session', created: now(), customer: customer.id, livemode: false, locale: null, return_url: params.return_url ?? null, url: `${this.state.baseUrl}/billing_portal/${id}` },
      null,
    );
  }

  /** The customer's subscriptions, newest first (what the portal page lists). */
  subscriptionsOf(customerId) {
    return [...this.state.objects.values()]
      .map((entry) => entry.object)
      .filter((object) => object.object === 'subscription' && object.customer === customerId)
      .sort((a, b) => b.created - a.created);
  }
}
