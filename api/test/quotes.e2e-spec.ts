import { documentTotals, lineTotals, percentOf } from '../src/money/money.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { finalize, line, taxRate } from './support/invoice-fixtures.js';
import { quote, quoteRows, send } from './support/quote-fixtures.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11, quotes: draft → sent (numbered) → accepted (the invoice, or a deposit invoice first) |
 * declined | expired (computed on read), the final invoice deducting the deposit, gapless quote
 * numbers under concurrency, and PATCH under the row lock.
 */
describe('quotes: lifecycle, numbering, accepting into invoices, deposits', () => {
  let t: TestApp;
  let s: BookingStudio;
  let vat20: string;
  let vat55: string;
  let clientId: string;
  const FUTURE = '2099-12-31';

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Quotes');
    vat20 = await taxRate(s.db, { ratePercent: '20', isDefault: true });
    vat55 = await taxRate(s.db, { ratePercent: '5.5' });
    clientId = (await s.api.post('/api/v1/clients').send({ name: 'Owls', email: 'owls@band.test', billingAddress: '1 Rue du Son', taxId: 'FR123' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  it('draft → sent (number, issue date, bill-to) → declined; drafts are listed, read, patched and deleted; sent ones are not', async () => {
    const draft = await quote(s, { clientId, validUntil: FUTURE, notes: 'Album', lines: [line({ taxRateId: vat20 })] });
    expect(draft).toMatchObject({ status: 'draft', number: null, issueDate: null, currency: 'EUR', totalMinor: 12000, subtotalMinor: 10000, taxMinor: 2000, billTo: { name: 'Owls', address: '1 Rue du Son', taxId: 'FR123' }, deposit: null, invoiceId: null });
    const patched = (await s.api.patch(`/api/v1/quotes/${draft.id}`).send({ terms: 'Half upfront', lines: [line({ quantity: '2', taxRateId: vat20 })] }).expect(200)).body;
    expect(patched).toMatchObject({ terms: 'Half upfront', totalMinor: 24000, notes: 'Album' });
    expect((await s.api.get(`/api/v1/quotes/${draft.id}`).expect(200)).body.lines).toHaveLength(1);
    const sent = await send(s, draft.id);
    expect(sent.status).toBe('sent');
    expect(sent.number).toMatch(/^Q-\d{4}-\d{4}$/);
    expect(sent.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const outbox = await s.db.query(`SELECT type FROM outbox WHERE subject_id = $1`, [draft.id]);
    expect(outbox.rows.map((r) => r.type)).toEqual(['quote.sent']);
    expect((await s.api.patch(`/api/v1/quotes/${draft.id}`).send({ notes: 'x' }).expect(409)).body).toMatchObject({
      type: expect.stringMatching(/quote-not-draft$/),
      detail: 'Only a draft quote can be changed, sent or deleted.',
    });
    expect((await s.api.delete(`/api/v1/quotes/${draft.id}`).expect(409)).body.type).toMatch(/quote-not-draft$/);
    expect((await s.api.post(`/api/v1/quotes/${draft.id}/send`).expect(409)).body.type).toMatch(/quote-not-draft$/);
    const declined = (await s.api.post(`/api/v1/quotes/${draft.id}/decline`).send({ reason: 'Too expensive' }).expect(200)).body;
    expect(declined).toMatchObject({ status: 'declined', declineReason: 'Too expensive' });
    expect((await s.api.post(`/api/v1/quotes/${draft.id}/accept`).expect(409)).body.type).toMatch(/quote-not-sent$/);

    const other = (await s.api.post('/api/v1/clients').send({ name: 'Zebra Label', email: 'zebra@label.test' }).expect(201)).body.id;
    const a = await quote(s, { clientId: other, lines: [line()] });
    const b = await quote(s, { clientId: other, lines: [line()] });
    const page = (await s.api.get(`/api/v1/quotes?clientId=${other}&limit=1`).expect(200)).body;
    expect(page).toMatchObject({ total: 2, items: [{ id: b.id, status: 'draft', client: { id: other, name: 'Zebra Label' } }] });
    const next = (await s.api.get(`/api/v1/quotes?clientId=${other}&limit=1&cursor=${page.nextCursor}`).expect(200)).body;
    expect(next.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(next.nextCursor).toBeNull();
    expect((await s.api.get(`/api/v1/quotes?q=zebra&status=draft`).expect(200)).body.total).toBe(2);
    expect((await s.api.get(`/api/v1/quotes?q=${encodeURIComponent(sent.number)}`).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([draft.id]);
    await s.api.delete(`/api/v1/quotes/${a.id}`).expect(204);
    await s.api.get(`/api/v1/quotes/${a.id}`).expect(404);
    expect(Number((await s.db.query(`SELECT count(*) FROM quote_lines WHERE quote_id = $1`, [a.id])).rows[0].count)).toBe(0);
  });

  it('accepting without a deposit creates the invoice draft with the same lines and totals (quote_id set), outbox quote.accepted', async () => {
    const lines = [
      { description: 'Tracking', quantity: '2.5', unit: 'hour', unitPriceMinor: 4999, discountMinor: 13, taxRateId: vat20, kind: 'room' },
      { description: 'Booklet', quantity: '3', unitPriceMinor: 1999, taxRateId: vat55 },
      { description: 'Tip', quantity: '1', unitPriceMinor: 100, taxRateId: null },
    ];
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines })).id);
    const accepted = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    expect(accepted).toMatchObject({ status: 'accepted', invoiceId: expect.any(String) });
    expect(accepted.acceptedAt).toEqual(expect.any(String));
    const invoice = (await s.api.get(`/api/v1/invoices/${accepted.invoiceId}`).expect(200)).body;
    const expected = documentTotals([
      { quantity: '2.5', unitPriceMinor: 4999, discountMinor: 13, taxRatePercent: '20', taxInclusive: false },
      { quantity: '3', unitPriceMinor: 1999, taxRatePercent: '5.5', taxInclusive: false },
      { quantity: '1', unitPriceMinor: 100, taxRatePercent: '0', taxInclusive: false },
    ]);
    expect(invoice).toMatchObject({ kind: 'invoice', status: 'draft', subtotalMinor: expected.subtotalMinor, taxMinor: expected.taxMinor, totalMinor: expected.totalMinor, byRate: expected.byRate });
    expect(invoice.totalMinor).toBe(q.totalMinor);
    const strip = (l: Record<string, unknown>) => ({ ...l, id: undefined });
    expect(invoice.lines.map(strip)).toEqual(q.lines.map(strip));
    expect((await s.db.query(`SELECT quote_id FROM invoices WHERE id = $1`, [invoice.id])).rows[0].quote_id).toBe(q.id);
    const events = (await s.db.query(`SELECT type, payload FROM outbox WHERE subject_id = $1 ORDER BY id`, [q.id])).rows;
    expect(events.map((e) => e.type)).toEqual(['quote.sent', 'quote.accepted']);
    expect(events[1].payload).toMatchObject({ invoiceId: invoice.id, invoiceKind: 'invoice' });
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body.invoices).toEqual([{ id: invoice.id, kind: 'invoice', status: 'draft', number: null, totalMinor: invoice.totalMinor }]);
    expect((await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(409)).body.type).toMatch(/quote-already-accepted$/);
    expect((await s.api.post(`/api/v1/quotes/${q.id}/decline`).send({}).expect(409)).body.type).toMatch(/quote-already-accepted$/);
    expect((await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(409)).body.type).toMatch(/quote-already-invoiced$/);
    // The draft deleted by mistake: the accepted quote gives a new one, and its invoiceId no longer names the deleted draft.
    await s.api.delete(`/api/v1/invoices/${invoice.id}`).expect(204);
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body).toMatchObject({ status: 'accepted', invoiceId: null, invoices: [] });
    const again = (await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(201)).body;
    expect(again).toMatchObject({ kind: 'invoice', totalMinor: q.totalMinor, depositsMinor: 0 });
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body.invoiceId).toBe(again.id);
  });

  it('a 30 % deposit: the deposit invoice is exactly percentOf(total) with its own tax; the final invoice deducts it (amountDue = total − deposit)', async () => {
    const lines = [line({ quantity: '3', unitPriceMinor: 33333, taxRateId: vat20 }), line({ unitPriceMinor: 999, taxRateId: vat55 })];
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines, deposit: { percent: '30' } })).id);
    const depositMinor = percentOf(q.totalMinor, '30');
    expect(q.deposit).toEqual({ percent: '30', amountMinor: null, depositMinor });
    const accepted = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    const deposit = (await s.api.get(`/api/v1/invoices/${accepted.invoiceId}`).expect(200)).body;
    const own = lineTotals({ quantity: '1', unitPriceMinor: depositMinor, taxRatePercent: '20', taxInclusive: true });
    expect(deposit).toMatchObject({ kind: 'deposit', status: 'draft', totalMinor: depositMinor, subtotalMinor: own.netMinor, taxMinor: own.taxMinor });
    expect(deposit.taxMinor).toBeGreaterThan(0);
    expect(deposit.lines).toHaveLength(1);
    expect(deposit.lines[0]).toMatchObject({ kind: 'deposit', taxRateId: vat20, taxRatePercent: '20', grossMinor: depositMinor });
    // Before the deposit invoice is issued there is nothing to deduct.
    expect((await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(409)).body.type).toMatch(/quote-deposit-not-issued$/);
    const issued = await finalize(s, deposit.id);
    const final = (await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(201)).body;
    expect(final).toMatchObject({ kind: 'invoice', status: 'draft', totalMinor: q.totalMinor, depositsMinor: depositMinor, amountDueMinor: q.totalMinor - depositMinor });
    expect(final.deposits).toEqual([{ depositInvoiceId: deposit.id, number: issued.number, issueDate: issued.issueDate, ratePercent: '20', netMinor: own.netMinor, taxMinor: own.taxMinor, grossMinor: depositMinor }]);
    expect(final.lines).toHaveLength(2);
    expect((await s.db.query(`SELECT quote_id FROM invoices WHERE id = $1`, [final.id])).rows[0].quote_id).toBe(q.id);
    const finalIssued = await finalize(s, final.id);
    expect(finalIssued).toMatchObject({ balanceMinor: q.totalMinor - depositMinor, amountDueMinor: q.totalMinor - depositMinor });
    expect((await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(409)).body.type).toMatch(/quote-already-invoiced$/);
  });

  it("the deposit invoice's tax is the rate carrying most of the quote's net (ties: the higher rate), named as on the lines", async () => {
    const depositOf = async (lines: unknown[], deposit: Record<string, unknown>) => {
      const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines, deposit })).id);
      const accepted = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
      return { number: q.number as string, invoice: (await s.api.get(`/api/v1/invoices/${accepted.invoiceId}`).expect(200)).body };
    };
    // The lower rate carries more net, and comes second: neither the first line's rate nor the highest rate.
    const mostNet = await depositOf([line({ unitPriceMinor: 1000, taxRateId: vat20 }), line({ unitPriceMinor: 50000, taxRateId: vat55 })], { percent: '30' });
    expect(mostNet.invoice.lines).toEqual([
      expect.objectContaining({ kind: 'deposit', description: `Deposit for quote ${mostNet.number}, 30 %`, taxRateId: vat55, taxName: 'VAT 5.5', taxRatePercent: '5.5', taxInclusive: true }),
    ]);
    // Equal nets, the lower rate first: the higher rate. A fixed amount: no percentage in the description.
    const tie = await depositOf([line({ taxRateId: vat55 }), line({ taxRateId: vat20 })], { amountMinor: 5000 });
    expect(tie.invoice.lines).toEqual([expect.objectContaining({ description: `Deposit for quote ${tie.number}`, taxRateId: vat20, taxName: 'VAT 20', taxRatePercent: '20' })]);
    expect(tie.invoice.totalMinor).toBe(5000);
  });

  it('a deposit of 100 % is allowed: the deposit invoice is the whole total', async () => {
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line({ taxRateId: vat20 })], deposit: { percent: '100' } })).id);
    expect(q.deposit).toEqual({ percent: '100', amountMinor: null, depositMinor: q.totalMinor });
    const accepted = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    expect((await s.api.get(`/api/v1/invoices/${accepted.invoiceId}`).expect(200)).body).toMatchObject({ kind: 'deposit', totalMinor: q.totalMinor });
  });

  it('a deposit draft deleted (or voided) does not block the final invoice: it bills the whole quote with nothing to deduct', async () => {
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line({ taxRateId: vat20 })], deposit: { amountMinor: 5000 } })).id);
    const accepted = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    await s.api.delete(`/api/v1/invoices/${accepted.invoiceId}`).expect(204);
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body.invoiceId).toBeNull();
    const final = (await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(201)).body;
    expect(final).toMatchObject({ kind: 'invoice', totalMinor: q.totalMinor, depositsMinor: 0, amountDueMinor: q.totalMinor });
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body.invoiceId).toBe(final.id);
    expect((await s.api.post(`/api/v1/quotes/${q.id}/invoice`).expect(409)).body.type).toMatch(/quote-already-invoiced$/);
  });

  it('a fixed deposit amount is the deposit invoice total', async () => {
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line({ taxRateId: vat20 })], deposit: { amountMinor: 5000 } })).id);
    const accepted = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    expect((await s.api.get(`/api/v1/invoices/${accepted.invoiceId}`).expect(200)).body).toMatchObject({ kind: 'deposit', quoteId: q.id, totalMinor: 5000, subtotalMinor: 4167, taxMinor: 833 });
  });

  it("a quote's deposit invoice keeps the amount asked: its lines (or its kind) can't be changed (409 deposit-lines-fixed, nothing written); its notes can", async () => {
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line({ taxRateId: vat20 })], deposit: { amountMinor: 5000 } })).id);
    const { invoiceId } = (await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(200)).body;
    const before = (await s.api.get(`/api/v1/invoices/${invoiceId}`).expect(200)).body;
    // What the editor would send back: the same line, priced by its (exclusive) rate → 6000, not the 5000 asked.
    const sameLine = { description: before.lines[0].description, quantity: '1', unitPriceMinor: 5000, taxRateId: vat20 };
    for (const body of [{ lines: [sameLine] }, { kind: 'invoice' }]) {
      const res = await s.api.patch(`/api/v1/invoices/${invoiceId}`).send(body).expect(409);
      expect(res.body.type).toMatch(/deposit-lines-fixed$/);
    }
    expect((await s.api.get(`/api/v1/invoices/${invoiceId}`).expect(200)).body).toEqual(before);
    const noted = (await s.api.patch(`/api/v1/invoices/${invoiceId}`).send({ notes: 'Paid on booking' }).expect(200)).body;
    expect(noted).toMatchObject({ notes: 'Paid on booking', totalMinor: 5000, kind: 'deposit' });
  });

  it('a sent quote past validUntil reads as expired, is listed as expired, and cannot be accepted (409 quote-expired, nothing written)', async () => {
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line()] })).id);
    // Time passes: the offer's last day is now behind the studio's today.
    await s.db.query(`UPDATE quotes SET valid_until = '2000-01-01' WHERE id = $1`, [q.id]);
    expect((await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body.status).toBe('expired');
    expect((await s.api.get(`/api/v1/quotes?status=expired`).expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(q.id);
    expect((await s.api.get(`/api/v1/quotes?status=sent`).expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(q.id);
    const before = await quoteRows(s.db);
    expect((await s.api.post(`/api/v1/quotes/${q.id}/accept`).expect(409)).body.type).toMatch(/quote-expired$/);
    expect(await quoteRows(s.db)).toEqual(before);
    // The client may still say no.
    expect((await s.api.post(`/api/v1/quotes/${q.id}/decline`).send({}).expect(200)).body.status).toBe('declined');
  });

  it('20 concurrent sends take 20 consecutive quote numbers: no gap, no duplicate, the invoice sequence untouched', async () => {
    const drafts = [];
    for (let i = 0; i < 20; i++) drafts.push(await quote(s, { clientId, validUntil: FUTURE, lines: [line({ unitPriceMinor: 100 + i })] }));
    const seqBefore = (await s.db.query(`SELECT COALESCE(sum(last_value), 0)::int AS v FROM document_sequences WHERE kind = 'quote'`)).rows[0].v as number;
    const invoiceSeq = (await s.db.query(`SELECT COALESCE(sum(last_value), 0)::int AS v FROM document_sequences WHERE kind = 'invoice'`)).rows[0].v as number;
    const results = await Promise.all(drafts.map((d) => s.api.post(`/api/v1/quotes/${d.id}/send`).then((r) => r)));
    for (const r of results) expect(r.status).toBe(200);
    const seqs = results.map((r) => Number(/(\d+)$/.exec(r.body.number as string)![1])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => seqBefore + i + 1));
    expect((await s.db.query(`SELECT COALESCE(sum(last_value), 0)::int AS v FROM document_sequences WHERE kind = 'invoice'`)).rows[0].v).toBe(invoiceSeq);
  });

  it('concurrent PATCHes of different fields, queued on the row lock, all stick', async () => {
    const q = await quote(s, { clientId, lines: [line()] });
    const locker = await connectTenantDatabase(t, s.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM quotes WHERE id = $1 FOR UPDATE', [q.id]);
    const changes = [{ notes: 'Thanks!' }, { terms: 'Net 15' }, { validUntil: '2099-01-31' }, { deposit: { percent: '25' } }, { lines: [line({ quantity: '3' })] }];
    const pending = changes.map((c) => s.api.patch(`/api/v1/quotes/${q.id}`).send(c).then((r) => r));
    await new Promise((r) => setTimeout(r, 300)); // every PATCH now waits on the lock
    await locker.query('COMMIT');
    await locker.end();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    const stored = (await s.api.get(`/api/v1/quotes/${q.id}`).expect(200)).body;
    expect(stored).toMatchObject({ notes: 'Thanks!', terms: 'Net 15', validUntil: '2099-01-31', deposit: { percent: '25' }, totalMinor: 30000 });
  });

  it('two concurrent accepts of one quote create one invoice', async () => {
    const q = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line()] })).id);
    const results = await Promise.all([1, 2, 3].map(() => s.api.post(`/api/v1/quotes/${q.id}/accept`).then((r) => r)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(Number((await s.db.query(`SELECT count(*) FROM invoices WHERE quote_id = $1`, [q.id])).rows[0].count)).toBe(1);
  });
});
