import { startStripeFake, type StripeFake } from '@rsm/stripe-fake';
import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { documentTotals, type LineInput } from '../../src/money/money.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './test-app.js';

/**
 * Issue 11, stripe: invoices are built by another part of the product; these tests insert an issued
 * invoice (status `sent`, numbered, totals from money.ts's documentTotals) straight into the studio's
 * database, and optionally its split into shares.
 */
export interface FixtureLine extends LineInput {
  description: string;
}

export const DEFAULT_LINES: FixtureLine[] = [
  { description: 'Studio A, 8 h', quantity: '8', unitPriceMinor: 6_000, taxRatePercent: '20', taxInclusive: false },
  { description: 'Mix engineer', quantity: '2.5', unitPriceMinor: 4_999, discountMinor: 500, taxRatePercent: '5.5', taxInclusive: false },
];

export async function insertIssuedInvoice(
  db: pg.Client,
  options: { currency?: string; lines?: FixtureLine[]; status?: 'draft' | 'sent' | 'void'; kind?: 'invoice' | 'credit_note' } = {},
): Promise<{ invoiceId: string; totalMinor: number; number: string | null }> {
  const lines = options.lines ?? DEFAULT_LINES;
  const totals = documentTotals(lines);
  const status = options.status ?? 'sent';
  const number = status === 'draft' ? null : `INV-T-${randomBytes(4).toString('hex')}`;
  const clientId = (await db.query(`INSERT INTO clients (name, email) VALUES ('Stripe Fixture Band', 'band@example.com') RETURNING id`)).rows[0].id as string;
  const invoiceId = (
    await db.query(
      `INSERT INTO invoices (kind, status, number, client_id, currency, issue_date, due_date, bill_to_name, bill_to_email,
                             subtotal_minor, tax_minor, total_minor, balance_minor, finalized_at, sent_at)
       VALUES ('invoice', $1::text, $2, $3, $4, CASE WHEN $1::text <> 'draft' THEN current_date END, current_date + 30, 'Stripe Fixture Band', 'band@example.com',
               $5, $6, $7, CASE WHEN $1::text = 'sent' THEN $7::bigint ELSE 0 END, CASE WHEN $1::text <> 'draft' THEN now() END, CASE WHEN $1::text <> 'draft' THEN now() END)
       RETURNING id`,
      [status, number, clientId, options.currency ?? 'EUR', totals.subtotalMinor, totals.taxMinor, totals.totalMinor],
    )
  ).rows[0].id as string;
  for (const [i, line] of lines.entries()) {
    const t = totals.lines[i];
    await db.query(
      `INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit_price_minor, discount_minor, tax_rate_percent, tax_inclusive, net_minor, tax_minor, gross_minor)
       VALUES ($1, $2, 'manual', $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [invoiceId, i + 1, line.description, line.quantity, line.unitPriceMinor, line.discountMinor ?? 0, line.taxRatePercent, line.taxInclusive, t.netMinor, t.taxMinor, t.grossMinor],
    );
  }
  return { invoiceId, totalMinor: totals.totalMinor, number };
}

/** Splits an invoice into shares of these amounts (they must sum to its balance). */
export async function insertShares(db: pg.Client, invoiceId: string, amounts: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, amount] of amounts.entries()) {
    const { rows } = await db.query(`INSERT INTO invoice_shares (invoice_id, position, payer_name, payer_email, amount_minor) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      invoiceId,
      i + 1,
      `Member ${i + 1}`,
      `member${i + 1}@example.com`,
      amount,
    ]);
    ids.push(rows[0].id as string);
  }
  return ids;
}

export const PLATFORM_SECRET = 'whsec_test_platform_secret';
export const CONNECT_SECRET = 'whsec_test_connect_secret';

/**
 * The app with online payment on, against the local Stripe server on a free port, listening on a free
 * port so the fake's signed webhooks reach it over real HTTP.
 */
export async function createStripeTestApp(env: Record<string, string> = {}): Promise<{ t: TestApp; fake: StripeFake; close: () => Promise<void> }> {
  const fake = await startStripeFake();
  const t = await createTestApp({
    STRIPE_SECRET_KEY: 'sk_test_rsm_e2e',
    STRIPE_API_BASE: fake.url,
    STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
    ...env,
  });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as { port: number };
  fake.setWebhookEndpoint('platform', { url: `http://127.0.0.1:${port}/api/v1/webhooks/stripe`, secret: PLATFORM_SECRET });
  fake.setWebhookEndpoint('connect', { url: `http://127.0.0.1:${port}/api/v1/webhooks/stripe/connect`, secret: CONNECT_SECRET });
  return { t, fake, close: async () => (await t.close(), await fake.close()) };
}

/** Connects the studio's Stripe account through the API and the fake's onboarding page; returns its acct_ id. */
export async function connectStripe(t: TestApp, cookie: string): Promise<string> {
  const { onboardingUrl } = (await t.http().post('/api/v1/stripe/connection').set('cookie', cookie).expect(201)).body as { onboardingUrl: string };
  const done = await fetch(onboardingUrl, { method: 'POST', redirect: 'manual' });
  if (done.status !== 303) throw new Error(`onboarding page answered ${done.status}`);
  const connection = (await t.http().get('/api/v1/stripe/connection').set('cookie', cookie).expect(200)).body as { status: string; accountId: string };
  if (connection.status !== 'active') throw new Error(`connection is ${connection.status} after onboarding`);
  return connection.accountId;
}

/** Opens the hosted checkout page over HTTP and submits its Pay form, as a payer's browser would. */
export async function payOnHostedPage(url: string): Promise<Response> {
  const page = await fetch(url);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+\/pay)">/.exec(html)?.[1];
  if (!action) throw new Error(`no Pay form on the checkout page (${page.status}): ${html.slice(0, 300)}`);
  return fetch(new URL(action, url), { method: 'POST', redirect: 'manual' });
}

export { connectTenantDatabase };
