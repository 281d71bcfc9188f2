import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signatureHeader, startStripeFake } from '../src/index.mjs';
import { sdkFor, startReceiver, Stripe } from './support.mjs';

const PLATFORM_SECRET = 'whsec_platform_hooks';
const CONNECT_SECRET = 'whsec_connect_hooks';

describe('webhooks and test controls', () => {
  let fake, stripe, receiver;
  before(async () => {
    receiver = await startReceiver();
    fake = await startStripeFake({
      webhooks: { platform: { url: `${receiver.url}/platform`, secret: PLATFORM_SECRET }, connect: { url: `${receiver.url}/connect`, secret: CONNECT_SECRET } },
    });
    stripe = sdkFor(fake);
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });
  const last = () => receiver.received.at(-1);

  it('signs exactly as Stripe does: the SDK accepts it, and refuses a changed payload, another secret or an old timestamp', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'ping' });
    const header = signatureHeader(payload, PLATFORM_SECRET);
    assert.equal(Stripe.webhooks.constructEvent(payload, header, PLATFORM_SECRET, 300).id, 'evt_1');
    assert.equal(header, Stripe.webhooks.generateTestHeaderString({ payload, secret: PLATFORM_SECRET, timestamp: Number(header.slice(2, header.indexOf(','))) }));
    assert.throws(() => Stripe.webhooks.constructEvent(payload.replace('ping', 'pong'), header, PLATFORM_SECRET, 300));
    assert.throws(() => Stripe.webhooks.constructEvent(payload, header, 'whsec_other', 300));
    const old = signatureHeader(payload, PLATFORM_SECRET, Math.floor(Date.now() / 1000) - 301);
    assert.throws(() => Stripe.webhooks.constructEvent(payload, old, PLATFORM_SECRET, 300));
  });

  it('sends platform events to the platform endpoint and connected-account events to the Connect endpoint', async () => {
    await fetch(`${fake.url}/_fake/events`, { method: 'POST', body: JSON.stringify({ type: 'customer.subscription.updated', object: { id: 'sub_1', object: 'subscription' } }) });
    assert.equal(last().path, '/platform');
    assert.equal(Stripe.webhooks.constructEvent(last().body, last().signature, PLATFORM_SECRET, 300).type, 'customer.subscription.updated');
    const answer = await (await fetch(`${fake.url}/_fake/events`, { method: 'POST', body: JSON.stringify({ type: 'charge.dispute.created', account: 'acct_x', object: { id: 'dp_1' } }) })).json();
    assert.equal(answer.delivery.status, 200);
    assert.equal(last().path, '/connect');
    const event = Stripe.webhooks.constructEvent(last().body, last().signature, CONNECT_SECRET, 300);
    assert.equal(event.account, 'acct_x');
    assert.equal(event.id, answer.event.id);
  });

  it('redelivers an event by id, unchanged and freshly signed', async () => {
    const { event } = await fake.sendEvent({ type: 'payment_intent.succeeded', account: 'acct_y', object: { id: 'pi_1' } });
    const first = last();
    const again = await (await fetch(`${fake.url}/_fake/events/${event.id}/deliver`, { method: 'POST' })).json();
    assert.equal(again.delivery.status, 200);
    assert.equal(last().body, first.body);
    assert.equal(Stripe.webhooks.constructEvent(last().body, last().signature, CONNECT_SECRET, 300).id, event.id);
  });

  it('completes onboarding through the page: the account is enabled and account.updated goes to Connect', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const link = await stripe.accountLinks.create({ account: account.id, refresh_url: 'http://127.0.0.1/refresh', return_url: 'http://127.0.0.1/return', type: 'account_onboarding' });
    const done = await fetch(link.url, { method: 'POST', redirect: 'manual' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), 'http://127.0.0.1/return');
    const event = Stripe.webhooks.constructEvent(last().body, last().signature, CONNECT_SECRET, 300);
    assert.equal(event.type, 'account.updated');
    assert.equal(event.account, account.id);
    assert.equal(event.data.object.charges_enabled, true);
    const enabled = await stripe.accounts.retrieve(account.id);
    assert.deepEqual([enabled.charges_enabled, enabled.payouts_enabled, enabled.details_submitted], [true, true, true]);
    // A used link sends the user to refresh_url for a new one, as Stripe does.
    const reused = await fetch(link.url, { redirect: 'manual' });
    assert.equal(reused.headers.get('location'), 'http://127.0.0.1/refresh');
  });

  it('pays without delivering when asked (for out-of-order tests) and disputes a charge', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const session = await stripe.checkout.sessions.create(
      { mode: 'payment', success_url: 'http://127.0.0.1/ok', line_items: [{ quantity: 2, price_data: { currency: 'jpy', unit_amount: 500, product_data: { name: 'Share 1' } } }] },
      { stripeAccount: account.id },
    );
    const count = receiver.received.length;
    const paid = await (await fetch(`${fake.url}/_fake/checkout/sessions/${session.id}/pay`, { method: 'POST', body: JSON.stringify({ deliver: false }) })).json();
    assert.equal(receiver.received.length, count);
    assert.deepEqual(paid.events.map((e) => e.type), ['checkout.session.completed', 'payment_intent.succeeded']);
    assert.equal(paid.intent.amount, 1000);
    const disputed = await fake.dispute(paid.charge.id);
    assert.equal(disputed.deliveries[0].status, 200);
    const event = Stripe.webhooks.constructEvent(last().body, last().signature, CONNECT_SECRET, 300);
    assert.equal(event.type, 'charge.dispute.created');
    assert.equal(event.data.object.payment_intent, paid.intent.id);
  });

  it('records a failed delivery instead of failing the payment', async () => {
    fake.setWebhookEndpoint('connect', { url: 'http://127.0.0.1:1/nowhere', secret: CONNECT_SECRET });
    try {
      const { delivery } = await fake.sendEvent({ type: 'account.updated', account: 'acct_z', object: {} });
      assert.equal(delivery.status, null);
      assert.ok(delivery.error);
    } finally {
      fake.setWebhookEndpoint('connect', { url: `${receiver.url}/connect`, secret: CONNECT_SECRET });
    }
  });
});
