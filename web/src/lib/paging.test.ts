import { describe, expect, it } from 'vitest';
import { canLoadMore, failRequest, initialList, placeItem, receivePage, removeItem, startLoadMore, startSearch, type ListState } from './paging';

type Item = { id: string; name: string };
const item = (id: string, name = `Client ${id}`): Item => ({ id, name });
const byName = (a: Item, b: Item) => a.name.localeCompare(b.name);

function loaded(items: Item[], nextCursor: string | null, query = '', total?: number): ListState<Item> {
	const [s, req] = startSearch(initialList<Item>(), query);
	return receivePage(s, req.seq, { items, nextCursor, total });
}

describe('cursor paging state', () => {
	it('loads the first page with its total and reports whether more can be loaded', () => {
		const s = loaded([item('1'), item('2')], 'c2', '', 214);
		expect(s.status).toBe('ready');
		expect(s.total).toBe(214);
		expect(s.items.map((i) => i.id)).toEqual(['1', '2']);
		expect(canLoadMore(s)).toBe(true);
		expect(canLoadMore(loaded([item('1')], null))).toBe(false);
	});

	it('appends the next page using the cursor, without duplicates', () => {
		const s = loaded([item('1'), item('2')], 'c2');
		const [loading, req] = startLoadMore(s)!;
		expect(req.cursor).toBe('c2');
		expect(loading.status).toBe('loading-more');
		expect(startLoadMore(loading)).toBeNull(); // no double "Show more"
		const after = receivePage(loading, req.seq, { items: [item('2'), item('3')], nextCursor: null });
		expect(after.items.map((i) => i.id)).toEqual(['1', '2', '3']);
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
		expect(failRequest(s4, slow.seq, 'boom')).toBe(s4);
	});

	it('keeps loaded items when loading more fails, and allows retrying', () => {
		const s = loaded([item('1')], 'c1');
		const [loading, req] = startLoadMore(s)!;
		const failed = failRequest(loading, req.seq, 'Server exploded');
		expect(failed).toMatchObject({ status: 'error', error: 'Server exploded', failed: 'more' });
		expect(failed.items).toHaveLength(1);
		const [, retry] = startLoadMore(failed)!;
		expect(retry.cursor).toBe('c1');
	});
});

describe('placeItem', () => {
	const abc = () => loaded([item('a', 'Abbey'), item('c', 'Cello')], null, '', 2);

	it('puts a new item where the order puts it, and counts it', () => {
		const s = placeItem(abc(), item('b', 'Brass'), byName);
		expect(s.items.map((i) => i.name)).toEqual(['Abbey', 'Brass', 'Cello']);
		expect(s.total).toBe(3);
		expect(placeItem(abc(), item('z', 'Zither'), byName).items.at(-1)?.name).toBe('Zither');
	});

	it('leaves out a new item that belongs beyond the loaded pages', () => {
		const partial = loaded([item('a', 'Abbey'), item('c', 'Cello')], 'next', '', 30);
		const s = placeItem(partial, item('z', 'Zither'), byName);
		expect(s.items.map((i) => i.name)).toEqual(['Abbey', 'Cello']);
		expect(s.total).toBe(31);
	});

	it('moves an edited item to its new place without counting it twice', () => {
		const s = placeItem(abc(), item('a', 'Drums'), byName);
		expect(s.items.map((i) => i.name)).toEqual(['Cello', 'Drums']);
		expect(s.total).toBe(2);
	});

	it('removes items and their count', () => {
		const s = removeItem(abc(), 'a');
		expect(s.items.map((i) => i.id)).toEqual(['c']);
		expect(s.total).toBe(1);
		expect(removeItem(s, 'nope').total).toBe(1);
	});
});
