import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from '../support/axe';
import { expectNoHorizontalOverflow, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * The issue 7 pages, including those only an emailed link opens (which the ui/ suite's crawl cannot
 * reach): no WCAG 2.1 AA violation, light and dark, and nothing wider than a 390 px phone.
 */

async function check(page: Page, name: string) {
	await page.waitForLoadState('networkidle');
	await page.evaluate(() => document.fonts.ready);
	await expectNoHorizontalOverflow(page);
	await screenshot(page, name);
	const found = await axeViolations(page);
	expect.soft(found, `axe on ${name}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
	test(`accounts pages at 390 px, ${scheme}: accessible and no sideways scrolling`, async ({ page, browser }) => {
		// Seven pages, each with axe and a full-page screenshot: past the default minute on a slower 2-core
		// machine while the other worker runs the ui/ crawl.
		test.setTimeout(180_000);
		await page.emulateMedia({ colorScheme: scheme });
		await page.setViewportSize({ width: 390, height: 844 });
		const owner = newOwner(`ui-${scheme}`);
		await registerViaApi(page.request, owner);
		// Something in every list: a member invited, an API key, audit entries.
		const invitee = owner.email.replace(`ui-${scheme}`, `invitee-${scheme}`);
		expect((await page.request.post('/api/v1/invites', { data: { email: invitee, role: 'engineer' } })).status()).toBe(201);
		expect((await page.request.post('/api/v1/api-keys', { data: { name: 'Website with a rather long integration name', role: 'viewer' } })).status()).toBe(201);

		for (const section of ['profile', 'members', 'api-keys', 'audit']) {
			await page.goto(`/settings/${section}`);
			await expect(page.getByRole('navigation', { name: 'Settings sections' })).toBeVisible();
			await check(page, `settings-${section}-${scheme}-phone`);
		}

		// Signed-out pages, in a browser of their own.
		const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
		const visitor = await context.newPage();
		await visitor.goto('/forgot-password');
		await check(visitor, `forgot-password-${scheme}-phone`);
		await visitor.goto(await mailLinkFor(invitee, 'invite', '/accept-invite'));
		await expect(visitor.getByLabel('Your name')).toBeVisible();
		await check(visitor, `accept-invite-${scheme}-phone`);
		expect((await visitor.request.post('/api/v1/auth/password-reset', { data: { email: owner.email } })).status()).toBe(202);
		await visitor.goto(await mailLinkFor(owner.email, 'password-reset', '/reset-password'));
		await expect(visitor.getByLabel('New password')).toBeVisible();
		await check(visitor, `reset-password-${scheme}-phone`);
		await context.close();
	});
}
