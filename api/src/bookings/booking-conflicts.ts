import type { EntityManager } from 'typeorm';
import { pgErrorCode } from '../common/pg-errors.js';
import type { BookingConflictDto } from './dto/booking.dto.js';

/** What a booking would occupy: its resources over [startsAt - setup, endsAt + teardown). */
export interface Occupancy {
  roomId: string;
  engineerIds: string[];
  equipmentIds: string[];
  startsAt: Date;
  endsAt: Date;
  setupMinutes: number;
  teardownMinutes: number;
}

/** The exclusion constraints of migration 1796100000000-CreateBookings, by the resource each protects. */
const CONSTRAINT_RESOURCES: Record<string, BookingConflictDto['resource']> = {
  EXC_bookings_room_overlap: 'room',
  EXC_booking_engineers_overlap: 'engineer',
  EXC_booking_equipment_overlap: 'equipment',
};

/** The resource whose exclusion constraint refused a write (23P01), or undefined for any other error. */
export function exclusionViolation(err: unknown): BookingConflictDto['resource'] | undefined {
  if (pgErrorCode(err) !== '23P01') return undefined;
  const e = err as { constraint?: string; driverError?: { constraint?: string } };
  return CONSTRAINT_RESOURCES[e.driverError?.constraint ?? e.constraint ?? ''] ?? 'room';
}

/** The span the database will compute (same bounds as the trigger bookings_compute_span), as a range literal. */
export function spanOf(o: Pick<Occupancy, 'startsAt' | 'endsAt' | 'setupMinutes' | 'teardownMinutes'>): string {
  const from = new Date(o.startsAt.getTime() - o.setupMinutes * 60_000).toISOString();
  const to = new Date(o.endsAt.getTime() + o.teardownMinutes * 60_000).toISOString();
  return `[${from},${to})`;
}

/**
 * The active bookings `o` would collide with, for the 409's details: the exclusion constraints are what
 * guarantee it (two concurrent writes both pass this query; one of them then fails on the constraint).
 * Only ids and times: never another client's name. `ignore`: the bookings being changed themselves.
 */
export async function findConflicts(m: EntityManager, o: Occupancy, ignore: string[] = []): Promise<BookingConflictDto[]> {
  const rows = (await m.query(
    `SELECT 'room' AS resource, b.room_id AS resource_id, b.id AS booking_id, lower(b.span) AS starts_at, upper(b.span) AS ends_at
       FROM bookings b WHERE b.active AND b.room_id = $1 AND b.span && $2::tstzrange AND NOT (b.id = ANY($3::uuid[]))
     UNION ALL
     SELECT 'engineer', e.user_id, e.booking_id, lower(e.span), upper(e.span)
       FROM booking_engineers e WHERE e.active AND e.user_id = ANY($4::uuid[]) AND e.span && $2::tstzrange AND NOT (e.booking_id = ANY($3::uuid[]))
     UNION ALL
     SELECT 'equipment', q.equipment_id, q.booking_id, lower(q.span), upper(q.span)
       FROM booking_equipment q WHERE q.active AND q.equipment_id = ANY($5::uuid[]) AND q.span && $2::tstzrange AND NOT (q.booking_id = ANY($3::uuid[]))
     ORDER BY starts_at, resource`,
    [o.roomId, spanOf(o), ignore, o.engineerIds, o.equipmentIds],
  )) as Array<{ resource: BookingConflictDto['resource']; resource_id: string; booking_id: string; starts_at: Date; ends_at: Date }>;
  return rows.map((r) => ({
    resource: r.resource,
    resourceId: r.resource_id,
    bookingId: r.booking_id,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
  }));
}

/**
 * Releases the expired holds that overlap `spans` (status cancelled, reason hold_expired) in the caller's
 * transaction, before it writes: the constraints cannot see now(), so a hold past its expiry still blocks
 * until someone releases it, and the hold-expiry job may not have run yet. Returns the released ids.
 */
export async function releaseExpiredHolds(m: EntityManager, spans: string[]): Promise<string[]> {
  if (!spans.length) return [];
  const rows = (await m.query(
    `UPDATE bookings SET status = 'cancelled', cancellation_reason = 'hold_expired', updated_at = GREATEST(clock_timestamp(), updated_at)
      WHERE status = 'hold' AND hold_expires_at <= clock_timestamp() AND span && ANY($1::tstzrange[])
      RETURNING id`,
    [spans],
  )) as [Array<{ id: string }>, number] | Array<{ id: string }>;
  const list = Array.isArray(rows[0]) ? (rows[0] as Array<{ id: string }>) : (rows as Array<{ id: string }>);
  return list.map((r) => r.id);
}
