import { expect, test, type Page } from '@playwright/test';
import { newOwner, registerViaApi, screenshot } from '../helpers';

/** Counts the client writes the page sends, to prove a refused form sends nothing. */
function countClientWrites(page: Page) {
	const writes = { count: 0 };
	page.on('request', (request) => {
		if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/clients') writes.count++;
	});
	return writes;
}

test.describe('in English', () => {
	test('a@b is refused in the browser, before anything is sent', async ({ page }) => {
		await registerViaApi(page.request, newOwner('emailen'));
		const writes = countClientWrites(page);
		await page.goto('/clients');
		await page.getByRole('button', { name: 'Add client' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Add client' });
		await dialog.getByLabel('Name').fill('The Midnight Owls');
		await dialog.getByLabel('Email').fill('a@b');
		await dialog.getByRole('button', { name: 'Save client' }).click();

		const email = dialog.getByLabel('Email');
		await expect(email).toHaveAttribute('aria-invalid', 'true');
		await expect(email).toHaveAccessibleDescription('Enter an email address like name@example.com.');
		await expect(email).toBeFocused();
		await screenshot(page, 'dialog-with-errors');
		expect(writes.count).toBe(0);

		await email.fill('band@owls.test');
		await dialog.getByRole('button', { name: 'Save client' }).click();
		await expect(dialog).toBeHidden();
		expect(writes.count).toBe(1);
	});
});

test.describe('in French (the browser’s language)', () => {
	test.use({ locale: 'fr-FR' });

	test('a@b est refusé dans le navigateur, avant tout envoi', async ({ page }) => {
		await registerViaApi(page.request, newOwner('emailfr'));
		const writes = countClientWrites(page);
		await page.goto('/clients');
		await page.getByRole('button', { name: 'Ajouter un client' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Ajouter un client' });
		await dialog.getByLabel('Nom').fill('Les Hiboux de Minuit');
		await dialog.getByLabel('E-mail').fill('a@b');
		await dialog.getByRole('button', { name: 'Enregistrer le client' }).click();

		const email = dialog.getByLabel('E-mail');
		await expect(email).toHaveAttribute('aria-invalid', 'true');
		await expect(email).toHaveAccessibleDescription('Saisissez une adresse e-mail comme nom@exemple.fr.');
		await screenshot(page, 'dialog-with-errors-fr');
		expect(writes.count).toBe(0);
	});
});
