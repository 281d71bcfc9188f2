import { expect, test } from '@playwright/test';
import { apiJson, createClientViaApi, isoDay, newOwner, registerViaApi } from '../helpers';

/**
 * The quote and invoice pages' shared pieces (dedup): the PDF preview, the reason dialog (declining a
 * quote, voiding an invoice), the list filters kept in the address and the search box.
 */

/** A month ahead: a quote is sent with a validity date. */
const VALID_UNTIL = isoDay(30);
const LINES = [{ description: 'Mixing', quantity: '2', unit: 'hour', unitPriceMinor: 5000, taxRateId: null }];

test('a sent quote: preview its PDF, decline it with a reason; the quotes list filters by status and search in the address', async ({ page }) => {
	await registerViaApi(page.request, newOwner('doc-quote'));
	await page.request.patch('/api/v1/studio', { data: { defaultCurrency: 'EUR' } });
	const client = await createClientViaApi(page.request, { name: 'The Declining Owls', email: 'owls@decline.test' });
	const draft = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/quotes', { clientId: client.id, currency: 'EUR', validUntil: VALID_UNTIL, lines: LINES });
	const sent = await apiJson<{ number: string }>(page.request, 'post', `/api/v1/quotes/${draft.id}/send`, {}, { 'Idempotency-Key': `send-${draft.id}` });

	await page.goto(`/quotes/${draft.id}`);
	const toolbar = page.getByRole('toolbar', { name: 'Quote actions' });
	await toolbar.getByRole('button', { name: 'Preview PDF' }).click();
	const preview = page.getByRole('dialog', { name: 'Preview PDF' });
	await expect(preview.locator('iframe')).toHaveAttribute('title', `PDF of quote ${sent.number}`);
	await expect(preview.locator('iframe')).toHaveAttribute('src', `/api/v1/quotes/${draft.id}/pdf`);
	await page.keyboard.press('Escape');
	await expect(preview).toBeHidden();
	await expect(toolbar.getByRole('link', { name: 'Open PDF' })).toHaveAttribute('target', '_blank');

	await toolbar.getByRole('button', { name: 'Decline' }).click();
	const decline = page.getByRole('dialog', { name: `Decline quote ${sent.number}` });
	await decline.getByRole('textbox', { name: /^Reason/ }).fill('Over budget');
	await decline.getByRole('button', { name: 'Decline' }).click();
	await expect(decline).toBeHidden();
	await expect(page.getByRole('note')).toHaveText('The client declined this quote: Over budget');

	// The client page lists the quote with its status and total.
	await page.goto(`/clients/${client.id}?tab=invoices`);
	const quotes = page.getByRole('tabpanel').getByRole('region', { name: 'Quotes' });
	await expect(quotes.getByRole('link', { name: sent.number })).toHaveAttribute('href', `/quotes/${draft.id}`);
	await expect(quotes.getByRole('listitem')).toContainText(['Declined']);
	await expect(quotes.getByRole('listitem')).toContainText(['€100.00']);

	// The list: a status filter and a search term go into the address; clearing brings the whole list back.
	await page.goto('/quotes?status=declined');
	await expect(page.getByLabel('Status')).toHaveValue('declined');
	await expect(page.getByRole('link', { name: sent.number })).toBeVisible();
	const search = page.getByRole('searchbox', { name: 'Search quotes by number or client' });
	await search.fill('nothing like it');
	await search.press('Enter');
	await expect(page).toHaveURL(/\/quotes\?status=declined&q=nothing\+like\+it$/);
	await expect(page.getByRole('heading', { name: 'No quote matches these filters' })).toBeVisible();
	await page.getByRole('button', { name: 'Clear filters' }).click();
	await expect(page).toHaveURL(/\/quotes$/);
	await expect(search).toHaveValue('');
	await expect(page.getByRole('link', { name: sent.number })).toBeVisible();
	// Typing searches by itself once the typing pauses.
	await search.fill('Declining');
	await expect(page).toHaveURL(/\/quotes\?q=Declining$/);
	await expect(page.getByRole('link', { name: sent.number })).toBeVisible();
});

test('an issued invoice: voiding asks for a reason, then the invoice says it is void', async ({ page }) => {
	await registerViaApi(page.request, newOwner('doc-void'));
	await page.request.patch('/api/v1/studio', { data: { defaultCurrency: 'EUR' } });
	const client = await createClientViaApi(page.request, { name: 'The Void Owls', email: 'owls@void.test' });
	const invoice = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/invoices', { clientId: client.id, lines: LINES });
	const issued = await apiJson<{ number: string }>(page.request, 'post', `/api/v1/invoices/${invoice.id}/finalize`, {});

	await page.goto(`/invoices/${invoice.id}`);
	const toolbar = page.getByRole('toolbar', { name: 'Invoice actions' });
	await toolbar.getByRole('button', { name: 'Preview PDF' }).click();
	await expect(page.getByRole('dialog', { name: 'Preview PDF' }).locator('iframe')).toHaveAttribute('title', `PDF of ${issued.number}`);
	await page.keyboard.press('Escape');

	await toolbar.getByRole('button', { name: 'Void' }).click();
	const dialog = page.getByRole('dialog', { name: `Void ${issued.number}` });
	await dialog.getByRole('button', { name: 'Void' }).click();
	await expect(dialog.getByRole('textbox', { name: /^Reason/ })).toHaveAccessibleDescription(/Fill in this field/);
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await toolbar.getByRole('button', { name: 'Void' }).click();
	await dialog.getByRole('textbox', { name: /^Reason/ }).fill('Billed twice');
	await dialog.getByRole('button', { name: 'Void' }).click();
	await expect(page.getByRole('note')).toHaveText('This invoice is void: Billed twice');

	// The client page lists it (number, status, amount) and has no quotes yet.
	await page.goto(`/clients/${client.id}?tab=invoices`);
	const panel = page.getByRole('tabpanel');
	await expect(panel.getByRole('link', { name: issued.number })).toHaveAttribute('href', `/invoices/${invoice.id}`);
	await expect(panel.getByRole('listitem').filter({ hasText: issued.number })).toContainText('Void');
	await expect(panel.getByRole('region', { name: 'Quotes' })).toContainText('No quotes for this client yet.');
});
