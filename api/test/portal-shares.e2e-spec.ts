import type pg from 'pg';
import { insertPortalAccount, insertPortalSession, slugOf } from './support/portal-fixtures.js';
import { connectStripe, connectTenantDatabase, createStripeTestApp, insertShares, payOnHostedPage } from './support/stripe-fixtures.js';
import { registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 12, portalquotes: paying one's own share of a split invoice from the portal, through the staff
 * share checkout on the local Stripe server, its signed webhook marking the share paid. A portal account
 * pays the share whose payer email is its own; another payer's share is a 403 and starts nothing.
 */
describe('portal: paying my share of a split invoice', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;

  beforeAll(async () => {
    ({ t, close } = await createStripeTestApp());
    studio = await registerStudio(t, 'Split Shares');
    db = await connectTenantDatabase(t, studio.organizationId);
    await connectStripe(t, studio.cookie);
  });
  afterAll(async () => {
    await db.end();
    await close();
  });

  /** An issued invoice of `clientId` split in two: member1@example.com's share and member2@example.com's. */
  async function splitInvoice(clientId: string) {
    const id = (await t.http().post('/api/v1/invoices').set('cookie', studio.cookie).send({ clientId, lines: [{ description: 'Tracking day', quantity: '1', unitPriceMinor: 40_000 }] }).expect(201)).body.id as string;
    await t.http().post(`/api/v1/invoices/${id}/finalize`).set('cookie', studio.cookie).send({}).expect(200);
    const balance = (await t.http().get(`/api/v1/invoices/${id}`).set('cookie', studio.cookie).expect(200)).body.balanceMinor as number;
    const [first, second] = await insertShares(db, id, [balance - 10_000, 10_000]);
    return { id, balance, first, second };
  }

  it('the invoice lists its shares with their state; I pay mine on Stripe; the webhook marks it paid for the portal and staff', async () => {
    // The account's address is written differently from the share's: compared as normalized.
    const { accountId, clientId } = await insertPortalAccount(db, { clientName: 'Split Band', email: 'member1@example.com' });
    const cookie = await insertPortalSession(db, studio.organizationId, accountId);
    const invoice = await splitInvoice(clientId);
    await db.query(`UPDATE invoice_shares SET payer_email = 'Member1@Example.com' WHERE id = $1`, [invoice.first]);
    const detail = (await t.http().get(`/api/v1/portal/invoices/${invoice.id}`).set('cookie', cookie).expect(200)).body;
    expect(detail.shares).toEqual([
      { id: invoice.first, position: 1, payerName: 'Member 1', amountMinor: invoice.balance - 10_000, paidMinor: 0, paid: false, mine: true },
      { id: invoice.second, position: 2, payerName: 'Member 2', amountMinor: 10_000, paidMinor: 0, paid: false, mine: false },
    ]);
    expect(JSON.stringify(detail)).not.toContain('member2@example.com');

    const checkout = (await t.http().post(`/api/v1/portal/invoices/${invoice.id}/shares/${invoice.first}/checkout`).set('cookie', cookie).send().expect(201)).body;
    expect(checkout.amountMinor).toBe(invoice.balance - 10_000);
    // The staff link for the same share hands out the same open session.
    const staffLink = (await t.http().post(`/api/v1/invoices/${invoice.id}/checkout`).set('cookie', studio.cookie).send({ shareId: invoice.first }).expect(201)).body;
    expect(staffLink.sessionId).toBe(checkout.sessionId);

    const paid = await payOnHostedPage(checkout.url);
    expect(paid.status).toBe(303);
    const slug = await slugOf(t, studio.organizationId);
    expect(new URL(paid.headers.get('location')!).pathname).toBe(`/portal/${slug}/invoices/${invoice.id}`);
    const after = (await t.http().get(`/api/v1/portal/invoices/${invoice.id}`).set('cookie', cookie).expect(200)).body;
    expect(after).toMatchObject({ status: 'partially_paid', balanceMinor: 10_000 });
    expect(after.shares.map((s: { paid: boolean }) => s.paid)).toEqual([true, false]);
    expect((await t.http().get(`/api/v1/invoices/${invoice.id}`).set('cookie', studio.cookie).expect(200)).body).toMatchObject({ status: 'partially_paid', balanceMinor: 10_000 });
    // Paid: nothing left to pay on my share.
    expect((await t.http().post(`/api/v1/portal/invoices/${invoice.id}/shares/${invoice.first}/checkout`).set('cookie', cookie).send().expect(409)).body.type).toBe('https://rsm.dev/problems/invoice-not-payable');
    // Staff see the payment in the client's portal activity.
    const activity = (await t.http().get(`/api/v1/clients/${clientId}/portal-activity`).set('cookie', studio.cookie).expect(200)).body.items;
    expect(activity.map((a: { kind: string }) => a.kind)).toEqual(['payment.received', 'stripe.checkout_created']);
    expect(activity[0]).toMatchObject({ account: null, targetId: invoice.id, amountMinor: invoice.balance - 10_000, currency: 'EUR' });
  });

  it("another payer's share is a 403; another client's invoice, an unknown share and bad ids are 404/400; nothing is started", async () => {
    const me = await insertPortalAccount(db, { clientName: 'Duo', email: 'solo@example.com' });
    const cookie = await insertPortalSession(db, studio.organizationId, me.accountId);
    const mine = await splitInvoice(me.clientId);
    const neighbour = await insertPortalAccount(db, { clientName: 'Neighbours' });
    const theirs = await splitInvoice(neighbour.clientId);
    const pay = (invoiceId: string, shareId: string) => t.http().post(`/api/v1/portal/invoices/${invoiceId}/shares/${shareId}/checkout`).set('cookie', cookie).send();
    const cases: Array<[string, string, number, string]> = [
      [mine.id, mine.first, 403, 'share-not-yours'],
      [mine.id, mine.second, 403, 'share-not-yours'],
      [mine.id, theirs.first, 404, 'not-found'],
      [theirs.id, theirs.first, 404, 'not-found'],
      [mine.id, '00000000-0000-4000-8000-000000000000', 404, 'not-found'],
      ['not-a-uuid', mine.first, 400, 'validation'],
      [mine.id, 'not-a-uuid', 400, 'validation'],
    ];
    for (const [invoiceId, shareId, status, type] of cases) {
      const res = await pay(invoiceId, shareId);
      expect({ invoiceId, shareId, status: res.status, type: res.body.type }).toEqual({ invoiceId, shareId, status, type: `https://rsm.dev/problems/${type}` });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM checkout_sessions WHERE invoice_id IN ($1, $2)`, [mine.id, theirs.id])).rows[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'stripe.checkout_created' AND target_id IN ($1, $2)`, [mine.id, theirs.id])).rows[0].n).toBe(0);
  });
});
