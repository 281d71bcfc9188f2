import { describe, expect, it } from 'vitest';
import {
	canLoadMore,
	emptyMessage,
	failRequest,
	initialList,
	receivePage,
	removeItem,
	startLoadMore,
	startSearch,
	upsertItem,
	type ListState
} from './paging';

type Item = { id: string; name: string };
const item = (id: string): Item => ({ id, name: `Client ${id}` });

function loaded(items: Item[], nextCursor: string | null, query = ''): ListState<Item> {
	const [s, req] = startSearch(initialList<Item>(), query);
	return receivePage(s, req.seq, { items, nextCursor });
}

describe('cursor paging state', () => {
	it('loads the first page and reports whether more can be loaded', () => {
		const s = loaded([item('1'), item('2')], 'c2');
		expect(s.status).toBe('ready');
		expect(s.items.map((i) => i.id)).toEqual(['1', '2']);
		expect(canLoadMore(s)).toBe(true);
		expect(canLoadMore(loaded([item('1')], null))).toBe(false);
	});

	it('appends the next page using the cursor, without duplicates', () => {
		const s = loaded([item('1'), item('2')], 'c2');
		const started = startLoadMore(s);
		expect(started).not.toBeNull();
		const [loading, req] = started!;
		expect(req.cursor).toBe('c2');
		expect(loading.status).toBe('loading-more');
		expect(startLoadMore(loading)).toBeNull(); // no double "Load more"
		const after = receivePage(loading, req.seq, { items: [item('2'), item('3')], nextCursor: null });
		expect(after.items.map((i) => i.id)).toEqual(['1', '2', '3']);
		expect(after.nextCursor).toBeNull();
		expect(canLoadMore(after)).toBe(false);
	});

	it('ignores responses to superseded searches', () => {
		const s0 = loaded([item('1')], null);
		const [s1, slow] = startSearch(s0, 'an');
		const [s2, fast] = startSearch(s1, 'ann ');
		expect(fast.query).toBe('ann');
		const s3 = receivePage(s2, fast.seq, { items: [item('9')], nextCursor: null });
		const s4 = receivePage(s3, slow.seq, { items: [item('5'), item('6')], nextCursor: 'x' });
		expect(s4).toBe(s3);
		expect(s4.items.map((i) => i.id)).toEqual(['9']);
		expect(failRequest(s4, slow.seq, 'boom')).toBe(s4);
	});

	it('keeps loaded items when loading more fails, and allows retrying', () => {
		const s = loaded([item('1')], 'c1');
		const [loading, req] = startLoadMore(s)!;
		const failed = failRequest(loading, req.seq, 'Server exploded');
		expect(failed).toMatchObject({ status: 'error', error: 'Server exploded', failed: 'more' });
		expect(failed.items).toHaveLength(1);
		expect(canLoadMore(failed)).toBe(true);
		const [, retry] = startLoadMore(failed)!;
		expect(retry.cursor).toBe('c1');
	});

	it('upserts and removes items locally', () => {
		const s = loaded([item('1'), item('2')], null);
		const created = upsertItem(s, item('3'));
		expect(created.items.map((i) => i.id)).toEqual(['3', '1', '2']);
		const edited = upsertItem(created, { id: '1', name: 'Renamed' });
		expect(edited.items.map((i) => i.name)).toEqual(['Client 3', 'Renamed', 'Client 2']);
		expect(removeItem(edited, '3').items.map((i) => i.id)).toEqual(['1', '2']);
	});

	it('describes the empty state for no data vs. no matches', () => {
		expect(emptyMessage(initialList<Item>())).toBeNull(); // still loading
		expect(emptyMessage(loaded([], null))).toBe('No clients yet');
		expect(emptyMessage(loaded([], null, '  Abbey   Road '))).toBe('No clients match “Abbey Road”');
		expect(emptyMessage(loaded([item('1')], null, 'x'))).toBeNull();
	});
});
