/** The clients list's orders (the API's `sort` parameter) and the same order in the browser. */
import type { SortState } from '#lib/components/DataTable.svelte';

export const CLIENT_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];
export const DEFAULT_CLIENT_SORT: ClientSort = 'name';

export function parseClientSort(value: string | null | undefined): ClientSort {
	return (CLIENT_SORTS as readonly string[]).includes(value ?? '') ? (value as ClientSort) : DEFAULT_CLIENT_SORT;
}

export function sortToState(sort: ClientSort): SortState {
	return sort.startsWith('-') ? { key: sort.slice(1), direction: 'desc' } : { key: sort, direction: 'asc' };
}

export function stateToSort(state: SortState): ClientSort {
	return parseClientSort(state.direction === 'desc' ? `-${state.key}` : state.key);
}

interface Sortable {
	id: string;
	name: string;
	createdAt: string;
}

/**
 * Orders two clients as the API does for `sort` (ties broken by id), so that a client added or
 * renamed in the browser lands where a reload would put it.
 */
export function clientComparator(sort: ClientSort): (a: Sortable, b: Sortable) => number {
	const direction = sort.startsWith('-') ? -1 : 1;
	const key = sort.replace(/^-/, '') as 'name' | 'createdAt';
	return (a, b) => {
		const primary = key === 'name' ? a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) : Date.parse(a.createdAt) - Date.parse(b.createdAt);
		if (primary !== 0) return primary * direction;
		return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * direction;
	};
}
