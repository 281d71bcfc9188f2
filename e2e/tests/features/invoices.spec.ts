import { expect, test, type Page } from '@playwright/test';
import { apiJson, createClientViaApi, expectNoHorizontalOverflow, isoDay, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Money pages (issue 11, money-web): the invoice editor's live totals and tax breakdown come from
 * the API's preview (the browser never rounds), the server's problem+json refusals show in the form,
 * and the billing and tax-rate settings pages work with the keyboard and on a phone.
 */

async function studioWithRates(page: Page, label: string) {
	await registerViaApi(page.request, newOwner(label));
	await page.request.patch('/api/v1/studio', { data: { defaultCurrency: 'EUR' } });
	await apiJson(page.request, 'post', '/api/v1/tax-rates', { name: 'VAT', ratePercent: '20', isDefault: true });
	await apiJson(page.request, 'post', '/api/v1/tax-rates', { name: 'Reduced', ratePercent: '5.5' });
	return createClientViaApi(page.request, { name: 'The Midnight Owls', email: 'band@owls.test' });
}

async function pickClient(page: Page, name: string) {
	const picker = page.getByRole('combobox', { name: 'Client' });
	await picker.fill(name.slice(0, 5));
	await page.getByRole('option', { name }).click();
}

/** The editor's line `n` (1-based) as a region of its own. */
const line = (page: Page, n: number) => page.getByRole('listitem', { name: `Line ${n}` });

test('the invoice editor shows live totals and the tax by rate from the API preview', async ({ page }) => {
	await studioWithRates(page, 'inv-editor');
	await page.goto('/invoices');
	await expect(page.getByRole('heading', { name: 'No invoices yet' })).toBeVisible();
	await page.getByRole('link', { name: 'New invoice' }).first().click();
	await expect(page).toHaveURL(/\/invoices\/new$/);

	await pickClient(page, 'The Midnight Owls');
	await line(page, 1).getByLabel('Description').fill('Mixing, per song');
	await line(page, 1).getByLabel('Quantity').fill('2');
	await line(page, 1).getByLabel(/Unit price/).fill('150.50');
	// The default rate (VAT 20 %) is on the new line already.
	await expect(line(page, 1).getByLabel('Tax')).toHaveValue(/.+/);

	await page.getByRole('button', { name: 'Add a line' }).click();
	await line(page, 2).getByLabel('Description').fill('Mastering');
	await line(page, 2).getByLabel('Quantity').fill('1');
	await line(page, 2).getByLabel(/Unit price/).fill('99,99');
	await line(page, 2).getByLabel('Tax').selectOption({ label: 'Reduced (5.5 %)' });

	const totals = page.getByTestId('totals');
	// 2 × 150.50 = 301.00 at 20 % → 60.20; 99.99 at 5.5 % = 5.49945 → 5.50 (per line, half away from zero).
	await expect(totals).toContainText('€400.99');
	await expect(totals.locator('div').filter({ hasText: 'Tax 20 %' })).toContainText('€60.20');
	await expect(totals.locator('div').filter({ hasText: 'Tax 5.5 %' })).toContainText('€5.50');
	await expect(totals.locator('.total').first()).toContainText('€466.69');
	await expect(line(page, 1).getByTestId('line-net')).toHaveText('€301.00');

	// Reordering with the keyboard: line 2 moves up.
	await line(page, 2).getByRole('button', { name: 'Move line 2 up' }).press('Enter');
	await expect(line(page, 1).getByLabel('Description')).toHaveValue('Mastering');
	await screenshot(page, 'invoice-editor');

	await page.getByRole('button', { name: 'Save draft' }).click();
	await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('draft');
	await expect(page.getByTestId('totals')).toContainText('€466.69');

	await page.setViewportSize({ width: 390, height: 844 });
	await expectNoHorizontalOverflow(page);
	await screenshot(page, 'invoice-editor-phone');
});

test('the editor refuses bad amounts itself and shows the API refusals next to the fields', async ({ page }) => {
	await studioWithRates(page, 'inv-errors');
	await page.goto('/invoices/new');
	await pickClient(page, 'The Midnight Owls');
	await line(page, 1).getByLabel('Description').fill('Tracking day');
	await line(page, 1).getByLabel('Quantity').fill('1');
	// More decimals than euros have: refused in the browser, never rounded.
	await line(page, 1).getByLabel(/Unit price/).fill('10.005');
	await page.getByRole('button', { name: 'Save draft' }).click();
	await expect(line(page, 1).getByLabel(/Unit price/)).toHaveAccessibleDescription('Too many decimals for this currency.');
	await expect(page).toHaveURL(/\/invoices\/new$/);

	// A discount larger than the line only the API knows to refuse: its 400 problem shows in the form.
	await line(page, 1).getByLabel(/Unit price/).fill('100');
	await line(page, 1).getByLabel('Discount').fill('500');
	await page.getByRole('button', { name: 'Save draft' }).click();
	await expect(page.getByTestId('form-error').first()).not.toBeEmpty();
	await expect(page).toHaveURL(/\/invoices\/new$/);
	await screenshot(page, 'invoice-editor-errors');
});

test('billing settings and tax rates: edit, numbering preview, add, make default, archive', async ({ page }) => {
	await registerViaApi(page.request, newOwner('inv-settings'));
	await page.goto('/settings/billing');
	const settingsNav = page.getByRole('navigation', { name: /Settings/ });
	await expect(settingsNav.getByRole('link', { name: 'Billing' })).toHaveAttribute('aria-current', 'page');

	await page.getByLabel('Legal name').fill('Blue Room Studios SARL');
	await page.getByLabel('IBAN').fill('FR76 1234 0000 0000');
	await page.getByRole('button', { name: 'Save changes' }).click();
	// The IBAN checksum is the API's: its 400 names the field.
	await expect(page.getByLabel('IBAN')).toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 189');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Billing settings saved');
	await expect(page.getByLabel('Invoices')).toHaveAccessibleDescription(/Next: /);
	await screenshot(page, 'settings-billing');

	await settingsNav.getByRole('link', { name: 'Tax rates' }).click();
	await expect(page.getByRole('heading', { name: 'No tax rates yet' })).toBeVisible();
	await page.getByRole('button', { name: 'Add a tax rate' }).first().click();
	const dialog = page.getByRole('dialog', { name: 'Add a tax rate' });
	await dialog.getByLabel('Name').fill('VAT');
	await dialog.getByLabel('Rate (%)').fill('120');
	await dialog.getByRole('button', { name: 'Add a tax rate' }).click();
	await expect(dialog.getByLabel('Rate (%)')).toHaveAccessibleDescription(/Enter a rate from 0 to 100/);
	await dialog.getByLabel('Rate (%)').fill('20');
	await dialog.getByRole('button', { name: 'Add a tax rate' }).click();
	await expect(dialog).toBeHidden();
	const table = page.getByRole('table', { name: 'Tax rates' });
	await expect(table.getByRole('row', { name: /VAT/ })).toContainText('20 %');

	await page.getByRole('button', { name: 'Make VAT the default' }).click();
	await expect(table.getByRole('row', { name: /VAT/ })).toContainText('Default');
	await page.getByRole('button', { name: 'Archive VAT' }).click();
	await expect(table.getByRole('row', { name: /VAT/ })).toHaveCount(0);
	await page.getByLabel('Show archived rates').check();
	await expect(table.getByRole('row', { name: /VAT/ })).toContainText('Archived');
	await screenshot(page, 'settings-tax-rates');
});

test('past-due warning at booking time: the booking dialog and drawer, and the client page, show the overdue amount with a link to billing', async ({ page }) => {
	test.setTimeout(90_000);
	const client = await studioWithRates(page, 'inv-past-due');
	await page.request.patch('/api/v1/studio', { data: { timeZone: 'UTC' } });
	// An invoice issued in January, due a fortnight later: overdue now.
	const invoice = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/invoices', {
		clientId: client.id,
		dueDate: '2026-01-20',
		lines: [{ description: 'Tracking', quantity: '3', unit: 'hour', unitPriceMinor: 5000, taxRateId: null }]
	});
	await apiJson(page.request, 'post', `/api/v1/invoices/${invoice.id}/finalize`, { issueDate: '2026-01-05' });
	const room = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/rooms', { name: 'Studio A', colour: '#4f46e5' });
	const day = isoDay(9);
	await apiJson(page.request, 'post', '/api/v1/bookings', { clientId: client.id, roomId: room.id, title: 'Vocal overdubs', startsAt: `${day}T10:00:00Z`, endsAt: `${day}T12:00:00Z` });

	await page.goto(`/calendar?date=${day}&view=day`);
	// Creating a booking: the warning appears as soon as the client is chosen.
	await page.getByRole('button', { name: 'New booking' }).click();
	const dialog = page.getByRole('dialog', { name: 'New booking' });
	await expect(dialog.getByTestId('past-due-warning')).toHaveCount(0);
	await dialog.getByRole('combobox', { name: 'Client' }).fill('Midnight');
	await page.getByRole('option', { name: 'The Midnight Owls' }).click();
	await expect(dialog.getByTestId('past-due-warning')).toContainText('1 invoice past due since Jan 20, 2026: €150.00');
	await screenshot(page, 'booking-past-due-dialog');
	await dialog.getByRole('button', { name: 'Cancel' }).click();

	// An existing booking's drawer says it too, with the way to the client's billing.
	await page.locator('.ec-event', { hasText: 'Vocal overdubs' }).click();
	const drawer = page.getByRole('dialog', { name: 'Vocal overdubs' });
	const warning = drawer.getByTestId('past-due-warning');
	await expect(warning).toContainText('€150.00');
	await screenshot(page, 'booking-past-due-drawer');
	await warning.getByRole('link', { name: "See the client's billing" }).click();
	await expect(page).toHaveURL(new RegExp(`/clients/${client.id}\\?tab=invoices$`));
	await expect(page.getByTestId('past-due-warning')).toContainText('€150.00');
	await expect(page.getByRole('tab', { name: 'Invoices' })).toHaveAttribute('data-state', 'active');
	await expect(page.getByTestId('client-balance')).toContainText('€150.00');
	await screenshot(page, 'client-past-due');

	// Paid in full: no Void on offer (a paid invoice is corrected by a credit note), units read as words.
	await apiJson(page.request, 'post', `/api/v1/invoices/${invoice.id}/payments`, { amountMinor: 15000, method: 'bank_transfer', receivedOn: '2026-02-01' });
	await page.goto(`/invoices/${invoice.id}`);
	await expect(page.getByRole('toolbar', { name: 'Invoice actions' }).getByRole('button', { name: 'Credit note' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Void' })).toHaveCount(0);
	await expect(page.getByRole('cell', { name: '3 hours' })).toBeVisible();
	await screenshot(page, 'invoice-paid-actions');
});
