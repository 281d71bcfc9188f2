import { expect, test, type Browser, type Page } from '@playwright/test';
import { mailLinkFor, newOwner, registerViaApi, screenshot, type Owner } from '../helpers';

/** Issue 7: forgot password → emailed link → new password → log in; signing out other sessions. */

async function logIn(page: Page, email: string, password: string) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

/** A browser of its own (cookies included), signed in as `owner`. */
async function signedInBrowser(browser: Browser, owner: Owner) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const res = await page.request.post('/api/v1/auth/login', { data: { email: owner.email, password: owner.password } });
	expect(res.status(), await res.text()).toBe(200);
	return { context, page };
}

test('forgot password → reset from the emailed link → log in with the new password', async ({ page, request }) => {
	const owner = newOwner('reset');
	await registerViaApi(request, owner); // signed in elsewhere, not in this page

	await page.goto('/login');
	await page.getByRole('link', { name: 'Forgot password?' }).click();
	await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
	await screenshot(page, 'forgot-password');
	await page.getByLabel('Email').fill(owner.email);
	await page.getByRole('button', { name: 'Send reset link' }).click();
	await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	const notice = page.getByRole('status').filter({ hasText: 'If an account uses' });
	const answer = await notice.textContent();
	expect(answer).toContain(`If an account uses ${owner.email}`);
	await screenshot(page, 'forgot-password-sent');

	// An unknown address gets the very same answer.
	await page.goto('/forgot-password');
	const unknown = `nobody-${Date.now()}@studio.test`;
	await page.getByLabel('Email').fill(unknown);
	await page.getByRole('button', { name: 'Send reset link' }).click();
	await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	expect(await notice.textContent()).toBe(answer!.replace(owner.email, unknown));

	const link = await mailLinkFor(owner.email, 'password-reset', '/reset-password');
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
	await expect(page).toHaveURL(/\/reset-password$/); // the token left the address bar
	await page.getByLabel('New password').fill('short');
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
	await screenshot(page, 'reset-password');
	const newPassword = 'a brand new passphrase 7';
	await page.getByLabel('New password').fill(newPassword);
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page.getByRole('heading', { name: 'Password changed' })).toBeVisible();
	await screenshot(page, 'reset-password-done');

	// The old password no longer works; the new one does.
	await logIn(page, owner.email, owner.password);
	await expect(page.getByText('Wrong email or password.')).toBeVisible();
	await logIn(page, owner.email, newPassword);
	await expect(page.getByRole('banner').getByText(owner.studioName)).toBeVisible();

	// The link worked once.
	await page.goto(link);
	await page.getByLabel('New password').fill('yet another passphrase 8');
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
});

test('sign out one other session, then all the others: they are logged out on their next navigation', async ({ page, browser }) => {
	const owner = newOwner('sessions');
	await registerViaApi(page.request, owner);
	const laptop = await signedInBrowser(browser, owner);
	const phone = await signedInBrowser(browser, owner);
	const tablet = await signedInBrowser(browser, owner);

	await page.goto('/settings/profile');
	const sessions = page.getByTestId('session');
	await expect(sessions).toHaveCount(4);
	await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1);
	await expect(sessions.first()).toContainText('Last active');
	await screenshot(page, 'settings-profile');

	// One of them, by its own button (the newest other session is listed first: the tablet).
	await sessions.filter({ hasNotText: 'This device' }).first().getByRole('button', { name: /^Sign out / }).click();
	await expect(sessions).toHaveCount(3);
	await tablet.page.goto('/clients');
	await expect(tablet.page).toHaveURL(/\/login/);

	// Then everywhere else.
	await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
	const confirm = page.getByRole('alertdialog').or(page.getByRole('dialog'));
	await expect(confirm).toContainText('Every other session (2) is signed out.');
	await confirm.getByRole('button', { name: 'Sign out all other sessions' }).click();
	await expect(page.getByText('Signed out of every other session.')).toBeVisible();
	await expect(sessions).toHaveCount(1);
	await expect(page.getByText('You’re signed in on this device only.')).toBeVisible();

	for (const other of [laptop, phone]) {
		await other.page.goto('/clients');
		await expect(other.page).toHaveURL(/\/login/);
		await other.context.close();
	}
	await tablet.context.close();
	// This one is still signed in.
	await page.goto('/clients');
	await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
});

test('change password: the current one is checked, and the other sessions end', async ({ page, browser }) => {
	const owner = newOwner('change');
	await registerViaApi(page.request, owner);
	const other = await signedInBrowser(browser, owner);

	await page.goto('/settings/profile');
	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password').fill('my next passphrase 9');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('That is not your current password.')).toBeVisible();
	await page.getByLabel('Current password').fill(owner.password);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Password changed. Your other sessions are signed out.')).toBeVisible();
	await expect(page.getByTestId('session')).toHaveCount(1);

	await other.page.goto('/clients');
	await expect(other.page).toHaveURL(/\/login/);
	await other.context.close();
});
