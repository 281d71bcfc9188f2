/** Up to two initials for an avatar: "Ada Lovelace" → "AL", "the midnight owls" → "TM", "Ñandú" → "Ñ". */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/).filter(Boolean);
	const letters = words.map((w) => [...w][0] ?? '').filter((c) => /\p{L}|\p{N}/u.test(c));
	const picked = letters.length > 1 ? [letters[0], letters[letters.length - 1]] : letters.slice(0, 1);
	return picked.join('').toLocaleUpperCase() || '?';
}
