/** The sentences the calendar shows for a refused booking: what it collides with, and when. */
import { formatDateTime } from '#lib/format.ts';
import { m } from '#lib/paraglide/messages.js';
import type { Conflict } from './api.ts';

export interface ResourceNames {
	room: (id: string) => string | undefined;
	engineer: (id: string) => string | undefined;
	equipment: (id: string) => string | undefined;
}

/** "Studio A is taken from 10:00 to 12:00 on 1 Dec 2026" (times in the studio's zone, buffers included). */
export function conflictSentence(conflict: Conflict, names: ResourceNames, timeZone: string, locale: string): string {
	const name = names[conflict.resource]?.(conflict.resourceId);
	const what =
		conflict.resource === 'room'
			? m.calendar_conflict_room({ name: name ?? m.calendar_conflict_unknown_room() })
			: conflict.resource === 'engineer'
				? m.calendar_conflict_engineer({ name: name ?? m.calendar_conflict_unknown_engineer() })
				: m.calendar_conflict_equipment({ name: name ?? m.calendar_conflict_unknown_equipment() });
	// The other booking's times are null when it could not be read back (e.g. deleted meanwhile).
	if (!conflict.startsAt || !conflict.endsAt) return m.calendar_conflict_sentence_untimed({ what });
	const day = formatDateTime(conflict.startsAt, locale, timeZone, 'date');
	if (day !== formatDateTime(conflict.endsAt, locale, timeZone, 'date')) {
		const from = formatDateTime(conflict.startsAt, locale, timeZone);
		return m.calendar_conflict_sentence_range({ what, from, to: formatDateTime(conflict.endsAt, locale, timeZone) });
	}
	const from = formatDateTime(conflict.startsAt, locale, timeZone, 'time');
	return m.calendar_conflict_sentence({ what, day, from, to: formatDateTime(conflict.endsAt, locale, timeZone, 'time') });
}

/** The whole message: a lead and one sentence per conflict (several resources may collide). */
export function conflictMessage(conflicts: Conflict[], names: ResourceNames, timeZone: string, locale: string): string {
	const sentences = conflicts.map((c) => conflictSentence(c, names, timeZone, locale));
	return [m.calendar_conflict_lead(), ...new Set(sentences)].join(' ');
}
