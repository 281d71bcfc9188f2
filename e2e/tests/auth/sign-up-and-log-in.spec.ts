import { expect, test } from '@playwright/test';
import { expectNoHorizontalOverflow, newOwner, registerViaApi, screenshot } from '../helpers';

test('sign up, land on the dashboard, sign out, log back in', async ({ page }) => {
	const owner = newOwner('journey');
	const consoleErrors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});

	// Signed-out visitors land on the login page, and the check that sent them there logs nothing.
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
	expect(consoleErrors).toEqual([]);
	await screenshot(page, 'auth-login');

	await page.getByRole('link', { name: 'Create a studio account' }).click();
	await expect(page).toHaveURL(/\/signup$/);
	await page.getByLabel('Studio name').fill(owner.studioName);
	await page.getByLabel('Your name').fill(owner.name);
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Create studio' }).click();

	// Signed in: the dashboard, inside the shell with the studio and the user.
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { name: 'Welcome, Ada' })).toBeVisible();
	const header = page.getByRole('banner');
	await expect(header.getByText(owner.studioName)).toBeVisible();
	await expect(header.getByText(owner.name)).toBeVisible();

	// Sign out from the user menu: back to the login page, and the app is off limits.
	await header.getByRole('button', { name: `${owner.name} (account menu)` }).click();
	await page.getByRole('menuitem', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/clients');
	await expect(page).toHaveURL(/\/login\?next=%2Fclients$/);

	// Log back in and come back to the page that was asked for.
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(/\/clients$/);
	await expect(page.getByRole('banner').getByText(owner.studioName)).toBeVisible();
	expect(consoleErrors).toEqual([]);
});

test('a wrong password says just that', async ({ page, playwright, baseURL }) => {
	const owner = newOwner('badlogin');
	// A separate API context, so the page itself stays signed out.
	const api = await playwright.request.newContext({ baseURL });
	await registerViaApi(api, owner);
	await api.dispose();

	await page.goto('/login');
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();

	const alert = page.getByTestId('form-error');
	await expect(alert).toHaveText('Wrong email or password.');
	// No request id, no developer text: a 4xx is not a support case.
	await expect(alert.getByText('Details')).toHaveCount(0);
	await expect(page).toHaveURL(/\/login$/);
	await screenshot(page, 'auth-login-wrong-password');
});

test('the server’s field errors show next to their fields in plain words', async ({ page }) => {
	const owner = newOwner('taken');
	await registerViaApi(page.request, owner);
	await page.request.post('/api/v1/auth/logout');

	await page.goto('/signup');
	await page.getByLabel('Studio name').fill(owner.studioName);
	await page.getByLabel('Your name').fill(owner.name);
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Create studio' }).click();
	await expect(page.getByTestId('form-error')).toHaveText('An account with this email already exists. Log in instead.');

	// Should the browser's check ever miss something, the API's own field error lands on its field in
	// plain words: here the request is rewritten on its way out to carry an address the API refuses.
	await page.route('**/api/v1/auth/register', (route) =>
		route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), email: 'ada@blueroom' }) })
	);
	await page.getByLabel('Email').fill(newOwner('other').email);
	await page.getByRole('button', { name: 'Create studio' }).click();
	const email = page.getByLabel('Email');
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription('Enter an email address like name@example.com.');
	await expect(email).toBeFocused();
	await expect(page.getByTestId('form-error')).toHaveText('Check the highlighted fields.');
	await expect(page.getByLabel('Studio name')).not.toHaveAttribute('aria-invalid', 'true');
	await screenshot(page, 'auth-signup-server-field-error');
});

test.describe('on a phone-sized screen', () => {
	test.use({ viewport: { width: 390, height: 844 } });

	test('the sign-up and login pages fit, and empty fields are caught before sending', async ({ page }) => {
		let posted = 0;
		page.on('request', (request) => {
			if (request.method() === 'POST' && request.url().includes('/api/v1/auth/')) posted++;
		});
		await page.goto('/signup');
		await page.getByRole('button', { name: 'Create studio' }).click();
		await expect(page.getByLabel('Studio name')).toBeFocused();
		await expect(page.getByLabel('Studio name')).toHaveAccessibleDescription('Fill in this field.');
		await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/At least 12 characters/);
		await expectNoHorizontalOverflow(page);
		await screenshot(page, 'phone-signup-errors');
		expect(posted).toBe(0);

		await page.getByRole('link', { name: 'Log in' }).click();
		await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
		await expectNoHorizontalOverflow(page);
	});
});
