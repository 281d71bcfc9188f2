/**
 * Cursor-paged, searchable list state as plain immutable data plus pure
 * transitions, so the component just does `list = transition(list, ...)`.
 *
 * Every request gets a sequence number; a response is applied only if it
 * belongs to the latest request, so a slow response for an old search term
 * can never overwrite the results of a newer one.
 */

export interface Page<T> {
	items: T[];
	nextCursor?: string | null;
	/** How many items match in all (every page), when the API says. */
	total?: number;
}

export type ListStatus = 'loading' | 'loading-more' | 'ready' | 'error';

export interface ListState<T> {
	/** The search term the current items belong to (or are loading for). */
	query: string;
	items: T[];
	nextCursor: string | null;
	/** Matching items in all, or null until known. */
	total: number | null;
	status: ListStatus;
	/** Message of the last failure, when status is 'error'. */
	error: string | null;
	/** What failed: the first page (search) or a following page (more). */
	failed: 'search' | 'more' | null;
	/** Sequence number of the latest request. */
	seq: number;
}

export interface PageRequest {
	seq: number;
	query: string;
	cursor: string | null;
}

export function initialList<T>(query = ''): ListState<T> {
	return { query: normalizeQuery(query), items: [], nextCursor: null, total: null, status: 'loading', error: null, failed: null, seq: 0 };
}

export function normalizeQuery(query: string): string {
	return query.trim().replace(/\s+/g, ' ');
}

/**
 * Start loading the first page for `query`. Current items stay visible until
 * the new page arrives (no flicker while typing).
 */
export function startSearch<T>(state: ListState<T>, query: string): [ListState<T>, PageRequest] {
	const q = normalizeQuery(query);
	const seq = state.seq + 1;
	return [
		{ ...state, query: q, status: 'loading', error: null, failed: null, seq },
		{ seq, query: q, cursor: null }
	];
}

export function canLoadMore<T>(state: ListState<T>): boolean {
	return state.nextCursor !== null && (state.status === 'ready' || (state.status === 'error' && state.failed === 'more'));
}

/** Start loading the next page; returns null when there is nothing (more) to load. */
export function startLoadMore<T>(state: ListState<T>): [ListState<T>, PageRequest] | null {
	if (!canLoadMore(state)) return null;
	const seq = state.seq + 1;
	return [
		{ ...state, status: 'loading-more', error: null, failed: null, seq },
		{ seq, query: state.query, cursor: state.nextCursor }
	];
}

export function receivePage<T extends { id: string }>(state: ListState<T>, seq: number, page: Page<T>): ListState<T> {
	if (seq !== state.seq) return state; // stale response
	let items: T[];
	if (state.status === 'loading-more') {
		const seen = new Set(state.items.map((i) => i.id));
		items = [...state.items, ...page.items.filter((i) => !seen.has(i.id))];
	} else {
		items = page.items;
	}
	const total = page.total ?? state.total;
	return { ...state, items, nextCursor: page.nextCursor ?? null, total, status: 'ready', error: null, failed: null };
}

export function failRequest<T>(state: ListState<T>, seq: number, message: string): ListState<T> {
	if (seq !== state.seq) return state;
	const failed = state.status === 'loading-more' ? 'more' : 'search';
	return { ...state, status: 'error', error: message, failed };
}

/**
 * Put a new or edited item where the list's order puts it. When that place lies beyond the loaded
 * pages, the item is left out (it arrives with "show more", in order) rather than shown out of place.
 */
export function placeItem<T extends { id: string }>(state: ListState<T>, item: T, compare: (a: T, b: T) => number): ListState<T> {
	const isNew = !state.items.some((i) => i.id === item.id);
	const others = state.items.filter((i) => i.id !== item.id);
	const index = others.findIndex((other) => compare(item, other) < 0);
	const total = state.total === null ? null : state.total + (isNew ? 1 : 0);
	if (index === -1 && state.nextCursor !== null) return { ...state, items: others, total };
	const at = index === -1 ? others.length : index;
	return { ...state, items: [...others.slice(0, at), item, ...others.slice(at)], total };
}

export function removeItem<T extends { id: string }>(state: ListState<T>, id: string): ListState<T> {
	const had = state.items.some((i) => i.id === id);
	const total = state.total === null || !had ? state.total : Math.max(0, state.total - 1);
	return { ...state, items: state.items.filter((i) => i.id !== id), total };
}
