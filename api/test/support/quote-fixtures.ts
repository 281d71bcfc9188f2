import type pg from 'pg';
import type { BookingStudio } from './booking-fixtures.js';

/** Row counts and digests of every table a quote write touches: equal before and after means nothing was written. */
export async function quoteRows(db: pg.Client): Promise<Record<string, number | string>> {
  const counts: Record<string, number | string> = {};
  for (const table of ['quotes', 'quote_lines', 'invoices', 'invoice_lines', 'invoice_deposits', 'document_sequences', 'outbox', 'audit_log']) {
    counts[table] = Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  }
  for (const table of ['quotes', 'quote_lines', 'invoices', 'document_sequences']) {
    counts[`${table}Digest`] = (await db.query(`SELECT COALESCE(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS d FROM ${table} t`)).rows[0].d as string;
  }
  return counts;
}

export async function quote(s: BookingStudio, body: Record<string, unknown>) {
  const res = await s.api.post('/api/v1/quotes').send(body);
  if (res.status !== 201) throw new Error(`quote: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function send(s: BookingStudio, id: string) {
  const res = await s.api.post(`/api/v1/quotes/${id}/send`).send();
  if (res.status !== 200) throw new Error(`send: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
