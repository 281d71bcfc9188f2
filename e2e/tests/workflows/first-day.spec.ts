import { expect, test, type Page } from '@playwright/test';
import { clientRows, expectNoHorizontalOverflow, newOwner, screenshot } from '../helpers';

async function signUp(page: Page) {
	const owner = newOwner('firstday');
	await page.goto('/signup');
	await page.getByLabel('Studio name').fill(owner.studioName);
	await page.getByLabel('Your name').fill(owner.name);
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Create studio' }).click();
	return owner;
}

test('a new owner signs up, follows the checklist, adds a client and opens their page', async ({ page }) => {
	await signUp(page);

	// The dashboard's checklist starts with nothing done, and says what is coming without faking it.
	const setup = page.getByRole('region', { name: 'Get set up' });
	const firstStep = setup.getByRole('listitem').filter({ hasText: 'Add your first client' });
	await expect(firstStep).toContainText('(to do)');
	await expect(setup.getByRole('listitem').filter({ hasText: 'Add a room' })).toContainText('Coming soon');
	await screenshot(page, 'dashboard-new-studio');

	await firstStep.getByRole('link', { name: 'Add a client' }).click();
	await expect(page).toHaveURL(/\/clients$/);
	await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
	await screenshot(page, 'clients-empty');

	// The first try has mistakes; the dialog explains them next to the fields.
	await page.getByRole('button', { name: 'Add your first client' }).click();
	const dialog = page.getByRole('dialog', { name: 'Add client' });
	await dialog.getByLabel('Email').fill('owls@night');
	await dialog.getByRole('button', { name: 'Save client' }).click();
	await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription('Fill in this field.');
	await expect(dialog.getByLabel('Email')).toHaveAccessibleDescription('Enter an email address like name@example.com.');
	await expect(dialog.getByLabel('Name')).toBeFocused();
	await screenshot(page, 'dialog-with-errors-two-fields');

	await dialog.getByLabel('Name').fill('The Midnight Owls');
	await dialog.getByLabel('Email').fill('band@owls.test');
	await dialog.getByLabel('Company').fill('Owl Records');
	await dialog.getByRole('button', { name: 'Save client' }).click();
	await expect(dialog).toBeHidden();
	await expect(clientRows(page)).toHaveCount(1);
	await expect(page.getByText('1 client', { exact: true })).toBeVisible();

	// The notice links to the new client's page.
	await page.getByRole('region', { name: 'Notices' }).getByRole('link', { name: 'Open' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'The Midnight Owls' })).toBeVisible();

	// Back on the dashboard the first step has ticked itself.
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
	await expect(firstStep).toContainText('(done)');
	await screenshot(page, 'dashboard');
});

for (const colorScheme of ['light', 'dark'] as const) {
	test(`the main pages in the ${colorScheme} theme, wide and on a phone`, async ({ page }) => {
		await page.emulateMedia({ colorScheme });
		await signUp(page);
		await expect(page.getByRole('heading', { name: 'Get set up' })).toBeVisible();
		for (const client of ['Abbey Strings', 'Brass Monkeys', 'Cello Collective']) {
			await page.request.post('/api/v1/clients', { data: { name: client, email: `${client.split(' ')[0].toLowerCase()}@example.com`, company: 'Example Records' } });
		}
		await page.reload();
		await expect(page.getByRole('region', { name: 'Get set up' })).toContainText('(done)');
		await screenshot(page, `theme-${colorScheme}-dashboard`);

		await page.goto('/clients');
		await expect(clientRows(page)).toHaveCount(3);
		await screenshot(page, `theme-${colorScheme}-clients`);

		await page.getByRole('link', { name: 'Brass Monkeys' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Brass Monkeys' })).toBeVisible();
		await screenshot(page, `theme-${colorScheme}-client-page`);

		await page.getByRole('button', { name: 'Edit', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: 'Edit client' });
		await dialog.getByLabel('Email').fill('a@b');
		await dialog.getByRole('button', { name: 'Save changes' }).click();
		await expect(dialog.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
		await screenshot(page, `theme-${colorScheme}-dialog-errors`);
		await dialog.getByRole('button', { name: 'Cancel' }).click();

		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto('/clients');
		await expect(clientRows(page)).toHaveCount(3);
		await expectNoHorizontalOverflow(page);
		await screenshot(page, `theme-${colorScheme}-phone-clients`);
		await page.getByRole('link', { name: 'Brass Monkeys' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Brass Monkeys' })).toBeVisible();
		await expectNoHorizontalOverflow(page);
		await screenshot(page, `theme-${colorScheme}-phone-client-page`);
		await page.goto('/');
		await expectNoHorizontalOverflow(page);
		await screenshot(page, `theme-${colorScheme}-phone-dashboard`);
	});
}
