/** A list page's filters: text (an id, a status; '' is "any") or a switch (false is off). */
export type FilterValues = Record<string, string | boolean>;

/** Where the filters are written: the browser's address, or a stand-in in tests. */
export interface Address {
	readonly href: string;
	replace(url: URL): void;
}

const browserAddress: Address = {
	// The browser's URL, not SvelteKit's page.url: history.replaceState does not update the latter.
	get href() {
		return location.href;
	},
	replace: (url) => history.replaceState(history.state, '', url)
};

/** The filters in `defaults` as the address gives them; a switch is on only for `true`. */
export function readFilters<F extends FilterValues>(params: Pick<URLSearchParams, 'get'>, defaults: F): F {
	const values: FilterValues = { ...defaults };
	for (const [key, fallback] of Object.entries(defaults)) {
		const raw = params.get(key);
		if (raw !== null) values[key] = typeof fallback === 'boolean' ? raw === 'true' : raw;
	}
	return values as F;
}

/** `href` with `values` written in; an empty or off filter leaves the address, so the plain list has a plain URL. */
export function withFilters(href: string, values: FilterValues): URL {
	const url = new URL(href);
	for (const [key, value] of Object.entries(values)) {
		const text = value === true ? 'true' : value || '';
		if (text) url.searchParams.set(key, text);
		else url.searchParams.delete(key);
	}
	return url;
}

/**
 * A list page's search term and filters, kept in the address (`q` and one parameter a filter) so a
 * reload or a shared link shows the same list. `reload()` writes them there and asks the page's list
 * for the first page again.
 */
export class ListFilters<F extends FilterValues> {
	search = $state('');
	values = $state({} as F);
	readonly #defaults: F;
	readonly #onReload: (search: string) => void;
	readonly #address: Address;

	constructor(params: Pick<URLSearchParams, 'get'>, defaults: F, onReload: (search: string) => void, address: Address = browserAddress) {
		this.#defaults = defaults;
		this.#onReload = onReload;
		this.#address = address;
		this.search = params.get('q') ?? '';
		this.values = readFilters(params, defaults);
	}

	/** Whether any filter (the search term aside) narrows the list. */
	get active(): boolean {
		return Object.values(this.values).some(Boolean);
	}

	reload(): void {
		const url = withFilters(this.#address.href, { q: this.search.trim(), ...this.values });
		if (url.href !== this.#address.href) this.#address.replace(url);
		this.#onReload(this.search);
	}

	/** Back to the whole list. */
	clear(): void {
		this.search = '';
		this.values = { ...this.#defaults };
		this.reload();
	}
}
