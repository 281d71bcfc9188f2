import type { StripeFake } from '@rsm/stripe-fake';
import type pg from 'pg';
import { percentOf } from '../src/money/money.js';
import { taxRate } from './support/invoice-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';
import { connectStripe, createStripeTestApp, insertIssuedInvoice, insertShares, payOnHostedPage } from './support/stripe-fixtures.js';

/**
 * Issue 11, stripe: the whole flow against the local Stripe server (tools/stripe-fake) on a free port —
 * connect the studio's account through the onboarding page, an issued invoice, POST checkout, the payer
 * presses Pay on the hosted page (over HTTP), the fake's signed webhook reaches the API, the invoice is
 * paid. Real PostgreSQL, real HTTP both ways, real signatures.
 */
describe('Stripe Connect checkout (against the local Stripe server)', () => {
  let t: TestApp;
  let fake: StripeFake;
  let close: () => Promise<void>;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let accountId: string;

  beforeAll(async () => {
    ({ t, fake, close } = await createStripeTestApp({ STRIPE_PLATFORM_FEE_PERCENT: '1.5' }));
    a = await registerStudio(t, 'Checkout A');
    db = await connectTenantDatabase(t, a.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await close();
  });

  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const invoiceRow = async (id: string) => (await db.query(`SELECT status, paid_minor, balance_minor, paid_at FROM invoices WHERE id = $1`, [id])).rows[0];

  it('connects the studio: onboarding link, the fake onboarding page, account.updated → active', async () => {
    expect((await t.http().get('/api/v1/stripe/connection').set('cookie', a.cookie).expect(200)).body).toEqual({
      enabled: true,
      status: 'none',
      accountId: null,
      chargesEnabled: false,
      payoutsEnabled: false,
      detailsSubmitted: false,
    });
    accountId = await connectStripe(t, a.cookie);
    expect(accountId).toMatch(/^acct_/);
    const { rows } = await t.control.query(`SELECT organization_id, status, charges_enabled, payouts_enabled, details_submitted FROM stripe_accounts WHERE account_id = $1`, [accountId]);
    expect(rows).toEqual([{ organization_id: a.organizationId, status: 'active', charges_enabled: true, payouts_enabled: true, details_submitted: true }]);
    // Connecting again continues with the same account (a new link, no second account).
    await t.http().post('/api/v1/stripe/connection').set('cookie', a.cookie).expect(201);
    expect((await t.control.query(`SELECT count(*)::int AS n FROM stripe_accounts WHERE organization_id = $1`, [a.organizationId])).rows[0].n).toBe(1);
    expect((await t.http().post('/api/v1/stripe/connection/refresh').set('cookie', a.cookie).expect(200)).body).toMatchObject({ status: 'active', accountId });
  });

  it('a doubled connect click makes one connected account at Stripe and one row (idempotency key per studio and connection)', async () => {
    const c = await registerStudio(t, 'Checkout C');
    const clicks = await Promise.all([1, 2, 3].map(() => t.http().post('/api/v1/stripe/connection').set('cookie', c.cookie)));
    expect(clicks.map((r) => r.status)).toEqual([201, 201, 201]);
    const atStripe = [...fake.state.objects.values()].filter(({ object }) => object.object === 'account' && object.metadata?.organizationId === c.organizationId);
    expect(atStripe).toHaveLength(1);
    expect((await t.control.query(`SELECT account_id FROM stripe_accounts WHERE organization_id = $1`, [c.organizationId])).rows).toEqual([{ account_id: atStripe[0].object.id }]);
    const cDb = await connectTenantDatabase(t, c.organizationId);
    try {
      expect((await cDb.query(`SELECT details->>'accountId' AS account FROM audit_log WHERE action = 'stripe.connection_started'`)).rows).toEqual([{ account: atStripe[0].object.id }]);
    } finally {
      await cDb.end();
    }
  });

  it('pays an issued invoice end to end: checkout → Pay on the hosted page → signed webhook → paid, one payment, event stored, outbox', async () => {
    const { invoiceId, totalMinor } = await insertIssuedInvoice(db);
    const res = await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(201);
    expect(res.body).toEqual({ url: expect.stringMatching(new RegExp(`^${fake.url}/checkout/cs_test_`)), sessionId: expect.stringMatching(/^cs_test_/), amountMinor: totalMinor });
    // A second click is the same session (idempotency key per invoice, share and amount).
    expect((await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(201)).body.sessionId).toBe(res.body.sessionId);
    // A direct charge on the studio's account, with the platform fee (1.5 %) and the routing metadata.
    const intentData = fake.events.length;
    expect((await db.query(`SELECT status, amount_minor, stripe_account_id FROM checkout_sessions WHERE id = $1`, [res.body.sessionId])).rows).toEqual([
      { status: 'open', amount_minor: String(totalMinor), stripe_account_id: accountId },
    ]);

    const paid = await payOnHostedPage(res.body.url);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toContain(`/checkout/complete?session_id=${res.body.sessionId}`);
    const delivered = fake.deliveries.filter((d) => fake.events.slice(intentData).some((e) => e.id === d.eventId));
    expect(delivered.map((d) => [d.type, d.status])).toEqual([
      ['checkout.session.completed', 200],
      ['payment_intent.succeeded', 200],
    ]);

    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'paid', paid_minor: String(totalMinor), balance_minor: '0' });
    const payments = (await db.query(`SELECT amount_minor, currency, method, stripe_payment_intent_id, stripe_charge_id, share_id FROM payments WHERE invoice_id = $1`, [invoiceId])).rows;
    const intent = fake.events.find((e) => e.type === 'payment_intent.succeeded' && e.account === accountId && e.data.object.metadata.invoiceId === invoiceId)!.data.object;
    expect(intent.application_fee_amount).toBe(Math.round(totalMinor * 0.015));
    expect(payments).toEqual([{ amount_minor: String(totalMinor), currency: 'EUR', method: 'stripe', stripe_payment_intent_id: intent.id, stripe_charge_id: intent.latest_charge, share_id: null }]);
    const events = (await db.query(`SELECT type FROM stripe_events ORDER BY processed_at`)).rows.map((r) => r.type);
    expect(events).toEqual(expect.arrayContaining(['checkout.session.completed', 'payment_intent.succeeded']));
    const outbox = (await db.query(`SELECT type, payload FROM outbox WHERE payload->>'invoiceId' = $1 ORDER BY id`, [invoiceId])).rows;
    expect(outbox.map((o) => o.type)).toEqual(['payment.recorded', 'invoice.paid']);
    expect((await db.query(`SELECT status, payment_intent_id FROM checkout_sessions WHERE id = $1`, [res.body.sessionId])).rows).toEqual([{ status: 'complete', payment_intent_id: intent.id }]);
    // Paid: no further checkout.
    const again = await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(409);
    expect(again.body.type).toBe('https://rsm.dev/problems/invoice-not-payable');
  });

  it('pays a deposit invoice online: quote with a 30 % deposit accepted → deposit issued → checkout → paid; the final invoice deducts it and its checkout asks only the rest', async () => {
    // Everything through the API, as a studio does it: the deposit invoice is the one accepting the quote made.
    const api = (path: string, body: object = {}) => t.http().post(path).set('cookie', a.cookie).send(body);
    const vat20 = await taxRate(db, { ratePercent: '20' });
    const clientId = (await api('/api/v1/clients', { name: 'Deposit Band', email: 'deposit@band.test' }).expect(201)).body.id;
    const lines = [{ description: 'Album mix', quantity: '3', unitPriceMinor: 33_333, taxRateId: vat20 }];
    const draftQuote = (await api('/api/v1/quotes', { clientId, validUntil: '2099-12-31', lines, deposit: { percent: '30' } }).expect(201)).body;
    const q = (await api(`/api/v1/quotes/${draftQuote.id}/send`).expect(200)).body;
    const depositMinor = percentOf(q.totalMinor, '30');
    const { invoiceId: depositId } = (await api(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    const deposit = (await api(`/api/v1/invoices/${depositId}/finalize`).expect(200)).body;
    expect(deposit).toMatchObject({ kind: 'deposit', status: 'sent', totalMinor: depositMinor, balanceMinor: depositMinor });

    const res = (await api(`/api/v1/invoices/${depositId}/checkout`).expect(201)).body;
    expect(res.amountMinor).toBe(depositMinor);
    // The payer sees what they pay: the deposit invoice by its number.
    expect(await (await fetch(res.url)).text()).toContain(`Deposit invoice ${deposit.number}`);
    const eventsBefore = fake.events.length;
    expect((await payOnHostedPage(res.url)).status).toBe(303);
    const delivered = fake.deliveries.filter((d) => fake.events.slice(eventsBefore).some((e) => e.id === d.eventId));
    expect(delivered.map((d) => [d.type, d.status])).toEqual([
      ['checkout.session.completed', 200],
      ['payment_intent.succeeded', 200],
    ]);

    // The deposit invoice is paid by its own payment; the quote shows it.
    expect(await invoiceRow(depositId)).toMatchObject({ status: 'paid', paid_minor: String(depositMinor), balance_minor: '0', paid_at: expect.any(Date) });
    const intent = fake.events.find((e) => e.type === 'payment_intent.succeeded' && e.data.object.metadata.invoiceId === depositId)!.data.object;
    expect((await db.query(`SELECT amount_minor, currency, method, stripe_payment_intent_id, share_id FROM payments WHERE invoice_id = $1`, [depositId])).rows).toEqual([
      { amount_minor: String(depositMinor), currency: 'EUR', method: 'stripe', stripe_payment_intent_id: intent.id, share_id: null },
    ]);
    // Accepting the quote named the deposit invoice too (quote.accepted); then the payment and the invoice paid.
    expect((await db.query(`SELECT type FROM outbox WHERE payload->>'invoiceId' = $1 ORDER BY id`, [depositId])).rows.map((r) => r.type)).toEqual(['quote.accepted', 'payment.recorded', 'invoice.paid']);
    const quoteNow = (await t.http().get(`/api/v1/quotes/${q.id}`).set('cookie', a.cookie).expect(200)).body;
    expect(quoteNow.invoices).toEqual([expect.objectContaining({ id: depositId, kind: 'deposit', status: 'paid', totalMinor: depositMinor })]);

    // The final invoice ("facture de solde") bills the whole quote and deducts the paid deposit; online it asks only the rest.
    const final = (await api(`/api/v1/quotes/${q.id}/invoice`).expect(201)).body;
    expect(final.deposits).toEqual([expect.objectContaining({ depositInvoiceId: depositId, number: deposit.number, grossMinor: depositMinor })]);
    const issued = (await api(`/api/v1/invoices/${final.id}/finalize`).expect(200)).body;
    const rest = q.totalMinor - depositMinor;
    expect(issued).toMatchObject({ kind: 'invoice', status: 'sent', totalMinor: q.totalMinor, depositsMinor: depositMinor, balanceMinor: rest });
    const finalCheckout = (await api(`/api/v1/invoices/${final.id}/checkout`).expect(201)).body;
    expect(finalCheckout.amountMinor).toBe(rest);
    expect((await payOnHostedPage(finalCheckout.url)).status).toBe(303);
    expect(await invoiceRow(final.id)).toMatchObject({ status: 'paid', paid_minor: String(rest), balance_minor: '0' });
    // The deposit stays paid and is not paid again by the final invoice.
    expect(await invoiceRow(depositId)).toMatchObject({ status: 'paid', paid_minor: String(depositMinor) });
  });

  it('pays a split invoice share by share: each share paid, the invoice partially paid, then paid', async () => {
    const { invoiceId, totalMinor } = await insertIssuedInvoice(db, { currency: 'JPY', lines: [{ description: 'Day rate', quantity: '1', unitPriceMinor: 100_001, taxRatePercent: '10', taxInclusive: true }] });
    const first = Math.floor(totalMinor / 2);
    const [s1, s2] = await insertShares(db, invoiceId, [first, totalMinor - first]);
    const missing = await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'shareId', messages: [expect.stringContaining('required')] }]);

    const one = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({ shareId: s1 }).expect(201)).body;
    expect(one.amountMinor).toBe(first);
    expect((await payOnHostedPage(one.url)).status).toBe(303);
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'partially_paid', paid_minor: String(first), balance_minor: String(totalMinor - first) });
    expect((await db.query(`SELECT paid_minor FROM invoice_shares WHERE id = $1`, [s1])).rows[0].paid_minor).toBe(String(first));
    expect((await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({ shareId: s1 }).expect(409)).body.type).toBe(
      'https://rsm.dev/problems/invoice-not-payable',
    );

    const two = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({ shareId: s2 }).expect(201)).body;
    expect(two.amountMinor).toBe(totalMinor - first);
    expect((await payOnHostedPage(two.url)).status).toBe(303);
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'paid', paid_minor: String(totalMinor), balance_minor: '0' });
    const payments = (await db.query(`SELECT share_id, amount_minor FROM payments WHERE invoice_id = $1 ORDER BY amount_minor`, [invoiceId])).rows;
    expect(payments.map((p) => p.share_id).sort()).toEqual([s1, s2].sort());
    expect((await db.query(`SELECT type FROM outbox WHERE payload->>'invoiceId' = $1 ORDER BY id`, [invoiceId])).rows.map((r) => r.type)).toEqual([
      'payment.recorded',
      'payment.recorded',
      'invoice.paid',
    ]);
  });

  // A share left with nothing paid and nothing to pay is removed when the invoice settles; a checkout
  // link (or a refunded payment) that named it must not block that (it stops naming the share).
  const ONE_LINE = [{ description: 'Mix', quantity: '1', unitPriceMinor: 900, taxRatePercent: '0', taxInclusive: false }];
  const sharesOf = async (invoiceId: string) =>
    (await db.query(`SELECT id, amount_minor::int AS amount, paid_minor::int AS paid FROM invoice_shares WHERE invoice_id = $1 ORDER BY position`, [invoiceId])).rows;
  const linkShares = async (sessionIds: string[]) => (await db.query(`SELECT share_id FROM checkout_sessions WHERE id = ANY($1) ORDER BY id`, [sessionIds])).rows.map((r) => r.share_id);

  it('a credit note covering the shares still open removes them even when they have checkout links; the links stop naming them', async () => {
    const { invoiceId } = await insertIssuedInvoice(db, { lines: ONE_LINE });
    const [s1, s2, s3] = await insertShares(db, invoiceId, [300, 300, 300]);
    const checkout = async (shareId: string) => (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({ shareId }).expect(201)).body;
    const links = [await checkout(s2), await checkout(s3)];
    expect((await payOnHostedPage((await checkout(s1)).url)).status).toBe(303);
    const note = (await t.http().post(`/api/v1/invoices/${invoiceId}/credit-notes`).set('cookie', a.cookie).send({ lines: [{ description: 'Cancelled', quantity: '1', unitPriceMinor: 600, taxRateId: null }] }).expect(201)).body;
    await t.http().post(`/api/v1/invoices/${note.id}/finalize`).set('cookie', a.cookie).send({}).expect(200);
    expect(await sharesOf(invoiceId)).toEqual([{ id: s1, amount: 300, paid: 300 }]);
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'paid', balance_minor: '0' });
    expect(await linkShares(links.map((l) => l.sessionId))).toEqual([null, null]);
  });

  it('a refunded share payment re-opens its share; re-splitting then replaces shares that a refunded payment and checkout links name', async () => {
    const stripe = new (await import('stripe')).default('sk_test_rsm_e2e', { host: '127.0.0.1', port: Number(new URL(fake.url).port), protocol: 'http' });
    const { invoiceId } = await insertIssuedInvoice(db, { lines: ONE_LINE });
    const [s1, s2] = await insertShares(db, invoiceId, [450, 450]);
    const paidLink = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({ shareId: s1 }).expect(201)).body;
    expect((await payOnHostedPage(paidLink.url)).status).toBe(303);
    const openLink = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({ shareId: s2 }).expect(201)).body;
    const [{ stripe_payment_intent_id: intentId }] = (await db.query(`SELECT stripe_payment_intent_id FROM payments WHERE invoice_id = $1`, [invoiceId])).rows;

    const refundsBefore = fake.deliveries.filter((d) => d.type === 'charge.refunded').length;
    await stripe.refunds.create({ payment_intent: intentId }, { stripeAccount: accountId });
    for (let i = 0; i < 500 && fake.deliveries.filter((d) => d.type === 'charge.refunded').length === refundsBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fake.deliveries.filter((d) => d.type === 'charge.refunded').slice(refundsBefore).map((d) => d.status)).toEqual([200]);
    expect(await sharesOf(invoiceId)).toEqual([{ id: s1, amount: 450, paid: 0 }, { id: s2, amount: 450, paid: 0 }]);
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'sent', paid_minor: '0', balance_minor: '900' });

    // Nothing is paid any more, so the split may be replaced: the old shares go, and the refunded payment
    // and both links keep their amounts and stop naming them.
    const redone = (await t.http().put(`/api/v1/invoices/${invoiceId}/shares`).set('cookie', a.cookie).send({ equal: { count: 3 } }).expect(200)).body.items;
    expect(redone.map((s: { amountMinor: number }) => s.amountMinor)).toEqual([300, 300, 300]);
    expect((await db.query(`SELECT share_id, refunded_minor::int AS refunded FROM payments WHERE invoice_id = $1`, [invoiceId])).rows).toEqual([{ share_id: null, refunded: 450 }]);
    expect(await linkShares([paidLink.sessionId, openLink.sessionId])).toEqual([null, null]);
  });

  it('refuses bad input with a problem and writes nothing: bad ids, unknown share, unknown field, drafts, void invoices and credit notes', async () => {
    const { invoiceId } = await insertIssuedInvoice(db);
    const before = { sessions: await count('checkout_sessions'), audit: await count('audit_log') };
    const post = (id: string, body: object) => t.http().post(`/api/v1/invoices/${id}/checkout`).set('cookie', a.cookie).send(body);
    expect((await post('not-a-uuid', {}).expect(400)).body.errors[0].field).toBe('id');
    expect((await post(invoiceId, { shareId: 'nope' }).expect(400)).body.errors[0].field).toBe('shareId');
    expect((await post(invoiceId, { shareId: '00000000-0000-4000-8000-000000000000' }).expect(400)).body.errors[0].field).toBe('shareId');
    expect((await post(invoiceId, { amountMinor: 1 }).expect(400)).headers['content-type']).toMatch(/^application\/problem\+json/);
    await post('00000000-0000-4000-8000-000000000000', {}).expect(404);
    for (const status of ['draft', 'void'] as const) {
      const other = await insertIssuedInvoice(db, { status });
      expect((await post(other.invoiceId, {}).expect(409)).body.type).toBe('https://rsm.dev/problems/invoice-not-payable');
    }
    expect({ sessions: await count('checkout_sessions'), audit: await count('audit_log') }).toEqual(before);
  });

  it("another studio's invoice is a 404; a studio without a connected account gets 409 stripe-not-connected", async () => {
    const b = await registerStudio(t, 'Checkout B');
    const bDb = await connectTenantDatabase(t, b.organizationId);
    try {
      const { invoiceId: aInvoice } = await insertIssuedInvoice(db);
      const { invoiceId: bInvoice } = await insertIssuedInvoice(bDb);
      await t.http().post(`/api/v1/invoices/${aInvoice}/checkout`).set('cookie', b.cookie).send({}).expect(404);
      const res = await t.http().post(`/api/v1/invoices/${bInvoice}/checkout`).set('cookie', b.cookie).send({}).expect(409);
      expect(res.body.type).toBe('https://rsm.dev/problems/stripe-not-connected');
      expect((await bDb.query(`SELECT count(*)::int AS n FROM checkout_sessions`)).rows[0].n).toBe(0);
    } finally {
      await bDb.end();
    }
  });

  it('an expired session is recorded and never handed out again: the next click gets a new open session', async () => {
    const { invoiceId } = await insertIssuedInvoice(db);
    const first = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(201)).body;
    const stripe = new (await import('stripe')).default('sk_test_rsm_e2e', { host: '127.0.0.1', port: Number(new URL(fake.url).port), protocol: 'http' });
    const expiredBefore = fake.deliveries.filter((d) => d.type === 'checkout.session.expired').length;
    await stripe.checkout.sessions.expire(first.sessionId, {}, { stripeAccount: accountId });
    for (let i = 0; i < 500 && fake.deliveries.filter((d) => d.type === 'checkout.session.expired').length === expiredBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fake.deliveries.filter((d) => d.type === 'checkout.session.expired').at(-1)!.status).toBe(200);
    expect((await db.query(`SELECT status FROM checkout_sessions WHERE id = $1`, [first.sessionId])).rows).toEqual([{ status: 'expired' }]);
    const next = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(201)).body;
    expect(next.sessionId).not.toBe(first.sessionId);
    expect(next.amountMinor).toBe(first.amountMinor);
    expect((await fetch(next.url)).status).toBe(200);
    expect((await db.query(`SELECT status FROM checkout_sessions WHERE id = $1`, [next.sessionId])).rows).toEqual([{ status: 'open' }]);
  });

  it('a link paid a moment ago (its webhook not recorded yet) is not replaced by a new one: 409 payment-in-progress', async () => {
    const { invoiceId } = await insertIssuedInvoice(db);
    const first = (await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(201)).body;
    await fake.pay(first.sessionId, { deliver: false });
    const again = await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({});
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/payment-in-progress$/);
    expect((await db.query(`SELECT count(*)::int AS n FROM checkout_sessions WHERE invoice_id = $1`, [invoiceId])).rows[0].n).toBe(1);
  });

  it('disconnects: no new checkouts, history kept; reconnecting makes a new account', async () => {
    const { invoiceId } = await insertIssuedInvoice(db);
    await t.http().delete('/api/v1/stripe/connection').set('cookie', a.cookie).expect(204);
    await t.http().delete('/api/v1/stripe/connection').set('cookie', a.cookie).expect(404);
    expect((await t.http().get('/api/v1/stripe/connection').set('cookie', a.cookie).expect(200)).body).toMatchObject({ enabled: true, status: 'none', accountId: null });
    expect((await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(409)).body.type).toBe(
      'https://rsm.dev/problems/stripe-not-connected',
    );
    expect((await t.control.query(`SELECT status FROM stripe_accounts WHERE account_id = $1`, [accountId])).rows[0].status).toBe('disconnected');
    const again = await connectStripe(t, a.cookie);
    expect(again).not.toBe(accountId);
    accountId = again;
  });
});

describe('online payment off (no STRIPE_SECRET_KEY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every online-payment route answers 409 online-payment-off, the connection says enabled: false, and nothing is written', async () => {
    const a = await registerStudio(t, 'No Stripe');
    const db = await connectTenantDatabase(t, a.organizationId);
    try {
      const { invoiceId } = await insertIssuedInvoice(db);
      expect((await t.http().get('/api/v1/stripe/connection').set('cookie', a.cookie).expect(200)).body).toMatchObject({ enabled: false, status: 'none' });
      const off = 'https://rsm.dev/problems/online-payment-off';
      expect((await t.http().post(`/api/v1/invoices/${invoiceId}/checkout`).set('cookie', a.cookie).send({}).expect(409)).body.type).toBe(off);
      expect((await t.http().post('/api/v1/stripe/connection').set('cookie', a.cookie).expect(409)).body.type).toBe(off);
      expect((await t.http().post('/api/v1/stripe/connection/refresh').set('cookie', a.cookie).expect(409)).body.type).toBe(off);
      for (const path of ['/api/v1/webhooks/stripe', '/api/v1/webhooks/stripe/connect']) {
        expect((await t.http().post(path).set('stripe-signature', 't=1,v1=00').send({ id: 'evt_1' }).expect(409)).body.type).toBe(off);
      }
      expect((await db.query(`SELECT count(*)::int AS n FROM checkout_sessions`)).rows[0].n).toBe(0);
      expect((await t.control.query(`SELECT count(*)::int AS n FROM stripe_accounts`)).rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });
});
