import { expect, test } from '@playwright/test';
import { newOwner, registerViaApi, screenshot } from '../helpers';

/** Issue 7: an API key is shown once, works as a Bearer token, and stops working when revoked; the audit log records it. */

test('create an API key, copy it once, use it, revoke it, and find both in the audit log', async ({ page, playwright, baseURL }) => {
	const owner = newOwner('keys');
	await registerViaApi(page.request, owner);

	await page.goto('/settings/api-keys');
	await expect(page.getByRole('heading', { name: 'No API keys yet' })).toBeVisible();
	await screenshot(page, 'settings-api-keys-empty');
	await page.getByRole('button', { name: 'Create API key' }).first().click();
	const create = page.getByRole('dialog', { name: 'Create an API key' });
	await create.getByLabel('Name').fill('Booking website');
	await create.getByLabel('Role').selectOption('engineer');
	await create.getByLabel('Expires').selectOption('30');
	await screenshot(page, 'settings-api-keys-create');
	await create.getByRole('button', { name: 'Create API key' }).click();

	const secretDialog = page.getByRole('dialog', { name: 'Copy your new API key' });
	await expect(secretDialog).toContainText('you won’t see it again');
	const secret = await secretDialog.getByTestId('api-key-secret').inputValue();
	expect(secret).toMatch(/^rsm_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
	await expect(secretDialog.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
	await screenshot(page, 'settings-api-keys-secret');
	await secretDialog.getByRole('button', { name: 'I’ve copied it' }).click();
	await expect(secretDialog).toBeHidden();

	// The list shows the key's prefix, never its secret.
	const table = page.getByRole('table', { name: 'API keys' });
	await expect(table).toContainText('Booking website');
	await expect(table).toContainText(`rsm_live_${secret.slice(9, 21)}_…`);
	await expect(page.getByText(secret)).toHaveCount(0);
	await screenshot(page, 'settings-api-keys');

	// The key works on its own, without a cookie.
	const integrator = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
	expect((await integrator.get('/api/v1/clients')).status()).toBe(200);

	await page.getByRole('button', { name: 'Actions for the API key Booking website' }).click();
	await page.getByRole('menuitem', { name: 'Revoke' }).click();
	await page.getByRole('alertdialog').or(page.getByRole('dialog')).getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByText('The API key “Booking website” was revoked.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'No API keys yet' })).toBeVisible();
	expect((await integrator.get('/api/v1/clients')).status()).toBe(401);
	await integrator.dispose();

	// The audit log has both, newest first, and filters by action.
	await page.goto('/settings/audit');
	const log = page.getByRole('table', { name: 'Audit log' });
	await expect(log.locator('tbody tr')).toHaveCount(2);
	await expect(log.locator('tbody tr').first()).toContainText('API key revoked');
	await expect(log.locator('tbody tr').first()).toContainText(owner.email);
	await expect(log.locator('tbody tr').first()).toContainText('API key: Booking website');
	await screenshot(page, 'settings-audit');
	await page.getByLabel('Action').selectOption({ label: 'API key created' });
	await expect(log.locator('tbody tr')).toHaveCount(1);
	await expect(log).toContainText('API key created');
	await page.getByLabel('Action').selectOption({ label: 'Member removed' });
	await expect(page.getByRole('heading', { name: 'No entries match' })).toBeVisible();
	await page.getByRole('button', { name: 'Clear filters' }).click();
	await expect(log.locator('tbody tr')).toHaveCount(2);
});
