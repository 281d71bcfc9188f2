import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import type { DailyHours } from '../studio/studio-settings.entity.js';
import type { UtilisationRoomDto } from './dto/report.dto.js';
import type { ReportRange } from './report-range.js';

/** Open all day every day: what an empty opening-hours list (no rule: bookable at any time) means here. */
const ALWAYS_OPEN: DailyHours[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' }));

/** "HH:MM" on a local day → that instant ("24:00" = the next day's midnight); luxon resolves a DST gap forwards. */
const at = (day: DateTime, hhmm: string) => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return hour === 24 ? day.plus({ days: 1 }).startOf('day') : day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * Minutes a room is open over the range: each day's opening hours as wall-clock times in the studio's
 * time zone, measured in real elapsed time (a 00:00–24:00 day is 23 h when the clocks go forward, 25 h
 * when they go back).
 */
export function openMinutes(hours: DailyHours[], range: ReportRange): number {
  const week = hours.length ? hours : ALWAYS_OPEN;
  let total = 0;
  const last = DateTime.fromISO(range.to, { zone: range.timeZone });
  for (let day = DateTime.fromISO(range.from, { zone: range.timeZone }); day <= last; day = day.plus({ days: 1 })) {
    for (const h of week.filter((w) => w.weekday === day.weekday)) {
      total += Math.max(0, at(day, h.closes).diff(at(day, h.opens), 'minutes').minutes);
    }
  }
  return Math.round(total);
}

/**
 * Per room: minutes booked (sessions neither cancelled nor no-show, from start to end without the
 * setup/teardown buffers, clipped to the range) against minutes open (the room's opening hours, else
 * the studio's). Active rooms, and inactive ones that had sessions in the range.
 */
export async function utilisationReport(m: EntityManager, range: ReportRange, studioHours: DailyHours[]): Promise<UtilisationRoomDto[]> {
  // LEAST/GREATEST skip NULLs: without the FILTER a room with no session would count the whole range as booked.
  const rows = (await m.query(
    `SELECT r.id, r.name, r.active, r.opening_hours,
            COALESCE(sum(EXTRACT(EPOCH FROM LEAST(b.ends_at, $2) - GREATEST(b.starts_at, $1))) FILTER (WHERE b.id IS NOT NULL), 0)::float8 AS booked_seconds
       FROM rooms r
       LEFT JOIN bookings b ON b.room_id = r.id AND b.status NOT IN ('cancelled', 'no_show') AND b.starts_at < $2 AND b.ends_at > $1
      GROUP BY r.id
      ORDER BY lower(r.name), r.id`,
    [range.startsAt, range.endsAt],
  )) as Array<{ id: string; name: string; active: boolean; opening_hours: DailyHours[] | null; booked_seconds: number }>;
  return rows
    .filter((r) => r.active || r.booked_seconds > 0)
    .map((r) => {
      const open = openMinutes(r.opening_hours ?? studioHours, range);
      const booked = Math.round(r.booked_seconds / 60);
      return { roomId: r.id, roomName: r.name, bookedMinutes: booked, openMinutes: open, ratio: open > 0 ? Math.round((booked / open) * 10_000) / 10_000 : null };
    });
}
