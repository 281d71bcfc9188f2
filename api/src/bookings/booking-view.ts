import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Equipment } from '../equipment/equipment.entity.js';
import { BookingEngineer } from './booking-engineer.entity.js';
import { BookingEquipment } from './booking-equipment.entity.js';
import { Booking } from './booking.entity.js';
import type { BillableLineDto, BillableSummaryDto, BookingDto } from './dto/booking.dto.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Bookings with their client, engineers and equipment, as the API shows them, in the query's order. */
export async function bookingViews(m: EntityManager, query: (qb: SelectQueryBuilder<Booking>) => SelectQueryBuilder<Booking>): Promise<BookingDto[]> {
  const bookings = await query(m.getRepository(Booking).createQueryBuilder('b').innerJoinAndSelect('b.client', 'client')).getMany();
  if (!bookings.length) return [];
  const ids = bookings.map((b) => b.id);
  const engineers = await m.getRepository(BookingEngineer).createQueryBuilder('e').where('e.booking_id = ANY(:ids)', { ids }).orderBy('e.user_id').getMany();
  const equipment = await m.getRepository(BookingEquipment).createQueryBuilder('q').where('q.booking_id = ANY(:ids)', { ids }).orderBy('q.equipment_id').getMany();
  return bookings.map((b) =>
    toBookingDto(
      b,
      engineers.filter((e) => e.bookingId === b.id).map((e) => e.userId),
      equipment.filter((q) => q.bookingId === b.id).map((q) => q.equipmentId),
    ),
  );
}

export async function bookingView(m: EntityManager, id: string): Promise<BookingDto | undefined> {
  return (await bookingViews(m, (qb) => qb.where('b.id = :id', { id })))[0];
}

export function toBookingDto(b: Booking, engineerIds: string[], equipmentIds: string[]): BookingDto {
  return {
    id: b.id,
    title: b.title,
    status: b.status,
    clientId: b.clientId,
    client: { id: b.client!.id, name: b.client!.name },
    roomId: b.roomId,
    engineerIds,
    equipmentIds,
    projectId: b.projectId,
    seriesId: b.seriesId,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    setupMinutes: b.setupMinutes,
    teardownMinutes: b.teardownMinutes,
    holdExpiresAt: iso(b.holdExpiresAt),
    cancellationReason: b.cancellationReason,
    notes: b.notes,
    rate: { hourlyRateMinor: b.hourlyRateMinor, dayRateMinor: b.dayRateMinor, currency: b.currency.trim() },
    actualStartAt: iso(b.actualStartAt),
    actualEndAt: iso(b.actualEndAt),
    accessCode: b.accessCode,
    rulesOverridden: b.rulesOverriddenBy !== null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
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
  const items = await m
    .getRepository(Equipment)
    .createQueryBuilder('e')
    .innerJoin(BookingEquipment, 'q', 'q.equipment_id = e.id')
    .where('q.booking_id = :id', { id: b.id })
    .orderBy('e.name')
    .getMany();
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
