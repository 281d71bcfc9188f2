import type pg from 'pg';
import { insertInvoiceOf, moneyCounts } from './support/money-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 11, settlements: split payment. Shares sum exactly to the balance (equal split or custom
 * amounts), a payment naming a share counts toward it and may not exceed its open amount, the invoice is
 * paid when every share is, and the split is frozen once money arrived on any share.
 */
describe('split payments (shares)', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Shares');
    db = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const split = (invoiceId: string, body: Record<string, unknown>) => t.http().put(`/api/v1/invoices/${invoiceId}/shares`).set('cookie', studio.cookie).send(body);
  const pay = (invoiceId: string, shareId: string | undefined, amountMinor: number) =>
    t.http().post(`/api/v1/invoices/${invoiceId}/payments`).set('cookie', studio.cookie).send({ amountMinor, method: 'cash', receivedOn: '2026-03-05', ...(shareId ? { shareId } : {}) });
  const status = async (id: string) => (await db.query(`SELECT status, balance_minor::int AS balance FROM invoices WHERE id = $1`, [id])).rows[0];

  it('an equal split of 1000 in 3 is 334, 333, 333: summing to the balance', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const res = await split(invoice.id, { equal: { count: 3, payers: [{ payerName: 'Ana', payerEmail: 'ana@band.test' }, { payerName: 'Bo' }, { payerName: 'Cy' }] } }).expect(200);
    expect(res.body.items.map((s: { amountMinor: number }) => s.amountMinor)).toEqual([334, 333, 333]);
    expect(res.body.items[0]).toMatchObject({ position: 1, payerName: 'Ana', payerEmail: 'ana@band.test', paidMinor: 0, paid: false, checkoutAvailable: false });
    const defaults = await split(invoice.id, { equal: { count: 4 } }).expect(200); // replaces the split while nothing is paid
    expect(defaults.body.items.map((s: { payerName: string; amountMinor: number }) => [s.payerName, s.amountMinor])).toEqual([
      ['Payer 1', 250], ['Payer 2', 250], ['Payer 3', 250], ['Payer 4', 250],
    ]);
    expect((await db.query(`SELECT count(*)::int AS n FROM invoice_shares WHERE invoice_id = $1`, [invoice.id])).rows[0].n).toBe(4);
  });

  it('custom amounts must sum exactly to the balance', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const before = await moneyCounts(db);
    const short = await split(invoice.id, { shares: [{ payerName: 'Ana', amountMinor: 400 }, { payerName: 'Bo', amountMinor: 500 }] }).expect(400);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['shares']);
    await split(invoice.id, { shares: [{ payerName: 'Ana', amountMinor: 400 }, { payerName: 'Bo', amountMinor: 700 }] }).expect(400);
    expect(await moneyCounts(db)).toEqual(before);
    const ok = await split(invoice.id, { shares: [{ payerName: 'Ana', amountMinor: 400 }, { payerName: 'Bo', amountMinor: 600 }] }).expect(200);
    expect(ok.body.items.map((s: { amountMinor: number }) => s.amountMinor)).toEqual([400, 600]);
  });

  it('paying a share beyond its open amount is a 409; the invoice is paid when every share is', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const shares = (await split(invoice.id, { equal: { count: 3 } }).expect(200)).body.items as Array<{ id: string; amountMinor: number }>;
    const before = await moneyCounts(db);
    expect((await pay(invoice.id, shares[1].id, 334).expect(409)).body.type).toBe('https://rsm.dev/problems/overpayment');
    expect(await moneyCounts(db)).toEqual(before);
    // Without naming a share, a payment on a split invoice is refused (each share must account for it).
    expect((await pay(invoice.id, undefined, 100).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['shareId']);

    await pay(invoice.id, shares[0].id, 334).expect(201);
    await pay(invoice.id, shares[1].id, 300).expect(201);
    expect(await status(invoice.id)).toEqual({ status: 'partially_paid', balance: 366 });
    await pay(invoice.id, shares[1].id, 33).expect(201);
    expect(await status(invoice.id)).toEqual({ status: 'partially_paid', balance: 333 });
    await pay(invoice.id, shares[2].id, 333).expect(201);
    expect(await status(invoice.id)).toEqual({ status: 'paid', balance: 0 });
    const paid = await db.query(`SELECT paid_minor::int AS paid, amount_minor::int AS amount FROM invoice_shares WHERE invoice_id = $1 ORDER BY position`, [invoice.id]);
    expect(paid.rows).toEqual([{ paid: 334, amount: 334 }, { paid: 333, amount: 333 }, { paid: 333, amount: 333 }]);
  });

  it('a credit note re-splits what is still open over the open shares (in proportion), paid shares untouched, in its own transaction', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const shares = (await split(invoice.id, { shares: [{ payerName: 'Ana', amountMinor: 200 }, { payerName: 'Bo', amountMinor: 500 }, { payerName: 'Cy', amountMinor: 300 }] }).expect(200)).body.items as Array<{ id: string }>;
    await pay(invoice.id, shares[0].id, 200).expect(201);
    await pay(invoice.id, shares[1].id, 100).expect(201);
    // Open: Bo 400, Cy 300 = balance 700. A credit note of 350 leaves 350: Bo 200 open, Cy 150.
    const note = (await t.http().post(`/api/v1/invoices/${invoice.id}/credit-notes`).set('cookie', studio.cookie).send({ lines: [{ description: 'Goodwill', quantity: '1', unitPriceMinor: 350, taxRateId: null }] }).expect(201)).body;
    await t.http().post(`/api/v1/invoices/${note.id}/finalize`).set('cookie', studio.cookie).send({}).expect(200);
    const rows = async () => (await db.query(`SELECT payer_name AS name, amount_minor::int AS amount, paid_minor::int AS paid FROM invoice_shares WHERE invoice_id = $1 ORDER BY position`, [invoice.id])).rows;
    expect(await rows()).toEqual([{ name: 'Ana', amount: 200, paid: 200 }, { name: 'Bo', amount: 300, paid: 100 }, { name: 'Cy', amount: 150, paid: 0 }]);
    expect(await status(invoice.id)).toEqual({ status: 'partially_paid', balance: 350 });
    // Paying the shares' new amounts pays the invoice.
    await pay(invoice.id, shares[1].id, 200).expect(201);
    await pay(invoice.id, shares[2].id, 150).expect(201);
    expect(await status(invoice.id)).toEqual({ status: 'paid', balance: 0 });
    // A credit note that covers all that is open closes the split: an unpaid share with nothing left is removed.
    const other = await insertInvoiceOf(db, 900);
    const three = (await split(other.id, { equal: { count: 3 } }).expect(200)).body.items as Array<{ id: string }>;
    await pay(other.id, three[0].id, 300).expect(201);
    const full = (await t.http().post(`/api/v1/invoices/${other.id}/credit-notes`).set('cookie', studio.cookie).send({ lines: [{ description: 'Cancelled', quantity: '1', unitPriceMinor: 600, taxRateId: null }] }).expect(201)).body;
    await t.http().post(`/api/v1/invoices/${full.id}/finalize`).set('cookie', studio.cookie).send({}).expect(200);
    expect((await db.query(`SELECT amount_minor::int AS amount, paid_minor::int AS paid FROM invoice_shares WHERE invoice_id = $1 ORDER BY position`, [other.id])).rows).toEqual([{ amount: 300, paid: 300 }]);
    expect(await status(other.id)).toEqual({ status: 'paid', balance: 0 });
  });

  it('money coming back (a payment made before the split removed) goes onto the shares still open; a fully paid split re-opens evenly', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const before = (await pay(invoice.id, undefined, 400).expect(201)).body as { id: string };
    const shares = (await split(invoice.id, { equal: { count: 2 } }).expect(200)).body.items as Array<{ id: string }>;
    await pay(invoice.id, shares[0].id, 300).expect(201);
    await t.http().delete(`/api/v1/payments/${before.id}`).set('cookie', studio.cookie).expect(204);
    const rows = async (id: string) => (await db.query(`SELECT amount_minor::int AS amount, paid_minor::int AS paid FROM invoice_shares WHERE invoice_id = $1 ORDER BY position`, [id])).rows;
    expect(await rows(invoice.id)).toEqual([{ amount: 300, paid: 300 }, { amount: 700, paid: 0 }]);
    expect(await status(invoice.id)).toEqual({ status: 'partially_paid', balance: 700 });

    const settled = await insertInvoiceOf(db, 600);
    const early = (await pay(settled.id, undefined, 200).expect(201)).body as { id: string };
    const two = (await split(settled.id, { equal: { count: 2 } }).expect(200)).body.items as Array<{ id: string }>;
    await pay(settled.id, two[0].id, 200).expect(201);
    await pay(settled.id, two[1].id, 200).expect(201);
    await t.http().delete(`/api/v1/payments/${early.id}`).set('cookie', studio.cookie).expect(204);
    expect(await rows(settled.id)).toEqual([{ amount: 300, paid: 200 }, { amount: 300, paid: 200 }]);
    expect(await status(settled.id)).toEqual({ status: 'partially_paid', balance: 200 });
  });

  it('a share of another invoice is a 400 naming shareId', async () => {
    const a = await insertInvoiceOf(db, 1000);
    const b = await insertInvoiceOf(db, 1000);
    const shareOfB = (await split(b.id, { equal: { count: 2 } }).expect(200)).body.items[0].id as string;
    await split(a.id, { equal: { count: 2 } }).expect(200);
    const res = await pay(a.id, shareOfB, 100).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['shareId']);
  });

  it('once a share is paid the split is locked (409 shares-locked on PUT and DELETE); deleting that payment unlocks it', async () => {
    const invoice = await insertInvoiceOf(db, 900);
    const shares = (await split(invoice.id, { equal: { count: 3 } }).expect(200)).body.items as Array<{ id: string }>;
    const payment = (await pay(invoice.id, shares[0].id, 100).expect(201)).body as { id: string };
    const before = await moneyCounts(db);
    expect((await split(invoice.id, { equal: { count: 2 } }).expect(409)).body.type).toBe('https://rsm.dev/problems/shares-locked');
    expect((await t.http().delete(`/api/v1/invoices/${invoice.id}/shares`).set('cookie', studio.cookie).expect(409)).body.type).toBe('https://rsm.dev/problems/shares-locked');
    expect(await moneyCounts(db)).toEqual(before);
    await t.http().delete(`/api/v1/payments/${payment.id}`).set('cookie', studio.cookie).expect(204);
    expect((await db.query(`SELECT paid_minor::int AS paid FROM invoice_shares WHERE id = $1`, [shares[0].id])).rows[0].paid).toBe(0);
    await t.http().delete(`/api/v1/invoices/${invoice.id}/shares`).set('cookie', studio.cookie).expect(204);
    expect((await db.query(`SELECT count(*)::int AS n FROM invoice_shares WHERE invoice_id = $1`, [invoice.id])).rows[0].n).toBe(0);
    await pay(invoice.id, undefined, 900).expect(201); // no split any more: a plain payment settles it
    expect(await status(invoice.id)).toEqual({ status: 'paid', balance: 0 });
  });

  it('bad splits are 400s naming the field, unpayable invoices 409, unknown ones 404, and none writes anything', async () => {
    const invoice = await insertInvoiceOf(db, 5);
    const draft = await insertInvoiceOf(db, 1000, { status: 'draft' });
    const before = await moneyCounts(db);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'equal'],
      [{ equal: { count: 2 }, shares: [{ payerName: 'A', amountMinor: 2 }, { payerName: 'B', amountMinor: 3 }] }, 'equal'],
      [{ equal: { count: 1 } }, 'equal.count'],
      [{ equal: { count: 21 } }, 'equal.count'],
      [{ equal: { count: 6 } }, 'equal.count'], // more shares than minor units of the balance
      [{ equal: { count: 2, payers: [{ payerName: 'Only one' }] } }, 'equal.payers'],
      [{ equal: { count: 2, payers: [{ payerName: '' }, { payerName: 'B' }] } }, 'equal.payers.0.payerName'],
      [{ shares: [{ payerName: 'A', amountMinor: 5 }] }, 'shares'],
      [{ shares: [{ payerName: 'A', amountMinor: 0 }, { payerName: 'B', amountMinor: 5 }] }, 'shares.0.amountMinor'],
      [{ shares: [{ payerName: 'A', amountMinor: 2, payerEmail: 'nope' }, { payerName: 'B', amountMinor: 3 }] }, 'shares.0.payerEmail'],
    ];
    for (const [body, field] of cases) {
      const res = await split(invoice.id, body);
      expect([JSON.stringify(body), res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([JSON.stringify(body), 400, [field]]);
    }
    expect((await split(draft.id, { equal: { count: 2 } }).expect(409)).body.type).toBe('https://rsm.dev/problems/invoice-not-payable');
    await split('00000000-0000-4000-8000-000000000000', { equal: { count: 2 } }).expect(404);
    await t.http().delete('/api/v1/invoices/00000000-0000-4000-8000-000000000000/shares').set('cookie', studio.cookie).expect(404);
    expect(await moneyCounts(db)).toEqual(before);
  });
});
