// Issue 13, mailnotify: reminder offsets are minutes in the API, hours in the form ("24, 2, 0.5").

export const MIN_REMINDER_MINUTES = 15;
export const MAX_REMINDER_MINUTES = 14 * 24 * 60;
export const MAX_REMINDERS = 4;

/** "24, 2" for [1440, 120]; fractions of an hour as decimals ("0.25" for 15 minutes). */
export function reminderHoursText(minutes: number[]): string {
	return minutes.map((m) => String(Math.round((m / 60) * 100) / 100)).join(', ');
}

/**
 * Minutes from "24, 2" (largest first), or null when the text is not 0 to 4 distinct numbers of hours
 * between 15 minutes and 14 days. An empty text is no reminders.
 */
export function parseReminderHours(text: string): number[] | null {
	const parts = text
		.split(/[,;\s]+/)
		.map((p) => p.trim())
		.filter(Boolean);
	if (parts.length > MAX_REMINDERS) return null;
	const minutes: number[] = [];
	for (const part of parts) {
		if (!/^\d+(\.\d+)?$/.test(part)) return null;
		const value = Math.round(Number(part) * 60);
		if (value < MIN_REMINDER_MINUTES || value > MAX_REMINDER_MINUTES || minutes.includes(value)) return null;
		minutes.push(value);
	}
	return minutes.sort((a, b) => b - a);
}
