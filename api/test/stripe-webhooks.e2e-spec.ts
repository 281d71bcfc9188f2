import { signatureHeader, type StripeFake, type StripeFakeEvent } from '@rsm/stripe-fake';
import type pg from 'pg';
import { connectTenantDatabase, registerStudio, type TestApp } from './support/test-app.js';
import { CONNECT_SECRET, PLATFORM_SECRET, connectStripe, createStripeTestApp, insertIssuedInvoice } from './support/stripe-fixtures.js';

/**
 * Issue 11, stripe: the webhook rules, with the local Stripe server's real events and signatures —
 * the signature over the raw body, the event id recorded with its effect (replays and duplicates are
 * no-ops), out-of-order delivery, routing by the connected account (never by metadata), refunds and disputes.
 */
describe('Stripe webhooks', () => {
  let t: TestApp;
  let fake: StripeFake;
  let close: () => Promise<void>;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let aDb: pg.Client;
  let bDb: pg.Client;
  let aAccount: string;

  beforeAll(async () => {
    ({ t, fake, close } = await createStripeTestApp());
    a = await registerStudio(t, 'Hooks A');
    b = await registerStudio(t, 'Hooks B');
    aDb = await connectTenantDatabase(t, a.organizationId);
    bDb = await connectTenantDatabase(t, b.organizationId);
    aAccount = await connectStripe(t, a.cookie);
    await connectStripe(t, b.cookie);
  });
  afterAll(async () => {
    await aDb.end();
    await bDb.end();
    await close();
  });

  /** Everything a webhook may write in a studio's database, to compare before and after. */
  const footprint = async (db: pg.Client) => {
    const n = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    return {
      events: await n(`SELECT count(*) AS n FROM stripe_events`),
      payments: await n(`SELECT count(*) AS n FROM payments`),
      refunded: await n(`SELECT COALESCE(sum(refunded_minor), 0) AS n FROM payments`),
      disputed: await n(`SELECT count(*) AS n FROM payments WHERE disputed_at IS NOT NULL`),
      outbox: await n(`SELECT count(*) AS n FROM outbox`),
      paidInvoices: await n(`SELECT count(*) AS n FROM invoices WHERE status <> 'sent'`),
      sharesPaid: await n(`SELECT COALESCE(sum(paid_minor), 0) AS n FROM invoice_shares`),
      openSessions: await n(`SELECT count(*) AS n FROM checkout_sessions WHERE status = 'open'`),
    };
  };

  /** A checkout of a fresh invoice of A, paid on the fake WITHOUT delivering its events (the test delivers them). */
  const paidButUndelivered = async () => {
    const { invoiceId, totalMinor } = await insertIssuedInvoice(aDb);
    const { sessionId } = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(201)).body;
    const paid = await fake.pay(sessionId, { deliver: false });
    const [completed, succeeded] = paid.events as [StripeFakeEvent, StripeFakeEvent];
    return { invoiceId, totalMinor, sessionId, completed, succeeded, intentId: paid.intent.id as string, chargeId: paid.charge.id as string };
  };

  const postConnect = (body: string, signature?: string) => {
    const req = t.http().post('/api/v1/webhooks/stripe/connect').set('content-type', 'application/json');
    return (signature === undefined ? req : req.set('stripe-signature', signature)).send(body);
  };

  const paymentsOf = async (invoiceId: string) => (await aDb.query(`SELECT amount_minor, refunded_minor, disputed_at, stripe_payment_intent_id FROM payments WHERE invoice_id = $1`, [invoiceId])).rows;
  const statusOf = async (invoiceId: string) => (await aDb.query(`SELECT status, balance_minor FROM invoices WHERE id = $1`, [invoiceId])).rows[0];
  const outboxOf = async (invoiceId: string) => (await aDb.query(`SELECT type FROM outbox WHERE payload->>'invoiceId' = $1 ORDER BY id`, [invoiceId])).rows.map((r) => r.type);

  /** Waits until the fake has delivered `count` events of a type (refunds are delivered after Stripe's answer). */
  const delivered = async (type: string, count: number) => {
    for (let i = 0; i < 500 && fake.deliveries.filter((d) => d.type === type).length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return fake.deliveries.filter((d) => d.type === type);
  };

  it('refuses a missing or bad signature with 400 and writes nothing; the same bytes correctly signed are accepted', async () => {
    const { invoiceId, completed } = await paidButUndelivered();
    const body = JSON.stringify(completed, null, 2); // as Stripe (and the fake) send it: pretty-printed
    const before = await footprint(aDb);
    const now = Math.floor(Date.now() / 1000);
    const refusals = [
      await postConnect(body),
      await postConnect(body, ''),
      await postConnect(body, 't=123,v1=deadbeef'),
      await postConnect(body, signatureHeader(body, 'whsec_someone_else')),
      await postConnect(body, signatureHeader(body, PLATFORM_SECRET)), // the other endpoint's secret
      await postConnect(body, signatureHeader(body, CONNECT_SECRET, now - 301)), // outside the 300 s tolerance
      await postConnect(body.replace('"livemode": false', '"livemode": true'), signatureHeader(body, CONNECT_SECRET)), // not the signed bytes
      await postConnect(JSON.stringify(completed), signatureHeader(body, CONNECT_SECRET)), // the same JSON re-serialised: not the signed bytes
    ];
    for (const res of refusals) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(refusals[0].body.detail).toMatch(/Stripe-Signature header is missing/);
    expect(await footprint(aDb)).toEqual(before);
    expect(await statusOf(invoiceId)).toMatchObject({ status: 'sent' });

    const ok = await postConnect(body, signatureHeader(body, CONNECT_SECRET));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ received: true });
    expect(await statusOf(invoiceId)).toMatchObject({ status: 'paid', balance_minor: '0' });
  });

  it('the platform endpoint checks its own secret, and records a platform event once', async () => {
    const body = JSON.stringify({ id: 'evt_platform_1', object: 'event', type: 'customer.subscription.updated', data: { object: { id: 'sub_1' } } });
    await t.http().post('/api/v1/webhooks/stripe').set('content-type', 'application/json').set('stripe-signature', signatureHeader(body, CONNECT_SECRET)).send(body).expect(400);
    expect((await t.control.query(`SELECT count(*)::int AS n FROM platform_stripe_events`)).rows[0].n).toBe(0);
    for (let i = 0; i < 2; i++) {
      await t.http().post('/api/v1/webhooks/stripe').set('content-type', 'application/json').set('stripe-signature', signatureHeader(body, PLATFORM_SECRET)).send(body).expect(200);
    }
    expect((await t.control.query(`SELECT id, type FROM platform_stripe_events`)).rows).toEqual([{ id: 'evt_platform_1', type: 'customer.subscription.updated' }]);
  });

  it('the same event delivered 3 times (at once and again) and the pair out of order → exactly one payment and the right final state', async () => {
    const { invoiceId, totalMinor, sessionId, completed, succeeded, intentId } = await paidButUndelivered();
    // payment_intent.succeeded first (out of order), three times at once…
    const burst = await Promise.all([fake.deliver(succeeded.id), fake.deliver(succeeded.id), fake.deliver(succeeded.id)]);
    expect(burst.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(await statusOf(invoiceId)).toMatchObject({ status: 'paid', balance_minor: '0' });
    // …then checkout.session.completed, three times in a row, and the first event once more.
    for (let i = 0; i < 3; i++) expect((await fake.deliver(completed.id)).status).toBe(200);
    expect((await fake.deliver(succeeded.id)).status).toBe(200);

    expect(await paymentsOf(invoiceId)).toEqual([{ amount_minor: String(totalMinor), refunded_minor: '0', disputed_at: null, stripe_payment_intent_id: intentId }]);
    expect(await outboxOf(invoiceId)).toEqual(['payment.recorded', 'invoice.paid']);
    const events = (await aDb.query(`SELECT id FROM stripe_events WHERE id = ANY($1) ORDER BY id`, [[completed.id, succeeded.id]])).rows.map((r) => r.id);
    expect(events).toEqual([completed.id, succeeded.id].sort());
    expect((await aDb.query(`SELECT status, payment_intent_id FROM checkout_sessions WHERE id = $1`, [sessionId])).rows).toEqual([{ status: 'complete', payment_intent_id: intentId }]);
  });

  it('a checkout link paid after the invoice was paid by hand is recorded and raised as an overpayment to refund, never hidden', async () => {
    const { invoiceId, totalMinor, completed, succeeded } = await paidButUndelivered();
    // The client paid by bank transfer meanwhile, and the studio recorded it.
    await t.http().post(`/api/v1/invoices/${invoiceId}/payments`).set('cookie', a.cookie).send({ amountMinor: totalMinor, method: 'bank_transfer', receivedOn: '2026-03-01' }).expect(201);
    expect((await fake.deliver(succeeded.id)).status).toBe(200);
    expect((await fake.deliver(completed.id)).status).toBe(200);
    expect((await paymentsOf(invoiceId)).map((p) => p.amount_minor)).toEqual([String(totalMinor), String(totalMinor)]);
    expect(await statusOf(invoiceId)).toMatchObject({ status: 'paid', balance_minor: '0' });
    const raised = (await aDb.query(`SELECT payload FROM outbox WHERE type = 'payment.overpaid' AND subject_id = $1`, [invoiceId])).rows;
    expect(raised).toEqual([{ payload: expect.objectContaining({ invoiceId, excessMinor: totalMinor, invoiceStatus: 'paid' }) }]);
  });

  it("re-reads the object from Stripe: an event's stale or invented copy does not decide", async () => {
    const { invoiceId, totalMinor, sessionId, intentId } = await paidButUndelivered();
    const before = await footprint(aDb);
    // A correctly signed event whose copy of the session says unpaid (stale): Stripe says paid, so it is paid.
    const stale = await fake.sendEvent({ type: 'checkout.session.completed', account: aAccount, object: { id: sessionId, object: 'checkout.session', payment_status: 'unpaid', status: 'open', metadata: {} } });
    expect(stale.delivery!.status).toBe(200);
    expect(await paymentsOf(invoiceId)).toEqual([expect.objectContaining({ amount_minor: String(totalMinor), stripe_payment_intent_id: intentId })]);
    // An intent Stripe does not know on that account: nothing is recorded (502: Stripe will retry).
    const invented = await fake.sendEvent({ type: 'payment_intent.succeeded', account: aAccount, object: { id: 'pi_invented', object: 'payment_intent', amount: 1, metadata: { invoiceId } } });
    expect(invented.delivery!.status).toBe(502);
    const after = await footprint(aDb);
    expect(after.payments).toBe(before.payments + 1);
    expect(after.events).toBe(before.events + 1);
  });

  it("an event for studio A's account never touches studio B; metadata naming B on A's account is refused", async () => {
    const bBefore = await footprint(bDb);
    const { invoiceId: bInvoice } = await insertIssuedInvoice(bDb);
    const bAfterInvoice = await footprint(bDb);
    const { completed, succeeded, sessionId } = await paidButUndelivered();
    for (const event of [completed, succeeded]) expect((await fake.deliver(event.id)).status).toBe(200);
    expect(await footprint(bDb)).toEqual(bAfterInvoice);

    // Signed, on A's account, but claiming to be B's: refused, nothing written anywhere.
    const aBefore = await footprint(aDb);
    const claim = { organizationId: b.organizationId, invoiceId: bInvoice, shareId: '' };
    const forged = await fake.sendEvent({ type: 'checkout.session.completed', account: aAccount, object: { id: sessionId, object: 'checkout.session', metadata: claim } });
    expect(forged.delivery!.status).toBe(400);
    expect(JSON.parse(forged.delivery!.body!).detail).toMatch(/names another studio/);
    // A payment made on A's account for B's invoice id (no studio claimed): routed to A, where no such invoice exists.
    const stripe = new (await import('stripe')).default('sk_test_rsm_e2e', { host: '127.0.0.1', port: Number(new URL(fake.url).port), protocol: 'http' });
    const session = await stripe.checkout.sessions.create(
      { mode: 'payment', success_url: 'http://127.0.0.1/ok', metadata: { invoiceId: bInvoice }, payment_intent_data: { metadata: { invoiceId: bInvoice } }, line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'x' } } }] },
      { stripeAccount: aAccount },
    );
    const paid = await fake.pay(session.id);
    expect(paid.deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect(await footprint(bDb)).toEqual(bAfterInvoice);
    const aAfter = await footprint(aDb);
    expect({ ...aAfter, events: aBefore.events }).toEqual(aBefore); // only the two event ids were recorded
    expect(aAfter.events).toBe(aBefore.events + 2);
    expect(bAfterInvoice.events).toBe(bBefore.events);
  });

  it('records refunds (partial, then the rest, out of order too) and disputes on the payment, and settles the invoice', async () => {
    const { invoiceId, totalMinor, completed, intentId, chargeId } = await paidButUndelivered();
    await fake.deliver(completed.id);
    const stripe = new (await import('stripe')).default('sk_test_rsm_e2e', { host: '127.0.0.1', port: Number(new URL(fake.url).port), protocol: 'http' });
    const refundsBefore = fake.deliveries.filter((d) => d.type === 'charge.refunded').length;
    await stripe.refunds.create({ payment_intent: intentId, amount: 345 }, { stripeAccount: aAccount });
    const [first] = (await delivered('charge.refunded', refundsBefore + 1)).slice(refundsBefore);
    expect(first.status).toBe(200);
    expect(await paymentsOf(invoiceId)).toEqual([expect.objectContaining({ refunded_minor: '345' })]);
    expect(await statusOf(invoiceId)).toEqual({ status: 'partially_paid', balance_minor: '345' });

    await stripe.refunds.create({ payment_intent: intentId }, { stripeAccount: aAccount });
    await delivered('charge.refunded', refundsBefore + 2);
    // The first refund's event again, late: Stripe's charge says all is refunded; nothing goes back.
    expect((await fake.deliver(first.eventId)).status).toBe(200);
    expect(await paymentsOf(invoiceId)).toEqual([expect.objectContaining({ refunded_minor: String(totalMinor) })]);
    expect(await statusOf(invoiceId)).toEqual({ status: 'sent', balance_minor: String(totalMinor) });
    expect(await outboxOf(invoiceId)).toEqual(['payment.recorded', 'invoice.paid', 'payment.refunded', 'payment.refunded']);

    const dispute = await fake.dispute(chargeId);
    expect(dispute.deliveries[0].status).toBe(200);
    expect((await fake.deliver(dispute.events[0].id)).status).toBe(200);
    expect((await paymentsOf(invoiceId))[0].disputed_at).toBeInstanceOf(Date);
    expect(await outboxOf(invoiceId)).toEqual(['payment.recorded', 'invoice.paid', 'payment.refunded', 'payment.refunded', 'payment.disputed']);
  });

  it('account.updated keeps the connection current, re-read from Stripe', async () => {
    await t.control.query(`UPDATE stripe_accounts SET charges_enabled = false, status = 'restricted' WHERE account_id = $1`, [aAccount]);
    const { delivery } = await fake.sendEvent({ type: 'account.updated', account: aAccount, object: { id: aAccount, object: 'account', charges_enabled: false, metadata: { organizationId: a.organizationId } } });
    expect(delivery!.status).toBe(200);
    expect((await t.http().get('/api/v1/stripe/connection').set('cookie', a.cookie).expect(200)).body).toMatchObject({ status: 'active', chargesEnabled: true });
  });
});
