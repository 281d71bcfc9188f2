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
	atSeconds: number;
	body: string;
	resolved: boolean;
	author: { name: string };
}

/**
 * Top-level comments in timeline order, numbered from 1 (the list beside the player uses the same
 * numbers), each with the sentence a screen reader announces for its marker.
 */
export function numberComments<C extends MarkerSource>(comments: readonly C[]): Array<C & { number: number }> {
	return [...comments].sort((a, b) => a.atSeconds - b.atSeconds).map((comment, index) => ({ ...comment, number: index + 1 }));
}
