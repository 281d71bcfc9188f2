import { expect, test } from '@playwright/test';
import { createClientViaApi, newOwner, registerViaApi, screenshot } from '../helpers';

test('the client page opens from the table and by its address', async ({ page }) => {
	await registerViaApi(page.request, newOwner('clientpage'));
	const owls = await createClientViaApi(page.request, {
		name: 'The Midnight Owls',
		email: 'band@owls.test',
		phone: '+44 20 7946 0000',
		company: 'Owl Records',
		notes: 'Prefers evening sessions in Studio B.\nBrings their own snare.'
	});

	await page.goto('/clients');
	await page.getByRole('link', { name: 'The Midnight Owls' }).click();
	await expect(page).toHaveURL(new RegExp(`/clients/${owls.id}$`));
	await expect(page.getByRole('heading', { level: 1, name: 'The Midnight Owls' })).toBeVisible();

	// By its address (a bookmark, a shared link, a reload).
	await page.goto(`/clients/${owls.id}`);
	const heading = page.getByRole('heading', { level: 1, name: 'The Midnight Owls' });
	await expect(heading).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Breadcrumbs' })).toContainText('Clients');
	const contact = page.getByRole('region', { name: 'Contact' });
	await expect(contact.getByRole('link', { name: 'band@owls.test' })).toHaveAttribute('href', 'mailto:band@owls.test');
	await expect(contact.getByRole('link', { name: '+44 20 7946 0000' })).toHaveAttribute('href', 'tel:+44 20 7946 0000');
	await expect(contact).toContainText('Owl Records');
	await expect(page.getByRole('region', { name: 'Notes' })).toContainText('Brings their own snare.');

	// The activity tabs: sessions are on the calendar, this new client has no projects; invoices come in a later version.
	const tabs = page.getByRole('tablist', { name: 'Activity' });
	await expect(tabs.getByRole('tab')).toHaveText(['Sessions', 'Projects', 'Invoices', 'Portal']);
	await expect(page.getByRole('tabpanel')).toContainText('On the calendar');
	await tabs.getByRole('tab', { name: 'Projects' }).click();
	await expect(page.getByRole('tabpanel')).toContainText('No projects yet');
	await expect(page.getByRole('tabpanel').getByRole('link', { name: 'Open in Projects' })).toHaveAttribute('href', /\/projects\?clientId=/);
	await tabs.getByRole('tab', { name: 'Invoices' }).click();
	await expect(page.getByRole('tabpanel')).toContainText('No invoices yet');
	await screenshot(page, 'client-page');

	// The breadcrumb leads back to the list.
	await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'Clients' }).click();
	await expect(page).toHaveURL(/\/clients$/);
});

test('edit and delete on the client page; a deleted client’s address is a 404 in the shell', async ({ page }) => {
	await registerViaApi(page.request, newOwner('clientedit'));
	const client = await createClientViaApi(page.request, { name: 'Echo Chamber' });

	await page.goto(`/clients/${client.id}`);
	await page.getByRole('button', { name: 'Edit', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Edit client' });
	await dialog.getByLabel('Notes').fill('Reverb specialists.');
	await dialog.getByRole('button', { name: 'Save changes' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('region', { name: 'Notes' })).toContainText('Reverb specialists.');

	await page.getByRole('button', { name: 'Delete', exact: true }).click();
	await page.getByRole('alertdialog', { name: 'Delete this client?' }).getByRole('button', { name: 'Delete client' }).click();
	await expect(page).toHaveURL(/\/clients$/);
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Deleted “Echo Chamber”.');

	await page.goto(`/clients/${client.id}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
	// Not even an id: the same 404.
	await page.goto('/clients/not-an-id');
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});
