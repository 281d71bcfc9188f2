import type { ProjectStatus, ProjectType, TrackStatus } from '#lib/api/types.ts';
import { formatDateTime } from '#lib/format.ts';
import { m } from '#lib/paraglide/messages.js';

export const PROJECT_STATUSES: ProjectStatus[] = ['planned', 'in_progress', 'delivered', 'archived'];
export const PROJECT_TYPES: ProjectType[] = ['album', 'ep', 'single', 'podcast', 'soundtrack', 'other'];
export const TRACK_STATUSES: TrackStatus[] = ['recording', 'editing', 'mixing', 'mastering', 'done'];

export const projectStatusLabel = (s: ProjectStatus): string =>
	({ planned: m.project_status_planned, in_progress: m.project_status_in_progress, delivered: m.project_status_delivered, archived: m.project_status_archived })[s]();
export const projectTypeLabel = (t: ProjectType): string =>
	({ album: m.project_type_album, ep: m.project_type_ep, single: m.project_type_single, podcast: m.project_type_podcast, soundtrack: m.project_type_soundtrack, other: m.project_type_other })[t]();
export const trackStatusLabel = (s: TrackStatus): string =>
	({ recording: m.track_status_recording, editing: m.track_status_editing, mixing: m.track_status_mixing, mastering: m.track_status_mastering, done: m.track_status_done })[s]();

export const projectStatusTone = (s: ProjectStatus) => (({ planned: 'neutral', in_progress: 'primary', delivered: 'success', archived: 'neutral' }) as const)[s];

/** A due date is a calendar day, not an instant: shown as that day wherever the studio is. */
export const formatDueDate = (date: string, locale: string) => formatDateTime(`${date}T12:00:00Z`, locale, 'UTC', 'date');

/** Minutes as hours with up to two decimals ("5.5 h"). */
export const minutesToHours = (minutes: number, locale: string) =>
	new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(minutes / 60);

/** `ids` with the item at `from` moved to `to` (for the keyboard move buttons). */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
	if (to < 0 || to >= items.length || from === to) return [...items];
	const next = [...items];
	const [item] = next.splice(from, 1);
	next.splice(to, 0, item);
	return next;
}
