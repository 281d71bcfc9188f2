import { expect, test, type Page } from '@playwright/test';
import { axeViolations, expectNoAxeViolations } from '../support/axe';
import { createClientViaApi, screenshot } from '../helpers';
import { discoverAppPages, discoverPublicPages, routeShape, settled, signIn, slugOf } from '../support/site';

/**
 * UI (DESIGN.md "Web app"): axe-core finds no WCAG 2.1 A/AA violation on any page, in the light and
 * the dark theme (the app follows the system's colour scheme by default), on a desktop and a phone
 * screen. Pages are found at run time as in the navigation suite (one of each kind of page the
 * content links to as well, e.g. a client's page), plus the not-found page. Each state is also saved as a
 * full-page screenshot in e2e/screenshots/ (git-ignored) for people to review, except in CI (screenshot() in helpers.ts).
 */

const SCREENS = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 390, height: 844 }
} as const;
const SCHEMES = ['light', 'dark'] as const;

/** Screenshot names that stay the same from run to run (ids replaced), and unique. */
function namer(suffix: string) {
	const used = new Set<string>();
	return (path: string) => {
		const base = slugOf(routeShape(path) === new URL(path, 'http://x').pathname ? path : routeShape(path));
		let name = `${base}-${suffix}`;
		for (let n = 2; used.has(name); n++) name = `${base}-${n}-${suffix}`;
		used.add(name);
		return name;
	};
}

/**
 * One visit per page and screen, then each colour scheme in place: the theme follows the system's
 * scheme live (CSS `prefers-color-scheme`, and the matchMedia listeners that draw canvases), so
 * switching it needs no reload. Half the page loads of visiting every page once per scheme.
 */
async function check(page: Page, path: string, nameFor: (scheme: (typeof SCHEMES)[number]) => string): Promise<void> {
	await page.goto(path);
	await settled(page);
	await page.evaluate(() => document.fonts.ready);
	for (const scheme of SCHEMES) {
		await page.emulateMedia({ colorScheme: scheme });
		// Waits for transitions to settle, then takes the picture (outside CI; see helpers.ts).
		await screenshot(page, nameFor(scheme));
		expect.soft(await axeViolations(page), `axe on ${path} (${nameFor(scheme)})`).toEqual([]);
	}
}

// The checker itself (tests/support/axe.ts runs axe-core in the page): it must be able to fail. Planted
// violations — an image without a text alternative, grey on grey, an unnamed button — each come back.
test('the axe check reports planted violations, and a part of the page on its own', async ({ page }) => {
	await page.setContent(
		'<html lang="en"><head><title>Planted</title></head><body><main><h1>Planted</h1>' +
			'<section id="bad"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#999;background:#aaa">Faint</p><button></button></section>' +
			'<section id="good"><p>Fine</p></section></main></body></html>'
	);
	const found = await axeViolations(page);
	expect(found.map((line) => line.split(' ')[0]).sort()).toEqual(['button-name', 'color-contrast', 'image-alt']);
	await expectNoAxeViolations(page, { include: '#good' });
});

for (const [screen, size] of Object.entries(SCREENS)) {
	test(`no WCAG 2.1 AA violation on any page: light and dark theme, ${screen} (${size.width}×${size.height})`, async ({ page }) => {
		// Every page the navigation reaches, axe (and a full-page screenshot, outside CI) in each scheme: this grows
		// with the app. With screenshots, 4–6 min on the 2-core CI machine beside the other worker.
		test.setTimeout(600_000);
		const namers = Object.fromEntries(SCHEMES.map((scheme) => [scheme, namer(`${scheme}-${screen}`)])) as Record<(typeof SCHEMES)[number], (path: string) => string>;
		const names = (path: string) => {
			const byScheme = Object.fromEntries(SCHEMES.map((scheme) => [scheme, namers[scheme](path)]));
			return (scheme: (typeof SCHEMES)[number]) => byScheme[scheme];
		};
		// Pages are found on a desktop screen, where the whole navigation is laid out.
		await page.setViewportSize(SCREENS.desktop);
		const publicPages = await discoverPublicPages(page, ['/login', '/signup']);
		await page.setViewportSize(size);
		for (const path of publicPages) await check(page, path, names(path));

		await signIn(page, `ui-${screen}`);
		const band = await createClientViaApi(page.request, { name: 'Axe Check Band', email: 'axe@check.test', company: 'Contrast Records' });
		// Money (issue 11): a tax rate and an issued invoice, so the invoices list, an invoice's page
		// (found from the list) and the tax-rate settings show content rather than empty states.
		await page.request.post('/api/v1/tax-rates', { data: { name: 'VAT', ratePercent: '20', isDefault: true } });
		const invoice = await page.request.post('/api/v1/invoices', {
			data: { clientId: band.id, currency: 'EUR', lines: [{ description: 'Mixing, per song', quantity: '2', unitPriceMinor: 15050 }] }
		});
		expect(invoice.status(), await invoice.text()).toBe(201);
		const finalized = await page.request.post(`/api/v1/invoices/${(await invoice.json()).id}/finalize`, { data: {} });
		expect(finalized.status(), await finalized.text()).toBe(200);
		await page.setViewportSize(SCREENS.desktop);
		const appPages = await discoverAppPages(page, '/');
		expect(appPages.length, 'the navigation leads somewhere').toBeGreaterThan(0);
		await page.setViewportSize(size);
		for (const path of appPages) await check(page, path, names(path));
		// The not-found page is a page too.
		await check(page, '/no-such-page', names('/not-found'));
	});
}
