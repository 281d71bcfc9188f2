import { expect, type Page, type Request } from '@playwright/test';
import { newOwner, registerViaApi, type Owner } from '../helpers';

/**
 * What the navigation and ui suites share: signing in, finding the app's pages at run time (so a new
 * menu entry is covered without touching the suites), and listening for everything a page should
 * never do (console errors or warnings, uncaught exceptions, failed or refused requests).
 */

/** Links that would end the session or leave the app rather than show a page. */
const NOT_A_PAGE = /\/(logout|log-out|sign-out|signout)(\/|$)|^\/api\/|^\/health\//;

/** Signs up a new studio through the API: the page's browser context holds the session afterwards. */
export async function signIn(page: Page, label = 'site'): Promise<Owner> {
	const owner = newOwner(label);
	await registerViaApi(page.request, owner);
	return owner;
}

/** A same-origin page path (pathname + search) for an href, or undefined for anything else. */
function pagePath(href: string, base: string): string | undefined {
	if (!href || href.startsWith('#') || /^(mailto|tel|javascript):/i.test(href)) return undefined;
	const url = new URL(href, base);
	if (url.origin !== new URL(base).origin) return undefined;
	const path = url.pathname + url.search;
	return NOT_A_PAGE.test(url.pathname) ? undefined : path;
}

/** Same-origin page links inside the elements `selector` matches on the current page (hidden ones too). */
async function linksIn(page: Page, selector: string): Promise<string[]> {
	const hrefs = await page.locator(selector).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
	return [...new Set(hrefs.map((h) => pagePath(h, page.url())).filter((p): p is string => p !== undefined))];
}

/** The navigation landmarks of the shell: <nav> and role=navigation, wherever they are. */
const NAV_LINKS = 'nav a[href], [role="navigation"] a[href]';

/**
 * Every page reachable through the app's navigation landmarks, breadth first from `start`: the links
 * of each page's nav (sidebar, top bar, breadcrumbs, tabs marked as navigation) are followed too, so
 * sections a page adds to its own nav are found. Pages are compared by path.
 */
export async function discoverNavPages(page: Page, start: string, limit = 60): Promise<string[]> {
	return crawl(page, start, NAV_LINKS, limit);
}

/** A path's route shape: ids (UUIDs, numbers) become :id and the query goes, so /clients/<uuid>?tab=x → /clients/:id. */
export function routeShape(path: string): string {
	const { pathname } = new URL(path, 'http://x');
	return pathname.replace(/\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)(?=\/|$)/gi, '/:id');
}

/**
 * The pages of the app: those the navigation reaches (discoverNavPages), plus one example of each
 * other kind of page their content links to (a client's own page from the clients table), so a
 * detail page is covered once without visiting every row.
 */
export async function discoverAppPages(page: Page, start: string): Promise<string[]> {
	const navPages = await discoverNavPages(page, start);
	const shapes = new Set(navPages.map(routeShape));
	const more: string[] = [];
	for (const path of navPages) {
		await page.goto(path);
		await settled(page);
		for (const link of await linksIn(page, 'main a[href]')) {
			if (shapes.has(routeShape(link))) continue;
			shapes.add(routeShape(link));
			more.push(link);
		}
	}
	return [...navPages, ...more.sort()];
}

/** Pages of a logged-out visitor: every same-origin link on them (they have no app navigation). */
export async function discoverPublicPages(page: Page, starts: string[], limit = 20): Promise<string[]> {
	const found = new Set<string>();
	for (const start of starts) for (const path of await crawl(page, start, 'a[href]', limit)) found.add(path);
	return [...found];
}

async function crawl(page: Page, start: string, selector: string, limit: number): Promise<string[]> {
	const requested = new Set<string>();
	const pages = new Set<string>();
	const queue = [start];
	while (queue.length > 0 && pages.size < limit) {
		const next = queue.shift()!;
		if (requested.has(next) || pages.has(next)) continue;
		requested.add(next);
		await page.goto(next);
		await settled(page);
		// A redirect (say / → /clients) lands on another path: that is the page found.
		const url = new URL(page.url());
		pages.add(url.pathname + url.search);
		for (const path of await linksIn(page, selector)) if (!requested.has(path) && !pages.has(path)) queue.push(path);
	}
	return [...pages].sort();
}

/** Waits until the page has loaded and its requests have gone quiet. */
export async function settled(page: Page): Promise<void> {
	await page.waitForLoadState('load');
	await page.waitForLoadState('networkidle');
	// 'networkidle' belongs to the document: after a client-side navigation it has long been reached, so
	// it would not wait for the new page's own requests. A watched page counts its requests in flight:
	// wait until none has been in flight for a short quiet period.
	const inflight = requestsInFlight.get(page);
	if (!inflight) return;
	let quietSince = Date.now();
	await expect
		.poll(
			() => {
				if (inflight.size > 0) quietSince = Date.now();
				return inflight.size === 0 && Date.now() - quietSince >= QUIET_MS;
			},
			{ message: 'the page kept requests in flight', timeout: 20_000, intervals: [50] }
		)
		.toBe(true);
}

/** How long a watched page must have no request in flight to count as settled. */
const QUIET_MS = 300;
/** The requests each watched page has in flight (see watch). */
const requestsInFlight = new WeakMap<Page, Set<unknown>>();

/** A file-name-safe name for a page path: /clients?q=a → clients_q_a, / → home. */
export function slugOf(path: string): string {
	return path.replace(/^\/+/, '').replace(/[^a-zA-Z0-9-]+/g, '_').replace(/^_+|_+$/g, '') || 'home';
}

export interface Watcher {
	/** Everything unexpected so far, one line each. */
	problems: string[];
	/** Every console message so far (any level), for pages that must log nothing at all. */
	console: string[];
	reset(): void;
}

/**
 * Listens to a page for console errors and warnings, uncaught exceptions, failed requests and HTTP
 * responses of 400 or more, except statuses the caller expects (e.g. a form posted with a wrong
 * password on purpose). Attach before the first navigation.
 */
export function watch(page: Page, options: { expectedStatuses?: (url: string, status: number) => boolean } = {}): Watcher {
	const watcher: Watcher = {
		problems: [],
		console: [],
		reset() {
			watcher.problems.length = 0;
			watcher.console.length = 0;
		}
	};
	const where = () => new URL(page.url()).pathname;
	page.on('console', (msg) => {
		const line = `${msg.type()}: ${msg.text()} (${msg.location().url || 'no source'})`;
		watcher.console.push(`${where()} ${line}`);
		if (msg.type() === 'error' || msg.type() === 'warning') watcher.problems.push(`${where()} console ${line}`);
	});
	page.on('pageerror', (err) => watcher.problems.push(`${where()} uncaught ${err.name}: ${err.message}`));
	const inflight = new Set<unknown>();
	requestsInFlight.set(page, inflight);
	// The notification bell's EventSource stays open as long as the page: not a request the page settles
	// after, and its end when a full navigation leaves the page (net::ERR_ABORTED) is not a failure.
	const isEventStream = (request: Request) => request.resourceType() === 'eventsource';
	page.on('request', (request) => {
		if (!isEventStream(request)) inflight.add(request);
	});
	page.on('requestfinished', (request) => inflight.delete(request));
	page.on('requestfailed', (request) => {
		inflight.delete(request);
		if (isEventStream(request) && request.failure()?.errorText === 'net::ERR_ABORTED') return;
		watcher.problems.push(`${where()} request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`);
	});
	page.on('response', (response) => {
		const status = response.status();
		if (status >= 400 && !options.expectedStatuses?.(response.url(), status)) {
			watcher.problems.push(`${where()} HTTP ${status}: ${response.request().method()} ${response.url()}`);
		}
	});
	return watcher;
}

/** Fails unless the page shows a page of the app: not the login form, not a 404 or error page. */
export async function expectAppPage(page: Page, path: string): Promise<void> {
	expect(new URL(page.url()).pathname, `${path} sent the signed-in user to the login page`).not.toBe('/login');
	await expect(page.locator('main').first(), `${path} has no <main>`).toBeVisible();
	const heading = (await page.locator('h1').allInnerTexts()).join(' | ');
	expect(heading, `${path} shows an error page`).not.toMatch(/not found|404|went wrong|error/i);
}
