import { integerParam } from './form.mjs';
import { invalid, missing } from './errors.mjs';
import { newId, now } from './ids.mjs';

/**
 * The fake's objects and what happens to them. Each object lives on the platform or on one connected
 * account (the request's Stripe-Account header), as on Stripe: an object is only found from the
 * account it was created on. Operations that Stripe follows with events return the events they
 * emitted (delivery is webhooks.mjs's job).
 */
export class FakeState {
  constructor({ baseUrl, apiVersion }) {
    this.baseUrl = baseUrl;
    this.apiVersion = apiVersion;
    this.objects = new Map(); // id → { account: string|null, object }
    this.events = [];
    this.pending = new Map(); // checkout session id → what Stripe keeps off the session (line items, fee, intent metadata)
  }

  put(object, account) {
    this.objects.set(object.id, { account: account ?? null, object });
    return object;
  }

  /** The object of that kind with that id, seen from `account` (null: the platform). */
  get(kind, id, account, prefix) {
    const entry = this.objects.get(id);
    if (!entry || entry.object.object !== kind || (entry.account ?? null) !== (account ?? null)) throw missing(prefix ?? kind, id);
    return entry.object;
  }

  /** A Stripe list object: the objects of a kind on `account` that pass `keep`, newest first, at most `limit` (default 10, as Stripe). */
  list(kind, account, url, keep, limit) {
    const all = [...this.objects.values()]
      .filter((e) => e.object.object === kind && (e.account ?? null) === (account ?? null) && keep(e.object))
      .map((e) => e.object)
      .sort((a, b) => b.created - a.created);
    const max = Math.min(100, Math.max(1, Number(limit ?? 10) || 10));
    return { object: 'list', data: all.slice(0, max), has_more: all.length > max, url };
  }

  accountOf(id) {
    return this.objects.get(id)?.account ?? null;
  }

  event(type, object, account) {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      ...(account ? { account } : {}),
    };
    this.events.push(event);
    return event;
  }

  // --- Connect: accounts and onboarding links ---

  createAccount(params) {
    const account = {
      id: newId('acct'),
      object: 'account',
      type: params.type ?? (params.controller ? undefined : 'express'),
      country: params.country ?? 'FR',
      email: params.email ?? null,
      business_type: params.business_type ?? null,
      capabilities: Object.fromEntries(Object.keys(params.capabilities ?? {}).map((name) => [name, 'inactive'])),
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      default_currency: params.default_currency ?? 'eur',
      metadata: params.metadata ?? {},
      requirements: { currently_due: ['external_account', 'tos_acceptance.date'], disabled_reason: 'requirements.past_due' },
      created: now(),
    };
    return this.put(account, null);
  }

  createAccountLink(params) {
    if (!params.account) throw invalid('Missing required param: account.', 'account');
    this.get('account', params.account, null);
    for (const param of ['refresh_url', 'return_url']) if (!params[param]) throw invalid(`Missing required param: ${param}.`, param);
    if (!['account_onboarding', 'account_update'].includes(params.type)) throw invalid('Invalid type: must be one of account_onboarding or account_update', 'type');
    const id = newId('acctlink');
    const link = {
      object: 'account_link',
      created: now(),
      expires_at: now() + 300,
      url: `${this.baseUrl}/connect/onboarding/${id}`,
      // Not part of Stripe's answer; kept for the onboarding page.
    };
    this.put({ id, object: 'fake.account_link', account: params.account, refresh_url: params.refresh_url, return_url: params.return_url, used: false, expires_at: link.expires_at }, null);
    return link;
  }

  /** The onboarding page was finished: the account can take charges and is paid out. */
  completeAccount(accountId) {
    const account = this.get('account', accountId, null);
    Object.assign(account, { charges_enabled: true, payouts_enabled: true, details_submitted: true, requirements: { currently_due: [], disabled_reason: null } });
    for (const name of Object.keys(account.capabilities)) account.capabilities[name] = 'active';
    // Stripe sends account.updated to Connect endpoints, with `account` naming the connected account.
    return { account, events: [this.event('account.updated', account, accountId)] };
  }

  // --- Checkout ---

  createCheckoutSession(params, account) {
    const mode = params.mode ?? 'payment';
    if (mode !== 'payment') throw invalid('The fake only implements mode=payment.', 'mode');
    if (!params.success_url) throw invalid('Missing required param: success_url.', 'success_url');
    const items = params.line_items ?? [];
    if (!Array.isArray(items) || items.length === 0) throw invalid('Missing required param: line_items.', 'line_items');
    let currency = null;
    let total = 0;
    items.forEach((item, i) => {
      const data = item.price_data;
      if (!data) throw invalid('The fake only implements line_items with price_data.', `line_items[${i}][price_data]`);
      const unitAmount = integerParam(data.unit_amount);
      const quantity = integerParam(item.quantity ?? '1');
      if (!Number.isSafeInteger(unitAmount) || unitAmount < 0) throw invalid('Invalid integer: unit_amount', `line_items[${i}][price_data][unit_amount]`);
      if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalid('Invalid integer: quantity', `line_items[${i}][quantity]`);
      if (!/^[a-z]{3}$/i.test(data.currency ?? '')) throw invalid('Invalid currency', `line_items[${i}][price_data][currency]`);
      if (currency && currency !== data.currency.toLowerCase()) throw invalid('All line items must have the same currency.', `line_items[${i}][price_data][currency]`);
      if (!data.product_data?.name) throw invalid('Missing required param: product_data[name].', `line_items[${i}][price_data][product_data][name]`);
      currency = data.currency.toLowerCase();
      total += unitAmount * quantity;
    });
    if (total <= 0) throw invalid('The Checkout Session total must be greater than zero.', 'line_items');
    const fee = integerParam(params.payment_intent_data?.application_fee_amount);
    if (Number.isNaN(fee) || fee < 0 || fee > total) throw invalid('Invalid application_fee_amount.', 'payment_intent_data[application_fee_amount]');
    if (fee !== undefined && !account) throw invalid('application_fee_amount needs a connected account (Stripe-Account header) on a direct charge.', 'payment_intent_data[application_fee_amount]');
    const id = newId('cs_test');
    const session = {
      id,
      object: 'checkout.session',
      amount_subtotal: total,
      amount_total: total,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created: now(),
      currency,
      customer_email: params.customer_email ?? null,
      expires_at: integerParam(params.expires_at) ?? now() + 24 * 3600,
      livemode: false,
      metadata: params.metadata ?? {},
      mode,
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: params.success_url,
      url: `${this.baseUrl}/checkout/${id}`,
    };
    // Kept aside (Stripe does not echo them on the session): what the payment intent will carry.
    this.put(session, account);
    this.pending.set(id, { lineItems: items, applicationFee: fee ?? null, intentMetadata: params.payment_intent_data?.metadata ?? {} });
    return session;
  }

  expireCheckoutSession(id, account) {
    const session = this.get('checkout.session', id, account, 'checkout.session');
    if (session.status !== 'open') throw invalid(`Only Checkout Sessions with a status of open can be expired. This session has a status of ${session.status}.`, null, 'checkout_session_not_open');
    session.status = 'expired';
    return { session, events: [this.event('checkout.session.expired', session, account)] };
  }

  /**
   * The payer pressed Pay: a payment intent and its charge succeed, the session completes. Events in
   * Stripe's usual order: checkout.session.completed, then payment_intent.succeeded.
   */
  paySession(id) {
    const entry = this.objects.get(id);
    if (!entry || entry.object.object !== 'checkout.session') throw missing('checkout.session', id);
    const { account, object: session } = entry;
    if (session.status !== 'open') throw invalid(`This Checkout Session is ${session.status}.`, null, 'checkout_session_not_open');
    const extra = this.pending.get(id);
    const intentId = newId('pi');
    const charge = this.put(
      {
        id: newId('ch'),
        object: 'charge',
        amount: session.amount_total,
        amount_captured: session.amount_total,
        amount_refunded: 0,
        application_fee_amount: extra.applicationFee,
        created: now(),
        currency: session.currency,
        disputed: false,
        metadata: { ...extra.intentMetadata },
        paid: true,
        payment_intent: intentId,
        refunded: false,
        status: 'succeeded',
      },
      account,
    );
    const intent = this.put(
      {
        id: intentId,
        object: 'payment_intent',
        amount: session.amount_total,
        amount_received: session.amount_total,
        application_fee_amount: extra.applicationFee,
        created: now(),
        currency: session.currency,
        latest_charge: charge.id,
        livemode: false,
        metadata: { ...extra.intentMetadata },
        status: 'succeeded',
      },
      account,
    );
    Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: intent.id });
    const events = [this.event('checkout.session.completed', session, account), this.event('payment_intent.succeeded', intent, account)];
    return { session, intent, charge, events };
  }

  // --- Refunds and disputes ---

  createRefund(params, account) {
    let charge;
    if (params.charge) charge = this.get('charge', params.charge, account);
    else if (params.payment_intent) charge = this.get('charge', this.get('payment_intent', params.payment_intent, account).latest_charge, account);
    else throw invalid('One of charge or payment_intent is required.', 'payment_intent');
    const left = charge.amount - charge.amount_refunded;
    const amount = integerParam(params.amount) ?? left;
    if (left === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, null, 'charge_already_refunded');
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > left) throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount', 'amount_too_large');
    const refund = this.put(
      { id: newId('re'), object: 'refund', amount, charge: charge.id, created: now(), currency: charge.currency, metadata: params.metadata ?? {}, payment_intent: charge.payment_intent, reason: params.reason ?? null, status: 'succeeded' },
      account,
    );
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return { refund, events: [this.event('charge.refunded', charge, account)] };
  }

  disputeCharge(chargeId) {
    const entry = this.objects.get(chargeId);
    if (!entry || entry.object.object !== 'charge') throw missing('charge', chargeId);
    const charge = entry.object;
    charge.disputed = true;
    const dispute = this.put(
      { id: newId('dp'), object: 'dispute', amount: charge.amount, charge: charge.id, created: now(), currency: charge.currency, payment_intent: charge.payment_intent, reason: 'fraudulent', status: 'needs_response' },
      entry.account,
    );
    return { dispute, events: [this.event('charge.dispute.created', dispute, entry.account)] };
  }
}
