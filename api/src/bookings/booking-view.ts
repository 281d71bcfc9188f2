import type { EntityManager } from 'typeorm';
import { Equipment } from '../equipment/equipment.entity.js';
import { BookingEquipment } from './booking-equipment.entity.js';
import { Booking } from './booking.entity.js';
import type { BillableLineDto, BillableSummaryDto, BookingDto } from './dto/booking.dto.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * One SQL statement for every read of bookings as the API shows them (client name joined, engineer and
 * equipment ids aggregated), mapped by hand: the week query returns hundreds of rows, and hydrating them
 * as TypeORM entities plus two more queries measured several times slower (bench/bookings).
 */
const VIEW_SQL = `SELECT b.id, b.title, b.status, b.client_id, c.name AS client_name, b.room_id, b.project_id, b.series_id, b.starts_at, b.ends_at,
    b.setup_minutes, b.teardown_minutes, b.hold_expires_at, b.cancellation_reason, b.notes, b.hourly_rate_minor, b.day_rate_minor, b.currency,
    b.actual_start_at, b.actual_end_at, b.access_code, b.rules_overridden_by, b.created_at, b.updated_at,
    ARRAY(SELECT e.user_id FROM booking_engineers e WHERE e.booking_id = b.id ORDER BY e.user_id) AS engineer_ids,
    ARRAY(SELECT q.equipment_id FROM booking_equipment q WHERE q.booking_id = b.id ORDER BY q.equipment_id) AS equipment_ids
  FROM bookings b JOIN clients c ON c.id = b.client_id`;

interface ViewRow {
  id: string;
  title: string;
  status: Booking['status'];
  client_id: string;
  client_name: string;
  room_id: string;
  project_id: string | null;
  series_id: string | null;
  starts_at: Date;
  ends_at: Date;
  setup_minutes: number;
  teardown_minutes: number;
  hold_expires_at: Date | null;
  cancellation_reason: string | null;
  notes: string | null;
  hourly_rate_minor: number;
  day_rate_minor: number | null;
  currency: string;
  actual_start_at: Date | null;
  actual_end_at: Date | null;
  access_code: string;
  rules_overridden_by: string | null;
  created_at: Date;
  updated_at: Date;
  engineer_ids: string[];
  equipment_ids: string[];
}

/** Bookings matching `where` (SQL over alias b, with $n parameters), as the API shows them, ordered by `orderBy`. */
export async function bookingViews(m: EntityManager, where: string, parameters: unknown[], orderBy = 'b.starts_at, b.id', limit?: number): Promise<BookingDto[]> {
  const rows = (await m.query(`${VIEW_SQL} WHERE ${where} ORDER BY ${orderBy}${limit ? ` LIMIT ${Number(limit)}` : ''}`, parameters)) as ViewRow[];
  return rows.map(toView);
}

export async function bookingView(m: EntityManager, id: string): Promise<BookingDto | undefined> {
  return (await bookingViews(m, 'b.id = $1', [id]))[0];
}

function toView(r: ViewRow): BookingDto {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    clientId: r.client_id,
    client: { id: r.client_id, name: r.client_name },
    roomId: r.room_id,
    engineerIds: r.engineer_ids,
    equipmentIds: r.equipment_ids,
    projectId: r.project_id,
    seriesId: r.series_id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    setupMinutes: r.setup_minutes,
    teardownMinutes: r.teardown_minutes,
    holdExpiresAt: iso(r.hold_expires_at),
    cancellationReason: r.cancellation_reason,
    notes: r.notes,
    rate: { hourlyRateMinor: r.hourly_rate_minor, dayRateMinor: r.day_rate_minor, currency: r.currency.trim() },
    actualStartAt: iso(r.actual_start_at),
    actualEndAt: iso(r.actual_end_at),
    accessCode: r.access_code,
    rulesOverridden: r.rules_overridden_by !== null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const HOUR = 3_600_000;

/**
 * What a booking costs. Room: billed hours × the snapshot hourly rate, or the day rate per started day when
 * that is cheaper. Billed hours are the actual session once checked out (overtime included), else the
 * booked time. Equipment: its rate per hour (billed hours) or per session. Amounts are rounded to the minor unit.
 */
export async function billableSummary(m: EntityManager, b: Booking): Promise<BillableSummaryDto> {
  return priceBooking(b, (await equipmentOf(m, [b.id])).get(b.id) ?? []);
}

/** Billable summaries of many bookings (a project's sessions) with one equipment query for them all. */
export async function billableSummaries(m: EntityManager, bookings: Booking[]): Promise<BillableSummaryDto[]> {
  const equipment = await equipmentOf(m, bookings.map((b) => b.id));
  return bookings.map((b) => priceBooking(b, equipment.get(b.id) ?? []));
}

/** The equipment booked on each of these bookings, by name. */
async function equipmentOf(m: EntityManager, bookingIds: string[]): Promise<Map<string, Equipment[]>> {
  const byBooking = new Map<string, Equipment[]>();
  if (!bookingIds.length) return byBooking;
  const { entities, raw } = await m
    .getRepository(Equipment)
    .createQueryBuilder('e')
    .innerJoin(BookingEquipment, 'q', 'q.equipment_id = e.id')
    .addSelect('q.booking_id', 'booking_id')
    .where('q.booking_id = ANY(:ids)', { ids: bookingIds })
    .orderBy('e.name')
    .addOrderBy('e.id')
    .getRawAndEntities<{ booking_id: string; e_id: string }>();
  const byId = new Map(entities.map((e) => [e.id, e]));
  for (const row of raw) {
    const item = byId.get(row.e_id);
    if (item) byBooking.set(row.booking_id, [...(byBooking.get(row.booking_id) ?? []), item]);
  }
  return byBooking;
}

function priceBooking(b: Booking, items: Equipment[]): BillableSummaryDto {
  const bookedMs = b.endsAt.getTime() - b.startsAt.getTime();
  const actualMs = b.actualStartAt && b.actualEndAt ? b.actualEndAt.getTime() - b.actualStartAt.getTime() : null;
  const billedMs = actualMs ?? bookedMs;
  const billedHours = billedMs / HOUR;
  const overtimeMs = b.actualEndAt && b.actualEndAt > b.endsAt ? b.actualEndAt.getTime() - b.endsAt.getTime() : 0;
  const currency = b.currency.trim();

  const byHour = Math.round(billedHours * b.hourlyRateMinor);
  const days = Math.max(1, Math.ceil(billedMs / (24 * HOUR)));
  const byDay = b.dayRateMinor === null ? null : days * b.dayRateMinor;
  const lines: BillableLineDto[] = [
    byDay !== null && byDay < byHour
      ? { kind: 'room', itemId: b.roomId, description: 'Room (day rate)', unit: 'day', quantity: days, unitPriceMinor: b.dayRateMinor!, amountMinor: byDay, currency }
      : { kind: 'room', itemId: b.roomId, description: 'Room', unit: 'hour', quantity: round2(billedHours), unitPriceMinor: b.hourlyRateMinor, amountMinor: byHour, currency },
  ];
  for (const item of items) {
    if (item.rateMinor === null) continue; // included in the room
    const perHour = item.rateUnit === 'hour';
    lines.push({
      kind: 'equipment',
      itemId: item.id,
      description: item.name,
      unit: perHour ? 'hour' : 'session',
      quantity: perHour ? round2(billedHours) : 1,
      unitPriceMinor: item.rateMinor,
      amountMinor: perHour ? Math.round(billedHours * item.rateMinor) : item.rateMinor,
      currency: (item.currency ?? currency).trim(),
    });
  }
  return {
    bookingId: b.id,
    bookedHours: round2(bookedMs / HOUR),
    billedHours: round2(billedHours),
    overtimeHours: round2(overtimeMs / HOUR),
    lines,
    totalMinor: lines.filter((l) => l.currency === currency).reduce((sum, l) => sum + l.amountMinor, 0),
    currency,
  };
}
