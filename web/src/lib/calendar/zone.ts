/**
 * Wall-clock times in the studio's time zone (an IANA name such as Europe/Paris) ↔ instants.
 *
 * @event-calendar/core only knows 'local', 'UTC' or a fixed '±HH:MM' offset, which is wrong for a
 * week that crosses a daylight-saving change and for a browser elsewhere than the studio. So the
 * calendar is fed "floating" wall-clock strings computed here, and what it hands back (a drop, a
 * selection) is read as wall-clock and turned into an instant here again, with Intl's time zone data.
 */

export interface WallClock {
	year: number;
	/** 1–12 */
	month: number;
	day: number;
	hour: number;
	minute: number;
	second?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallClockOf(instant: Date | string, timeZone: string): WallClock {
	const date = typeof instant === 'string' ? new Date(instant) : instant;
	const parts: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(date)) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at `instant`, in minutes (Paris in winter: 60). */
export function offsetMinutesAt(instant: Date, timeZone: string): number {
	const wall = wallClockOf(instant, timeZone);
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
	return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** "+01:00" for an offset of 60 minutes. */
export function offsetString(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The instant at which clocks in `timeZone` read `wall`. A time skipped by a spring-forward change
 * (02:30 in Paris on the last Sunday of March) resolves to the same distance after the change
 * (03:30), as most calendars do; a repeated autumn time resolves to its first occurrence.
 */
export function instantOf(wall: WallClock, timeZone: string): Date {
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
	// The zone's offsets half a day either side: any change happens between them.
	const earlier = offsetMinutesAt(new Date(asUtc - 43_200_000), timeZone);
	const later = offsetMinutesAt(new Date(asUtc + 43_200_000), timeZone);
	const readsAsWall = (instant: number) => {
		const seen = wallClockOf(new Date(instant), timeZone);
		return seen.year === wall.year && seen.month === wall.month && seen.day === wall.day && seen.hour === wall.hour && seen.minute === wall.minute;
	};
	const matches = [asUtc - earlier * 60_000, asUtc - later * 60_000].filter(readsAsWall);
	// Repeated time: the first occurrence. Skipped time: read with the offset before the change.
	return new Date(matches.length > 0 ? Math.min(...matches) : asUtc - earlier * 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-03-29T10:00:00": a floating wall-clock string (no offset) for the calendar. */
export function floatingString(wall: WallClock): string {
	return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second ?? 0)}`;
}

/** `instant` as a floating wall-clock string in `timeZone`. */
export function toFloating(instant: Date | string, timeZone: string): string {
	return floatingString(wallClockOf(instant, timeZone));
}

/** A floating "YYYY-MM-DDTHH:mm[:ss]" string (the calendar's, or an <input type="datetime-local">'s) → its parts. */
export function parseFloating(text: string): WallClock | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
	if (!match) return null;
	const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0));
	return { year, month, day, hour, minute, second };
}

/**
 * What the calendar's callbacks hand back: a Date whose *local* fields carry the calendar's
 * wall-clock time (the library's convention), read back as wall-clock parts.
 */
export function wallClockOfCalendarDate(date: Date): WallClock {
	return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(), hour: date.getHours(), minute: date.getMinutes(), second: 0 };
}

/** "2026-03-29T10:00" for an <input type="datetime-local"> showing `instant` in `timeZone`. */
export function toLocalInput(instant: Date | string, timeZone: string): string {
	return toFloating(instant, timeZone).slice(0, 16);
}

/** An <input type="datetime-local"> value read in `timeZone` → ISO instant, or null when empty or malformed. */
export function fromLocalInput(value: string, timeZone: string): string | null {
	const wall = parseFloating(value);
	return wall ? instantOf(wall, timeZone).toISOString() : null;
}
