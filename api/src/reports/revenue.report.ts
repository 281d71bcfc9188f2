import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { allocateProportionally, splitEvenly } from '../money/money.js';
import type { RevenueGroup } from './dto/report-query.dto.js';
import type { RevenueCurrencyDto, RevenueRowDto } from './dto/report.dto.js';
import type { ReportRange } from './report-range.js';

/** Lines with no booking (and sessions without an engineer) are reported under this key. */
export const OTHER_KEY = 'other';

/** One amount of the report before grouping: a day, a currency, invoiced or paid, and the session it came from. */
interface Entry {
  currency: string;
  day: string;
  field: 'invoicedNetMinor' | 'paidMinor';
  amountMinor: number;
  bookingId: string | null;
}

interface Line {
  invoice_id: string;
  booking_id: string | null;
  net_minor: string;
  gross_minor: string;
}

/** Names of engineers (control database users), looked up by id. */
export type EngineerNames = (userIds: string[]) => Promise<Map<string, string>>;

/**
 * Revenue in a range (docs/reports.md "Revenue" states these rules; keep the two in step):
 *  - invoiced (net of tax), on the document's issue date: issued invoices and deposit invoices (not drafts,
 *    not void), less the net of the deposits a final invoice deducts (counted when the deposit invoice was
 *    issued: never twice), less issued credit notes on their own issue date;
 *  - paid (tax included), on the day received: each payment less what was refunded of it;
 *  - by room or engineer: each line follows its booking (a deposit invoice, and its deduction, the booking
 *    it secures); a payment is spread over its invoice's lines in proportion to their gross; a session's
 *    amount is split evenly between its engineers; the rest is "Other".
 */
export async function revenueReport(m: EntityManager, range: ReportRange, groupBy: RevenueGroup, engineerNames: EngineerNames): Promise<RevenueCurrencyDto[]> {
  const byLine = groupBy !== 'month';
  const entries = [...(await invoicedEntries(m, range, byLine)), ...(await paidEntries(m, range, byLine))];
  if (groupBy === 'month') return group(entries, () => null, (e) => [{ key: e.day.slice(0, 7), amountMinor: e.amountMinor }], monthRows(range));

  const bookingIds = [...new Set(entries.map((e) => e.bookingId).filter((id): id is string => id !== null))];
  if (groupBy === 'room') {
    const rooms = new Map<string, { id: string; name: string }>(
      ((await m.query(`SELECT b.id, r.id AS room_id, r.name FROM bookings b JOIN rooms r ON r.id = b.room_id WHERE b.id = ANY($1)`, [bookingIds])) as Array<{ id: string; room_id: string; name: string }>).map(
        (r) => [r.id, { id: r.room_id, name: r.name }],
      ),
    );
    const labels = new Map([...rooms.values()].map((r) => [r.id, r.name]));
    return group(entries, (key) => labels.get(key) ?? null, (e) => [{ key: (e.bookingId && rooms.get(e.bookingId)?.id) || OTHER_KEY, amountMinor: e.amountMinor }]);
  }
  const engineers = new Map<string, string[]>();
  for (const row of (await m.query(`SELECT booking_id, user_id FROM booking_engineers WHERE booking_id = ANY($1) ORDER BY user_id`, [bookingIds])) as Array<{ booking_id: string; user_id: string }>) {
    engineers.set(row.booking_id, [...(engineers.get(row.booking_id) ?? []), row.user_id]);
  }
  const names = await engineerNames([...new Set([...engineers.values()].flat())]);
  return group(entries, (key) => names.get(key) ?? 'Former member', (e) => {
    const who = (e.bookingId && engineers.get(e.bookingId)) || [];
    if (!who.length) return [{ key: OTHER_KEY, amountMinor: e.amountMinor }];
    // An even split of the magnitude (a credit note's lines are negative): the parts sum exactly to the amount.
    const sign = e.amountMinor < 0 ? -1 : 1;
    return splitEvenly(Math.abs(e.amountMinor), who.length).map((part, i) => ({ key: who[i], amountMinor: sign * part }));
  });
}

const num = (value: string | number) => Number(value);

async function invoicedEntries(m: EntityManager, range: ReportRange, byLine: boolean): Promise<Entry[]> {
  const docs = (await m.query(
    `SELECT id, kind, currency, to_char(issue_date, 'YYYY-MM-DD') AS day, subtotal_minor, booking_id
       FROM invoices WHERE status NOT IN ('draft', 'void') AND issue_date BETWEEN $1 AND $2`,
    [range.from, range.to],
  )) as Array<{ id: string; kind: 'invoice' | 'deposit' | 'credit_note'; currency: string; day: string; subtotal_minor: string; booking_id: string | null }>;
  const sign = (kind: string) => (kind === 'credit_note' ? -1 : 1);
  const docById = new Map(docs.map((d) => [d.id, d]));
  const entries: Entry[] = [];
  const itemized = byLine ? docs.filter((d) => d.kind !== 'deposit') : [];
  for (const d of docs.filter((doc) => !itemized.includes(doc))) {
    entries.push({ currency: d.currency, day: d.day, field: 'invoicedNetMinor', amountMinor: sign(d.kind) * num(d.subtotal_minor), bookingId: d.booking_id });
  }
  for (const line of await linesOf(m, itemized.map((d) => d.id))) {
    const d = docById.get(line.invoice_id)!;
    entries.push({ currency: d.currency, day: d.day, field: 'invoicedNetMinor', amountMinor: sign(d.kind) * num(line.net_minor), bookingId: line.booking_id });
  }
  // Deposits deducted on a final invoice were invoiced when the deposit invoice was issued.
  const finals = docs.filter((d) => d.kind === 'invoice').map((d) => d.id);
  const deducted = (await m.query(
    `SELECT d.invoice_id, d.net_minor, dep.booking_id FROM invoice_deposits d JOIN invoices dep ON dep.id = d.deposit_invoice_id WHERE d.invoice_id = ANY($1)`,
    [finals],
  )) as Array<{ invoice_id: string; net_minor: string; booking_id: string | null }>;
  for (const row of deducted) {
    const d = docById.get(row.invoice_id)!;
    entries.push({ currency: d.currency, day: d.day, field: 'invoicedNetMinor', amountMinor: -num(row.net_minor), bookingId: row.booking_id });
  }
  return entries;
}

async function paidEntries(m: EntityManager, range: ReportRange, byLine: boolean): Promise<Entry[]> {
  const payments = (await m.query(
    `SELECT p.invoice_id, p.currency, to_char(p.received_on, 'YYYY-MM-DD') AS day, p.amount_minor - p.refunded_minor AS net, i.kind, i.booking_id
       FROM payments p JOIN invoices i ON i.id = p.invoice_id
      WHERE p.received_on BETWEEN $1 AND $2 AND p.amount_minor > p.refunded_minor`,
    [range.from, range.to],
  )) as Array<{ invoice_id: string; currency: string; day: string; net: string; kind: string; booking_id: string | null }>;
  const whole = (p: (typeof payments)[number]): Entry => ({ currency: p.currency, day: p.day, field: 'paidMinor', amountMinor: num(p.net), bookingId: p.booking_id });
  if (!byLine) return payments.map(whole);
  const lines = new Map<string, Line[]>();
  for (const line of await linesOf(m, [...new Set(payments.filter((p) => p.kind !== 'deposit').map((p) => p.invoice_id))])) {
    lines.set(line.invoice_id, [...(lines.get(line.invoice_id) ?? []), line]);
  }
  return payments.flatMap((p) => {
    const own = p.kind === 'deposit' ? undefined : lines.get(p.invoice_id);
    if (!own?.length) return [whole(p)];
    // The payment is spread over the invoice's lines by their gross (money.ts: the parts sum exactly).
    return allocateProportionally(num(p.net), own.map((l) => num(l.gross_minor))).map((amountMinor, i) => ({ ...whole(p), amountMinor, bookingId: own[i].booking_id }));
  });
}

async function linesOf(m: EntityManager, invoiceIds: string[]): Promise<Line[]> {
  if (!invoiceIds.length) return [];
  return (await m.query(`SELECT invoice_id, booking_id, net_minor, gross_minor FROM invoice_lines WHERE invoice_id = ANY($1) ORDER BY invoice_id, position`, [invoiceIds])) as Line[];
}

/** Every month of the range, so a chart shows the empty ones too. */
function monthRows(range: ReportRange): string[] {
  const months: string[] = [];
  for (let month = DateTime.fromISO(range.from).startOf('month'); month <= DateTime.fromISO(range.to); month = month.plus({ months: 1 })) months.push(month.toFormat('yyyy-MM'));
  return months;
}

/**
 * Sums entries per currency and row key. `keysOf` maps an entry to its rows (an engineer split gives
 * several); `labelOf` names a key (null: the key itself). Rows: the given order (months), else by label
 * with "Other" last. Each currency stands alone: amounts of two currencies are never added.
 */
function group(entries: Entry[], labelOf: (key: string) => string | null, keysOf: (e: Entry) => Array<{ key: string; amountMinor: number }>, order?: string[]): RevenueCurrencyDto[] {
  const currencies = new Map<string, Map<string, RevenueRowDto>>();
  for (const e of entries) {
    const rows = currencies.get(e.currency) ?? new Map<string, RevenueRowDto>();
    currencies.set(e.currency, rows);
    for (const { key, amountMinor } of keysOf(e)) {
      const row = rows.get(key) ?? { key, label: key === OTHER_KEY ? 'Other' : (labelOf(key) ?? key), invoicedNetMinor: 0, paidMinor: 0 };
      row[e.field] += amountMinor;
      rows.set(key, row);
    }
  }
  return [...currencies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, rows]) => {
      const sorted = order
        ? order.map((key) => rows.get(key) ?? { key, label: key, invoicedNetMinor: 0, paidMinor: 0 })
        : [...rows.values()].sort((a, b) => (a.key === OTHER_KEY ? 1 : b.key === OTHER_KEY ? -1 : a.label.localeCompare(b.label) || a.key.localeCompare(b.key)));
      return {
        currency,
        rows: sorted,
        totals: { invoicedNetMinor: sorted.reduce((s, r) => s + r.invoicedNetMinor, 0), paidMinor: sorted.reduce((s, r) => s + r.paidMinor, 0) },
      };
    });
}
