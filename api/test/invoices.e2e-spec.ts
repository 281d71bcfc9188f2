import { documentTotals } from '../src/money/money.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { draft, finalize, line, moneyRows, taxRate } from './support/invoice-fixtures.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11, invoices: drafts (create, read, patch under the row lock, delete, list, preview), stored totals
 * = money.documentTotals of the lines, void, credit notes and their limit, deposits deducted, the
 * client's balance, and bad input on every endpoint refused with a problem and nothing written.
 */
describe('invoices: drafts, totals, void, credit notes, deposits', () => {
  let t: TestApp;
  let s: BookingStudio;
  let vat20: string;
  let vat55: string;
  let incl10: string;
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Invoices');
    vat20 = await taxRate(s.db, { ratePercent: '20', isDefault: true });
    vat55 = await taxRate(s.db, { ratePercent: '5.5' });
    incl10 = await taxRate(s.db, { ratePercent: '10', inclusive: true });
    clientId = (await s.api.post('/api/v1/clients').send({ name: 'Owls', email: 'owls@band.test', billingAddress: '1 Rue du Son\n75001 Paris', taxId: 'FR12345678901' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  it('clients carry billingAddress and taxId, and a draft copies them as billTo', async () => {
    const client = (await s.api.get(`/api/v1/clients/${clientId}`).expect(200)).body;
    expect(client).toMatchObject({ billingAddress: '1 Rue du Son\n75001 Paris', taxId: 'FR12345678901' });
    const inv = await draft(s, { clientId, lines: [line()] });
    expect(inv).toMatchObject({ status: 'draft', number: null, kind: 'invoice', currency: 'EUR', billTo: { name: 'Owls', address: '1 Rue du Son\n75001 Paris', taxId: 'FR12345678901', email: 'owls@band.test' } });
  });

  it('stores totals equal to money.documentTotals of its lines (default rate, explicit rates, inclusive, discount, fractional quantity)', async () => {
    const lines = [
      { description: 'Room', quantity: '3.333', unitPriceMinor: 4999, discountMinor: 17 }, // default rate (20 %)
      { description: 'Book', quantity: '2', unitPriceMinor: 1999, taxRateId: vat55 },
      { description: 'Inclusive', quantity: '1.5', unitPriceMinor: 3333, taxRateId: incl10 },
      { description: 'No tax', quantity: '0.001', unitPriceMinor: 999999, taxRateId: null },
    ];
    const inv = await draft(s, { clientId, lines });
    const expected = documentTotals([
      { quantity: '3.333', unitPriceMinor: 4999, discountMinor: 17, taxRatePercent: '20', taxInclusive: false },
      { quantity: '2', unitPriceMinor: 1999, taxRatePercent: '5.5', taxInclusive: false },
      { quantity: '1.5', unitPriceMinor: 3333, taxRatePercent: '10', taxInclusive: true },
      { quantity: '0.001', unitPriceMinor: 999999, taxRatePercent: '0', taxInclusive: false },
    ]);
    expect(inv).toMatchObject({ subtotalMinor: expected.subtotalMinor, taxMinor: expected.taxMinor, totalMinor: expected.totalMinor, byRate: expected.byRate });
    expect(inv.lines.map((l: { netMinor: number; taxMinor: number; grossMinor: number }) => [l.netMinor, l.taxMinor, l.grossMinor])).toEqual(expected.lines.map((l) => [l.netMinor, l.taxMinor, l.grossMinor]));
    expect(inv.lines[0]).toMatchObject({ taxRateId: vat20, taxRatePercent: '20', taxName: 'VAT 20', quantity: '3.333' });
    const stored = (await s.db.query(`SELECT subtotal_minor, tax_minor, total_minor FROM invoices WHERE id = $1`, [inv.id])).rows[0];
    expect([Number(stored.subtotal_minor), Number(stored.tax_minor), Number(stored.total_minor)]).toEqual([expected.subtotalMinor, expected.taxMinor, expected.totalMinor]);
    // Finalizing recomputes the same figures.
    const issued = await finalize(s, inv.id);
    expect(issued.totalMinor).toBe(expected.totalMinor);
    expect(issued.balanceMinor).toBe(expected.totalMinor);
    // The preview says the same, writing nothing.
    const before = await moneyRows(s.db);
    const preview = await s.api.post('/api/v1/invoices/preview').send({ currency: 'EUR', lines }).expect(200);
    expect(preview.body).toMatchObject({ subtotalMinor: expected.subtotalMinor, taxMinor: expected.taxMinor, totalMinor: expected.totalMinor, amountDueMinor: expected.totalMinor });
    expect(await moneyRows(s.db)).toEqual(before);
  });

  it('get, list (filters, search, cursor), patch and delete a draft; issued documents are not patched or deleted (409)', async () => {
    const other = (await s.api.post('/api/v1/clients').send({ name: 'Zebra Label' }).expect(201)).body.id;
    const a = await draft(s, { clientId: other, lines: [line()] });
    const b = await draft(s, { clientId: other, lines: [line()], poNumber: 'PO-7' });
    const patched = await s.api.patch(`/api/v1/invoices/${a.id}`).send({ poNumber: 'PO-1', lines: [line({ quantity: '2' })] }).expect(200);
    expect(patched.body).toMatchObject({ poNumber: 'PO-1', totalMinor: 20000 });
    const list = await s.api.get(`/api/v1/invoices?clientId=${other}&limit=1`).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const next = await s.api.get(`/api/v1/invoices?clientId=${other}&limit=1&cursor=${list.body.nextCursor}`).expect(200);
    expect(next.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(next.body.nextCursor).toBeNull();
    expect((await s.api.get('/api/v1/invoices?q=zebra').expect(200)).body.total).toBe(2);
    const issued = await finalize(s, a.id);
    expect((await s.api.get(`/api/v1/invoices?q=${issued.number}`).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect((await s.api.get(`/api/v1/invoices?clientId=${other}&status=draft,void`).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const before = await moneyRows(s.db);
    const notDraft = await s.api.patch(`/api/v1/invoices/${a.id}`).send({ poNumber: 'late' }).expect(409);
    expect(notDraft.body.type).toMatch(/invoice-not-draft$/);
    expect((await s.api.delete(`/api/v1/invoices/${a.id}`).expect(409)).body.type).toMatch(/invoice-not-draft$/);
    expect(await moneyRows(s.db)).toEqual(before);
    await s.api.delete(`/api/v1/invoices/${b.id}`).expect(204);
    await s.api.get(`/api/v1/invoices/${b.id}`).expect(404);
  });

  it('refuses bad input on every endpoint with a problem, writing nothing', async () => {
    const inv = await draft(s, { clientId, lines: [line()] });
    const issued = await finalize(s, (await draft(s, { clientId, lines: [line()] })).id);
    const usd = (await s.api.post('/api/v1/clients').send({ name: 'Dollar' }).expect(201)).body.id;
    const usdDeposit = await finalize(s, (await draft(s, { clientId, kind: 'deposit', currency: 'USD', lines: [line()] })).id);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[string, () => import('supertest').Test, number, string]> = [
      ['negative quantity', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line({ quantity: '-1' })] }), 400, 'lines.0.quantity'],
      ['quantity with 4 decimals', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line({ quantity: '1.0001' })] }), 400, 'lines.0.quantity'],
      ['negative price', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line({ unitPriceMinor: -5 })] }), 400, 'lines.0.unitPriceMinor'],
      ['discount larger than the line', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line(), line({ discountMinor: 10001 })] }), 400, 'lines[1]'],
      ['unknown tax rate', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line({ taxRateId: unknown })] }), 400, 'lines[0].taxRateId'],
      ['unknown client', () => s.api.post('/api/v1/invoices').send({ clientId: unknown, lines: [line()] }), 400, 'clientId'],
      ['unknown booking on a line', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line({ bookingId: unknown })] }), 400, 'lines[0].bookingId'],
      ['unknown currency', () => s.api.post('/api/v1/invoices').send({ clientId, currency: 'XYZ', lines: [line()] }), 400, 'currency'],
      ['deposit of another currency', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line()], depositInvoiceIds: [usdDeposit.id] }), 400, 'depositInvoiceIds'],
      ['unknown deposit', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line()], depositInvoiceIds: [unknown] }), 400, 'depositInvoiceIds'],
      ['a plain invoice as deposit', () => s.api.post('/api/v1/invoices').send({ clientId, lines: [line()], depositInvoiceIds: [issued.id] }), 409, 'deposit-not-deductible'],
      ['another client\u2019s deposit', () => s.api.post('/api/v1/invoices').send({ clientId: usd, currency: 'USD', lines: [line()], depositInvoiceIds: [usdDeposit.id] }), 409, 'deposit-not-deductible'],
      ['PATCH negative quantity', () => s.api.patch(`/api/v1/invoices/${inv.id}`).send({ lines: [line({ quantity: '-2' })] }), 400, 'lines.0.quantity'],
      ['PATCH unknown tax rate', () => s.api.patch(`/api/v1/invoices/${inv.id}`).send({ poNumber: 'x', lines: [line({ taxRateId: unknown })] }), 400, 'lines[0].taxRateId'],
      ['PATCH unknown client', () => s.api.patch(`/api/v1/invoices/${inv.id}`).send({ clientId: unknown }), 400, 'clientId'],
      ['PATCH currency mismatch with a deducted deposit', () => s.api.patch(`/api/v1/invoices/${inv.id}`).send({ depositInvoiceIds: [usdDeposit.id] }), 400, 'depositInvoiceIds'],
      ['PATCH of an issued invoice', () => s.api.patch(`/api/v1/invoices/${issued.id}`).send({ notes: 'x' }), 409, 'invoice-not-draft'],
      ['PATCH unknown invoice', () => s.api.patch(`/api/v1/invoices/${unknown}`).send({ notes: 'x' }), 404, 'not-found'],
      ['preview negative quantity', () => s.api.post('/api/v1/invoices/preview').send({ currency: 'EUR', lines: [line({ quantity: '-1' })] }), 400, 'lines.0.quantity'],
      ['preview deposit of another currency', () => s.api.post('/api/v1/invoices/preview').send({ currency: 'EUR', lines: [line()], depositInvoiceIds: [usdDeposit.id] }), 400, 'depositInvoiceIds'],
      ['finalize bad date', () => s.api.post(`/api/v1/invoices/${inv.id}/finalize`).send({ issueDate: '2026-02-30' }), 400, 'issueDate'],
      ['finalize twice', () => s.api.post(`/api/v1/invoices/${issued.id}/finalize`).send({}), 409, 'invoice-not-draft'],
      ['void without reason', () => s.api.post(`/api/v1/invoices/${issued.id}/void`).send({}), 400, 'reason'],
      ['void a draft', () => s.api.post(`/api/v1/invoices/${inv.id}/void`).send({ reason: 'x' }), 409, 'invoice-not-finalized'],
      ['credit a draft', () => s.api.post(`/api/v1/invoices/${inv.id}/credit-notes`).send({ full: true }), 409, 'invoice-not-creditable'],
      ['credit note with a negative line', () => s.api.post(`/api/v1/invoices/${issued.id}/credit-notes`).send({ lines: [line({ quantity: '-1' })] }), 400, 'lines.0.quantity'],
      ['credit note with nothing', () => s.api.post(`/api/v1/invoices/${issued.id}/credit-notes`).send({}), 400, 'lines'],
      ['credit note over the invoice', () => s.api.post(`/api/v1/invoices/${issued.id}/credit-notes`).send({ lines: [line({ unitPriceMinor: 10001 })] }), 409, 'credit-exceeds-invoice'],
      ['deposit of another currency than its booking', () => s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: 100, currency: 'XYZ' }), 400, 'currency'],
      ['deposit with both amount and percent', () => s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: 100, percent: '10' }), 400, 'amountMinor'],
      ['deposit with a negative amount', () => s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: -100 }), 400, 'amountMinor'],
      ['deposit of an unknown client', () => s.api.post('/api/v1/invoices/deposits').send({ clientId: unknown, amountMinor: 100 }), 400, 'clientId'],
      ['deposit of an unknown tax rate', () => s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: 100, taxRateId: unknown }), 400, 'lines[0].taxRateId'],
      ['from unknown bookings', () => s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [unknown] }), 400, 'bookingIds'],
      ['from no bookings', () => s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [] }), 400, 'bookingIds'],
      ['unknown list filter', () => s.api.get('/api/v1/invoices?status=lost'), 400, 'status'],
      ['bad cursor', () => s.api.get('/api/v1/invoices?cursor=abc'), 400, 'cursor'],
      ['balance of an unknown client', () => s.api.get(`/api/v1/clients/${unknown}/balance`), 404, 'not-found'],
    ];
    for (const [name, send, status, what] of cases) {
      const before = await moneyRows(s.db);
      const res = await send();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (status === 400) expect({ name, fields: JSON.stringify(res.body.errors) }).toEqual({ name, fields: expect.stringContaining(what) });
      else expect({ name, type: res.body.type }).toEqual({ name, type: expect.stringMatching(new RegExp(`${what}$`)) });
      expect({ name, rows: await moneyRows(s.db) }).toEqual({ name, rows: before });
    }
  });

  it('an empty draft cannot be issued (409 invoice-empty) and consumes no number', async () => {
    const inv = await draft(s, { clientId, lines: [] });
    const before = await moneyRows(s.db);
    const res = await s.api.post(`/api/v1/invoices/${inv.id}/finalize`).send({}).expect(409);
    expect(res.body.type).toMatch(/invoice-empty$/);
    expect(await moneyRows(s.db)).toEqual(before);
  });

  it('concurrent PATCHes of different fields, queued on the row lock, all stick', async () => {
    const inv = await draft(s, { clientId, lines: [line()] });
    const locker = await connectTenantDatabase(t, s.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM invoices WHERE id = $1 FOR UPDATE', [inv.id]);
    const changes = [{ poNumber: 'PO-42' }, { notes: 'Thanks!' }, { terms: 'Net 15' }, { dueDate: '2031-01-31' }, { lines: [line({ quantity: '3' })] }];
    const pending = changes.map((c) => s.api.patch(`/api/v1/invoices/${inv.id}`).send(c).then((r) => r));
    await new Promise((r) => setTimeout(r, 300)); // every PATCH now waits on the lock
    await locker.query('COMMIT');
    await locker.end();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    const stored = (await s.api.get(`/api/v1/invoices/${inv.id}`).expect(200)).body;
    expect(stored).toMatchObject({ poNumber: 'PO-42', notes: 'Thanks!', terms: 'Net 15', dueDate: '2031-01-31', totalMinor: 30000 });
    expect(stored.lines).toHaveLength(1);
  });

  it('void keeps the number and refuses an invoice with payments (409 invoice-has-payments)', async () => {
    const inv = await finalize(s, (await draft(s, { clientId, lines: [line()] })).id);
    const voided = await s.api.post(`/api/v1/invoices/${inv.id}/void`).send({ reason: 'Wrong client' }).expect(200);
    expect(voided.body).toMatchObject({ status: 'void', number: inv.number, voidReason: 'Wrong client', balanceMinor: 0 });
    const paid = await finalize(s, (await draft(s, { clientId, lines: [line()] })).id);
    await s.db.query(`INSERT INTO payments (invoice_id, amount_minor, currency, method, received_on) VALUES ($1, 500, 'EUR', 'cash', '2030-01-01')`, [paid.id]);
    const before = await moneyRows(s.db);
    expect((await s.api.post(`/api/v1/invoices/${paid.id}/void`).send({ reason: 'x' }).expect(409)).body.type).toMatch(/invoice-has-payments$/);
    expect(await moneyRows(s.db)).toEqual(before);
  });

  it('credit notes: full copy, partial, the limit (total − deposits − already credited), numbered in their own sequence, settling the invoice', async () => {
    const inv = await finalize(s, (await draft(s, { clientId, lines: [line({ quantity: '2' }), line({ description: 'Book', unitPriceMinor: 5000, taxRateId: vat55 })] })).id);
    expect(inv.totalMinor).toBe(20000 + 5275); // line() carries no tax; 5.5 % of 5000 = 275
    const full = (await s.api.post(`/api/v1/invoices/${inv.id}/credit-notes`).send({ full: true, reason: 'Cancelled' }).expect(201)).body;
    expect(full).toMatchObject({ kind: 'credit_note', status: 'draft', creditedInvoice: { id: inv.id, number: inv.number }, totalMinor: inv.totalMinor, notes: 'Cancelled' });
    expect(full.lines).toHaveLength(2);
    await s.api.delete(`/api/v1/invoices/${full.id}`).expect(204);

    const part1 = (await s.api.post(`/api/v1/invoices/${inv.id}/credit-notes`).send({ lines: [line({ description: 'Goodwill', unitPriceMinor: 10000 })] }).expect(201)).body;
    const part2 = (await s.api.post(`/api/v1/invoices/${inv.id}/credit-notes`).send({ lines: [line({ description: 'More goodwill', unitPriceMinor: 10000 })] }).expect(201)).body;
    const issued1 = await finalize(s, part1.id);
    expect(issued1.number).toMatch(/^CN-\d{4}-\d{4}$/);
    const after1 = (await s.api.get(`/api/v1/invoices/${inv.id}`).expect(200)).body;
    expect(after1).toMatchObject({ status: 'sent', creditedMinor: 10000, balanceMinor: inv.totalMinor - 10000, amountDueMinor: inv.totalMinor - 10000 });
    expect(after1.creditNotes).toEqual(expect.arrayContaining([expect.objectContaining({ id: part1.id, number: issued1.number, totalMinor: 10000 })]));
    // After a partial credit note, a full copy is still drafted (the studio lowers its lines there), but cannot be
    // issued over what is left.
    const rest = (await s.api.post(`/api/v1/invoices/${inv.id}/credit-notes`).send({ full: true }).expect(201)).body;
    expect(rest).toMatchObject({ status: 'draft', totalMinor: inv.totalMinor });
    expect((await s.api.post(`/api/v1/invoices/${rest.id}/finalize`).send({}).expect(409)).body.type).toMatch(/credit-exceeds-invoice$/);
    await s.api.delete(`/api/v1/invoices/${rest.id}`).expect(204);
    // Both partial drafts fitted alone; issued together they exceed the invoice: the second is refused, and consumes no number.
    await s.api.patch(`/api/v1/invoices/${part2.id}`).send({ lines: [line({ unitPriceMinor: inv.totalMinor - 10000 + 1 })] }).expect(200);
    const before = await moneyRows(s.db);
    const over = await s.api.post(`/api/v1/invoices/${part2.id}/finalize`).send({}).expect(409);
    expect(over.body.type).toMatch(/credit-exceeds-invoice$/);
    expect(await moneyRows(s.db)).toEqual(before);
    // Exactly the rest is allowed and leaves nothing to pay.
    await s.api.patch(`/api/v1/invoices/${part2.id}`).send({ lines: [line({ unitPriceMinor: inv.totalMinor - 10000 })] }).expect(200);
    await finalize(s, part2.id);
    const settled = (await s.api.get(`/api/v1/invoices/${inv.id}`).expect(200)).body;
    expect(settled).toMatchObject({ status: 'paid', balanceMinor: 0, creditedMinor: inv.totalMinor, amountDueMinor: 0 });
    // Nothing left to credit: not even a draft.
    const nothingLeft = await s.api.post(`/api/v1/invoices/${inv.id}/credit-notes`).send({ full: true }).expect(409);
    expect(nothingLeft.body).toMatchObject({ type: expect.stringMatching(/credit-exceeds-invoice$/), detail: 'Nothing is left to credit on this invoice.' });
    // An issued credit note is not voided.
    expect((await s.api.post(`/api/v1/invoices/${part1.id}/void`).send({ reason: 'x' }).expect(409)).body.type).toMatch(/credit-note-not-voidable$/);
  });

  it('deposits: each deposit\u2019s net and tax deducted per rate on the final invoice; amountDue = total − deposits; a deposit is deducted once', async () => {
    const dep1 = await finalize(s, (await s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: 30000, taxRateId: vat20 }).expect(201)).body.id);
    expect(dep1).toMatchObject({ kind: 'deposit', totalMinor: 36000, lines: [expect.objectContaining({ kind: 'deposit', description: 'Deposit', netMinor: 30000, taxMinor: 6000 })] });
    expect(dep1.number).toMatch(/^INV-/); // deposits share the invoice series
    const dep2 = await finalize(s, (await s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: 11000, taxRateId: incl10 }).expect(201)).body.id);
    expect(dep2).toMatchObject({ totalMinor: 11000, subtotalMinor: 10000, taxMinor: 1000 }); // inclusive: the tax is carved out
    const final = await draft(s, { clientId, lines: [line({ quantity: '10', taxRateId: vat20 })], depositInvoiceIds: [dep1.id, dep2.id] });
    expect(final.deposits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ depositInvoiceId: dep1.id, number: dep1.number, issueDate: dep1.issueDate, ratePercent: '20', netMinor: 30000, taxMinor: 6000, grossMinor: 36000 }),
        expect.objectContaining({ depositInvoiceId: dep2.id, number: dep2.number, ratePercent: '10', netMinor: 10000, taxMinor: 1000, grossMinor: 11000 }),
      ]),
    );
    expect(final).toMatchObject({ totalMinor: 120000, depositsMinor: 47000, amountDueMinor: 73000 }); // the draft says so too
    const issued = await finalize(s, final.id);
    expect(issued).toMatchObject({ totalMinor: 120000, taxMinor: 20000, depositsMinor: 47000, amountDueMinor: 120000 - 47000, balanceMinor: 73000, byRate: [{ ratePercent: '20', netMinor: 100000, taxMinor: 20000 }] });
    // Deducted once: another invoice cannot take it again, and the deposit cannot be voided under it.
    const before = await moneyRows(s.db);
    expect((await s.api.post('/api/v1/invoices').send({ clientId, lines: [line()], depositInvoiceIds: [dep1.id] }).expect(409)).body.type).toMatch(/deposit-not-deductible$/);
    expect((await s.api.post(`/api/v1/invoices/${dep1.id}/void`).send({ reason: 'x' }).expect(409)).body.type).toMatch(/deposit-in-use$/);
    expect(await moneyRows(s.db)).toEqual(before);
    // A credit note may credit at most total − deposits: the full copy is drafted, and refused at finalization
    // (nothing written) until its lines are lowered.
    const copy = (await s.api.post(`/api/v1/invoices/${issued.id}/credit-notes`).send({ full: true }).expect(201)).body;
    expect(copy).toMatchObject({ kind: 'credit_note', status: 'draft', totalMinor: 120000 });
    const beforeCredit = await moneyRows(s.db);
    expect((await s.api.post(`/api/v1/invoices/${copy.id}/finalize`).send({}).expect(409)).body.type).toMatch(/credit-exceeds-invoice$/);
    expect(await moneyRows(s.db)).toEqual(beforeCredit);
  });

  it('a deducted deposit cannot be credited; a credit note keeps its invoice\u2019s client and currency; an invoice with credit notes is not voided', async () => {
    const dep = await finalize(s, (await s.api.post('/api/v1/invoices/deposits').send({ clientId, amountMinor: 10000, taxRateId: null }).expect(201)).body.id);
    // A credit note drafted before the deposit was deducted cannot be issued afterwards either.
    const early = (await s.api.post(`/api/v1/invoices/${dep.id}/credit-notes`).send({ full: true }).expect(201)).body;
    await finalize(s, (await draft(s, { clientId, lines: [line()], depositInvoiceIds: [dep.id] })).id);
    const before = await moneyRows(s.db);
    expect((await s.api.post(`/api/v1/invoices/${dep.id}/credit-notes`).send({ full: true }).expect(409)).body.type).toMatch(/deposit-in-use$/);
    expect((await s.api.post(`/api/v1/invoices/${early.id}/finalize`).send({}).expect(409)).body.type).toMatch(/deposit-in-use$/);
    expect(await moneyRows(s.db)).toEqual(before);

    const invoice = await finalize(s, (await draft(s, { clientId, lines: [line()] })).id);
    const other = (await s.api.post('/api/v1/clients').send({ name: 'Someone else' }).expect(201)).body.id;
    const moved = (await s.api.post(`/api/v1/invoices/${invoice.id}/credit-notes`).send({ lines: [line({ unitPriceMinor: 100 })] }).expect(201)).body;
    await s.api.patch(`/api/v1/invoices/${moved.id}`).send({ clientId: other }).expect(200);
    const yen = (await s.api.post(`/api/v1/invoices/${invoice.id}/credit-notes`).send({ lines: [line({ unitPriceMinor: 100 })] }).expect(201)).body;
    await s.api.patch(`/api/v1/invoices/${yen.id}`).send({ currency: 'JPY' }).expect(200);
    const beforeMismatch = await moneyRows(s.db);
    for (const note of [moved, yen]) expect((await s.api.post(`/api/v1/invoices/${note.id}/finalize`).send({}).expect(409)).body.type).toMatch(/credit-note-mismatch$/);
    expect(await moneyRows(s.db)).toEqual(beforeMismatch);

    const credit = await finalize(s, (await s.api.post(`/api/v1/invoices/${invoice.id}/credit-notes`).send({ lines: [line({ unitPriceMinor: 100 })] }).expect(201)).body.id);
    const beforeVoid = await moneyRows(s.db);
    const refused = await s.api.post(`/api/v1/invoices/${invoice.id}/void`).send({ reason: 'wrong client' }).expect(409);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/invoice-has-credit-notes$/), detail: expect.stringContaining(credit.number) });
    expect(await moneyRows(s.db)).toEqual(beforeVoid);
  });

  it('GET /clients/{id}/balance: outstanding and overdue per currency', async () => {
    const c = (await s.api.post('/api/v1/clients').send({ name: 'Balance band' }).expect(201)).body.id;
    const late = await draft(s, { clientId: c, lines: [line()], dueDate: '2020-01-31' });
    await finalize(s, late.id, { issueDate: '2020-01-01' });
    await finalize(s, (await draft(s, { clientId: c, lines: [line({ unitPriceMinor: 500 })], dueDate: '2099-01-01' })).id);
    await finalize(s, (await draft(s, { clientId: c, currency: 'JPY', lines: [line({ unitPriceMinor: 700, taxRateId: null })], dueDate: '2019-06-30' })).id, { issueDate: '2019-06-01' });
    await draft(s, { clientId: c, lines: [line()] }); // drafts owe nothing
    const res = await s.api.get(`/api/v1/clients/${c}/balance`).expect(200);
    expect(res.body.items).toEqual([
      { currency: 'EUR', outstandingMinor: 10000 + 500, overdueMinor: 10000, oldestOverdueDueDate: '2020-01-31', overdueInvoiceCount: 1 },
      { currency: 'JPY', outstandingMinor: 700, overdueMinor: 700, oldestOverdueDueDate: '2019-06-30', overdueInvoiceCount: 1 },
    ]);
    const overdue = await s.api.get(`/api/v1/invoices?clientId=${c}&overdue=true`).expect(200);
    expect(overdue.body.items.map((i: { overdue: boolean }) => i.overdue)).toEqual([true, true]);
  });
});
