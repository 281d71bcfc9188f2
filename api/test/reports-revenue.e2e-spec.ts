import { DateTime } from 'luxon';
import { reportStudio, seedMoney, type ReportStudio } from './support/report-dataset.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11, reports: revenue on the hand-built data set of support/report-dataset.ts (Europe/Paris,
 * EUR and USD, a credit note, a partial payment, a refund, a deducted deposit, a session with two
 * engineers). Every expected figure is worked out by hand below.
 */
describe('GET /reports/revenue', () => {
  let t: TestApp;
  let s: ReportStudio;
  let ids: Awaited<ReturnType<typeof seedMoney>>;
  const range = 'from=2026-01-01&to=2026-02-28';
  const get = (query: string) => t.http().get(`/api/v1/reports/revenue?${query}`).set('cookie', s.cookie);

  beforeAll(async () => {
    t = await createTestApp();
    s = await reportStudio(t, 'Revenue');
    ids = await seedMoney(s);
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  it('by month: invoiced net of tax by issue date (deposits once, credit notes subtracted, no drafts or void), paid less refunds by day received, per currency', async () => {
    const res = await get(`${range}&groupBy=month`).expect(200);
    expect(res.body).toEqual({
      from: '2026-01-01',
      to: '2026-02-28',
      groupBy: 'month',
      currencies: [
        {
          currency: 'EUR',
          rows: [
            // INV1 16001 + deposit 3000; paid 10000 (INV1) + 3600 (deposit).
            { key: '2026-01', label: '2026-01', invoicedNetMinor: 19001, paidMinor: 13600 },
            // INV2 8000 − deducted deposit 3000 − credit note 2000; paid 5000 − 1000 refunded.
            { key: '2026-02', label: '2026-02', invoicedNetMinor: 3000, paidMinor: 4000 },
          ],
          totals: { invoicedNetMinor: 22001, paidMinor: 17600 },
        },
        {
          currency: 'USD',
          rows: [
            { key: '2026-01', label: '2026-01', invoicedNetMinor: 0, paidMinor: 0 },
            { key: '2026-02', label: '2026-02', invoicedNetMinor: 15000, paidMinor: 15000 },
          ],
          totals: { invoicedNetMinor: 15000, paidMinor: 15000 },
        },
      ],
    });
  });

  it('by room: each line follows its booking, the deposit and its deduction the booking it secures, payments spread by line gross', async () => {
    const res = await get(`${range}&groupBy=room`).expect(200);
    // Paid on INV1 over its lines' gross 12000 / 6000 / 1001 (largest remainder): 10000 → 6315 / 3158 / 527; 4000 → 2526 / 1263 / 211.
    expect(res.body.currencies).toEqual([
      {
        currency: 'EUR',
        rows: [
          { key: ids.booth, label: 'Booth', invoicedNetMinor: 5000 + 3000 + 8000 - 3000, paidMinor: 3158 + 1263 + 3600 },
          { key: ids.live, label: 'Live Room', invoicedNetMinor: 10000 - 2000, paidMinor: 6315 + 2526 },
          { key: 'other', label: 'Other', invoicedNetMinor: 1001, paidMinor: 527 + 211 },
        ],
        totals: { invoicedNetMinor: 22001, paidMinor: 17600 },
      },
      { currency: 'USD', rows: [{ key: ids.live, label: 'Live Room', invoicedNetMinor: 15000, paidMinor: 15000 }], totals: { invoicedNetMinor: 15000, paidMinor: 15000 } },
    ]);
  });

  it("by engineer: a session's amounts split evenly between its engineers (the odd unit to the first by id), lines without one under Other", async () => {
    const res = await get(`${range}&groupBy=engineer`).expect(200);
    // Session 1's share of the first payment, 6315, splits 3158 / 3157 (the first engineer id gets the extra unit).
    const aliceFirst = ids.alice < ids.bob;
    const aliceOdd = aliceFirst ? 3158 : 3157;
    const bobOdd = aliceFirst ? 3157 : 3158;
    expect(res.body.currencies).toEqual([
      {
        currency: 'EUR',
        rows: [
          { key: ids.alice, label: 'Alice Engineer', invoicedNetMinor: 5000 + 5000 - 1000 + 3000 + 8000 - 3000, paidMinor: aliceOdd + 1263 + 3158 + 1263 + 3600 },
          { key: ids.bob, label: 'Bob Engineer', invoicedNetMinor: 5000 - 1000, paidMinor: bobOdd + 1263 },
          { key: 'other', label: 'Other', invoicedNetMinor: 1001, paidMinor: 738 },
        ],
        totals: { invoicedNetMinor: 22001, paidMinor: 17600 },
      },
      {
        currency: 'USD',
        rows: [
          { key: ids.alice, label: 'Alice Engineer', invoicedNetMinor: 7500, paidMinor: 7500 },
          { key: ids.bob, label: 'Bob Engineer', invoicedNetMinor: 7500, paidMinor: 7500 },
        ],
        totals: { invoicedNetMinor: 15000, paidMinor: 15000 },
      },
    ]);
  });

  it('as CSV: the same figures as decimal text, one total row per currency, text cells neutralised', async () => {
    const res = await get(`${range}&groupBy=room&format=csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="revenue-by-room-2026-01-01-2026-02-28.csv"');
    expect(res.text.split('\r\n')).toEqual([
      '\uFEFFcurrency,room,label,invoiced_net,paid',
      `EUR,${ids.booth},Booth,130.00,80.21`,
      `EUR,${ids.live},Live Room,80.00,88.41`,
      'EUR,other,Other,10.01,7.38',
      'EUR,total,Total,220.01,176.00',
      `USD,${ids.live},Live Room,150.00,150.00`,
      'USD,total,Total,150.00,150.00',
      '',
    ]);
  });

  it('a range without money: no currencies (the dashboard shows its empty state)', async () => {
    const res = await get('from=2020-01-01&to=2020-03-31').expect(200);
    expect(res.body).toEqual({ from: '2020-01-01', to: '2020-03-31', groupBy: 'month', currencies: [] });
  });

  it('without a range: the 12 calendar months up to today in the studio time zone', async () => {
    const res = await get('').expect(200);
    const last = s.daysAgo(0);
    expect(res.body.to).toBe(last);
    expect(res.body.from).toBe(DateTime.now().setZone('Europe/Paris').minus({ months: 11 }).startOf('month').toISODate());
  });
});
