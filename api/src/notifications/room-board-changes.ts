import type { EntityManager } from 'typeorm';

/** Booking events read per look (a busier burst is read on the next wake-up). */
const LIMIT = 500;

/** What a `board.changed` event carries: the room whose board card to refresh, and why. */
export interface BoardChange {
  roomId: string | null;
  bookingId: string;
  type: string;
}

/**
 * Issue 13, board: which rooms changed, read from the booking events the dispatcher has dispatched — no
 * per-instance state. Ordered by `dispatched_at`, which is exact: every dispatch transaction holds the
 * studio's notification write lock, so a later dispatch's clock_timestamp() is after an earlier one's
 * commit, and a reader never finds an older `dispatched_at` committed after a newer one.
 * The cursor is kept as PostgreSQL's text of the timestamp (microseconds; a JS Date would round to ms).
 */
export async function boardCursorNow(m: EntityManager): Promise<string> {
  const [row] = (await m.query(`SELECT COALESCE(max(dispatched_at), '-infinity'::timestamptz)::text AS at FROM outbox WHERE subject_type IN ('booking', 'booking_series')`)) as Array<{ at: string }>;
  return row.at;
}

export async function boardChangesSince(m: EntityManager, since: string): Promise<{ cursor: string | null; rooms: BoardChange[] }> {
  const rows = (await m.query(
    `SELECT o.dispatched_at::text AS at, o.type, o.subject_id::text AS booking_id, b.room_id::text AS room_id
       FROM outbox o LEFT JOIN bookings b ON b.id = o.subject_id
      WHERE o.subject_type IN ('booking', 'booking_series') AND o.dispatched_at > $1::timestamptz
      ORDER BY o.dispatched_at LIMIT ${LIMIT}`,
    [since],
  )) as Array<{ at: string; type: string; booking_id: string; room_id: string | null }>;
  if (!rows.length) return { cursor: null, rooms: [] };
  // One event per room (the last change wins): the client re-fetches the board either way.
  const byRoom = new Map<string, BoardChange>();
  for (const r of rows) byRoom.set(r.room_id ?? r.booking_id, { roomId: r.room_id, bookingId: r.booking_id, type: r.type });
  return { cursor: rows[rows.length - 1].at, rooms: [...byRoom.values()] };
}
