import type { EntityManager } from 'typeorm';
import type { AgingBucketsDto, ReceivablesCurrencyDto, ReceivablesTotalsDto } from './dto/report.dto.js';

/** Aging buckets by days past due (the due date itself is day 0: current). */
export function agingBucket(daysPastDue: number | null): keyof AgingBucketsDto {
  if (daysPastDue === null || daysPastDue <= 0) return 'currentMinor';
  if (daysPastDue <= 30) return 'days1To30Minor';
  if (daysPastDue <= 60) return 'days31To60Minor';
  if (daysPastDue <= 90) return 'days61To90Minor';
  return 'over90Minor';
}

const emptyTotals = (): ReceivablesTotalsDto => ({
  outstandingMinor: 0,
  overdueMinor: 0,
  aging: { currentMinor: 0, days1To30Minor: 0, days31To60Minor: 0, days61To90Minor: 0, over90Minor: 0 },
});

const add = (totals: ReceivablesTotalsDto, balance: number, daysPastDue: number | null) => {
  const bucket = agingBucket(daysPastDue);
  totals.outstandingMinor += balance;
  if (bucket !== 'currentMinor') totals.overdueMinor += balance;
  totals.aging[bucket] += balance;
};

/**
 * What clients owe today, per currency and client: the balance of every issued invoice and deposit
 * invoice (not drafts, not void; credit notes are already deducted from their invoice's balance), aged
 * by days past its due date counted from `asOf` (today in the studio's time zone).
 */
export async function receivablesReport(m: EntityManager, asOf: string): Promise<ReceivablesCurrencyDto[]> {
  const rows = (await m.query(
    `SELECT i.currency, i.client_id, c.name AS client_name, i.balance_minor,
            CASE WHEN i.due_date IS NULL THEN NULL ELSE $1::date - i.due_date END AS days_past_due
       FROM invoices i JOIN clients c ON c.id = i.client_id
      WHERE i.kind IN ('invoice', 'deposit') AND i.status NOT IN ('draft', 'void') AND i.balance_minor > 0
      ORDER BY i.currency, c.name, i.client_id`,
    [asOf],
  )) as Array<{ currency: string; client_id: string; client_name: string; balance_minor: string; days_past_due: number | null }>;
  const currencies = new Map<string, ReceivablesCurrencyDto>();
  for (const row of rows) {
    const entry = currencies.get(row.currency) ?? { currency: row.currency, clients: [], totals: emptyTotals() };
    currencies.set(row.currency, entry);
    let client = entry.clients.find((c) => c.clientId === row.client_id);
    if (!client) {
      client = { clientId: row.client_id, clientName: row.client_name, invoiceCount: 0, ...emptyTotals() };
      entry.clients.push(client);
    }
    const balance = Number(row.balance_minor);
    const days = row.days_past_due === null ? null : Number(row.days_past_due);
    client.invoiceCount += 1;
    add(client, balance, days);
    add(entry.totals, balance, days);
  }
  for (const entry of currencies.values()) {
    entry.clients.sort((a, b) => b.outstandingMinor - a.outstandingMinor || a.clientName.localeCompare(b.clientName) || a.clientId.localeCompare(b.clientId));
  }
  return [...currencies.values()];
}
