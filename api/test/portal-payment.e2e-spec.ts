import type pg from 'pg';
import { insertPortalAccount, insertPortalSession, portalCookieOf, portalLinkToken, slugOf } from './support/portal-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { connectStripe, connectTenantDatabase, createStripeTestApp, insertShares, payOnHostedPage } from './support/stripe-fixtures.js';
import { registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portal: the Phase 17 flow the old system could never test, end to end over real HTTP, a real
 * SMTP server and the local Stripe server: staff create a client and an invoice → invite the client → the
 * client sets a password through the emailed link → logs in → sees the invoice → pays on the hosted
 * checkout page → Stripe's signed webhook → the invoice is paid, and the portal and staff both see it.
 */
describe('portal: invoice payment flow (Phase 17)', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let sink: SmtpSink;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    ({ t, close } = await createStripeTestApp({ SMTP_URL: sink.url }));
    studio = await registerStudio(t, 'Phase Seventeen');
    db = await connectTenantDatabase(t, studio.organizationId);
    await connectStripe(t, studio.cookie);
  });
  afterAll(async () => {
    await db.end();
    await close();
    await sink.close();
  });

  it('invite → set password → login → see the invoice → pay on Stripe → webhook → paid, for the portal and for staff', async () => {
    const staff = (path: string) => t.http().get(path).set('cookie', studio.cookie);
    // Staff: a client and an issued invoice.
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'The Midnight Owls', email: 'owls@band.test' }).expect(201)).body.id as string;
    const invoice = (await t.http().post('/api/v1/invoices').set('cookie', studio.cookie).send({ clientId: client, lines: [{ description: 'Mixing, 3 songs', quantity: '3', unitPriceMinor: 25_000 }] }).expect(201)).body.id as string;
    await t.http().post(`/api/v1/invoices/${invoice}/finalize`).set('cookie', studio.cookie).send({}).expect(200);
    const issued = (await staff(`/api/v1/invoices/${invoice}`).expect(200)).body as { balanceMinor: number; number: string };
    expect(issued.balanceMinor).toBeGreaterThan(0);

    // Staff invite the band's contact; the email carries the link.
    await t.http().post(`/api/v1/clients/${client}/portal-invites`).set('cookie', studio.cookie).send({ email: 'ana@owls.test', name: 'Ana' }).expect(201);
    const slug = await slugOf(t, studio.organizationId);
    const token = await portalLinkToken(sink, 'ana@owls.test', `/portal/${slug}/accept-invite`);

    // The client sets a password through the link, then logs in with it.
    await t.http().post(`/api/v1/portal/${slug}/auth/accept-invite`).send({ token, password: 'owls at midnight 2031' }).expect(200);
    const login = await t.http().post(`/api/v1/portal/${slug}/auth/login`).send({ email: 'ana@owls.test', password: 'owls at midnight 2031' }).expect(200);
    const cookie = portalCookieOf(login);
    const portal = (path: string) => t.http().get(path).set('cookie', cookie);

    // The portal shows the invoice and what is due.
    const list = (await portal('/api/v1/portal/invoices').expect(200)).body;
    expect(list.items).toEqual([expect.objectContaining({ id: invoice, number: issued.number, status: 'sent', balanceMinor: issued.balanceMinor })]);
    expect(list.balances).toEqual([{ currency: 'EUR', balanceMinor: issued.balanceMinor }]);
    const pdf = await portal(`/api/v1/portal/invoices/${invoice}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    // Pay: a checkout link for the balance, paid on the local Stripe page, whose signed webhooks reach the API.
    const checkout = await t.http().post(`/api/v1/portal/invoices/${invoice}/checkout`).set('cookie', cookie).send({}).expect(201);
    expect(checkout.body.amountMinor).toBe(issued.balanceMinor);
    const paid = await payOnHostedPage(checkout.body.url);
    expect(paid.status).toBe(303);
    expect(new URL(paid.headers.get('location')!).pathname).toBe(`/portal/${slug}/invoices/${invoice}`);

    // Both sides see it paid.
    expect((await portal(`/api/v1/portal/invoices/${invoice}`).expect(200)).body).toMatchObject({ status: 'paid', balanceMinor: 0, paidMinor: issued.balanceMinor, payments: [expect.objectContaining({ method: 'stripe', amountMinor: issued.balanceMinor })] });
    expect((await portal('/api/v1/portal/invoices').expect(200)).body.balances).toEqual([]);
    expect((await staff(`/api/v1/invoices/${invoice}`).expect(200)).body).toMatchObject({ status: 'paid', balanceMinor: 0 });
    // The checkout is on record as the portal account's doing.
    const audit = (await db.query(`SELECT actor_type, actor_label FROM audit_log WHERE action = 'stripe.checkout_created' AND target_id = $1`, [invoice])).rows;
    expect(audit).toEqual([{ actor_type: 'portal-account', actor_label: 'ana@owls.test' }]);
  });

  it('Pay on an invoice split into shares is a 409 invoice-split problem; no session is created', async () => {
    const { accountId, clientId } = await insertPortalAccount(db, { clientName: 'Split Band' });
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const id = (await t.http().post('/api/v1/invoices').set('cookie', studio.cookie).send({ clientId, lines: [{ description: 'Tracking day', quantity: '1', unitPriceMinor: 40_000 }] }).expect(201)).body.id as string;
    await t.http().post(`/api/v1/invoices/${id}/finalize`).set('cookie', studio.cookie).send({}).expect(200);
    const balance = (await t.http().get(`/api/v1/invoices/${id}`).set('cookie', studio.cookie).expect(200)).body.balanceMinor as number;
    await insertShares(db, id, [balance - 10_000, 10_000]);
    const res = await t.http().post(`/api/v1/portal/invoices/${id}/checkout`).set('cookie', cookie).send({}).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('https://rsm.dev/problems/invoice-split');
    expect(JSON.stringify(res.body)).not.toMatch(/shareId/);
    expect((await db.query(`SELECT count(*)::int AS n FROM checkout_sessions WHERE invoice_id = $1`, [id])).rows[0].n).toBe(0);
  });

  it('a staff payment link and the portal Pay button for the same balance share one open Stripe session, in either order', async () => {
    const { accountId, clientId } = await insertPortalAccount(db, { clientName: 'Both Ways Band' });
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const issuedInvoice = async () => {
      const id = (await t.http().post('/api/v1/invoices').set('cookie', studio.cookie).send({ clientId, lines: [{ description: 'Tracking day', quantity: '1', unitPriceMinor: 40_000 }] }).expect(201)).body.id as string;
      await t.http().post(`/api/v1/invoices/${id}/finalize`).set('cookie', studio.cookie).send({}).expect(200);
      return id;
    };
    const staffLink = (id: string) => t.http().post(`/api/v1/invoices/${id}/checkout`).set('cookie', studio.cookie).send({}).expect(201);
    const portalPay = (id: string) => t.http().post(`/api/v1/portal/invoices/${id}/checkout`).set('cookie', cookie).send({}).expect(201);

    const staffFirst = await issuedInvoice();
    const one = (await staffLink(staffFirst)).body;
    expect((await portalPay(staffFirst)).body).toEqual(one);

    const portalFirst = await issuedInvoice();
    const two = (await portalPay(portalFirst)).body;
    expect((await staffLink(portalFirst)).body).toEqual(two);

    for (const id of [staffFirst, portalFirst]) {
      expect((await db.query(`SELECT count(*)::int AS n FROM checkout_sessions WHERE invoice_id = $1`, [id])).rows[0].n).toBe(1);
    }
  });
});
