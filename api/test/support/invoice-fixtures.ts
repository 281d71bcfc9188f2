import type pg from 'pg';
import type { BookingStudio } from './booking-fixtures.js';

/** Issue 11, invoices: tax rates written straight into the studio's database (their API belongs to the settlements part). */
export async function taxRate(db: pg.Client, values: { name?: string; ratePercent: string; inclusive?: boolean; isDefault?: boolean }): Promise<string> {
  const { rows } = await db.query(`INSERT INTO tax_rates (name, rate_percent, inclusive, is_default) VALUES ($1, $2, $3, $4) RETURNING id`, [
    values.name ?? `VAT ${values.ratePercent}`,
    values.ratePercent,
    values.inclusive ?? false,
    values.isDefault ?? false,
  ]);
  return rows[0].id as string;
}

/** Row counts of every table an invoice write touches: equal before and after a refused request means nothing was written. */
export async function moneyRows(db: pg.Client): Promise<Record<string, number | string>> {
  const counts: Record<string, number | string> = {};
  const tables = ['invoices', 'invoice_lines', 'invoice_deposits', 'document_sequences', 'outbox', 'audit_log'];
  for (const table of tables) counts[table] = Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const seq = await db.query(`SELECT COALESCE(sum(last_value), 0)::int AS s FROM document_sequences`);
  counts.sequenceValues = seq.rows[0].s as number;
  // Every stored figure of every invoice and line: a refused PATCH must change none of them.
  for (const table of ['invoices', 'invoice_lines', 'invoice_deposits']) {
    counts[`${table}Digest`] = (await db.query(`SELECT COALESCE(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS d FROM ${table} t`)).rows[0].d as string;
  }
  return counts;
}

export const line = (over: Record<string, unknown> = {}) => ({ description: 'Mixing', quantity: '1', unitPriceMinor: 10000, taxRateId: null, ...over });

/** A draft through the API (201 expected). */
export async function draft(s: BookingStudio, body: Record<string, unknown>) {
  const res = await s.api.post('/api/v1/invoices').send(body);
  if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function finalize(s: BookingStudio, id: string, body: Record<string, unknown> = {}) {
  const res = await s.api.post(`/api/v1/invoices/${id}/finalize`).send(body);
  if (res.status !== 200) throw new Error(`finalize: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
