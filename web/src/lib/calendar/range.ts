/**
 * The days the calendar shows, as calendar dates ("2026-11-23") in the studio's zone, and the
 * instants the bookings query asks for. Weeks start on Monday (ISO 8601), as the grid does.
 */
import { instantOf, wallClockOf } from './zone.ts';

export type CalendarView = 'week' | 'day';

const DAY_MS = 86_400_000;

function parseDate(date: string): number {
	const [year, month, day] = date.split('-').map(Number);
	return Date.UTC(year, month - 1, day);
}

function formatDate(utcMidnight: number): string {
	return new Date(utcMidnight).toISOString().slice(0, 10);
}

/** Today's date in `timeZone`. */
export function todayIn(timeZone: string, at: Date = new Date()): string {
	const wall = wallClockOf(at, timeZone);
	return formatDate(Date.UTC(wall.year, wall.month - 1, wall.day));
}

/** The first and the day after the last day shown, as dates. */
export function visibleDays(date: string, view: CalendarView): { first: string; afterLast: string } {
	const day = parseDate(date);
	if (view === 'day') return { first: date, afterLast: formatDate(day + DAY_MS) };
	const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
	return { first: formatDate(monday), afterLast: formatDate(monday + 7 * DAY_MS) };
}

/** The instants [from, to) covering the days shown, midnight to midnight in the studio's zone. */
export function dayRange(date: string, view: CalendarView, timeZone: string): { from: string; to: string } {
	const { first, afterLast } = visibleDays(date, view);
	const midnight = (d: string) => {
		const [year, month, day] = d.split('-').map(Number);
		return instantOf({ year, month, day, hour: 0, minute: 0 }, timeZone).toISOString();
	};
	return { from: midnight(first), to: midnight(afterLast) };
}

/** One week or one day earlier or later. */
export function shiftDate(date: string, view: CalendarView, direction: -1 | 1): string {
	return formatDate(parseDate(date) + direction * (view === 'week' ? 7 : 1) * DAY_MS);
}

/** "23 – 29 Nov 2026" for a week, "Monday 23 November 2026" for a day, in the user's language. */
export function viewTitle(date: string, view: CalendarView, locale: string): string {
	if (view === 'day') {
		return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(parseDate(date));
	}
	const { first, afterLast } = visibleDays(date, view);
	const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
	return format.formatRange(parseDate(first), parseDate(afterLast) - DAY_MS);
}
