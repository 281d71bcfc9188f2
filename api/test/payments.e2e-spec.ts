import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { insertClient, insertInvoice, insertInvoiceOf, moneyCounts } from './support/money-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * Issue 11, settlements: manual payments. Each payment settles its invoice in the same transaction;
 * overpayment and unpayable invoices are 409s that write nothing; Idempotency-Key makes a retry (even
 * five at once) record one payment.
 */
describe('manual payments', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Payments');
    db = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const pay = (invoiceId: string, body: Record<string, unknown>, key?: string) => {
    const req = t.http().post(`/api/v1/invoices/${invoiceId}/payments`).set('cookie', studio.cookie);
    return (key ? req.set('idempotency-key', key) : req).send(body);
  };
  const cash = (amountMinor: number, extra: Record<string, unknown> = {}) => ({ amountMinor, method: 'cash', receivedOn: '2026-03-05', ...extra });
  const invoiceRow = async (id: string) =>
    (await db.query(`SELECT status, balance_minor::int AS balance, paid_minor::int AS paid, paid_at FROM invoices WHERE id = $1`, [id])).rows[0] as {
      status: string;
      balance: number;
      paid: number;
      paid_at: Date | null;
    };
  const events = async (id: string) => (await db.query(`SELECT type FROM outbox WHERE subject_id = $1 ORDER BY id`, [id])).rows.map((r) => r.type as string);

  it('a partial payment makes the invoice partially_paid, the rest makes it paid (balance, paidAt, events, audit)', async () => {
    // 2 × 45.00 at 20 % added: 90.00 + 18.00 = 108.00.
    const invoice = await insertInvoice(db, { lines: [{ quantity: '2', unitPriceMinor: 4500, taxRatePercent: '20', taxInclusive: false }] });
    expect(invoice.totalMinor).toBe(10800);
    const first = await pay(invoice.id, cash(4000, { reference: 'till 3' })).expect(201);
    expect(first.body).toMatchObject({ invoiceId: invoice.id, amountMinor: 4000, currency: 'EUR', method: 'cash', receivedOn: '2026-03-05', reference: 'till 3', shareId: null, refundedMinor: 0, disputed: false, recordedBy: studio.userId });
    expect(await invoiceRow(invoice.id)).toEqual({ status: 'partially_paid', balance: 6800, paid: 4000, paid_at: null });
    expect(await events(invoice.id)).toEqual(['payment.recorded']);

    await pay(invoice.id, cash(6800, { method: 'bank_transfer' })).expect(201);
    const paid = await invoiceRow(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', balance: 0, paid: 10800 });
    expect(paid.paid_at).toBeInstanceOf(Date);
    expect(await events(invoice.id)).toEqual(['payment.recorded', 'payment.recorded', 'invoice.paid']);
    const audit = await db.query(`SELECT action, details->>'invoiceId' AS invoice FROM audit_log WHERE action = 'payment.recorded' AND details->>'invoiceId' = $1`, [invoice.id]);
    expect(audit.rows).toHaveLength(2);
  });

  it('the payment and the settlement are one transaction: when settling fails, no payment is left behind', async () => {
    const invoice = await insertInvoiceOf(db, 5000);
    // A superuser connection plants a failure in the settlement's UPDATE of this invoice only.
    const su = new pg.Client({ connectionString: withDatabase(process.env.RSM_TEST_PG_URL!, await tenantDatabaseOf(t, studio.organizationId)) });
    await su.connect();
    try {
      await su.query(`CREATE FUNCTION fail_settle() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'planted settle failure'; END $$`);
      await su.query(`CREATE TRIGGER fail_settle BEFORE UPDATE ON invoices FOR EACH ROW WHEN (NEW.id = '${invoice.id}') EXECUTE FUNCTION fail_settle()`);
      const before = await moneyCounts(db);
      const res = await pay(invoice.id, cash(1000));
      expect(res.status).toBe(500);
      expect(await moneyCounts(db)).toEqual(before);
    } finally {
      await su.query(`DROP TRIGGER IF EXISTS fail_settle ON invoices; DROP FUNCTION IF EXISTS fail_settle()`);
      await su.end();
    }
    await pay(invoice.id, cash(1000)).expect(201);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', balance: 4000 });
  });

  it('overpayment is a 409 and writes nothing', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const before = await moneyCounts(db);
    const res = await pay(invoice.id, cash(1001)).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('https://rsm.dev/problems/overpayment');
    expect(await moneyCounts(db)).toEqual(before);
    // Once paid, anything more is an overpayment too.
    await pay(invoice.id, cash(1000)).expect(201);
    expect((await pay(invoice.id, cash(1)).expect(409)).body.type).toBe('https://rsm.dev/problems/overpayment');
  });

  it('a draft, a void invoice and a credit note take no payment (409 invoice-not-payable, nothing written)', async () => {
    const draft = await insertInvoiceOf(db, 1000, { status: 'draft' });
    const voided = await insertInvoiceOf(db, 1000, { status: 'void' });
    const credited = await insertInvoiceOf(db, 1000);
    const creditNote = await insertInvoiceOf(db, 500, { kind: 'credit_note', creditedInvoiceId: credited.id, clientId: credited.clientId });
    const before = await moneyCounts(db);
    for (const { id } of [draft, voided, creditNote]) {
      const res = await pay(id, cash(100)).expect(409);
      expect(res.body.type).toBe('https://rsm.dev/problems/invoice-not-payable');
    }
    expect(await moneyCounts(db)).toEqual(before);
  });

  it('bad input is a 400 naming the field, an unknown invoice a 404, and neither writes anything', async () => {
    const invoice = await insertInvoiceOf(db, 1000);
    const before = await moneyCounts(db);
    const tomorrowPlusOne = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const cases: Array<[Record<string, unknown>, string]> = [
      [cash(0), 'amountMinor'],
      [cash(-5), 'amountMinor'],
      [cash(1.5), 'amountMinor'],
      [{ ...cash(100), amountMinor: '100' }, 'amountMinor'],
      [cash(10_000_000_000_001), 'amountMinor'],
      [cash(100, { method: 'stripe' }), 'method'],
      [cash(100, { method: 'bitcoin' }), 'method'],
      [cash(100, { receivedOn: '2026-02-30' }), 'receivedOn'],
      [cash(100, { receivedOn: '05/03/2026' }), 'receivedOn'],
      [cash(100, { receivedOn: tomorrowPlusOne }), 'receivedOn'],
      [cash(100, { shareId: 'not-a-uuid' }), 'shareId'],
      [cash(100, { shareId: '00000000-0000-4000-8000-000000000000' }), 'shareId'],
      [cash(100, { reference: 'x'.repeat(201) }), 'reference'],
      [cash(100, { currency: 'USD' }), 'currency'],
    ];
    for (const [body, field] of cases) {
      const res = await pay(invoice.id, body);
      expect([JSON.stringify(body), res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([JSON.stringify(body), 400, [field]]);
    }
    await pay('00000000-0000-4000-8000-000000000000', cash(100)).expect(404);
    await pay('nope', cash(100)).expect(400);
    const other = await registerStudio(t, 'Payments other');
    await t.http().post(`/api/v1/invoices/${invoice.id}/payments`).set('cookie', other.cookie).send(cash(100)).expect(404);
    expect(await moneyCounts(db)).toEqual(before);
  });

  describe('Idempotency-Key', () => {
    it('a retry with the same key returns the first answer and records one payment', async () => {
      const invoice = await insertInvoiceOf(db, 1000);
      const first = await pay(invoice.id, cash(300), 'retry-key-1').expect(201);
      const again = await pay(invoice.id, cash(300), 'retry-key-1').expect(201);
      expect(again.body).toEqual(first.body);
      expect((await db.query(`SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1`, [invoice.id])).rows[0].n).toBe(1);
      expect(await invoiceRow(invoice.id)).toMatchObject({ balance: 700 });
    });

    it('five parallel POSTs with one key: exactly one payment row, the same answer for all', async () => {
      const invoice = await insertInvoiceOf(db, 1000);
      const results = await Promise.all(Array.from({ length: 5 }, () => pay(invoice.id, cash(250), 'parallel-key').then((r) => r)));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect((await db.query(`SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1`, [invoice.id])).rows[0].n).toBe(1);
      expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', balance: 750 });
      expect(await events(invoice.id)).toEqual(['payment.recorded']);
    });

    it('the same key with a different body is a 422 and records nothing', async () => {
      const invoice = await insertInvoiceOf(db, 1000);
      await pay(invoice.id, cash(100), 'reused-key').expect(201);
      const before = await moneyCounts(db);
      const res = await pay(invoice.id, cash(200), 'reused-key').expect(422);
      expect(res.body.type).toBe('https://rsm.dev/problems/idempotency-key-reused');
      expect(await moneyCounts(db)).toEqual(before);
    });

    it('a refused attempt keeps no key: the corrected retry with the same key is recorded', async () => {
      const invoice = await insertInvoiceOf(db, 1000);
      await pay(invoice.id, cash(1500), 'after-409').expect(409);
      expect((await db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'after-409'`)).rows[0].n).toBe(0);
      await pay(invoice.id, cash(1500), 'after-409').expect(409);
    });
  });

  describe('list and delete', () => {
    let client: string;
    let invoiceA: Awaited<ReturnType<typeof insertInvoice>>;
    let invoiceB: Awaited<ReturnType<typeof insertInvoice>>;
    let owner: Awaited<ReturnType<typeof registerStudio>>;
    let ownDb: pg.Client;
    const list = (query = '') => t.http().get(`/api/v1/payments${query}`).set('cookie', owner.cookie);

    beforeAll(async () => {
      owner = await registerStudio(t, 'Payments list');
      ownDb = await connectTenantDatabase(t, owner.organizationId);
      client = await insertClient(ownDb, 'Listed Band');
      invoiceA = await insertInvoiceOf(ownDb, 10_000, { clientId: client });
      invoiceB = await insertInvoiceOf(ownDb, 10_000, { clientId: client });
      const post = (id: string, body: Record<string, unknown>) => t.http().post(`/api/v1/invoices/${id}/payments`).set('cookie', owner.cookie).send(body).expect(201);
      await post(invoiceA.id, cash(100, { receivedOn: '2026-01-10' }));
      await post(invoiceA.id, cash(200, { receivedOn: '2026-02-10', method: 'cheque' }));
      await post(invoiceB.id, cash(300, { receivedOn: '2026-03-10', method: 'bank_transfer' }));
      await post(invoiceB.id, cash(400, { receivedOn: '2026-03-11' }));
    });
    afterAll(async () => {
      await ownDb.end();
    });

    it('lists newest first with invoice number and client name, filters, and pages with a cursor', async () => {
      const all = (await list().expect(200)).body;
      expect(all.items.map((p: { amountMinor: number }) => p.amountMinor)).toEqual([400, 300, 200, 100]);
      expect(all.items[0]).toMatchObject({ invoiceNumber: invoiceB.number, clientName: 'Listed Band', invoiceId: invoiceB.id });
      expect(all.nextCursor).toBeNull();
      const amounts = async (q: string) => (await list(q).expect(200)).body.items.map((p: { amountMinor: number }) => p.amountMinor);
      expect(await amounts('?from=2026-02-01&to=2026-03-10')).toEqual([300, 200]);
      expect(await amounts('?method=cash')).toEqual([400, 100]);
      expect(await amounts(`?invoiceId=${invoiceA.id}`)).toEqual([200, 100]);
      const first = (await list('?limit=3').expect(200)).body;
      expect(first.items).toHaveLength(3);
      const rest = (await list(`?limit=3&cursor=${first.nextCursor}`).expect(200)).body;
      expect(rest.items.map((p: { amountMinor: number }) => p.amountMinor)).toEqual([100]);
      expect(rest.nextCursor).toBeNull();
    });

    it.each([['?from=2026-13-01', 'from'], ['?to=yesterday', 'to'], ['?method=stripey', 'method'], ['?invoiceId=x', 'invoiceId'], ['?limit=0', 'limit'], ['?cursor=garbage', 'cursor'], ['?tenant=x', 'tenant']])(
      'GET /payments%s is a 400 naming %s',
      async (query, field) => {
        const res = await list(query).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      },
    );

    it('deleting a manual payment settles the invoice again and is audited; a Stripe payment is a 409; unknown ids 404', async () => {
      const invoice = await insertInvoiceOf(ownDb, 1000);
      const post = (body: Record<string, unknown>) => t.http().post(`/api/v1/invoices/${invoice.id}/payments`).set('cookie', owner.cookie).send(body).expect(201);
      const a = (await post(cash(400))).body;
      await post(cash(600));
      expect(await ownInvoice(invoice.id)).toMatchObject({ status: 'paid', balance: 0 });
      await t.http().delete(`/api/v1/payments/${a.id}`).set('cookie', owner.cookie).expect(204);
      expect(await ownInvoice(invoice.id)).toEqual({ status: 'partially_paid', balance: 400, paid: 600, paid_at: null });
      expect((await ownDb.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment.deleted' AND target_id = $1`, [a.id])).rows[0].n).toBe(1);
      await t.http().delete(`/api/v1/payments/${a.id}`).set('cookie', owner.cookie).expect(404);

      const { rows } = await ownDb.query(
        `INSERT INTO payments (invoice_id, amount_minor, currency, method, received_on, stripe_payment_intent_id) VALUES ($1, 100, 'EUR', 'stripe', '2026-03-01', 'pi_test') RETURNING id`,
        [invoice.id],
      );
      const before = await moneyCounts(ownDb);
      const res = await t.http().delete(`/api/v1/payments/${rows[0].id}`).set('cookie', owner.cookie).expect(409);
      expect(res.body.type).toBe('https://rsm.dev/problems/payment-not-deletable');
      expect(await moneyCounts(ownDb)).toEqual(before);
      // Another studio's payment is a 404 and stays.
      await t.http().delete(`/api/v1/payments/${rows[0].id}`).set('cookie', studio.cookie).expect(404);
      expect(await moneyCounts(ownDb)).toEqual(before);
    });

    const ownInvoice = async (id: string) =>
      (await ownDb.query(`SELECT status, balance_minor::int AS balance, paid_minor::int AS paid, paid_at FROM invoices WHERE id = $1`, [id])).rows[0];
  });
});
