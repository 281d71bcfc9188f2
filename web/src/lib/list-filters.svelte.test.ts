import { describe, expect, it } from 'vitest';
import { ListFilters, readFilters, withFilters, type Address } from './list-filters.svelte.ts';

const DEFAULTS = { status: '', clientId: '', overdue: false };

/** An address that records what the filters wrote. */
function fakeAddress(href: string): Address & { writes: string[] } {
	const address = {
		href,
		writes: [] as string[],
		replace(url: URL) {
			address.href = url.href;
			address.writes.push(url.href);
		}
	};
	return address;
}

describe('readFilters', () => {
	it('takes each filter from the address and keeps the default for the missing ones', () => {
		const params = new URLSearchParams('status=sent&other=x');
		expect(readFilters(params, DEFAULTS)).toEqual({ status: 'sent', clientId: '', overdue: false });
	});

	it('turns a switch on only for "true"', () => {
		expect(readFilters(new URLSearchParams('overdue=true'), DEFAULTS).overdue).toBe(true);
		expect(readFilters(new URLSearchParams('overdue=1'), DEFAULTS).overdue).toBe(false);
	});
});

describe('withFilters', () => {
	it('writes the set filters, drops the empty and off ones, and keeps other parameters', () => {
		const url = withFilters('https://x.test/invoices?status=paid&tab=1', { q: 'acme', status: '', clientId: 'c1', overdue: true });
		expect(url.pathname).toBe('/invoices');
		expect([...url.searchParams]).toEqual([
			['tab', '1'],
			['q', 'acme'],
			['clientId', 'c1'],
			['overdue', 'true']
		]);
		expect(withFilters('https://x.test/invoices?overdue=true', { overdue: false }).href).toBe('https://x.test/invoices');
	});
});

describe('ListFilters', () => {
	it('starts from the address and writes the trimmed term and filters back on reload', () => {
		const address = fakeAddress('https://x.test/quotes?q=ac&status=sent');
		const searched: string[] = [];
		const filters = new ListFilters(new URLSearchParams('q=ac&status=sent'), DEFAULTS, (term) => searched.push(term), address);
		expect(filters.search).toBe('ac');
		expect(filters.values).toEqual({ status: 'sent', clientId: '', overdue: false });
		expect(filters.active).toBe(true);

		filters.reload();
		expect(address.writes).toEqual([]); // nothing changed: the history entry is left alone
		filters.search = ' acme ';
		filters.values.clientId = 'c1';
		filters.reload();
		expect(address.writes).toEqual(['https://x.test/quotes?q=acme&status=sent&clientId=c1']);
		expect(searched).toEqual(['ac', ' acme ']);
	});

	it('clears back to the whole list', () => {
		const address = fakeAddress('https://x.test/invoices?q=a&overdue=true');
		const searched: string[] = [];
		const filters = new ListFilters(new URLSearchParams('q=a&overdue=true'), DEFAULTS, (term) => searched.push(term), address);
		filters.clear();
		expect(filters.search).toBe('');
		expect(filters.values).toEqual(DEFAULTS);
		expect(filters.active).toBe(false);
		expect(address.href).toBe('https://x.test/invoices');
		expect(searched).toEqual(['']);
	});

});
