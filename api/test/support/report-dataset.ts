import { DateTime } from 'luxon';
import { randomBytes } from 'node:crypto';
import { reportFixtures } from './report-fixtures.js';
import { connectTenantDatabase, registerStudio, type TestApp } from './test-app.js';

/** Mon–Sat 09:00–19:00, Sunday all day: a week of 6 × 10 h + 24 h (23 h when Paris springs forward). */
export const STUDIO_HOURS = [
  ...[1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '09:00', closes: '19:00' })),
  { weekday: 7, opens: '00:00', closes: '24:00' },
];

/**
 * Issue 11, reports: the hand-built studio the report tests read (Europe/Paris). Every figure the tests
 * expect is worked out by hand in test/reports-revenue.e2e-spec.ts from what is written here.
 */
export async function reportStudio(t: TestApp, label: string) {
  const studio = await registerStudio(t, label);
  const db = await connectTenantDatabase(t, studio.organizationId);
  const f = reportFixtures(db);
  await t.http().patch('/api/v1/studio').set('cookie', studio.cookie).send({ timeZone: 'Europe/Paris', openingHours: STUDIO_HOURS }).expect(200);
  const engineer = async (name: string) => {
    const { rows } = await t.control.query(`INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'not-a-hash') RETURNING id`, [name, `${randomBytes(5).toString('hex')}@reports.test`]);
    await t.control.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'engineer')`, [studio.organizationId, rows[0].id]);
    return rows[0].id as string;
  };
  const today = DateTime.now().setZone('Europe/Paris').startOf('day');
  const daysAgo = (n: number) => today.minus({ days: n }).toISODate()!;
  return { ...studio, db, f, engineer, daysAgo, close: () => db.end() };
}

export type ReportStudio = Awaited<ReturnType<typeof reportStudio>>;

/** The money data set (revenue range 2026-01-01..2026-02-28; receivables as of today). */
export async function seedMoney(s: ReportStudio) {
  const { f } = s;
  const owls = await f.client('Midnight Owls');
  const formula = await f.client('=cmd');
  const kites = await f.client('Paper Kites');
  const [alice, bob] = [await s.engineer('Alice Engineer'), await s.engineer('Bob Engineer')];
  const live = await f.room('Live Room');
  const booth = await f.room('Booth');
  // Session 1 in the Live Room with two engineers; session 2 in the Booth with Alice.
  const session1 = await f.booking({ clientId: owls, roomId: live, startsAt: '2026-01-10T09:00:00Z', endsAt: '2026-01-10T13:00:00Z', engineers: [alice, bob] });
  const session2 = await f.booking({ clientId: owls, roomId: booth, startsAt: '2026-01-11T09:00:00Z', endsAt: '2026-01-11T13:00:00Z', engineers: [alice] });

  // EUR. INV1: 10000 + 5000 + 1001 net (20 %, 20 %, 0 %): net 16001, gross 19001. Partly paid, partly credited.
  const inv1 = await f.invoice({
    clientId: owls, issueDate: '2026-01-15', dueDate: s.daysAgo(45), status: 'partially_paid',
    lines: [
      { quantity: '1', unitPriceMinor: 10000, taxRatePercent: '20', bookingId: session1 },
      { quantity: '2', unitPriceMinor: 2500, taxRatePercent: '20', bookingId: session2 },
      { quantity: '1', unitPriceMinor: 1001 },
    ],
  });
  await f.payment(inv1, 10000, '2026-01-20'); // partial payment
  await f.payment(inv1, 5000, '2026-02-10', 1000); // 1000 of it refunded
  // Credit note on session 1's line: −2000 net (2400 gross), issued in February.
  await f.invoice({ clientId: owls, kind: 'credit_note', creditedInvoiceId: inv1, issueDate: '2026-02-03', lines: [{ quantity: '1', unitPriceMinor: 2000, taxRatePercent: '20', bookingId: session1 }] });
  // Deposit for session 2 (3000 net, 3600 gross), paid; deducted on the final invoice INV2 (8000 net).
  const deposit = await f.invoice({ clientId: owls, kind: 'deposit', status: 'paid', bookingId: session2, issueDate: '2026-01-05', lines: [{ quantity: '1', unitPriceMinor: 3000, taxRatePercent: '20', kind: 'deposit' }] });
  await f.payment(deposit, 3600, '2026-01-06');
  const inv2 = await f.invoice({ clientId: owls, issueDate: '2026-02-20', dueDate: s.daysAgo(-10), lines: [{ quantity: '1', unitPriceMinor: 8000, taxRatePercent: '20', bookingId: session2 }] });
  await f.deduct(inv2, deposit);
  // Never counted: a draft, a void invoice, documents and payments outside the range.
  await f.invoice({ clientId: owls, status: 'draft', issueDate: '2026-01-10', lines: [{ quantity: '1', unitPriceMinor: 4444, bookingId: session1 }] });
  await f.invoice({ clientId: owls, status: 'void', issueDate: '2026-01-12', lines: [{ quantity: '1', unitPriceMinor: 5555, bookingId: session1 }] });
  const december = await f.invoice({ clientId: owls, status: 'paid', issueDate: '2025-12-31', lines: [{ quantity: '1', unitPriceMinor: 7777 }] });
  await f.payment(december, 7777, '2026-03-01');
  // USD: session 1 again, 1.5 × 10000, paid in full.
  const usd = await f.invoice({ clientId: owls, currency: 'USD', status: 'paid', issueDate: '2026-02-05', lines: [{ quantity: '1.5', unitPriceMinor: 10000, bookingId: session1 }] });
  await f.payment(usd, 15000, '2026-02-06');
  // Receivables only (issued before the revenue range): "=cmd" owes 50000 (100 days late) and 1234 (1 day); Paper Kites USD 2000 (75 days).
  await f.invoice({ clientId: formula, issueDate: '2025-06-01', dueDate: s.daysAgo(100), lines: [{ quantity: '1', unitPriceMinor: 50000 }] });
  await f.invoice({ clientId: formula, issueDate: '2025-06-01', dueDate: s.daysAgo(1), lines: [{ quantity: '1', unitPriceMinor: 1234 }] });
  await f.invoice({ clientId: kites, currency: 'USD', issueDate: '2025-06-01', dueDate: s.daysAgo(75), lines: [{ quantity: '1', unitPriceMinor: 2000 }] });
  return { owls, formula, kites, alice, bob, live, booth };
}
