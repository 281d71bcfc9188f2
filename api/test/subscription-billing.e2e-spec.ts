import { signatureHeader, type StripeFake, type StripeFakeEvent } from '@rsm/stripe-fake';
import { addMemberWithSession } from './support/studio-members.js';
import { PLATFORM_SECRET, createStripeTestApp, payOnHostedPage } from './support/stripe-fixtures.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

type Studio = Awaited<ReturnType<typeof registerStudio>>;

/**
 * Issue 11: the studio's own subscription, against the local Stripe server: checkout and portal for the
 * owner, and the platform webhook that keeps the organization's subscription current — routed by the
 * stored customer id, re-reading the subscription from Stripe, each event recorded once with its effect.
 * Grace is 0 days here, so past due is read-only at once.
 */
describe('the studio subscription through Stripe Billing', () => {
  let t: TestApp;
  let fake: StripeFake;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, fake, close } = await createStripeTestApp({ STRIPE_PRICE_ID: 'price_studio_monthly', SUBSCRIPTION_GRACE_DAYS: '0' }));
  });
  afterAll(async () => {
    await close();
  });

  const org = async (organizationId: string) =>
    (
      await t.control.query(
        `SELECT stripe_customer_id, stripe_subscription_id, subscription_status, current_period_end, past_due_since FROM organizations WHERE id = $1`,
        [organizationId],
      )
    ).rows[0] as { stripe_customer_id: string | null; stripe_subscription_id: string | null; subscription_status: string; current_period_end: Date | null; past_due_since: Date | null };
  const recordedEvents = async (ids: string[]) => (await t.control.query(`SELECT count(*)::int AS n FROM platform_stripe_events WHERE id = ANY($1)`, [ids])).rows[0].n as number;
  const checkout = (studio: Studio) => t.http().post('/api/v1/billing/checkout').set('cookie', studio.cookie);
  const sessionIdOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;
  const postPlatform = (body: string, signature?: string) => {
    const req = t.http().post('/api/v1/webhooks/stripe').set('content-type', 'application/json');
    return (signature === undefined ? req : req.set('stripe-signature', signature)).send(body);
  };
  /** A studio subscribed through checkout; `deliver: false` keeps the payment's events for the test to deliver. */
  const subscribed = async (label: string, deliver = true) => {
    const studio = await registerStudio(t, label);
    const { url } = (await checkout(studio).expect(201)).body as { url: string };
    const paid = await fake.pay(sessionIdOf(url), { deliver });
    return { studio, subscriptionId: paid.subscription!.id as string, events: paid.events as StripeFakeEvent[] };
  };

  it('trialing → checkout → paid on the hosted page → signed webhooks → active with its period end; the customer is made once', async () => {
    const a = await registerStudio(t, 'Subscribes');
    expect((await t.http().get('/api/v1/billing').set('cookie', a.cookie).expect(200)).body).toMatchObject({ status: 'trialing', billingAvailable: true, subscribed: false, readOnly: false });

    const first = await checkout(a).expect(201);
    expect(first.body.url).toMatch(new RegExp(`^${fake.url}/checkout/cs_test_`));
    const customerId = (await org(a.organizationId)).stripe_customer_id!;
    expect(customerId).toMatch(/^cus_/);
    expect(fake.state.objects.get(customerId)!.object.metadata).toEqual({ organizationId: a.organizationId });
    // A second click (another tab): the same open session, so the studio can only subscribe once.
    const second = await checkout(a).expect(201);
    expect(second.body.url).toBe(first.body.url);
    expect((await org(a.organizationId)).stripe_customer_id).toBe(customerId);
    const customers = [...fake.state.objects.values()].filter((e) => e.object.object === 'customer' && e.object.metadata.organizationId === a.organizationId);
    expect(customers).toHaveLength(1);
    expect(fake.state.objects.get(sessionIdOf(second.body.url))!.object).toMatchObject({ mode: 'subscription', customer: customerId, client_reference_id: a.organizationId });

    const before = fake.deliveries.length;
    const landed = await payOnHostedPage(second.body.url);
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toMatch(/\/settings\/subscription\?checkout=success$/);
    const delivered = fake.deliveries.slice(before);
    expect(delivered.map((d) => [d.type, d.endpoint, d.status])).toEqual([
      ['customer.subscription.created', 'platform', 200],
      ['invoice.paid', 'platform', 200],
      ['checkout.session.completed', 'platform', 200],
    ]);

    const row = await org(a.organizationId);
    const subscription = [...fake.state.objects.values()].find((e) => e.object.object === 'subscription' && e.object.customer === customerId)!.object;
    expect(row).toMatchObject({ subscription_status: 'active', stripe_subscription_id: subscription.id, past_due_since: null });
    expect(row.current_period_end!.getTime()).toBe(subscription.items.data[0].current_period_end * 1000);
    expect(await recordedEvents(delivered.map((d) => d.eventId))).toBe(3);
    const billing = (await t.http().get('/api/v1/billing').set('cookie', a.cookie).expect(200)).body;
    expect(billing).toMatchObject({ status: 'active', subscribed: true, readOnly: false, readOnlyFrom: null, currentPeriodEnd: row.current_period_end!.toISOString() });

    // Subscribed: a second subscription is refused; the portal is the way to manage it.
    const again = await checkout(a).expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body.type).toMatch(/already-subscribed$/);
    const portal = await t.http().post('/api/v1/billing/portal').set('cookie', a.cookie).expect(201);
    expect(portal.body.url).toMatch(new RegExp(`^${fake.url}/billing_portal/bps_`));
  });

  it('concurrent first clicks make one customer and one checkout session (one click at a time, the others 409 checkout-in-progress)', async () => {
    const studio = await registerStudio(t, 'Double click');
    const answers = await Promise.all([0, 1, 2].map(() => checkout(studio)));
    const made = answers.filter((r) => r.status === 201);
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const r of answers.filter((x) => x.status !== 201)) expect([r.status, r.body.type]).toEqual([409, 'https://rsm.dev/problems/checkout-in-progress']);
    const customers = [...fake.state.objects.values()].filter((e) => e.object.object === 'customer' && e.object.metadata.organizationId === studio.organizationId);
    expect(customers.map((e) => e.object.id)).toEqual([(await org(studio.organizationId)).stripe_customer_id]);
    const later = await checkout(studio).expect(201);
    expect(new Set([...made, later].map((r) => r.body.url)).size).toBe(1);
    const sessions = [...fake.state.objects.values()].filter((e) => e.object.object === 'checkout.session' && e.object.customer === customers[0].object.id);
    expect(sessions).toHaveLength(1);
  });

  it('a subscription Stripe has but whose webhook has not arrived yet is enough to refuse a second checkout; an expired session is replaced', async () => {
    const studio = await registerStudio(t, 'Webhook late');
    const { url } = (await checkout(studio).expect(201)).body as { url: string };
    await fake.pay(sessionIdOf(url), { deliver: false });
    expect((await org(studio.organizationId)).stripe_subscription_id).toBeNull();
    expect((await checkout(studio).expect(409)).body.type).toMatch(/already-subscribed$/);

    const other = await registerStudio(t, 'Session expired');
    const first = (await checkout(other).expect(201)).body.url as string;
    const stripe = new (await import('stripe')).default('sk_test_rsm_e2e', { host: '127.0.0.1', port: Number(new URL(fake.url).port), protocol: 'http' });
    await stripe.checkout.sessions.expire(sessionIdOf(first));
    const next = (await checkout(other).expect(201)).body.url as string;
    expect(next).not.toBe(first);
  });

  it('past due beyond grace: writes 402, reads 200 with nothing hidden, the portal still answers; paying there makes the studio writable again', async () => {
    const { studio, subscriptionId } = await subscribed('Lapses');
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Kept band' }).expect(201);

    await fake.pastDue(subscriptionId);
    const lapsed = await org(studio.organizationId);
    expect(lapsed.subscription_status).toBe('past_due');
    expect(lapsed.past_due_since).not.toBeNull();
    const refused = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Refused band' });
    expect(refused.status).toBe(402);
    expect(refused.body.type).toMatch(/subscription-past-due$/);
    expect((await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200)).body.items.map((c: { name: string }) => c.name)).toEqual(['Kept band']);
    expect((await t.http().get('/api/v1/billing').set('cookie', studio.cookie).expect(200)).body).toMatchObject({ status: 'past_due', readOnly: true });

    // The way out works while read-only: the portal, and its "Pay the overdue invoice".
    const { url } = (await t.http().post('/api/v1/billing/portal').set('cookie', studio.cookie).expect(201)).body as { url: string };
    const page = await (await fetch(url)).text();
    const pay = /action="([^"]+\/pay)"/.exec(page)![1];
    expect((await fetch(new URL(pay, url), { method: 'POST', redirect: 'manual' })).status).toBe(303);
    expect(await org(studio.organizationId)).toMatchObject({ subscription_status: 'active', past_due_since: null });
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Paid band' }).expect(201);
  });

  it('a read-only studio (trial ended) can still start a checkout, and subscribing makes it writable', async () => {
    const studio = await registerStudio(t, 'Trial over');
    await t.control.query(`UPDATE organizations SET current_period_end = now() - interval '1 day' WHERE id = $1`, [studio.organizationId]);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Refused' }).expect(402);
    const { url } = (await checkout(studio).expect(201)).body as { url: string };
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Still refused' }).expect(402); // returning from the page proves nothing: the webhook does
    await payOnHostedPage(url);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Subscribed' }).expect(201);
  });

  it('keeps past_due_since from the first failure while it stays past due, and clears it on leaving', async () => {
    const { studio, subscriptionId } = await subscribed('Stays late');
    await fake.pastDue(subscriptionId);
    await t.control.query(`UPDATE organizations SET past_due_since = '2030-01-01T00:00:00Z' WHERE id = $1`, [studio.organizationId]);
    const stale = fake.state.objects.get(subscriptionId)!.object;
    await fake.sendEvent({ type: 'customer.subscription.updated', object: stale });
    expect((await org(studio.organizationId)).past_due_since!.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    await fake.payOverdue(subscriptionId);
    expect((await org(studio.organizationId)).past_due_since).toBeNull();
  });

  it('the same events 3× and out of order, and a stale copy → the state Stripe has now, each event recorded once', async () => {
    const { studio, subscriptionId, events: created } = await subscribed('Out of order', false);
    const failed = (await fake.pastDue(subscriptionId, { deliver: false })).events;
    const repaid = (await fake.payOverdue(subscriptionId, { deliver: false })).events;
    const all = [...created, ...failed, ...repaid];
    // Newest first, the newest three times at once, then everything again.
    const reversed = [...all].reverse();
    expect((await Promise.all([0, 1, 2].map(() => fake.deliver(reversed[0].id)))).map((d) => d.status)).toEqual([200, 200, 200]);
    for (const event of reversed) expect((await fake.deliver(event.id)).status).toBe(200);
    for (const event of all) expect((await fake.deliver(event.id)).status).toBe(200);
    expect(await org(studio.organizationId)).toMatchObject({ subscription_status: 'active', stripe_subscription_id: subscriptionId, past_due_since: null });
    expect(await recordedEvents(all.map((e) => e.id))).toBe(all.length);

    // Stripe now says past due; an event still carrying "active" arrives late: the re-read wins.
    await fake.pastDue(subscriptionId, { deliver: false });
    const stale = { ...fake.state.objects.get(subscriptionId)!.object, status: 'active' };
    await fake.sendEvent({ type: 'customer.subscription.updated', object: stale });
    expect((await org(studio.organizationId)).subscription_status).toBe('past_due');
  });

  it("an event naming studio A's customer never touches studio B, whatever its metadata says; unknown customers are ignored", async () => {
    const a = await subscribed('Customer A');
    const b = await subscribed('Customer B');
    const bBefore = await org(b.studio.organizationId);
    await fake.pastDue(a.subscriptionId, { deliver: false });
    const forged = { ...fake.state.objects.get(a.subscriptionId)!.object, metadata: { organizationId: b.studio.organizationId } };
    const { delivery } = await fake.sendEvent({ type: 'customer.subscription.updated', object: forged });
    expect(delivery!.status).toBe(200);
    expect((await org(a.studio.organizationId)).subscription_status).toBe('past_due');
    expect(await org(b.studio.organizationId)).toEqual(bBefore);

    // A customer of no studio: recorded, nothing else.
    const stranger = { id: 'sub_stranger', object: 'subscription', customer: 'cus_stranger', status: 'canceled', items: { data: [] } };
    const ignored = await fake.sendEvent({ type: 'customer.subscription.deleted', object: stranger });
    expect(ignored.delivery!.status).toBe(200);
    expect(await recordedEvents([ignored.event.id])).toBe(1);
    expect(await org(b.studio.organizationId)).toEqual(bBefore);
  });

  it('binds a customer from the first checkout only when the customer Stripe has was made for that studio', async () => {
    const c = await registerStudio(t, 'Bind C');
    const d = await registerStudio(t, 'Bind D');
    const stripeApi = (path: string, form: Record<string, string>) =>
      fetch(`${fake.url}/v1/${path}`, { method: 'POST', headers: { authorization: 'Bearer sk_test_rsm_e2e', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }).then(
        (r) => r.json() as Promise<{ id: string; url: string }>,
      );
    const sessionFor = async (customerMetadataOrg: string, claimed: string) => {
      const customer = await stripeApi('customers', { 'metadata[organizationId]': customerMetadataOrg });
      return stripeApi('checkout/sessions', {
        mode: 'subscription', customer: customer.id, 'line_items[0][price]': 'price_studio_monthly', 'line_items[0][quantity]': '1',
        client_reference_id: claimed, success_url: 'http://127.0.0.1/ok',
      });
    };
    // The customer's own metadata (set by the platform when it made it) names C: C is bound and active.
    const good = await fake.pay((await sessionFor(c.organizationId, c.organizationId)).id);
    expect(good.deliveries.map((x) => x.status)).toEqual([200, 200, 200]);
    expect(await org(c.organizationId)).toMatchObject({ subscription_status: 'active', stripe_customer_id: good.session.customer });
    // A session claiming D for a customer made for someone else: refused, D untouched.
    const forged = await fake.pay((await sessionFor('00000000-0000-4000-8000-000000000000', d.organizationId)).id);
    expect(forged.deliveries.at(-1)!.status).toBe(400);
    expect(await org(d.organizationId)).toMatchObject({ subscription_status: 'trialing', stripe_customer_id: null, stripe_subscription_id: null });
    expect(await recordedEvents([forged.events.at(-1)!.id])).toBe(0);
  });

  it('a missing or bad signature → 400 problem, nothing written; the same bytes correctly signed are applied', async () => {
    const { studio, subscriptionId } = await subscribed('Signed');
    const [, updated] = (await fake.pastDue(subscriptionId, { deliver: false })).events;
    const body = JSON.stringify(updated, null, 2);
    const before = await org(studio.organizationId);
    const refusals = [
      await postPlatform(body),
      await postPlatform(body, 't=1,v1=deadbeef'),
      await postPlatform(body, signatureHeader(body, 'whsec_someone_else')),
      await postPlatform(body.replace('"past_due"', '"active"'), signatureHeader(body, PLATFORM_SECRET)),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await org(studio.organizationId)).toEqual(before);
    expect(await recordedEvents([updated.id])).toBe(0);
    await postPlatform(body, signatureHeader(body, PLATFORM_SECRET)).expect(200);
    expect((await org(studio.organizationId)).subscription_status).toBe('past_due');
  });

  it('only the owner: admin, engineer and viewer get 403 and nothing is made; checkout acts on the caller\'s studio whatever names another', async () => {
    const owner = await registerStudio(t, 'Owner only');
    const other = await registerStudio(t, 'Named instead');
    for (const role of ['admin', 'engineer', 'viewer'] as const) {
      const member = await addMemberWithSession(t, owner.organizationId, role);
      for (const path of ['/api/v1/billing/checkout', '/api/v1/billing/portal']) {
        const res = await t.http().post(path).set('cookie', member.cookie).send({});
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect((await org(owner.organizationId)).stripe_customer_id).toBeNull();
    await t.http().post(`/api/v1/billing/checkout?organizationId=${other.organizationId}&tenant=${other.organizationId}`)
      .set('cookie', owner.cookie).set('x-tenant-id', other.organizationId).set('x-organization-id', other.organizationId).expect(201);
    expect((await org(owner.organizationId)).stripe_customer_id).toMatch(/^cus_/);
    expect((await org(other.organizationId)).stripe_customer_id).toBeNull();
  });

  it('bad input and missing prerequisites → problem+json, nothing written', async () => {
    const studio = await registerStudio(t, 'Bad input');
    const malformed = await checkout(studio).set('content-type', 'application/json').send('{"not json');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    const noCustomer = await t.http().post('/api/v1/billing/portal').set('cookie', studio.cookie).send({});
    expect(noCustomer.status).toBe(409);
    expect(noCustomer.body.type).toMatch(/no-billing-customer$/);
    expect((await org(studio.organizationId)).stripe_customer_id).toBeNull();

    // No price configured (or no key): online billing is off, and the page is told so.
    const off = await createTestApp({ STRIPE_SECRET_KEY: 'sk_test_rsm_e2e', STRIPE_API_BASE: fake.url });
    try {
      const s = await registerStudio(off, 'No price');
      for (const path of ['/api/v1/billing/checkout', '/api/v1/billing/portal']) {
        const res = await off.http().post(path).set('cookie', s.cookie).send({});
        expect(res.status).toBe(409);
        expect(res.body.type).toMatch(/online-billing-off$/);
      }
      expect((await off.http().get('/api/v1/billing').set('cookie', s.cookie).expect(200)).body.billingAvailable).toBe(false);
      expect((await off.control.query(`SELECT stripe_customer_id FROM organizations WHERE id = $1`, [s.organizationId])).rows[0].stripe_customer_id).toBeNull();
    } finally {
      await off.close();
    }
  });
});
