import { reportStudio, seedMoney, type ReportStudio } from './support/report-dataset.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11, reports: receivables (aging), room utilisation across a DST change in Europe/Paris, the
 * CSV forms, range validation, and isolation (another studio's money and sessions are never counted).
 */
describe('GET /reports/receivables and /reports/utilisation', () => {
  let t: TestApp;
  let a: ReportStudio;
  let u: ReportStudio;
  let b: ReportStudio;
  let ids: Awaited<ReturnType<typeof seedMoney>>;
  const rooms: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    a = await reportStudio(t, 'Receivables');
    ids = await seedMoney(a);
    // Utilisation: the week of 2026-03-23 (Paris springs forward on Sunday the 29th: 02:00 → 03:00).
    u = await reportStudio(t, 'Utilisation');
    const client = await u.f.client('Night Shift');
    rooms.live = await u.f.room('A Live');
    rooms.booth = await u.f.room('B Booth', { openingHours: [{ weekday: 7, opens: '10:00', closes: '18:00' }] });
    rooms.old = await u.f.room('C Old', { active: false });
    const session = (roomId: string, startsAt: string, endsAt: string, status = 'completed') => u.f.booking({ clientId: client, roomId, startsAt, endsAt, status });
    await session(rooms.live, '2026-03-23T09:00:00Z', '2026-03-23T13:00:00Z'); // Mon 10:00–14:00: 240 min
    await session(rooms.live, '2026-03-24T09:00:00Z', '2026-03-24T13:00:00Z', 'cancelled'); // not counted
    await session(rooms.live, '2026-03-25T09:00:00Z', '2026-03-25T10:00:00Z', 'no_show'); // not counted
    await session(rooms.live, '2026-03-22T22:00:00Z', '2026-03-23T00:00:00Z'); // Sun 23:00 → Mon 01:00: 60 min inside the range
    await session(rooms.live, '2026-03-29T00:00:00Z', '2026-03-29T02:00:00Z'); // Sun 01:00 → 04:00 on the clock, 120 real minutes
    await session(rooms.live, '2026-03-29T20:00:00Z', '2026-03-30T00:00:00Z'); // Sun 22:00 → Mon 02:00: 120 min inside the range
    await session(rooms.booth, '2026-03-29T08:00:00Z', '2026-03-29T10:00:00Z'); // Sun 10:00–12:00: 120 min
    // Another studio with money and a session in the same ranges.
    b = await reportStudio(t, 'Other studio');
    const bClient = await b.f.client('Other studio client');
    const bRoom = await b.f.room('A Live');
    await b.f.booking({ clientId: bClient, roomId: bRoom, startsAt: '2026-03-24T09:00:00Z', endsAt: '2026-03-24T17:00:00Z' });
    const bInvoice = await b.f.invoice({ clientId: bClient, issueDate: '2026-01-15', dueDate: b.daysAgo(10), lines: [{ quantity: '1', unitPriceMinor: 99999 }] });
    await b.f.payment(bInvoice, 11111, '2026-01-20');
  });
  afterAll(async () => {
    await Promise.all([a.close(), u.close(), b.close()]);
    await t?.close();
  });

  const aging = (currentMinor: number, days1To30Minor: number, days31To60Minor: number, days61To90Minor: number, over90Minor: number) => ({ currentMinor, days1To30Minor, days31To60Minor, days61To90Minor, over90Minor });

  it('receivables: open balances of issued invoices by client, aged by days past due (drafts, void and paid ones left out), per currency', async () => {
    const res = await t.http().get('/api/v1/reports/receivables').set('cookie', a.cookie).expect(200);
    expect(res.body).toEqual({
      asOf: a.daysAgo(0),
      currencies: [
        {
          currency: 'EUR',
          clients: [
            // 50000 due 100 days ago, 1234 due yesterday.
            { clientId: ids.formula, clientName: '=cmd', invoiceCount: 2, outstandingMinor: 51234, overdueMinor: 51234, aging: aging(0, 1234, 0, 0, 50000) },
            // INV1: 19001 − 2400 credited − 14000 paid = 2601, 45 days late; INV2: 9600 − 3600 deposit = 6000, due in 10 days.
            { clientId: ids.owls, clientName: 'Midnight Owls', invoiceCount: 2, outstandingMinor: 8601, overdueMinor: 2601, aging: aging(6000, 0, 2601, 0, 0) },
          ],
          totals: { outstandingMinor: 59835, overdueMinor: 53835, aging: aging(6000, 1234, 2601, 0, 50000) },
        },
        {
          currency: 'USD',
          clients: [{ clientId: ids.kites, clientName: 'Paper Kites', invoiceCount: 1, outstandingMinor: 2000, overdueMinor: 2000, aging: aging(0, 0, 0, 2000, 0) }],
          totals: { outstandingMinor: 2000, overdueMinor: 2000, aging: aging(0, 0, 0, 2000, 0) },
        },
      ],
    });
  });

  it('receivables as CSV: a client named "=cmd" is written as text, never as a formula', async () => {
    const res = await t.http().get('/api/v1/reports/receivables?format=csv').set('cookie', a.cookie).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('\uFEFFcurrency,client_id,client,invoices,outstanding,overdue,current,days_1_30,days_31_60,days_61_90,days_over_90');
    expect(lines[1]).toBe(`EUR,${ids.formula},'=cmd,2,512.34,512.34,0.00,12.34,0.00,0.00,500.00`);
    expect(lines).toContain('EUR,total,Total,4,598.35,538.35,60.00,12.34,26.01,0.00,500.00');
    expect(res.text).not.toMatch(/,=cmd/);
  });

  it('utilisation: booked (not cancelled, not no-show, clipped to the range) against open hours in the studio time zone, across the DST change', async () => {
    const res = await t.http().get('/api/v1/reports/utilisation?from=2026-03-23&to=2026-03-29').set('cookie', u.cookie).expect(200);
    expect(res.body).toEqual({
      from: '2026-03-23',
      to: '2026-03-29',
      timeZone: 'Europe/Paris',
      rooms: [
        // Open: Mon–Sat 6 × 10 h + Sunday 00:00–24:00, 23 h that day = 83 h. Booked: 240 + 60 + 120 + 120 min.
        { roomId: rooms.live, roomName: 'A Live', bookedMinutes: 540, openMinutes: 4980, ratio: 0.1084 },
        // Its own hours: Sunday 10:00–18:00 only.
        { roomId: rooms.booth, roomName: 'B Booth', bookedMinutes: 120, openMinutes: 480, ratio: 0.25 },
      ],
    });
    // The week the clocks go back (Sunday 2026-10-25): that Sunday is 25 h long.
    const autumn = await t.http().get('/api/v1/reports/utilisation?from=2026-10-19&to=2026-10-25').set('cookie', u.cookie).expect(200);
    expect(autumn.body.rooms.map((r: { openMinutes: number }) => r.openMinutes)).toEqual([6 * 600 + 25 * 60, 480]);
  });

  it('utilisation as CSV: hours with two decimals and the ratio', async () => {
    const res = await t.http().get('/api/v1/reports/utilisation?from=2026-03-23&to=2026-03-29&format=csv').set('cookie', u.cookie).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="utilisation-2026-03-23-2026-03-29.csv"');
    expect(res.text.split('\r\n')).toEqual([
      '\uFEFFroom_id,room,booked_hours,open_hours,ratio',
      `${rooms.live},A Live,9.00,83.00,0.1084`,
      `${rooms.booth},B Booth,2.00,8.00,0.2500`,
      '',
    ]);
  });

  it("another studio's invoices, payments and sessions are never counted, and its reports hold only its own", async () => {
    const revenue = await t.http().get('/api/v1/reports/revenue?from=2026-01-01&to=2026-01-31').set('cookie', a.cookie).expect(200);
    expect(revenue.body.currencies[0]).toMatchObject({ currency: 'EUR', totals: { invoicedNetMinor: 19001, paidMinor: 13600 } });
    const theirs = await t.http().get('/api/v1/reports/revenue?from=2026-01-01&to=2026-01-31').set('cookie', b.cookie).expect(200);
    expect(theirs.body.currencies).toEqual([{ currency: 'EUR', rows: [{ key: '2026-01', label: '2026-01', invoicedNetMinor: 99999, paidMinor: 11111 }], totals: { invoicedNetMinor: 99999, paidMinor: 11111 } }]);
    const receivables = await t.http().get('/api/v1/reports/receivables').set('cookie', b.cookie).expect(200);
    expect(receivables.body.currencies.map((c: { clients: Array<{ clientName: string }> }) => c.clients.map((x) => x.clientName))).toEqual([['Other studio client']]);
    const utilisation = await t.http().get('/api/v1/reports/utilisation?from=2026-03-23&to=2026-03-29').set('cookie', b.cookie).expect(200);
    expect(utilisation.body.rooms.map((r: { bookedMinutes: number }) => r.bookedMinutes)).toEqual([480]);
  });

  it.each([
    ['revenue?from=2026-02-01&to=2026-01-31', 'to'],
    ['revenue?from=2026-01-01&to=2027-01-02', 'to'], // 367 days
    ['revenue?from=2026-01-01', 'to'],
    ['revenue?to=2026-01-01', 'from'],
    ['revenue?from=2026-02-30&to=2026-03-01', 'from'],
    ['revenue?from=26-01-01&to=2026-03-01', 'from'],
    ['revenue?groupBy=week', 'groupBy'],
    ['revenue?format=xml', 'format'],
    ['utilisation?from=2026-03-29&to=2026-03-23', 'to'],
    ['utilisation?from=2025-01-01&to=2026-01-02', 'to'],
    ['receivables?format=pdf', 'format'],
  ])('bad input: /reports/%s → 400 problem naming %s', async (path, field) => {
    const res = await t.http().get(`/api/v1/reports/${path}`).set('cookie', a.cookie).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a full leap year (366 days) is accepted; an unknown parameter is refused', async () => {
    await t.http().get('/api/v1/reports/utilisation?from=2024-01-01&to=2024-12-31').set('cookie', u.cookie).expect(200);
    await t.http().get('/api/v1/reports/receivables?organizationId=x').set('cookie', a.cookie).expect(400);
  });

  it('an engineer is refused (money is for admins; every role is in test/authorization-matrix)', async () => {
    const engineer = await a.engineer('Refused Engineer');
    const { createHash, randomBytes } = await import('node:crypto');
    const token = randomBytes(32).toString('base64url');
    await t.control.query(
      `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at) VALUES ($1, $2, $3, now(), now() + interval '1 hour', now() + interval '1 hour')`,
      [createHash('sha256').update(token).digest('hex'), engineer, a.organizationId],
    );
    for (const path of ['revenue', 'receivables', 'utilisation']) await t.http().get(`/api/v1/reports/${path}`).set('cookie', `rsm_session=${token}`).expect(403);
  });
});
