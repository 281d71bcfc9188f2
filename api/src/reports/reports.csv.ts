import { toCsv } from '../common/csv.js';
import { formatMinor } from '../money/money.js';
import type { ReceivablesReportDto, RevenueReportDto, UtilisationReportDto } from './dto/report.dto.js';

/** The reports as CSV, through the one CSV writer (common/csv.ts: formulas neutralised); amounts as decimal text. */

export function revenueCsv(report: RevenueReportDto): string {
  const rows = report.currencies.flatMap((c) => [
    ...c.rows.map((r) => [c.currency, r.key, r.label, formatMinor(r.invoicedNetMinor, c.currency), formatMinor(r.paidMinor, c.currency)]),
    [c.currency, 'total', 'Total', formatMinor(c.totals.invoicedNetMinor, c.currency), formatMinor(c.totals.paidMinor, c.currency)],
  ]);
  return toCsv(['currency', report.groupBy, 'label', 'invoiced_net', 'paid'], rows);
}

export function receivablesCsv(report: ReceivablesReportDto): string {
  const rows = report.currencies.flatMap((c) => {
    const money = (t: (typeof c)['totals']) => [t.outstandingMinor, t.overdueMinor, t.aging.currentMinor, t.aging.days1To30Minor, t.aging.days31To60Minor, t.aging.days61To90Minor, t.aging.over90Minor].map((v) => formatMinor(v, c.currency));
    return [
      ...c.clients.map((client) => [c.currency, client.clientId, client.clientName, client.invoiceCount, ...money(client)]),
      [c.currency, 'total', 'Total', c.clients.reduce((n, client) => n + client.invoiceCount, 0), ...money(c.totals)],
    ];
  });
  return toCsv(['currency', 'client_id', 'client', 'invoices', 'outstanding', 'overdue', 'current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'], rows);
}

const hours = (minutes: number) => (minutes / 60).toFixed(2);

export function utilisationCsv(report: UtilisationReportDto): string {
  return toCsv(
    ['room_id', 'room', 'booked_hours', 'open_hours', 'ratio'],
    report.rooms.map((r) => [r.roomId, r.roomName, hours(r.bookedMinutes), hours(r.openMinutes), r.ratio === null ? '' : r.ratio.toFixed(4)]),
  );
}
