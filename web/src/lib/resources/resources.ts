/**
 * Issue 9, resources: helpers shared by the rooms, equipment, engineers and studio settings pages —
 * money typed in major units, weekday names, and the time zones and currencies the API accepts.
 */
import { currencyDigits, minorToDecimal } from '#lib/format.ts';

/**
 * "45", "45.5", "45,50" (a decimal comma too) → minor units of `currency` (4550 for EUR), exactly (no
 * float arithmetic). Null for text that is not an amount, or that has more decimals than the currency.
 */
export function decimalToMinor(text: string, currency: string): number | null {
	const digits = currencyDigits(currency);
	const match = text.trim().replace(',', '.').match(/^(\d{1,12})(?:\.(\d*))?$/);
	if (!match) return null;
	const fraction = match[2] ?? '';
	if (fraction.length > digits) return null;
	const minor = Number(match[1] + fraction.padEnd(digits, '0'));
	return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the text a money input shows ("4550" EUR → "45.50"); '' for none. */
export function minorToInput(minor: number | null | undefined, currency: string): string {
	return minor === null || minor === undefined ? '' : minorToDecimal(minor, currencyDigits(currency));
}

/** ISO weekdays, Monday first. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** "Monday"… in the user's language (2024-01-01 was a Monday). */
export function weekdayName(weekday: number, locale: string, style: 'long' | 'short' = 'long'): string {
	return new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}

/** The time zones the API accepts: the runtime's IANA list plus UTC (api/src/studio/studio-validators.ts). */
export function timeZones(): string[] {
	const zones = Intl.supportedValuesOf('timeZone');
	return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** Currencies as Select options: "EUR — Euro". */
export function currencyOptions(locale: string): { value: string; label: string }[] {
	const names = new Intl.DisplayNames(locale, { type: 'currency' });
	return Intl.supportedValuesOf('currency').map((code) => ({ value: code, label: `${code} — ${names.of(code) ?? code}` }));
}

export interface DailyHours {
	weekday: number;
	opens: string;
	closes: string;
}

/** A week as a short line: "Mon 09:00–18:00 · Sat 10:00–24:00"; '' for none. */
export function weekSummary(hours: DailyHours[], locale: string): string {
	return hours.map((h) => `${weekdayName(h.weekday, locale, 'short')} ${h.opens}–${h.closes}`).join(' · ');
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms). */
function zoneOffset(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - instant;
}

/**
 * A wall-clock time typed in a datetime-local input ("2026-03-29T09:00"), read in the studio's time
 * zone (not the browser's), as an ISO instant. The offset is taken at the result itself, so days when
 * the clocks change are right; a time the clocks skip lands an hour later. Null when not a date-time.
 */
export function wallTimeToInstant(local: string, timeZone: string): string | null {
	const match = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
	if (!match) return null;
	const [, y, mo, d, h, mi] = match.map(Number);
	const asUtc = Date.UTC(y, mo - 1, d, h, mi);
	if (Number.isNaN(asUtc)) return null;
	let instant = asUtc - zoneOffset(asUtc, timeZone);
	instant = asUtc - zoneOffset(instant, timeZone);
	return new Date(instant).toISOString();
}
