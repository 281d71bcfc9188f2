import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { finalize, moneyRows, taxRate } from './support/invoice-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11: an invoice from sessions reads like a label-ready invoice (date and times in the studio's
 * time zone, room, engineers, track titles), is priced as bookings' billableSummaries prices it, deducts
 * the deposits of those bookings, and never bills a session twice.
 */
describe('invoices from bookings', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;
  let roomId: string;
  let vat20: string;
  let ana: string;
  let bo: string;
  let projectId: string;
  let mic: string;
  let amp: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'From bookings');
    await s.db.query(`UPDATE studio_settings SET time_zone = 'Europe/Paris'`);
    clientId = await s.client('Velvet Owls');
    roomId = await s.room({ hourlyRateMinor: 5000 });
    await s.db.query(`UPDATE rooms SET name = 'Studio A' WHERE id = $1`, [roomId]);
    vat20 = await taxRate(s.db, { ratePercent: '20' });
    ana = await s.member('engineer');
    bo = await s.member('engineer');
    await t.control.query(`UPDATE users SET name = 'Bo' WHERE id = $1`, [bo]);
    await t.control.query(`UPDATE users SET name = 'Ana' WHERE id = $1`, [ana]);
    projectId = (await s.api.post('/api/v1/projects').send({ clientId, title: 'Night LP', type: 'album' }).expect(201)).body.id;
    for (const title of ['Song 1', 'Song 2']) await s.api.post(`/api/v1/projects/${projectId}/tracks`).send({ title }).expect(201);
    mic = await s.equipment({ rateMinor: 1500, rateUnit: 'session' });
    amp = await s.equipment({ rateMinor: 300, rateUnit: 'hour' });
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  let slot = 0;
  const book = async (extra: Record<string, unknown> = {}, hours = 4) => {
    const start = 24 * 70 + 24 * slot++; // one per day from mid-March 2030 (UTC hours after 2030-01-07)
    const res = await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'Tracking', startsAt: at(start + 9), endsAt: at(start + 9 + hours), ...extra });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; startsAt: string };
  };

  it('one room line per session with date, times (studio time zone), room, engineers and tracks; equipment lines; amounts as billableSummaries', async () => {
    const b = await book({ engineerIds: [bo, ana], equipmentIds: [mic, amp], projectId });
    const summary = (await s.api.get(`/api/v1/bookings/${b.id}/summary`).expect(200)).body;
    const res = await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id], taxRateId: vat20 }).expect(201);
    const inv = res.body;
    const day = new Date(b.startsAt).getUTCDate();
    expect(inv.lines[0]).toMatchObject({ kind: 'room', bookingId: b.id, description: `${day} Mar 2030, 10:00\u201314:00 \u00b7 Studio A \u00b7 Engineers: Ana, Bo \u00b7 Tracks: Song 1, Song 2`, quantity: '4', unit: 'hour', unitPriceMinor: 5000, netMinor: 20000, taxRatePercent: '20' });
    expect(inv.lines.slice(1).map((l: { kind: string; netMinor: number }) => [l.kind, l.netMinor])).toEqual(
      expect.arrayContaining([
        ['equipment', 1500],
        ['equipment', 1200],
      ]),
    );
    expect(inv.lines.map((l: { netMinor: number }) => l.netMinor).sort()).toEqual(summary.lines.map((l: { amountMinor: number }) => l.amountMinor).sort());
    expect(inv).toMatchObject({ status: 'draft', client: { id: clientId, name: 'Velvet Owls' }, projectId, subtotalMinor: summary.totalMinor, taxMinor: summary.totalMinor / 5, currency: 'EUR' });
  });

  it('hours that do not make an exact price bill the summary\u2019s amount as one session', async () => {
    const b = await book({}, 4 / 3); // 1 h 20 min: 1.3333 h × 5000 = 6667 (billableSummaries), not 1.33 × 5000
    const inv = (await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id], taxRateId: null }).expect(201)).body;
    expect(inv.lines[0]).toMatchObject({ quantity: '1', unit: 'session', unitPriceMinor: 6667, netMinor: 6667 });
    expect(inv.totalMinor).toBe(6667);
  });

  it('a session is billed once: 409 booking-already-invoiced while its invoice is not void, nothing written', async () => {
    const b = await book();
    const first = (await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id] }).expect(201)).body;
    const before = await moneyRows(s.db);
    const again = await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id] }).expect(409);
    expect(again.body.type).toMatch(/booking-already-invoiced$/);
    // Concurrent requests for one session: exactly one wins (the bookings are locked).
    const c = await book();
    const raced = await Promise.all([1, 2, 3].map(() => s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [c.id] }).then((r) => r.status)));
    expect(raced.sort()).toEqual([201, 409, 409]);
    expect((await moneyRows(s.db)).invoices).toBe((before.invoices as number) + 1);
    // Voided, the session can be invoiced again.
    const issued = await finalize(s, first.id);
    await s.api.post(`/api/v1/invoices/${issued.id}/void`).send({ reason: 'Redo' }).expect(200);
    await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id] }).expect(201);
  });

  it('a line by hand that names an invoiced session is refused the same way (409, nothing written), on create, PATCH and concurrently', async () => {
    const b = await book();
    const manualLine = { description: 'Session by hand', quantity: '1', unitPriceMinor: 1000, taxRateId: null, bookingId: b.id };
    const first = (await s.api.post('/api/v1/invoices').send({ clientId, lines: [manualLine] }).expect(201)).body;
    const before = await moneyRows(s.db);
    const byHand = await s.api.post('/api/v1/invoices').send({ clientId, lines: [manualLine] }).expect(409);
    expect(byHand.body.type).toMatch(/booking-already-invoiced$/);
    expect((await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id] }).expect(409)).body.type).toMatch(/booking-already-invoiced$/);
    const other = (await s.api.post('/api/v1/invoices').send({ clientId, lines: [{ ...manualLine, bookingId: null }] }).expect(201)).body;
    const afterOther = await moneyRows(s.db);
    expect((await s.api.patch(`/api/v1/invoices/${other.id}`).send({ lines: [manualLine] }).expect(409)).body.type).toMatch(/booking-already-invoiced$/);
    expect(await moneyRows(s.db)).toEqual(afterOther);
    // The invoice holding it may change its own lines (room and equipment lines of one session).
    await s.api.patch(`/api/v1/invoices/${first.id}`).send({ lines: [manualLine, { ...manualLine, description: 'Mic' }] }).expect(200);
    expect((before.invoices as number) + 1).toBe(afterOther.invoices);
    // Concurrent: by hand and from sessions for one fresh session, exactly one wins.
    const c = await book();
    const raced = await Promise.all([
      s.api.post('/api/v1/invoices').send({ clientId, lines: [{ ...manualLine, bookingId: c.id }] }),
      s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [c.id] }),
      s.api.post('/api/v1/invoices').send({ clientId, lines: [{ ...manualLine, bookingId: c.id }] }),
    ]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const onC = await s.db.query(`SELECT count(DISTINCT invoice_id)::int AS n FROM invoice_lines WHERE booking_id = $1`, [c.id]);
    expect(onC.rows[0].n).toBe(1);
  });

  it('refuses bookings of different currencies or clients, cancelled ones and unknown tax rates (400), writing nothing', async () => {
    const eur = await book();
    const usdRoom = await s.room({ hourlyRateMinor: 4000 });
    await s.db.query(`UPDATE rooms SET currency = 'USD' WHERE id = $1`, [usdRoom]);
    const usd = await book({ roomId: usdRoom });
    const otherClient = await book({ clientId: await s.client('Someone else') });
    const cancelled = await book();
    await s.api.post(`/api/v1/bookings/${cancelled.id}/cancel`).send({ reason: 'ill' }).expect((r) => expect([200, 201]).toContain(r.status));
    const cases: Array<[string, Record<string, unknown>]> = [
      ['currency', { bookingIds: [eur.id, usd.id] }],
      ['client', { bookingIds: [eur.id, otherClient.id] }],
      ['cancelled', { bookingIds: [cancelled.id] }],
      ['tax rate', { bookingIds: [eur.id], taxRateId: '00000000-0000-4000-8000-000000000000' }],
      ['not a uuid', { bookingIds: ['nope'] }],
    ];
    for (const [name, body] of cases) {
      const before = await moneyRows(s.db);
      const res = await s.api.post('/api/v1/invoices/from-bookings').send(body);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect({ name, rows: await moneyRows(s.db) }).toEqual({ name, rows: before });
    }
    // A deposit in another currency than its booking.
    const before = await moneyRows(s.db);
    await s.api.post('/api/v1/invoices/deposits').send({ clientId, bookingId: eur.id, amountMinor: 100, currency: 'USD' }).expect(400);
    expect(await moneyRows(s.db)).toEqual(before);
  });

  it('deposits of the sessions are deducted automatically: the final invoice lists the full service and deducts each deposit\u2019s net and tax', async () => {
    const b = await book({ projectId });
    const deposit = (await s.api.post('/api/v1/invoices/deposits').send({ clientId, bookingId: b.id, percent: '30', taxRateId: vat20 }).expect(201)).body;
    expect(deposit).toMatchObject({ kind: 'deposit', bookingId: b.id, subtotalMinor: 6000, taxMinor: 1200, totalMinor: 7200 });
    expect(deposit.lines[0].description).toMatch(/^Deposit for Tracking \(\d+ Mar 2030\), 30 %$/);
    const issuedDeposit = await finalize(s, deposit.id);
    const inv = (await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [b.id], taxRateId: vat20 }).expect(201)).body;
    expect(inv.deposits).toEqual([{ depositInvoiceId: deposit.id, number: issuedDeposit.number, issueDate: issuedDeposit.issueDate, ratePercent: '20', netMinor: 6000, taxMinor: 1200, grossMinor: 7200 }]);
    const final = await finalize(s, inv.id);
    expect(final).toMatchObject({ subtotalMinor: 20000, taxMinor: 4000, totalMinor: 24000, depositsMinor: 7200, amountDueMinor: 24000 - 7200, balanceMinor: 16800 });
  });

  it('a room billed by day rate: "(day rate)" in the description, quantity in started days, the day rate as unit price', async () => {
    // 300.00 a day or 50.00 an hour: 10 h (500.00) and 30 h (1500.00) bill cheaper by the day, 2 h (100.00) by the hour.
    const dayRoom = await s.room({ hourlyRateMinor: 5000, dayRateMinor: 30000 });
    await s.db.query(`UPDATE rooms SET name = 'Studio D' WHERE id = $1`, [dayRoom]);
    // In time order, the 30-hour session last: it runs into the next day's slot.
    const oneDay = await book({ roomId: dayRoom }, 10);
    const short = await book({ roomId: dayRoom }, 2);
    const twoDays = await book({ roomId: dayRoom }, 30);
    expect((await s.api.get(`/api/v1/bookings/${oneDay.id}/summary`).expect(200)).body.lines[0]).toMatchObject({ unit: 'day', quantity: 1, unitPriceMinor: 30000, amountMinor: 30000 });
    const inv = (await s.api.post('/api/v1/invoices/from-bookings').send({ bookingIds: [oneDay.id, short.id, twoDays.id], taxRateId: vat20 }).expect(201)).body;
    const [dayLine, hourLine, twoDayLine] = inv.lines;
    const day = new Date(oneDay.startsAt).getUTCDate();
    expect(dayLine).toMatchObject({ kind: 'room', bookingId: oneDay.id, description: `${day} Mar 2030, 10:00\u201320:00 \u00b7 Studio D (day rate)`, quantity: '1', unit: 'day', unitPriceMinor: 30000, netMinor: 30000, taxMinor: 6000, grossMinor: 36000 });
    // 30 hours are two started days; the session runs over midnight, so its end names its own date (its hours
    // depend on the day the slot lands on, which may be after the switch to summer time: only their shape is checked).
    expect(twoDayLine).toMatchObject({ kind: 'room', bookingId: twoDays.id, quantity: '2', unit: 'day', unitPriceMinor: 30000, netMinor: 60000, taxMinor: 12000, grossMinor: 72000 });
    expect(twoDayLine.description).toMatch(/^\d+ Mar 2030, \d\d:00\u2013\d+ (Mar|Apr) 2030, \d\d:00 \u00b7 Studio D \(day rate\)$/);
    // The same room for a short session is billed by the hour, without the day-rate mark.
    expect(hourLine).toMatchObject({ kind: 'room', bookingId: short.id, quantity: '2', unit: 'hour', unitPriceMinor: 5000, netMinor: 10000 });
    expect(hourLine.description).not.toContain('day rate');
    expect(inv).toMatchObject({ subtotalMinor: 100000, taxMinor: 20000, totalMinor: 120000 });
  });
});
