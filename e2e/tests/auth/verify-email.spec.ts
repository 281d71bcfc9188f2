import { expect, test } from '@playwright/test';
import { newOwner, registerViaApi, screenshot, verificationLinkFor } from '../helpers';

test('a new owner verifies their email from the link, once', async ({ page }) => {
	const owner = newOwner('verify');
	await registerViaApi(page.request, owner);

	// The app shell asks for verification and says until when the studio can be used without it.
	await page.goto('/clients');
	const banner = page.getByRole('region', { name: 'Email verification' });
	await expect(banner).toContainText('Verify your email address.');
	await expect(banner).toContainText(owner.email);
	await expect(banner.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
	await screenshot(page, 'verify-banner');

	const link = await verificationLinkFor(owner.email);
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Email verified' })).toBeVisible();
	await expect(page).toHaveURL(/\/verify-email$/); // the token left the address bar

	await page.getByRole('link', { name: 'Continue to your studio' }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { name: 'Get set up' })).toBeVisible();
	await expect(banner).toBeHidden();

	// A link works once.
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
});

test('"Send a new link" replaces the old link', async ({ page }) => {
	const owner = newOwner('resend');
	await registerViaApi(page.request, owner);
	const first = await verificationLinkFor(owner.email);

	await page.goto('/clients');
	const banner = page.getByRole('region', { name: 'Email verification' });
	await banner.getByRole('button', { name: 'Send a new link' }).click();
	await expect(banner).toContainText(`A new link is on its way to ${owner.email}`);
	const second = await verificationLinkFor(owner.email, first);

	await page.goto(first);
	await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
	await page.goto(second);
	await expect(page.getByRole('heading', { name: 'Email verified' })).toBeVisible();
});

test('a link without its token says so', async ({ page }) => {
	await page.goto('/verify-email');
	await expect(page.getByRole('heading', { name: 'This link is not complete' })).toBeVisible();
	await page.goto('/verify-email?token=cut-short');
	await expect(page.getByRole('heading', { name: 'This link is not complete' })).toBeVisible();
});
