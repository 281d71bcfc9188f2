import type { EntityManager } from 'typeorm';
import { createdKey, decodeNewestFirstCursor, encodeCursor } from '../common/pagination.js';
import type { BookingRequestStatus, PreferredSlot } from './booking-request.entity.js';
import type { BookingRequestDto, PortalBookingRequestDto } from './dto/booking-request.dto.js';

/** One statement for every read of requests: the client's and room's names, the asking contact, the booking made. */
const VIEW_SQL = `SELECT r.id, r.status, r.client_id, c.name AS client_name, a.email AS account_email, r.room_id, rm.name AS room_name,
    r.preferred_slots, r.duration_minutes, r.notes, r.decided_by, r.decided_at, r.decline_reason, r.booking_id, r.created_at,
    b.starts_at AS booking_starts_at, b.ends_at AS booking_ends_at, ${createdKey('r')} AS sort_key
  FROM booking_requests r
  JOIN clients c ON c.id = r.client_id
  LEFT JOIN client_portal_accounts a ON a.id = r.portal_account_id
  LEFT JOIN rooms rm ON rm.id = r.room_id
  LEFT JOIN bookings b ON b.id = r.booking_id`;

export interface RequestRow {
  id: string;
  status: BookingRequestStatus;
  client_id: string;
  client_name: string;
  account_email: string | null;
  room_id: string | null;
  room_name: string | null;
  preferred_slots: PreferredSlot[];
  duration_minutes: number;
  notes: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
  booking_id: string | null;
  created_at: Date;
  booking_starts_at: Date | null;
  booking_ends_at: Date | null;
  sort_key: string;
}

/** Requests matching `where` (SQL over alias r with $n parameters), newest first, one page after `cursor`. */
export async function requestPage(m: EntityManager, where: string[], parameters: unknown[], limit: number, cursor?: string): Promise<{ rows: RequestRow[]; nextCursor: string | null }> {
  const conditions = [...where];
  const params = [...parameters];
  if (cursor) {
    const after = decodeNewestFirstCursor(cursor);
    conditions.push(`(r.created_at, r.id) < (CAST($${params.push(after.key)} AS timestamptz), $${params.push(after.id)}::uuid)`);
  }
  const rows = (await m.query(
    `${VIEW_SQL} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id DESC LIMIT ${Number(limit) + 1}`,
    params,
  )) as RequestRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor([last.sort_key, last.id]) : null };
}

export async function requestRow(m: EntityManager, id: string, clientId?: string): Promise<RequestRow | undefined> {
  const rows = (await m.query(`${VIEW_SQL} WHERE r.id = $1${clientId ? ' AND r.client_id = $2' : ''}`, clientId ? [id, clientId] : [id])) as RequestRow[];
  return rows[0];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const room = (r: RequestRow) => (r.room_id && r.room_name !== null ? { id: r.room_id, name: r.room_name } : null);

export function toStaffView(r: RequestRow): BookingRequestDto {
  return {
    id: r.id,
    status: r.status,
    client: { id: r.client_id, name: r.client_name },
    requestedBy: r.account_email,
    room: room(r),
    preferredSlots: r.preferred_slots,
    durationMinutes: r.duration_minutes,
    notes: r.notes,
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    declineReason: r.decline_reason,
    bookingId: r.booking_id,
    createdAt: r.created_at.toISOString(),
  };
}

export function toPortalView(r: RequestRow): PortalBookingRequestDto {
  return {
    id: r.id,
    status: r.status,
    room: room(r),
    preferredSlots: r.preferred_slots,
    durationMinutes: r.duration_minutes,
    notes: r.notes,
    declineReason: r.decline_reason,
    booking: r.booking_id && r.booking_starts_at && r.booking_ends_at ? { id: r.booking_id, startsAt: r.booking_starts_at.toISOString(), endsAt: r.booking_ends_at.toISOString() } : null,
    decidedAt: iso(r.decided_at),
    createdAt: r.created_at.toISOString(),
  };
}
