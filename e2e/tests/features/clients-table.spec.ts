import { expect, test } from '@playwright/test';
import { clientRows, createClientViaApi, newOwner, registerViaApi, screenshot } from '../helpers';

const names = async (page: import('@playwright/test').Page) => (await clientRows(page).locator('td:first-child a').allTextContents()).map((t) => t.trim());

test('the table shows the total, sorts by name or by date, and keeps search and sort in the address', async ({ page }) => {
	await registerViaApi(page.request, newOwner('table'));
	// Created in this order, so name order and date order differ.
	await createClientViaApi(page.request, { name: 'Cello Collective', company: 'Low End Ltd' });
	await createClientViaApi(page.request, { name: 'Abbey Strings', email: 'hello@abbey.test', phone: '+44 20 7946 0000' });
	await createClientViaApi(page.request, { name: 'Brass Monkeys' });

	await page.goto('/clients');
	await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
	await expect(page.getByText('3 clients', { exact: true })).toBeVisible();
	await expect.poll(() => names(page)).toEqual(['Abbey Strings', 'Brass Monkeys', 'Cello Collective']);
	const abbey = clientRows(page).filter({ hasText: 'Abbey Strings' });
	await expect(abbey).toContainText('hello@abbey.test');
	await expect(abbey).toContainText('+44 20 7946 0000');
	await screenshot(page, 'clients-table');

	const table = page.getByRole('table', { name: 'Clients' });
	await table.getByRole('button', { name: 'Added' }).click();
	await expect.poll(() => names(page)).toEqual(['Cello Collective', 'Abbey Strings', 'Brass Monkeys']);
	await expect(page).toHaveURL(/[?&]sort=createdAt\b/);
	await expect(table.getByRole('columnheader', { name: 'Added' })).toHaveAttribute('aria-sort', 'ascending');
	await table.getByRole('button', { name: 'Added' }).click();
	await expect.poll(() => names(page)).toEqual(['Brass Monkeys', 'Abbey Strings', 'Cello Collective']);
	await expect(page).toHaveURL(/[?&]sort=-createdAt\b/);
	await table.getByRole('button', { name: 'Name' }).click();
	await expect.poll(() => names(page)).toEqual(['Abbey Strings', 'Brass Monkeys', 'Cello Collective']);
	await table.getByRole('button', { name: 'Name' }).click();
	await expect.poll(() => names(page)).toEqual(['Cello Collective', 'Brass Monkeys', 'Abbey Strings']);
	await expect(page).toHaveURL(/[?&]sort=-name\b/);

	// Search narrows the list, counts the matches, and stays in the address with the order.
	await page.getByRole('searchbox', { name: 'Search clients' }).fill('cello');
	await expect.poll(() => names(page)).toEqual(['Cello Collective']);
	await expect(page.getByText('1 client', { exact: true })).toBeVisible();
	await expect(page).toHaveURL(/\?(?=.*q=cello)(?=.*sort=-name)/);
	await page.reload();
	await expect(page.getByRole('searchbox', { name: 'Search clients' })).toHaveValue('cello');
	await expect.poll(() => names(page)).toEqual(['Cello Collective']);

	await page.getByRole('searchbox', { name: 'Search clients' }).fill('zzz-nobody');
	await expect(page.getByRole('heading', { name: 'No clients match “zzz-nobody”' })).toBeVisible();
	await page.getByRole('button', { name: 'Clear search' }).click();
	await expect.poll(() => names(page)).toEqual(['Cello Collective', 'Brass Monkeys', 'Abbey Strings']);
});

test('a new client appears where the order puts it, not at the top', async ({ page }) => {
	await registerViaApi(page.request, newOwner('placed'));
	await createClientViaApi(page.request, { name: 'Abbey Strings' });
	await createClientViaApi(page.request, { name: 'Cello Collective' });

	await page.goto('/clients');
	await expect.poll(() => names(page)).toEqual(['Abbey Strings', 'Cello Collective']);
	await page.getByRole('button', { name: 'Add client' }).click();
	const dialog = page.getByRole('dialog', { name: 'Add client' });
	await expect(dialog.getByLabel('Name')).toBeFocused();
	await dialog.getByLabel('Name').fill('Brass Monkeys');
	await dialog.getByRole('button', { name: 'Save client' }).click();
	await expect(dialog).toBeHidden();

	await expect.poll(() => names(page)).toEqual(['Abbey Strings', 'Brass Monkeys', 'Cello Collective']);
	await expect(page.getByText('3 clients', { exact: true })).toBeVisible();
	const toast = page.getByRole('region', { name: 'Notices' });
	await expect(toast).toContainText('Added “Brass Monkeys”.');
	// The reload agrees with the place it was given.
	await page.reload();
	await expect.poll(() => names(page)).toEqual(['Abbey Strings', 'Brass Monkeys', 'Cello Collective']);
});

test('"Show more" pages through the list and keeps the reader’s place', async ({ page }) => {
	await registerViaApi(page.request, newOwner('paging'));
	for (let i = 1; i <= 23; i++) await createClientViaApi(page.request, { name: `Client ${String(i).padStart(2, '0')}` });

	await page.goto('/clients');
	await expect(clientRows(page)).toHaveCount(20);
	await expect(page.getByRole('paragraph').getByText('Showing 20 of 23', { exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Show more' }).click();
	await expect(clientRows(page)).toHaveCount(23);
	await expect(page.getByRole('paragraph').getByText('Showing 23 of 23', { exact: true })).toBeVisible();
	// Focus moves to the first new row, so keyboard and screen-reader users carry on from there.
	await expect(page.getByRole('link', { name: 'Client 21' })).toBeFocused();
	await expect(page.getByRole('button', { name: 'Show more' })).toBeHidden();
});

test('edit and delete from a row’s menu', async ({ page }) => {
	await registerViaApi(page.request, newOwner('rowmenu'));
	await createClientViaApi(page.request, { name: 'Brass Monkeys', phone: '+1 555 0100' });
	await createClientViaApi(page.request, { name: 'Cello Collective' });

	await page.goto('/clients');
	await page.getByRole('button', { name: 'Actions for Brass Monkeys' }).click();
	await page.getByRole('menuitem', { name: 'Edit' }).click();
	const dialog = page.getByRole('dialog', { name: 'Edit client' });
	await expect(dialog.getByLabel('Name')).toHaveValue('Brass Monkeys');
	await dialog.getByLabel('Company').fill('Monkey Business');
	await dialog.getByLabel('Phone').fill('');
	await dialog.getByRole('button', { name: 'Save changes' }).click();
	await expect(dialog).toBeHidden();
	const brass = clientRows(page).filter({ hasText: 'Brass Monkeys' });
	await expect(brass).toContainText('Monkey Business');
	await expect(brass).not.toContainText('+1 555 0100');

	await page.getByRole('button', { name: 'Actions for Cello Collective' }).click();
	await page.getByRole('menuitem', { name: 'Delete' }).click();
	const confirm = page.getByRole('alertdialog', { name: 'Delete this client?' });
	await expect(confirm).toContainText('“Cello Collective” and their details will be permanently deleted.');
	await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await confirm.getByRole('button', { name: 'Delete client' }).click();
	await expect(confirm).toBeHidden();
	await expect.poll(() => names(page)).toEqual(['Brass Monkeys']);
	await expect(page.getByText('1 client', { exact: true })).toBeVisible();
	await page.reload();
	await expect.poll(() => names(page)).toEqual(['Brass Monkeys']);
});

test('a failing list says so in plain words, keeps the request id behind Details, and retries', async ({ page }) => {
	await registerViaApi(page.request, newOwner('errors'));
	await createClientViaApi(page.request, { name: 'Drum & Bass Duo' });

	let failed = 0;
	await page.route('**/api/v1/clients?*', async (route) => {
		if (failed++ > 0) return route.fallback();
		await route.fulfill({
			status: 503,
			contentType: 'application/problem+json',
			body: JSON.stringify({
				type: 'https://rsm.dev/problems/database-busy',
				title: 'Service Unavailable',
				status: 503,
				detail: 'The studio database is busy.',
				requestId: 'req-e2e-503'
			})
		});
	});

	await page.goto('/clients');
	const alert = page.getByTestId('form-error');
	await expect(alert).toContainText('Could not load clients. The service is busy or down for a moment. Try again shortly.');
	await expect(alert).not.toContainText('The studio database is busy.');
	await expect(alert.getByText('Request ID: req-e2e-503')).toBeHidden();
	await alert.getByText('Details').click();
	await expect(alert.getByText('Request ID: req-e2e-503')).toBeVisible();
	await screenshot(page, 'clients-error');

	await page.getByRole('button', { name: 'Try again' }).click();
	await expect.poll(() => names(page)).toEqual(['Drum & Bass Duo']);
});
