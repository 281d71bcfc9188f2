import { HttpStatus } from '@nestjs/common';
import { DateTime } from 'luxon';
import { type EntityManager, In, IsNull } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { type DocumentTotals, documentTotals, MoneyError } from '../money/money.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { TaxRate } from '../tax-rates/tax-rate.entity.js';
import type { LineKind } from './priced-line-columns.js';
import { Invoice, isIssued } from './invoice.entity.js';

/** A line as it will be stored: its input, the tax rate copied onto it, and money.ts's figures. */
export interface PricedLine {
  kind: LineKind;
  bookingId: string | null;
  description: string;
  quantity: string;
  unit: string | null;
  unitPriceMinor: number;
  discountMinor: number;
  taxRateId: string | null;
  taxName: string | null;
  taxRatePercent: string;
  taxInclusive: boolean;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

export interface LineSource {
  description: string;
  quantity: string;
  unit?: string | null;
  unitPriceMinor: number;
  discountMinor?: number;
  taxRateId?: string | null;
  kind?: LineKind;
  bookingId?: string | null;
}

const invalid = (field: string, message: string) => new ValidationProblem([{ field, messages: [message] }]);

/** The tax rate a line names (undefined: the studio's live default, if any; null: none). Unknown or archived → 400. */
async function taxRatesFor(m: EntityManager, lines: LineSource[], field: string): Promise<Array<TaxRate | null>> {
  const ids = [...new Set(lines.map((l) => l.taxRateId).filter((id): id is string => typeof id === 'string'))];
  const rates = ids.length ? await m.getRepository(TaxRate).findBy({ id: In(ids) }) : [];
  const byId = new Map(rates.map((r) => [r.id, r]));
  const needsDefault = lines.some((l) => l.taxRateId === undefined);
  const liveDefault = needsDefault ? await m.getRepository(TaxRate).findOneBy({ isDefault: true, archivedAt: IsNull() }) : null;
  return lines.map((line, i) => {
    if (line.taxRateId === undefined) return liveDefault;
    if (line.taxRateId === null) return null;
    const rate = byId.get(line.taxRateId);
    if (!rate || rate.archivedAt) throw invalid(`${field}[${i}].taxRateId`, 'taxRateId names no live tax rate of your studio');
    return rate;
  });
}

/**
 * Prices lines with money.ts (per line, half away from zero) after checking what they refer to:
 * an unknown or archived tax rate or booking, or a discount larger than the line, is a 400 naming the line.
 */
export async function priceLines(m: EntityManager, lines: LineSource[], field = 'lines'): Promise<{ lines: PricedLine[]; totals: DocumentTotals }> {
  const rates = await taxRatesFor(m, lines, field);
  const bookingIds = [...new Set(lines.map((l) => l.bookingId).filter((id): id is string => typeof id === 'string'))];
  if (bookingIds.length) {
    const found = new Set((await m.getRepository(Booking).find({ select: { id: true }, where: { id: In(bookingIds) } })).map((b) => b.id));
    const i = lines.findIndex((l) => l.bookingId && !found.has(l.bookingId));
    if (i >= 0) throw invalid(`${field}[${i}].bookingId`, 'bookingId names no booking of your studio');
  }
  const inputs = lines.map((line, i) => ({
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    discountMinor: line.discountMinor ?? 0,
    taxRatePercent: rates[i]?.ratePercent ?? '0',
    taxInclusive: rates[i]?.inclusive ?? false,
  }));
  let totals: DocumentTotals;
  try {
    totals = documentTotals(inputs);
  } catch (err) {
    if (!(err instanceof MoneyError)) throw err;
    // Name the line that fails on its own, else the document (a sum over the maximum).
    const i = inputs.findIndex((input) => {
      try {
        documentTotals([input]);
        return false;
      } catch {
        return true;
      }
    });
    throw invalid(i >= 0 ? `${field}[${i}]` : field, err.message);
  }
  return {
    totals,
    lines: lines.map((line, i) => ({
      kind: line.kind ?? 'manual',
      bookingId: line.bookingId ?? null,
      description: line.description,
      quantity: line.quantity,
      unit: line.unit ?? null,
      unitPriceMinor: line.unitPriceMinor,
      discountMinor: line.discountMinor ?? 0,
      taxRateId: rates[i]?.id ?? null,
      taxName: rates[i]?.name ?? null,
      taxRatePercent: rates[i]?.ratePercent ?? '0',
      taxInclusive: rates[i]?.inclusive ?? false,
      netMinor: totals.lines[i].netMinor,
      taxMinor: totals.lines[i].taxMinor,
      grossMinor: totals.lines[i].grossMinor,
    })),
  };
}

/** One deposit invoice's figures per tax rate, as a final invoice deducts them. */
export interface DepositDeduction {
  depositInvoiceId: string;
  taxRatePercent: string;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

export const depositNotDeductible = (detail: string) => new ProblemException(HttpStatus.CONFLICT, 'deposit-not-deductible', detail);

/**
 * The deductions of `depositIds` on an invoice of `clientId` in `currency` (French "facture de solde",
 * German "Schlussrechnung": each deposit's net and tax per rate, as its own invoice stated them).
 * Unknown id or another currency → 400; not an issued deposit of this client, or already deducted on
 * another live invoice → 409 deposit-not-deductible.
 */
export async function depositDeductions(m: EntityManager, depositIds: string[], clientId: string, currency: string, exceptInvoiceId: string | null, field = 'depositInvoiceIds'): Promise<DepositDeduction[]> {
  if (!depositIds.length) return [];
  // Locked (in id order, so two invoices taking the same deposits queue instead of deadlocking): the
  // "already deducted" check below then sees what a concurrent invoice committed.
  // (A preview reads outside any transaction and writes nothing: it takes no lock.)
  const query = m.getRepository(Invoice).createQueryBuilder('d').where('d.id IN (:...ids)', { ids: depositIds }).orderBy('d.id');
  const deposits = await (m.queryRunner?.isTransactionActive ? query.setLock('pessimistic_write') : query).getMany();
  const byId = new Map(deposits.map((d) => [d.id, d]));
  for (const id of depositIds) {
    const deposit = byId.get(id);
    if (!deposit) throw invalid(field, `${id} names no invoice of your studio`);
    if (deposit.currency !== currency) throw invalid(field, `deposit ${deposit.number ?? id} is in ${deposit.currency}, this invoice in ${currency}`);
    if (deposit.kind !== 'deposit' || deposit.clientId !== clientId || !isIssued(deposit.status)) {
      throw depositNotDeductible(`Invoice ${deposit.number ?? id} is not an issued deposit invoice of this client.`);
    }
  }
  const taken = (await m.query(
    `SELECT d.deposit_invoice_id FROM invoice_deposits d JOIN invoices i ON i.id = d.invoice_id
      WHERE d.deposit_invoice_id = ANY($1::uuid[]) AND i.status <> 'void' AND ($2::uuid IS NULL OR i.id <> $2)`,
    [depositIds, exceptInvoiceId],
  )) as Array<{ deposit_invoice_id: string }>;
  if (taken.length) throw depositNotDeductible(`Deposit ${byId.get(taken[0].deposit_invoice_id)?.number} is already deducted on another invoice.`);
  const rows = (await m.query(
    `SELECT invoice_id, tax_rate_percent::text AS rate, sum(net_minor)::bigint AS net, sum(tax_minor)::bigint AS tax
       FROM invoice_lines WHERE invoice_id = ANY($1::uuid[]) GROUP BY invoice_id, tax_rate_percent ORDER BY invoice_id, tax_rate_percent DESC`,
    [depositIds],
  )) as Array<{ invoice_id: string; rate: string; net: string; tax: string }>;
  return rows.map((r) => ({
    depositInvoiceId: r.invoice_id,
    taxRatePercent: r.rate,
    netMinor: Number(r.net),
    taxMinor: Number(r.tax),
    grossMinor: Number(r.net) + Number(r.tax),
  }));
}

/** The studio's settings (time zone, default currency). */
export async function studioSettings(m: EntityManager): Promise<StudioSettings> {
  return m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}
