import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { draft, finalize, line, moneyRows } from './support/invoice-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11, numbering: numbers are assigned in the finalizing transaction (numbering.ts), so concurrent
 * finalizations get consecutive numbers with no gap and no duplicate, and a finalization that fails after
 * taking its number rolls it back with everything else.
 */
describe('invoice numbering: gapless under concurrency', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Numbering');
    clientId = await s.client('Numbered band');
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  const seq = (n: string) => Number(n.split('-').pop());

  it('50 concurrent finalizations → 50 distinct consecutive numbers, no gap, no duplicate', async () => {
    const drafts = [];
    for (let i = 0; i < 50; i++) drafts.push(await draft(s, { clientId, lines: [line({ unitPriceMinor: 100 + i })] }));
    const results = await Promise.all(drafts.map((d) => s.api.post(`/api/v1/invoices/${d.id}/finalize`).send({ issueDate: '2020-03-01' }).then((r) => r)));
    for (const r of results) expect(r.status).toBe(200);
    const numbers = results.map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(50);
    for (const n of numbers) expect(n).toMatch(/^INV-2020-\d{4}$/);
    expect(numbers.map(seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const stored = (await s.db.query(`SELECT number FROM invoices WHERE number LIKE 'INV-2020-%' ORDER BY number`)).rows.map((r) => r.number);
    expect(stored).toEqual([...numbers].sort());
    expect((await s.db.query(`SELECT last_value FROM document_sequences WHERE kind = 'invoice' AND period = '2020'`)).rows[0].last_value).toBe(50);
  });

  it('a finalization that fails after taking its number (the unique number index refuses it) consumes no number', async () => {
    const first = await finalize(s, (await draft(s, { clientId, lines: [line()] })).id, { issueDate: '2021-05-01' });
    expect(first.number).toBe('INV-2021-0001');
    const note = (await s.api.post(`/api/v1/invoices/${first.id}/credit-notes`).send({ lines: [line({ unitPriceMinor: 100 })] }).expect(201)).body;
    // A format change makes credit notes render like invoices: the credit note's number would clash.
    await s.db.query(`UPDATE billing_settings SET credit_note_number_format = 'INV-{YYYY}-{seq:4}'`);
    const before = await moneyRows(s.db);
    const clash = await s.api.post(`/api/v1/invoices/${note.id}/finalize`).send({ issueDate: '2021-05-02' }).expect(409);
    expect(clash.body.type).toMatch(/number-format-clash$/);
    expect(await moneyRows(s.db)).toEqual(before); // the credit-note sequence did not move, the draft is untouched
    expect((await s.db.query(`SELECT count(*)::int AS n FROM document_sequences WHERE kind = 'credit_note' AND period = '2021'`)).rows[0].n).toBe(0);
    await s.db.query(`UPDATE billing_settings SET credit_note_number_format = 'CN-{YYYY}-{seq:4}'`);
    expect((await finalize(s, note.id, { issueDate: '2021-05-02' })).number).toBe('CN-2021-0001');
    // An empty invoice is refused before it takes a number; the next invoice gets 0002.
    const empty = await draft(s, { clientId, lines: [] });
    await s.api.post(`/api/v1/invoices/${empty.id}/finalize`).send({ issueDate: '2021-05-03' }).expect(409);
    expect((await finalize(s, (await draft(s, { clientId, lines: [line()] })).id, { issueDate: '2021-05-03' })).number).toBe('INV-2021-0002');
  });

  it('numbers restart every year with a yearly reset, run on with none, and follow the format', async () => {
    const issue = async (issueDate: string) => (await finalize(s, (await draft(s, { clientId, lines: [line()] })).id, { issueDate })).number as string;
    expect(await issue('2022-12-31')).toBe('INV-2022-0001');
    expect(await issue('2023-01-01')).toBe('INV-2023-0001');
    expect(await issue('2022-12-31')).toBe('INV-2022-0002'); // each year has its own sequence
    await s.db.query(`UPDATE billing_settings SET invoice_number_format = 'F{YY}{MM}/{seq:6}', number_reset = 'never'`);
    expect(await issue('2024-02-10')).toBe('F2402/000001');
    expect(await issue('2025-07-01')).toBe('F2507/000002');
    await s.db.query(`UPDATE billing_settings SET invoice_number_format = 'INV-{YYYY}-{seq:4}', number_reset = 'yearly'`);
  });

  it('issue dates follow the numbers within a sequence, and are never in the future: 409/400, no number consumed', async () => {
    const issue = async (issueDate: string) => s.api.post(`/api/v1/invoices/${(await draft(s, { clientId, lines: [line()] })).id}/finalize`).send({ issueDate });
    expect((await issue('2019-06-10')).body.number).toBe('INV-2019-0001');
    const before = await moneyRows(s.db);
    const earlier = await issue('2019-06-09');
    expect([earlier.status, earlier.body.type]).toEqual([409, 'https://rsm.dev/problems/issue-date-out-of-sequence']);
    const future = await issue('2999-01-01');
    expect([future.status, future.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['issueDate']]);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await issue(tomorrow)).status).toBe(400);
    // Nothing written by the refusals but their drafts: the sequence did not move.
    const after = await moneyRows(s.db);
    expect([after.sequenceValues, after.document_sequences]).toEqual([before.sequenceValues, before.document_sequences]);
    // The same day, or a later one, takes the next number; a credit note's sequence is its own.
    expect((await issue('2019-06-10')).body.number).toBe('INV-2019-0002');
    expect((await issue('2019-07-01')).body.number).toBe('INV-2019-0003');
    const first = (await s.api.get(`/api/v1/invoices?q=INV-2019-0001`).expect(200)).body.items[0];
    const note = (await s.api.post(`/api/v1/invoices/${first.id}/credit-notes`).send({ lines: [line({ unitPriceMinor: 10 })] }).expect(201)).body;
    expect((await finalize(s, note.id, { issueDate: '2019-06-15' })).number).toBe('CN-2019-0001');
  });

  it('due date = issue date + payment terms unless set; bill-to is frozen at finalization', async () => {
    await s.db.query(`UPDATE billing_settings SET payment_terms_days = 14`);
    const c = (await s.api.post('/api/v1/clients').send({ name: 'Before', billingAddress: 'Old street' }).expect(201)).body.id;
    const inv = await finalize(s, (await draft(s, { clientId: c, lines: [line()] })).id, { issueDate: '2026-02-20' });
    expect(inv).toMatchObject({ issueDate: '2026-02-20', dueDate: '2026-03-06', billTo: { name: 'Before', address: 'Old street' } });
    await s.api.patch(`/api/v1/clients/${c}`).send({ name: 'After', billingAddress: 'New street' }).expect(200);
    expect((await s.api.get(`/api/v1/invoices/${inv.id}`).expect(200)).body.billTo).toMatchObject({ name: 'Before', address: 'Old street' });
    const own = await finalize(s, (await draft(s, { clientId: c, lines: [line()], dueDate: '2026-12-24' })).id, { issueDate: '2026-02-20' });
    expect(own).toMatchObject({ dueDate: '2026-12-24', billTo: { name: 'After', address: 'New street' } });
    const outbox = await s.db.query(`SELECT type FROM outbox WHERE subject_id = $1`, [inv.id]);
    expect(outbox.rows.map((r) => r.type)).toEqual(['invoice.finalized']);
  });
});
