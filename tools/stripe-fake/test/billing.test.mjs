import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStripeFake } from '../src/index.mjs';
import { sdkFor, startReceiver, Stripe } from './support.mjs';

const PLATFORM_SECRET = 'whsec_platform_billing';

describe('Stripe Billing: customers, subscription checkout, subscriptions and the Customer Portal', () => {
  let fake, stripe, receiver;
  before(async () => {
    receiver = await startReceiver();
    fake = await startStripeFake({ webhooks: { platform: { url: `${receiver.url}/platform`, secret: PLATFORM_SECRET } } });
    stripe = sdkFor(fake);
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });

  const eventsSince = (count) => receiver.received.slice(count).map((d) => ({ path: d.path, event: Stripe.webhooks.constructEvent(d.body, d.signature, PLATFORM_SECRET, 300) }));

  const subscribe = async () => {
    const customer = await stripe.customers.create({ name: 'Studio A', email: 'owner@example.com', metadata: { organizationId: 'org-a' } });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: 'price_studio_monthly', quantity: 1 }],
      client_reference_id: 'org-a',
      success_url: 'http://127.0.0.1/settings/subscription?checkout=success',
      cancel_url: 'http://127.0.0.1/settings/subscription?checkout=cancelled',
      subscription_data: { metadata: { organizationId: 'org-a' } },
    });
    return { customer, session };
  };

  it("lists a customer's subscriptions (canceled only with status=all) and open checkout sessions, newest first", async () => {
    const { customer, session } = await subscribe();
    const other = await subscribe();
    const open = await stripe.checkout.sessions.list({ customer: customer.id, status: 'open' });
    assert.deepEqual(open.data.map((s) => s.id), [session.id]);
    assert.equal(open.object, 'list');
    assert.deepEqual((await stripe.subscriptions.list({ customer: customer.id })).data, []);
    await fetch(`${fake.url}/_fake/checkout/sessions/${session.id}/pay`, { method: 'POST' });
    assert.deepEqual((await stripe.checkout.sessions.list({ customer: customer.id, status: 'open' })).data, []);
    const [live] = (await stripe.subscriptions.list({ customer: customer.id })).data;
    assert.equal(live.status, 'active');
    assert.deepEqual((await stripe.subscriptions.list({ customer: other.customer.id })).data, []);
    await stripe.subscriptions.cancel(live.id);
    assert.deepEqual((await stripe.subscriptions.list({ customer: customer.id })).data, []);
    assert.deepEqual((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.map((s) => [s.id, s.status]), [[live.id, 'canceled']]);
  });

  it('creates and retrieves customers (the same Idempotency-Key → the same customer)', async () => {
    const first = await stripe.customers.create({ name: 'Studio', metadata: { organizationId: 'org-1' } }, { idempotencyKey: 'customer-org-1' });
    const again = await stripe.customers.create({ name: 'Studio', metadata: { organizationId: 'org-1' } }, { idempotencyKey: 'customer-org-1' });
    assert.match(first.id, /^cus_/);
    assert.equal(again.id, first.id);
    assert.deepEqual((await stripe.customers.retrieve(first.id)).metadata, { organizationId: 'org-1' });
    await assert.rejects(stripe.customers.retrieve('cus_unknown'), (err) => err.code === 'resource_missing');
  });

  it('pays a subscription checkout on the hosted page: an active subscription, signed platform events, then the success URL', async () => {
    const { customer, session } = await subscribe();
    assert.equal(session.mode, 'subscription');
    assert.equal(session.amount_total, 2900);
    const html = await (await fetch(session.url)).text();
    assert.match(html, /Pay €29\.00/);
    const count = receiver.received.length;
    const paid = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), 'http://127.0.0.1/settings/subscription?checkout=success');

    const delivered = eventsSince(count);
    assert.ok(delivered.every((d) => d.path === '/platform'));
    assert.deepEqual(delivered.map((d) => d.event.type), ['customer.subscription.created', 'invoice.paid', 'checkout.session.completed']);
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    assert.equal(completed.status, 'complete');
    assert.equal(completed.customer, customer.id);
    const subscription = await stripe.subscriptions.retrieve(completed.subscription);
    assert.equal(subscription.status, 'active');
    assert.equal(subscription.customer, customer.id);
    assert.deepEqual(subscription.metadata, { organizationId: 'org-a' });
    assert.ok(subscription.items.data[0].current_period_end > Date.now() / 1000 + 27 * 86_400);
    const invoice = delivered[1].event.data.object;
    assert.equal(invoice.parent.subscription_details.subscription, subscription.id);
    assert.equal(invoice.amount_paid, 2900);
  });

  it('refuses a subscription checkout without a customer or a price', async () => {
    await assert.rejects(
      stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_x', quantity: 1 }], success_url: 'http://127.0.0.1/ok' }),
      (err) => err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'customer',
    );
    const customer = await stripe.customers.create({});
    await assert.rejects(stripe.checkout.sessions.create({ mode: 'subscription', customer: customer.id, success_url: 'http://127.0.0.1/ok' }), (err) => err.param === 'line_items');
  });

  it('past due (test control) then paid again: the events Stripe sends, and the subscription as retrieved', async () => {
    const { session } = await subscribe();
    const { subscription } = await fake.pay(session.id);
    const count = receiver.received.length;
    const lapsed = await (await fetch(`${fake.url}/_fake/subscriptions/${subscription.id}/past_due`, { method: 'POST' })).json();
    assert.equal(lapsed.subscription.status, 'past_due');
    assert.deepEqual(eventsSince(count).map((d) => d.event.type), ['invoice.payment_failed', 'customer.subscription.updated']);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'past_due');

    const again = await fake.payOverdue(subscription.id);
    assert.deepEqual(again.events.map((e) => e.type), ['invoice.paid', 'customer.subscription.updated']);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'active');
    await assert.rejects(fake.payOverdue(subscription.id), (err) => err.body.error.code === 'nothing_overdue');
  });

  it('updates and cancels a subscription through the API', async () => {
    const { session } = await subscribe();
    const { subscription } = await fake.pay(session.id, { deliver: false });
    const updated = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    assert.equal(updated.cancel_at_period_end, true);
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal(fake.events.at(-1).type, 'customer.subscription.deleted');
  });

  it('opens a Customer Portal session whose page pays an overdue invoice and cancels the subscription, then returns', async () => {
    const { customer, session } = await subscribe();
    const { subscription } = await fake.pay(session.id);
    await fake.pastDue(subscription.id);
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://127.0.0.1/settings/subscription' });
    assert.match(portal.url, new RegExp(`^${fake.url}/billing_portal/bps_`));
    const html = await (await fetch(portal.url)).text();
    assert.match(html, /past_due/);
    assert.match(html, /href="http:\/\/127\.0\.0\.1\/settings\/subscription"/);
    const payAction = /action="([^"]+\/pay)"/.exec(html)[1];
    const count = receiver.received.length;
    assert.equal((await fetch(new URL(payAction, fake.url), { method: 'POST', redirect: 'manual' })).status, 303);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'active');

    const cancelAction = /action="([^"]+\/cancel)"/.exec(await (await fetch(portal.url)).text())[1];
    assert.equal((await fetch(new URL(cancelAction, fake.url), { method: 'POST', redirect: 'manual' })).status, 303);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'canceled');
    assert.deepEqual(eventsSince(count).map((d) => d.event.type), ['invoice.paid', 'customer.subscription.updated', 'customer.subscription.deleted']);
    assert.doesNotMatch(await (await fetch(portal.url)).text(), /Cancel subscription/);

    // Another customer's subscription cannot be touched from this portal session.
    const other = await subscribe();
    const { subscription: theirs } = await fake.pay(other.session.id, { deliver: false });
    assert.equal((await fetch(`${fake.url}/billing_portal/${portal.id}/subscriptions/${theirs.id}/cancel`, { method: 'POST', redirect: 'manual' })).status, 404);
    assert.equal((await stripe.subscriptions.retrieve(theirs.id)).status, 'active');
    await assert.rejects(stripe.billingPortal.sessions.create({ customer: 'cus_nope' }), (err) => err.code === 'resource_missing');
  });
});
