import { expect, test } from '@playwright/test';
import { createClientViaApi } from '../helpers';
import { discoverAppPages, discoverPublicPages, expectAppPage, settled, signIn, watch } from '../support/site';

/**
 * Navigation (DESIGN.md "Web app"): every page the app's navigation leads to loads cleanly. The pages
 * are found at run time from the shell's navigation landmarks (and one page of each other kind their
 * content links to, such as a client's page), so a new menu entry is covered here without a change; any console error or warning, uncaught exception, failed request or HTTP error
 * fails the test.
 */

test('every page the signed-in navigation reaches loads without a console error or failed request', async ({ page }) => {
	// Every page twice (crawl, then as a bookmark): this grows with the app, like the accessibility suite
	// (past 2 min on a loaded 2-core CI machine in stop 23).
	test.setTimeout(240_000);
	const watcher = watch(page);
	await signIn(page, 'nav');
	await createClientViaApi(page.request, { name: 'Navigation Check', email: 'nav@check.test' });

	const pages = await discoverAppPages(page, '/');
	expect(pages, 'the navigation leads to the clients page').toContain('/clients');

	// The crawl loaded each page once; each is loaded again on its own, as a bookmark would.
	for (const path of pages) {
		await page.goto(path);
		await settled(page);
		await expectAppPage(page, path);
	}
	expect(watcher.problems).toEqual([]);
});

test('each visible main-navigation link opens its page in the app, without a reload', async ({ page }) => {
	// 14 s on an idle 2-core machine; it went past the default minute when every link started from a
	// fresh load of the start page and the CI machine ran the crawl above beside it (stop 23).
	test.setTimeout(180_000);
	const watcher = watch(page);
	await signIn(page, 'nav-click');
	await page.goto('/');
	await settled(page);
	const visibleNavLinks = 'nav a[href]:visible, [role="navigation"] a[href]:visible';
	const hrefs = [...new Set(await page.locator(visibleNavLinks).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')))].filter(
		(href) => href.startsWith('/') && !href.startsWith('//') && !/\/(logout|log-out|sign-out|signout)(\/|$)/.test(href)
	);
	expect(hrefs.length, 'the shell shows navigation links').toBeGreaterThan(0);
	for (const href of hrefs) {
		// From the page the last click opened when it shows the same link (the shell's menu is on every
		// page), else from the start page: the navigation may differ from page to page (sections).
		const link = page.locator(`nav a[href="${href}"]:visible, [role="navigation"] a[href="${href}"]:visible`).first();
		if ((await link.count()) === 0) {
			await page.goto('/');
			await settled(page);
		}
		// Marks the document: a full reload would lose it, client-side navigation keeps it.
		await page.evaluate(() => ((window as unknown as { __rsmNoReload: boolean }).__rsmNoReload = true));
		await link.click();
		await expect(page).toHaveURL((url) => url.pathname + url.search === href || url.pathname === new URL(href, url).pathname);
		await settled(page);
		await expectAppPage(page, href);
		expect(await page.evaluate(() => (window as unknown as { __rsmNoReload?: boolean }).__rsmNoReload), `${href} reloaded the page`).toBe(true);
	}
	expect(watcher.problems).toEqual([]);
});

test('a logged-out visitor’s pages log nothing at all in the console', async ({ page }) => {
	const watcher = watch(page);
	const pages = await discoverPublicPages(page, ['/login', '/signup']);
	expect(pages).toEqual(expect.arrayContaining(['/login', '/signup']));
	// Plus what a logged-out visitor may open by hand: the root and a signed-in page (both send them to log in).
	for (const path of [...pages, '/', '/clients']) {
		await page.goto(path);
		await settled(page);
		if (!pages.includes(path)) expect(new URL(page.url()).pathname, `${path} logged out`).toBe('/login');
	}
	expect(watcher.console).toEqual([]);
	expect(watcher.problems).toEqual([]);
});
