import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { billableSummaries } from '../bookings/booking-view.js';
import { Booking } from '../bookings/booking.entity.js';
import type { BillableLineDto } from '../bookings/dto/booking.dto.js';
import { ValidationProblem } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { lineTotals, percentOf } from '../money/money.js';
import { Track } from '../projects/track.entity.js';
import { Room } from '../rooms/room.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { InvoiceDto } from './dto/invoice.dto.js';
import type { CreateDepositDto, FromBookingsDto } from './dto/invoice-input.dto.js';
import { assertBookingsNotInvoiced, checkCurrency, checkReferences, clientOrInvalid, copyBillTo, writeDraftContent } from './invoice-drafts.js';
import { depositDeductions, type LineSource, priceLines, studioSettings, todayIn } from './invoice-pricing.js';
import { invoiceView } from './invoice-view.js';
import { Invoice, ISSUED_STATUSES } from './invoice.entity.js';

const invalid = (field: string, message: string) => new ValidationProblem([{ field, messages: [message] }]);

/** A billable line as an invoice line: hours × rate when money.ts gives the same amount, else the amount as one session. */
function fromBillable(line: BillableLineDto, description: string, bookingId: string, taxRateId: string | null | undefined): LineSource {
  const quantity = String(line.quantity);
  const exact = /^\d{1,9}(\.\d{1,3})?$/.test(quantity) && lineTotals({ quantity, unitPriceMinor: line.unitPriceMinor, taxRatePercent: '0', taxInclusive: false }).amountMinor === line.amountMinor;
  return {
    kind: line.kind === 'room' ? 'room' : 'equipment',
    bookingId,
    description: exact ? description : `${description} (${quantity} ${line.unit})`,
    quantity: exact ? quantity : '1',
    unit: exact ? line.unit : 'session',
    unitPriceMinor: exact ? line.unitPriceMinor : line.amountMinor,
    taxRateId,
  };
}

/** Invoices made from sessions, and deposit invoices (issue 11). */
@Injectable()
export class InvoiceFromBookingsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  /**
   * One room line per session ("12 Mar 2026, 10:00–14:00 · Studio A · Engineers: Ana, Bo · Tracks: …",
   * in the studio's time zone) priced as bookings' billableSummaries prices it, one line per rented
   * equipment item, and the issued deposit invoices of those bookings deducted. The bookings are
   * locked, so two invoices can never take the same session.
   */
  async fromBookings(dto: FromBookingsDto): Promise<InvoiceDto> {
    return this.tenant.transaction(async (m) => {
      const settings = await studioSettings(m);
      // Locked first, in id order, as every path that bills a session locks it (assertBookingsNotInvoiced).
      await assertBookingsNotInvoiced(m, dto.bookingIds, null);
      const bookings = await m.getRepository(Booking).find({ where: { id: In(dto.bookingIds) }, order: { startsAt: 'ASC', id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      const missing = dto.bookingIds.find((id) => !bookings.some((b) => b.id === id));
      if (missing) throw invalid('bookingIds', `${missing} names no booking of your studio`);
      const [first] = bookings;
      if (bookings.some((b) => b.clientId !== first.clientId)) throw invalid('bookingIds', 'the bookings belong to different clients');
      const currency = first.currency.trim();
      if (bookings.some((b) => b.currency.trim() !== currency)) throw invalid('bookingIds', 'the bookings are priced in different currencies');
      const cancelled = bookings.find((b) => b.status === 'cancelled' || b.status === 'no_show');
      if (cancelled) throw invalid('bookingIds', `booking ${cancelled.id} is ${cancelled.status}`);

      const lines = await this.sessionLines(m, bookings, settings.timeZone, dto.taxRateId);
      const priced = await priceLines(m, lines);
      const depositIds = (
        (await m.query(
          `SELECT i.id FROM invoices i WHERE i.kind = 'deposit' AND i.booking_id = ANY($1::uuid[]) AND i.client_id = $2 AND i.currency = $3
              AND i.status = ANY($4::text[])
              AND NOT EXISTS (SELECT 1 FROM invoice_deposits d JOIN invoices f ON f.id = d.invoice_id WHERE d.deposit_invoice_id = i.id AND f.status <> 'void')
            ORDER BY i.issue_date, i.number`,
          [dto.bookingIds, first.clientId, currency, ISSUED_STATUSES],
        )) as Array<{ id: string }>
      ).map((r) => r.id);
      const deposits = await depositDeductions(m, depositIds, first.clientId, currency, null);
      const projects = new Set(bookings.map((b) => b.projectId));
      const repo = m.getRepository(Invoice);
      const invoice = repo.create({
        kind: 'invoice',
        status: 'draft',
        clientId: first.clientId,
        projectId: projects.size === 1 ? first.projectId : null,
        currency,
        createdBy: this.context.principal()?.userId ?? null,
      });
      copyBillTo(invoice, await clientOrInvalid(m, first.clientId));
      await repo.save(invoice);
      await writeDraftContent(m, invoice, { lines: priced, deposits });
      await repo.save(invoice);
      await this.audit.record(m, { action: 'invoice.created', targetType: 'invoice', targetId: invoice.id, details: { kind: 'invoice', bookings: bookings.length } });
      return invoiceView(m, await repo.findOneByOrFail({ id: invoice.id }), todayIn(settings.timeZone));
    });
  }

  private async sessionLines(m: EntityManager, bookings: Booking[], timeZone: string, taxRateId: string | null | undefined): Promise<LineSource[]> {
    const summaries = await billableSummaries(m, bookings);
    const rooms = new Map((await m.getRepository(Room).findBy({ id: In([...new Set(bookings.map((b) => b.roomId))]) })).map((r) => [r.id, r.name]));
    const engineerRows = (await m.query(`SELECT booking_id, user_id FROM booking_engineers WHERE booking_id = ANY($1::uuid[])`, [bookings.map((b) => b.id)])) as Array<{ booking_id: string; user_id: string }>;
    const names = await this.staffNames(engineerRows.map((r) => r.user_id));
    const projectIds = [...new Set(bookings.map((b) => b.projectId).filter((id): id is string => id !== null))];
    const tracks = projectIds.length ? await m.getRepository(Track).find({ where: { projectId: In(projectIds) }, order: { position: 'ASC' } }) : [];
    const lines: LineSource[] = [];
    bookings.forEach((b, i) => {
      const start = DateTime.fromJSDate(b.startsAt, { zone: timeZone });
      const end = DateTime.fromJSDate(b.endsAt, { zone: timeZone });
      const when = `${start.toFormat('d LLL yyyy, HH:mm', { locale: 'en' })}\u2013${end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat('d LLL yyyy, HH:mm', { locale: 'en' })}`;
      const engineers = engineerRows.filter((r) => r.booking_id === b.id).map((r) => names.get(r.user_id) ?? 'Engineer').sort((x, y) => x.localeCompare(y));
      const titles = tracks.filter((t) => t.projectId === b.projectId).map((t) => t.title);
      const parts = [when, rooms.get(b.roomId) ?? 'Room'];
      if (engineers.length) parts.push(`Engineers: ${engineers.join(', ')}`);
      if (titles.length) parts.push(`Tracks: ${titles.join(', ')}`);
      for (const line of summaries[i].lines) {
        if (line.currency !== b.currency.trim()) throw invalid('bookingIds', `${line.description} on booking ${b.id} is priced in ${line.currency}, the booking in ${b.currency.trim()}`);
        const description = line.kind === 'room' ? `${parts.join(' \u00b7 ')}${line.unit === 'day' ? ' (day rate)' : ''}` : `${line.description} \u00b7 ${when}`;
        lines.push(fromBillable(line, description, b.id, taxRateId));
      }
    });
    return lines;
  }

  /** Staff names live in the control database (users): only members of this studio are named (as the engineers list shows them). */
  private async staffNames(userIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return new Map();
    const rows = (await this.control.query(
      `SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = $2 WHERE u.id = ANY($1::uuid[])`,
      [ids, this.tenant.tenantId],
    )) as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * A draft deposit invoice with one `deposit` line: a fixed amount, or a percentage of the booking's
   * billable total. Its tax is its own: carved out of the amount for an inclusive rate, else added.
   */
  async createDeposit(dto: CreateDepositDto): Promise<InvoiceDto> {
    if ((dto.amountMinor === undefined) === (dto.percent === undefined)) throw invalid('amountMinor', 'give exactly one of amountMinor and percent');
    if (dto.percent !== undefined && !dto.bookingId) throw invalid('percent', 'a percentage deposit needs bookingId (its billable total is the base)');
    return this.tenant.transaction(async (m) => {
      const settings = await studioSettings(m);
      const client = await clientOrInvalid(m, dto.clientId);
      await checkReferences(m, client.id, dto);
      const booking = dto.bookingId ? await m.getRepository(Booking).findOneByOrFail({ id: dto.bookingId }) : null;
      const currency = checkCurrency(dto.currency ?? booking?.currency.trim() ?? settings.defaultCurrency.trim());
      if (booking && booking.currency.trim() !== currency) throw invalid('currency', `the booking is priced in ${booking.currency.trim()}`);
      let amount = dto.amountMinor ?? 0;
      if (dto.percent !== undefined) {
        if (Number(dto.percent) <= 0 || Number(dto.percent) > 100) throw invalid('percent', 'percent must be more than 0 and at most 100');
        const [summary] = await billableSummaries(m, [booking!]);
        amount = percentOf(summary.totalMinor, dto.percent);
        if (amount < 1) throw invalid('percent', 'the deposit would be zero');
      }
      const what = booking ? `${booking.title} (${DateTime.fromJSDate(booking.startsAt, { zone: settings.timeZone }).toFormat('d LLL yyyy', { locale: 'en' })})` : null;
      const description = what ? `Deposit for ${what}${dto.percent ? `, ${dto.percent} %` : ''}` : 'Deposit';
      const priced = await priceLines(m, [{ kind: 'deposit', description, quantity: '1', unitPriceMinor: amount, taxRateId: dto.taxRateId, bookingId: null }]);
      const repo = m.getRepository(Invoice);
      const invoice = repo.create({
        kind: 'deposit',
        status: 'draft',
        clientId: client.id,
        projectId: dto.projectId ?? booking?.projectId ?? null,
        bookingId: booking?.id ?? null,
        currency,
        createdBy: this.context.principal()?.userId ?? null,
      });
      copyBillTo(invoice, client);
      await repo.save(invoice);
      await writeDraftContent(m, invoice, { lines: priced, deposits: [] });
      await repo.save(invoice);
      await this.audit.record(m, { action: 'invoice.created', targetType: 'invoice', targetId: invoice.id, details: { kind: 'deposit', amountMinor: amount } });
      return invoiceView(m, await repo.findOneByOrFail({ id: invoice.id }), todayIn(settings.timeZone));
    });
  }
}
