/**
 * Revision rounds as the review pages show them. The API counts (each "changes requested" is a
 * round; past the project's included rounds it is an extra, billable one); these only phrase it.
 */

export type VersionStatus = 'awaiting_review' | 'changes_requested' | 'approved';
export type BadgeTone = 'neutral' | 'primary' | 'success' | 'warning' | 'danger';

export interface RoundCounts {
	roundsUsed: number;
	includedRounds: number;
}

/** Whether one more "changes requested" would be past the included rounds (billable). */
export function nextRoundIsExtra({ roundsUsed, includedRounds }: RoundCounts): boolean {
	return roundsUsed + 1 > includedRounds;
}

/** How many rounds were used beyond the included ones. */
export function extraRoundsUsed({ roundsUsed, includedRounds }: RoundCounts): number {
	return Math.max(0, roundsUsed - includedRounds);
}

export function versionTone(status: VersionStatus): BadgeTone {
	switch (status) {
		case 'approved':
			return 'success';
		case 'changes_requested':
			return 'warning';
		case 'awaiting_review':
			return 'primary';
	}
}

/** A comment as the timeline needs it. */
export interface MarkerSource {
	id: string;
	/** Null only on replies, which never reach the timeline. */
	atSeconds: number | null;
	body: string;
	resolved: boolean;
}

/**
 * Top-level comments in timeline order, numbered from 1 (the list beside the player uses the same
 * numbers).
 */
export function numberComments<C extends MarkerSource>(comments: readonly C[]): Array<C & { number: number; atSeconds: number }> {
	return [...comments]
		.map((comment) => ({ ...comment, atSeconds: comment.atSeconds ?? 0 }))
		.sort((a, b) => a.atSeconds - b.atSeconds)
		.map((comment, index) => ({ ...comment, number: index + 1 }));
}
