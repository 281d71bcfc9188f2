/** Statuses in words (messages/{en,fr}.json). */
import { m } from '../paraglide/messages.js';
import { plural } from '../plural.ts';
import type { VersionStatus } from './rounds.ts';

export function versionStatusLabel(status: VersionStatus): string {
	return { awaiting_review: m.review_status_awaiting, changes_requested: m.review_status_changes, approved: m.review_status_approved }[status]();
}

export function deliverableStatusLabel(status: 'open' | 'approved'): string {
	return status === 'approved' ? m.review_status_approved() : m.deliverable_status_open();
}

/** "3 versions" */
export function versionsCount(count: number): string {
	return plural(count, { one: m.review_versions_count_one, other: m.review_versions_count_other });
}

/** "3 comments · 1 open" */
export function commentsSummary(count: number, open: number): string {
	const total = plural(count, { one: m.review_comments_total_one, other: m.review_comments_total_other });
	return `${total} · ${plural(open, { one: m.review_comments_open_one, other: m.review_comments_open_other })}`;
}

/** "+1 extra round (billable)" */
export function extraRoundsLabel(count: number): string {
	return plural(count, { one: m.review_rounds_extra_one, other: m.review_rounds_extra_other });
}

/** A comment's author; a removed member's comments keep their place without a name. */
export function authorName(author: { name: string | null }): string {
	return author.name ?? m.review_author_unknown();
}
