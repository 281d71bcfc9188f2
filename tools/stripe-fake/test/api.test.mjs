import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStripeFake } from '../src/index.mjs';
import { sdkFor, startReceiver, Stripe } from './support.mjs';

const PLATFORM_SECRET = 'whsec_platform_test';
const CONNECT_SECRET = 'whsec_connect_test';

describe('the API through the official stripe SDK', () => {
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

  const newSession = (account, params = {}, options = {}) =>
    stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 12_345, product_data: { name: 'Invoice INV-1' } } }],
        success_url: 'http://127.0.0.1/ok?session={CHECKOUT_SESSION_ID}',
        cancel_url: 'http://127.0.0.1/cancelled',
        metadata: { organizationId: 'org-1', invoiceId: 'inv-1', shareId: '' },
        payment_intent_data: { application_fee_amount: 123, metadata: { invoiceId: 'inv-1' } },
        ...params,
      },
      { stripeAccount: account, ...options },
    );

  it('creates and retrieves connected accounts, and an account link to onboard them', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'FR', email: 'studio@example.com', metadata: { organizationId: 'org-1' } });
    assert.match(account.id, /^acct_/);
    assert.equal(account.charges_enabled, false);
    assert.deepEqual((await stripe.accounts.retrieve(account.id)).metadata, { organizationId: 'org-1' });
    const link = await stripe.accountLinks.create({ account: account.id, refresh_url: 'http://127.0.0.1/refresh', return_url: 'http://127.0.0.1/return', type: 'account_onboarding' });
    assert.match(link.url, new RegExp(`^${fake.url}/connect/onboarding/`));
    const page = await fetch(link.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Complete onboarding/);
  });

  it('creates a checkout session on the connected account (Stripe-Account) and finds it only there', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const session = await newSession(account.id);
    assert.match(session.id, /^cs_test_/);
    assert.equal(session.amount_total, 12_345);
    assert.equal(session.currency, 'eur');
    assert.equal(session.status, 'open');
    assert.deepEqual(session.metadata, { organizationId: 'org-1', invoiceId: 'inv-1', shareId: '' });
    assert.equal((await stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account.id })).id, session.id);
    await assert.rejects(stripe.checkout.sessions.retrieve(session.id), (err) => err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_missing');
  });

  it('answers the same object for the same Idempotency-Key, and refuses the key with other parameters', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const first = await newSession(account.id, {}, { idempotencyKey: 'invoice-1-share--12345' });
    const again = await newSession(account.id, {}, { idempotencyKey: 'invoice-1-share--12345' });
    assert.equal(again.id, first.id);
    const other = await newSession(account.id, {}, { idempotencyKey: 'another-key' });
    assert.notEqual(other.id, first.id);
    await assert.rejects(
      newSession(account.id, { line_items: [{ quantity: 2, price_data: { currency: 'eur', unit_amount: 1, product_data: { name: 'x' } } }] }, { idempotencyKey: 'invoice-1-share--12345' }),
      (err) => err instanceof Stripe.errors.StripeIdempotencyError,
    );
  });

  it('refuses bad parameters with Stripe error shapes', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    await assert.rejects(newSession(account.id, { success_url: undefined }), (err) => err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'success_url');
    await assert.rejects(
      newSession(account.id, { line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: -5, product_data: { name: 'x' } } }] }),
      (err) => err.param === 'line_items[0][price_data][unit_amount]',
    );
    await assert.rejects(newSession(account.id, { payment_intent_data: { application_fee_amount: 99_999 } }), (err) => err.param === 'payment_intent_data[application_fee_amount]');
    await assert.rejects(newSession('acct_unknown'), (err) => err.statusCode === 404);
    await assert.rejects(sdkFor(fake, 'not-a-key').accounts.create({}), (err) => err instanceof Stripe.errors.StripeAuthenticationError);
  });

  it('pays through the hosted page: session complete, intent and charge succeed, signed webhooks, then the success URL', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const session = await newSession(account.id);
    const page = await fetch(session.url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<button class="primary" type="submit">Pay €123\.45<\/button>/);
    assert.match(html, /<button type="submit">Cancel<\/button>/);
    const before = receiver.received.length;

    const paid = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `http://127.0.0.1/ok?session=${session.id}`);

    const delivered = receiver.received.slice(before);
    assert.deepEqual(delivered.map((d) => d.path), ['/connect', '/connect']);
    const events = delivered.map((d) => Stripe.webhooks.constructEvent(d.body, d.signature, CONNECT_SECRET, 300));
    assert.deepEqual(events.map((e) => e.type), ['checkout.session.completed', 'payment_intent.succeeded']);
    assert.ok(events.every((e) => e.account === account.id));
    assert.throws(() => Stripe.webhooks.constructEvent(delivered[0].body, delivered[0].signature, PLATFORM_SECRET, 300), Stripe.errors.StripeSignatureVerificationError);

    const completed = await stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account.id });
    assert.equal(completed.status, 'complete');
    assert.equal(completed.payment_status, 'paid');
    const intent = await stripe.paymentIntents.retrieve(completed.payment_intent, {}, { stripeAccount: account.id });
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.amount_received, 12_345);
    assert.equal(intent.application_fee_amount, 123);
    assert.deepEqual(intent.metadata, { invoiceId: 'inv-1' });
    assert.equal(events[1].data.object.id, intent.id);

    const again = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(again.status, 409);
  });

  it('sends the payer back to the cancel URL and leaves the session open; expire closes it', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const session = await newSession(account.id);
    const cancelled = await fetch(`${fake.url}/checkout/${session.id}/cancel`, { method: 'POST', redirect: 'manual' });
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.headers.get('location'), 'http://127.0.0.1/cancelled');
    assert.equal((await stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account.id })).status, 'open');
    const expired = await stripe.checkout.sessions.expire(session.id, {}, { stripeAccount: account.id });
    assert.equal(expired.status, 'expired');
    await assert.rejects(stripe.checkout.sessions.expire(session.id, {}, { stripeAccount: account.id }), (err) => err.code === 'checkout_session_not_open');
    assert.equal((await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' })).status, 409);
  });

  it('refunds part then the rest of a charge, each with a charge.refunded event, and no more', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const session = await newSession(account.id);
    const { intent } = await fake.pay(session.id);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 345 }, { stripeAccount: account.id });
    assert.equal(refund.amount, 345);
    assert.equal(refund.status, 'succeeded');
    await stripe.refunds.create({ payment_intent: intent.id }, { stripeAccount: account.id });
    await assert.rejects(stripe.refunds.create({ payment_intent: intent.id, amount: 1 }, { stripeAccount: account.id }), (err) => err.code === 'charge_already_refunded');
    const refunds = fake.events.filter((e) => e.type === 'charge.refunded' && e.data.object.payment_intent === intent.id);
    assert.deepEqual(refunds.map((e) => e.data.object.amount_refunded), [345, 12_345]);
  });
});
