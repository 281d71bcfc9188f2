import { expect, test } from '@playwright/test';
import { expectNoHorizontalOverflow, newOwner, registerViaApi, screenshot } from '../helpers';

test('the 404 page keeps the shell and offers a way back', async ({ page }) => {
	await registerViaApi(page.request, newOwner('notfound'));
	await page.goto('/no/such/page');
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Clients' })).toBeVisible();
	await expect(page.getByRole('banner')).toBeVisible();
	await screenshot(page, 'not-found');
	await page.getByRole('link', { name: 'Go to the dashboard' }).click();
	await expect(page.getByRole('heading', { name: 'Get set up' })).toBeVisible();
});

test('signed out, the 404 page leads to the login page', async ({ page }) => {
	await page.goto('/no/such/page');
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await page.getByRole('link', { name: 'Go to log in' }).click();
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('the theme follows the system until the user picks one, which is remembered', async ({ page }) => {
	const owner = newOwner('theme');
	await registerViaApi(page.request, owner);
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('/');
	const html = page.locator('html');
	await expect(html).not.toHaveAttribute('data-theme');
	const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
	const darkBackground = await background();

	await page.getByRole('button', { name: `${owner.name} (account menu)` }).click();
	await page.getByRole('menuitemradio', { name: 'Light' }).click();
	await expect(html).toHaveAttribute('data-theme', 'light');
	expect(await background()).not.toBe(darkBackground);
	await page.reload();
	await expect(html).toHaveAttribute('data-theme', 'light');

	await page.getByRole('button', { name: `${owner.name} (account menu)` }).click();
	await page.getByRole('menuitemradio', { name: 'Same as system' }).click();
	await expect(html).not.toHaveAttribute('data-theme');
	expect(await background()).toBe(darkBackground);
});

test('the sidebar collapses to icons and remembers it', async ({ page }) => {
	await registerViaApi(page.request, newOwner('sidebar'));
	await page.goto('/clients');
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.getByRole('link', { name: 'Clients' })).toHaveAttribute('aria-current', 'page');
	await page.getByRole('button', { name: 'Collapse sidebar' }).click();
	// Labels leave the screen but stay the links' names.
	await expect(nav.getByText('Clients')).toHaveClass(/visually-hidden/);
	await page.reload();
	await expect(page.getByRole('button', { name: 'Expand sidebar' })).toBeVisible();
	await nav.getByRole('link', { name: 'Dashboard' }).click();
	await expect(page.getByRole('heading', { name: 'Get set up' })).toBeVisible();
	await screenshot(page, 'sidebar-collapsed');
});

test.describe('on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 } });

	test('the navigation opens in a drawer', async ({ page }) => {
		await registerViaApi(page.request, newOwner('drawer'));
		await page.goto('/');
		await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
		await page.getByRole('button', { name: 'Open menu' }).click();
		const drawer = page.getByRole('dialog', { name: 'Main' });
		await expect(drawer).toBeVisible();
		await screenshot(page, 'phone-drawer');
		await drawer.getByRole('link', { name: 'Clients' }).click();
		await expect(drawer).toBeHidden();
		await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
		await expectNoHorizontalOverflow(page);
	});
});
