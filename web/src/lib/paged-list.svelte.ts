import type { Settled, UiError } from '#lib/api/client.ts';
import { formatNumber } from '#lib/format.ts';
import { getLocale } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { failRequest, initialList, receivePage, startLoadMore, startSearch, type ListState, type Page, type PageRequest } from '#lib/paging.ts';

/**
 * A cursor-paged list bound to one API list call: the request bookkeeping every list page shares
 * (the transitions of paging.ts, "show more" resolving once its page has landed so the table can keep
 * focus, the last error for the page's alert, a 401 sending the user to log in). A page keeps only what
 * differs: how to fetch a page with its filters, and how to show the rows.
 */
export class PagedList<T extends { id: string }> {
	state = $state.raw<ListState<T>>(initialList<T>());
	lastError = $state<UiError | null>(null);
	readonly #fetchPage: (request: PageRequest) => Promise<Settled<Page<T>>>;
	readonly #onUnauthorized: () => void;
	#pendingMore: (() => void) | null = null;

	constructor(fetchPage: (request: PageRequest) => Promise<Settled<Page<T>>>, onUnauthorized: () => void, query = '') {
		this.#fetchPage = fetchPage;
		this.#onUnauthorized = onUnauthorized;
		this.state = initialList<T>(query);
	}

	/** "Showing n of N", for the table's count and the page's live region, once rows have landed. */
	get countLabel(): string | undefined {
		const { total, items } = this.state;
		if (total === null || items.length === 0) return undefined;
		return m.table_showing({ shown: formatNumber(items.length, getLocale()), total: formatNumber(total, getLocale()) });
	}

	/** Loads the first page for `term` (the current rows stay visible until it lands). */
	search(term = this.state.query): Promise<void> {
		const [next, request] = startSearch(this.state, term);
		this.state = next;
		return this.#load(request);
	}

	/** Loads the next page; resolves when it has landed (or failed). */
	loadMore(): Promise<void> {
		const started = startLoadMore(this.state);
		if (!started) return Promise.resolve();
		const [next, request] = started;
		this.state = next;
		return new Promise((resolve) => {
			this.#pendingMore = resolve;
			void this.#load(request);
		});
	}

	/** Tries again what failed: the next page, or the first. */
	retry(): Promise<void> {
		return this.state.failed === 'more' ? this.loadMore() : this.search();
	}

	async #load(request: PageRequest): Promise<void> {
		const result = await this.#fetchPage(request);
		if (result.ok) this.state = receivePage(this.state, request.seq, result.data);
		else if (result.status === 401) this.#onUnauthorized();
		else {
			this.lastError = result.error;
			this.state = failRequest(this.state, request.seq, result.error.message);
		}
		this.#pendingMore?.();
		this.#pendingMore = null;
	}
}
