import { describe, expect, it } from 'vitest';
import { extraRoundsUsed, nextRoundIsExtra, numberComments, versionTone } from './rounds.ts';

describe('revision rounds', () => {
	it('flags the next request as extra once the included rounds are used', () => {
		expect(nextRoundIsExtra({ roundsUsed: 0, includedRounds: 2 })).toBe(false);
		expect(nextRoundIsExtra({ roundsUsed: 1, includedRounds: 2 })).toBe(false);
		expect(nextRoundIsExtra({ roundsUsed: 2, includedRounds: 2 })).toBe(true);
		expect(nextRoundIsExtra({ roundsUsed: 0, includedRounds: 0 })).toBe(true);
	});
	it('counts the extra rounds used', () => {
		expect(extraRoundsUsed({ roundsUsed: 1, includedRounds: 2 })).toBe(0);
		expect(extraRoundsUsed({ roundsUsed: 3, includedRounds: 2 })).toBe(1);
	});
	it('gives each status its own tone', () => {
		expect(new Set([versionTone('approved'), versionTone('changes_requested'), versionTone('awaiting_review')]).size).toBe(3);
	});
});

describe('numberComments', () => {
	it('numbers comments in timeline order without reordering the input', () => {
		const input = [
			{ id: 'b', atSeconds: 12, body: 'later', resolved: false },
			{ id: 'a', atSeconds: 3, body: 'first', resolved: true },
			{ id: 'c', atSeconds: null, body: 'no time', resolved: false }
		];
		expect(numberComments(input).map((c) => [c.id, c.number, c.atSeconds])).toEqual([
			['c', 1, 0],
			['a', 2, 3],
			['b', 3, 12]
		]);
		expect(input[0].id).toBe('b');
	});
});
