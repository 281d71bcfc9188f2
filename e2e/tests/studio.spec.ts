import { expect, test, type Page } from '@playwright/test';
import { createClientViaApi, newOwner, registerViaApi, screenshot } from './helpers';

test('sign up, add a client, log out, log back in and still see the client', async ({ page }) => {
	const owner = newOwner('journey');
	const client = {
		name: 'The Midnight Owls',
		email: 'band@owls.test',
		phone: '+44 20 7946 0000',
		company: 'Owl Records',
		notes: 'Prefers evening sessions in Studio B.'
	};

	// Signed-out visitors land on the login page.
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
	await screenshot(page, '01-login');

	await page.getByRole('link', { name: 'Create a studio account' }).click();
	await expect(page).toHaveURL(/\/signup$/);
	await expect(page.getByRole('heading', { name: 'Create your studio' })).toBeVisible();
	await page.getByLabel('Studio name').fill(owner.studioName);
	await page.getByLabel('Your name').fill(owner.name);
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await screenshot(page, '02-signup');
	await page.getByRole('button', { name: 'Create studio' }).click();

	// Signed in: the header shows the studio and the user.
	await expect(page).toHaveURL(/\/clients$/);
	const header = page.getByRole('banner');
	await expect(header.getByText(owner.studioName)).toBeVisible();
	await expect(header.getByText(owner.name)).toBeVisible();
	await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
	await screenshot(page, '03-clients-empty');

	// Add a client through the dialog.
	await page.getByRole('button', { name: 'Add client' }).click();
	const dialog = page.getByRole('dialog', { name: 'Add client' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel('Name')).toBeFocused();
	await dialog.getByLabel('Name').fill(client.name);
	await dialog.getByLabel('Email').fill(client.email);
	await dialog.getByLabel('Phone').fill(client.phone);
	await dialog.getByLabel('Company').fill(client.company);
	await dialog.getByLabel('Notes').fill(client.notes);
	await screenshot(page, '04-add-client');
	await dialog.getByRole('button', { name: 'Save client' }).click();
	await expect(dialog).toBeHidden();

	const list = page.getByRole('list', { name: 'Clients' });
	const row = list.getByRole('listitem').filter({ hasText: client.name });
	await expect(row).toBeVisible();
	await expect(row).toContainText(client.company);
	await expect(row).toContainText(client.email);
	await expect(page.getByRole('status')).toContainText(`Added “${client.name}”`);
	await screenshot(page, '05-clients-list');

	// Log out: back to the login page, and the clients page is off limits.
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/clients');
	await expect(page).toHaveURL(/\/login$/);

	// Log back in and the client is still there.
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(/\/clients$/);
	await expect(page.getByRole('banner').getByText(owner.studioName)).toBeVisible();
	await expect(list.getByRole('listitem').filter({ hasText: client.name })).toBeVisible();
});

test('a wrong password shows the problem detail from the API', async ({ page, playwright, baseURL }) => {
	const owner = newOwner('badlogin');
	// A separate API context, so the page itself stays signed out.
	const api = await playwright.request.newContext({ baseURL });
	await registerViaApi(api, owner);
	const wrong = await api.post('/api/v1/auth/login', { data: { email: owner.email, password: 'not the password' } });
	expect(wrong.status()).toBe(401);
	const problem = (await wrong.json()) as { detail: string };
	expect(problem.detail).toBeTruthy();
	await api.dispose();

	await page.goto('/login');
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();

	await expect(page.getByRole('alert').filter({ hasText: problem.detail })).toBeVisible();
	await expect(page).toHaveURL(/\/login$/);
	await screenshot(page, '06-login-error');
});

test('server-side validation errors are shown next to their fields', async ({ page }) => {
	const owner = newOwner('validation');
	await page.goto('/signup');
	await page.getByLabel('Studio name').fill(owner.studioName);
	await page.getByLabel('Your name').fill(owner.name);
	// Passes the page's basic check but not the API's e-mail validation.
	await page.getByLabel('Email').fill('ada@blueroom');
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Create studio' }).click();

	const email = page.getByLabel('Email');
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription(/email/i);
	await expect(email).toBeFocused();
	await expect(page.getByLabel('Studio name')).not.toHaveAttribute('aria-invalid', 'true');
	await expect(page).toHaveURL(/\/signup$/);
	await screenshot(page, '07-signup-field-error');
});

test.describe('on a phone-sized screen', () => {
	test.use({ viewport: { width: 375, height: 812 } });

	const expectNoHorizontalScroll = async (page: Page) =>
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

	test('the sign-up and login pages fit', async ({ page }) => {
		await page.goto('/signup');
		await expect(page.getByRole('heading', { name: 'Create your studio' })).toBeVisible();
		await page.getByRole('button', { name: 'Create studio' }).click();
		// Client-side checks mark every empty field and focus the first one.
		await expect(page.getByLabel('Studio name')).toBeFocused();
		await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/at least 10 characters/i);
		await expectNoHorizontalScroll(page);
		await screenshot(page, '14-mobile-signup-errors');

		await page.getByRole('link', { name: 'Log in' }).click();
		await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
		await expectNoHorizontalScroll(page);
		await screenshot(page, '15-mobile-login');
	});

	test('search, edit and delete clients', async ({ page }) => {
		const owner = newOwner('mobile');
		await registerViaApi(page.request, owner);
		await createClientViaApi(page.request, { name: 'Abbey Strings', email: 'hello@abbey.test', company: 'Abbey Music' });
		await createClientViaApi(page.request, { name: 'Brass Monkeys', phone: '+1 555 0100' });
		await createClientViaApi(page.request, { name: 'Cello Collective', company: 'Low End Ltd', notes: 'Three cellos and a double bass.' });

		await page.goto('/clients');
		const list = page.getByRole('list', { name: 'Clients' });
		await expect(list.getByRole('listitem')).toHaveCount(3);
		await expectNoHorizontalScroll(page);
		await screenshot(page, '08-mobile-clients');

		// Search is debounced and narrows the list.
		const search = page.getByRole('searchbox', { name: 'Search clients' });
		await search.fill('brass');
		await expect(list.getByRole('listitem')).toHaveCount(1);
		await expect(list.getByRole('listitem')).toContainText('Brass Monkeys');
		await expect(page).toHaveURL(/\?q=brass$/);

		await search.fill('zzz-nobody');
		await expect(page.getByRole('heading', { name: 'No clients match “zzz-nobody”' })).toBeVisible();
		await screenshot(page, '09-mobile-no-match');
		await page.getByRole('button', { name: 'Clear search' }).click();
		await expect(list.getByRole('listitem')).toHaveCount(3);

		// Edit: change the company, clear the phone... of Brass Monkeys.
		await page.getByRole('button', { name: 'Edit Brass Monkeys' }).click();
		const dialog = page.getByRole('dialog', { name: 'Edit client' });
		await expect(dialog.getByLabel('Name')).toHaveValue('Brass Monkeys');
		await dialog.getByLabel('Company').fill('Monkey Business');
		await dialog.getByLabel('Phone').fill('');
		await screenshot(page, '10-mobile-edit');
		await dialog.getByRole('button', { name: 'Save changes' }).click();
		await expect(dialog).toBeHidden();
		const brass = list.getByRole('listitem').filter({ hasText: 'Brass Monkeys' });
		await expect(brass).toContainText('Monkey Business');
		await expect(brass).not.toContainText('+1 555 0100');

		// A validation error from the dialog's own checks keeps it open.
		await page.getByRole('button', { name: 'Edit Abbey Strings' }).click();
		const abbey = page.getByRole('dialog', { name: 'Edit client' });
		await abbey.getByLabel('Name').fill('');
		await abbey.getByRole('button', { name: 'Save changes' }).click();
		await expect(abbey.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
		await abbey.getByRole('button', { name: 'Cancel' }).click();
		await expect(abbey).toBeHidden();

		// Delete, with confirmation.
		await page.getByRole('button', { name: 'Delete Cello Collective' }).click();
		const confirm = page.getByRole('alertdialog', { name: 'Delete client?' });
		await expect(confirm).toContainText('Cello Collective');
		await screenshot(page, '11-mobile-delete-confirm');
		await confirm.getByRole('button', { name: 'Delete client' }).click();
		await expect(confirm).toBeHidden();
		await expect(list.getByRole('listitem')).toHaveCount(2);
		await expect(list).not.toContainText('Cello Collective');
		await expect(page.getByRole('status')).toContainText('Deleted “Cello Collective”');

		// And it stays deleted after a reload.
		await page.reload();
		await expect(list.getByRole('listitem')).toHaveCount(2);
	});
});

test('"Load more" pages through the list with the cursor', async ({ page }) => {
	const owner = newOwner('paging');
	await registerViaApi(page.request, owner);
	for (let i = 1; i <= 23; i++) {
		await createClientViaApi(page.request, { name: `Client ${String(i).padStart(2, '0')}` });
	}

	await page.goto('/clients');
	const items = page.getByRole('list', { name: 'Clients' }).getByRole('listitem');
	await expect(items).toHaveCount(20);
	const loadMore = page.getByRole('button', { name: 'Load more' });
	await expect(loadMore).toBeVisible();
	await loadMore.click();
	await expect(items).toHaveCount(23);
	await expect(loadMore).toBeHidden();
	await screenshot(page, '12-clients-paged');
});

test('a failing list shows the problem detail and can be retried', async ({ page }) => {
	const owner = newOwner('errors');
	await registerViaApi(page.request, owner);
	await createClientViaApi(page.request, { name: 'Drum & Bass Duo' });

	// The first list request fails like an unavailable studio database would.
	const detail = 'The studio database is busy; try again in a moment.';
	let failed = 0;
	await page.route('**/api/v1/clients?*', async (route) => {
		if (failed++ > 0) return route.fallback();
		await new Promise((resolve) => setTimeout(resolve, 300)); // show the loading state
		await route.fulfill({
			status: 503,
			contentType: 'application/problem+json',
			body: JSON.stringify({ type: 'https://rsm.dev/problems/unavailable', title: 'Service Unavailable', status: 503, detail })
		});
	});

	await page.goto('/clients');
	await expect(page.getByRole('status')).toContainText('Loading clients…');
	const alert = page.getByRole('alert').filter({ hasText: 'Could not load clients.' });
	await expect(alert).toContainText(detail);
	await screenshot(page, '13-clients-error');

	await alert.getByRole('button', { name: 'Try again' }).click();
	await expect(alert).toBeHidden();
	await expect(page.getByRole('list', { name: 'Clients' }).getByRole('listitem')).toHaveText([/Drum & Bass Duo/]);
});

test('the clients page works with the keyboard alone', async ({ page }) => {
	await registerViaApi(page.request, newOwner('keyboard'));
	await page.goto('/clients');
	await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();

	// Escape closes the dialog and gives focus back to the button that opened it.
	const add = page.getByRole('button', { name: 'Add client' });
	await add.focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: 'Add client' });
	await expect(dialog.getByLabel('Name')).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(add).toBeFocused();

	// Enter submits the form from the name field.
	await page.keyboard.press('Enter');
	await expect(dialog.getByLabel('Name')).toBeFocused();
	await page.keyboard.type('Keys & Strings');
	await page.keyboard.press('Tab');
	await expect(dialog.getByLabel('Email')).toBeFocused();
	await page.keyboard.type('keys@strings.test');
	await page.keyboard.press('Enter');
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('list', { name: 'Clients' }).getByRole('listitem')).toHaveText([/Keys & Strings/]);

	// Tab reaches the row actions, in order.
	await page.getByRole('searchbox', { name: 'Search clients' }).focus();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'keys@strings.test' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: 'Edit Keys & Strings' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: 'Delete Keys & Strings' })).toBeFocused();
});
