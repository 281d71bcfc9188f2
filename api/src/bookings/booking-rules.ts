import { DateTime } from 'luxon';
import type { Room } from '../rooms/room.entity.js';
import type { DailyHours, StudioSettings } from '../studio/studio-settings.entity.js';
import { BookingRuleProblem } from './booking-problems.js';

export interface BookingTimes {
  startsAt: Date;
  endsAt: Date;
}

const minutes = (ms: number) => ms / 60_000;

/** "HH:MM" → minutes after midnight ("24:00" = 1440). */
const clock = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/**
 * The studio's booking rules for one booking, in its time zone: minimum notice and length of the room,
 * and opening hours (the room's, else the studio's; an empty list is no rule). A session over several
 * days must be inside each day's hours (so an overnight session needs days that close at 24:00 and open at 00:00).
 * Throws the first rule broken; admins skip this with overrideRules.
 */
export function checkBookingRules(times: BookingTimes, room: Room, studio: StudioSettings, now: Date): void {
  const length = minutes(times.endsAt.getTime() - times.startsAt.getTime());
  if (minutes(times.startsAt.getTime() - now.getTime()) < room.minNoticeMinutes) {
    throw new BookingRuleProblem('min_notice', `This room needs ${room.minNoticeMinutes} minutes' notice before a session starts.`);
  }
  if (length < room.minLengthMinutes) {
    throw new BookingRuleProblem('min_length', `Sessions in this room last at least ${room.minLengthMinutes} minutes.`);
  }
  if (room.maxLengthMinutes !== null && length > room.maxLengthMinutes) {
    throw new BookingRuleProblem('max_length', `Sessions in this room last at most ${room.maxLengthMinutes} minutes.`);
  }
  const hours = room.openingHours ?? studio.openingHours;
  if (hours.length && !withinOpeningHours(times, hours, studio.timeZone)) {
    throw new BookingRuleProblem('opening_hours', `The session is outside the opening hours (${studio.timeZone} time).`);
  }
}

function withinOpeningHours(times: BookingTimes, hours: DailyHours[], timeZone: string): boolean {
  const end = DateTime.fromJSDate(times.endsAt, { zone: timeZone });
  let day = DateTime.fromJSDate(times.startsAt, { zone: timeZone }).startOf('day');
  while (day < end) {
    const next = day.plus({ days: 1 }).startOf('day');
    const from = DateTime.max(day, DateTime.fromJSDate(times.startsAt, { zone: timeZone }));
    const to = DateTime.min(next, end);
    // Wall-clock minutes after this day's midnight (a DST day has 23 or 25 hours: count by the clock).
    const fromClock = from.hour * 60 + from.minute;
    const toClock = to.equals(next) ? 1440 : to.hour * 60 + to.minute;
    const open = hours.filter((h) => h.weekday === day.weekday);
    if (!open.some((h) => clock(h.opens) <= fromClock && toClock <= clock(h.closes))) return false;
    day = next;
  }
  return true;
}
