import { expect, test } from '@playwright/test';
import { createClientViaApi, expectNoHorizontalOverflow, newOwner, registerViaApi, screenshot } from '../helpers';

// 200 characters with no place to break: the worst case for a layout.
const LONG = 'W'.repeat(200);

for (const viewport of [
	{ width: 1280, height: 800 },
	{ width: 390, height: 844 }
]) {
	test(`a 200-character name wraps everywhere at ${viewport.width} px`, async ({ page }) => {
		await page.setViewportSize(viewport);
		const owner = newOwner('long');
		owner.name = `Ada ${'L'.repeat(150)}`;
		await registerViaApi(page.request, owner);
		await createClientViaApi(page.request, { name: 'Abbey Strings', company: LONG, email: `${'x'.repeat(60)}@example.com` });

		// Added through the dialog, so the notice shows the long name too.
		await page.goto('/clients');
		await expect(page.getByRole('link', { name: 'Abbey Strings' })).toBeVisible();
		await page.getByRole('button', { name: 'Add client' }).click();
		const dialog = page.getByRole('dialog', { name: 'Add client' });
		await dialog.getByLabel('Name').fill(LONG);
		await dialog.getByLabel('Notes').fill(`${LONG} ${LONG}`);
		await dialog.getByRole('button', { name: 'Save client' }).click();
		await expect(dialog).toBeHidden();
		const notices = page.getByRole('region', { name: 'Notices' });
		await expect(notices).toContainText(`Added “${LONG}”.`);
		await expect(page.getByRole('link', { name: LONG })).toBeVisible();
		await expectNoHorizontalOverflow(page);
		await screenshot(page, `long-name-clients-${viewport.width}`);
		await notices.getByRole('button', { name: 'Dismiss' }).click();
		await expect(notices).not.toContainText(LONG);

		await page.getByRole('link', { name: LONG }).click();
		await expect(page.getByRole('heading', { level: 1, name: LONG })).toBeVisible();
		await expectNoHorizontalOverflow(page);
		await screenshot(page, `long-name-client-page-${viewport.width}`);

		await page.getByRole('button', { name: 'Delete', exact: true }).click();
		await expect(page.getByRole('alertdialog')).toContainText(LONG);
		await expectNoHorizontalOverflow(page);
		await page.getByRole('button', { name: 'Cancel' }).click();

		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Get set up' })).toBeVisible();
		await expectNoHorizontalOverflow(page);
	});
}
