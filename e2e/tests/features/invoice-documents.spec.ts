import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, connectStripeViaApi, createClientViaApi, isoDay, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Money pages with data (issue 11, money-web): the invoices list's status, overdue and balance columns
 * and its overdue filter; splitting an issued invoice into equal and custom shares; full and partial
 * credit notes; and what the invoice and billing pages say when online payment is off.
 */

interface Issued {
	id: string;
	number: string;
	issueDate: string;
	dueDate: string;
}

/** A studio in UTC (the test's "today" is the studio's) billing in euros, with one client. */
async function studio(page: Page, label: string) {
	await registerViaApi(page.request, newOwner(label));
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: 'UTC', defaultCurrency: 'EUR' });
	return createClientViaApi(page.request, { name: 'The Midnight Owls', email: 'band@owls.test' });
}

type Line = { description: string; quantity: string; unitPriceMinor: number };

/** A draft invoice with these lines (no tax); `finalize` issues it (`issueDate` back-dates it). */
async function invoice(request: APIRequestContext, clientId: string, lines: Line[], finalize?: { issueDate?: string }) {
	const draft = await apiJson<{ id: string }>(request, 'post', '/api/v1/invoices', { clientId, lines: lines.map((l) => ({ ...l, taxRateId: null })) });
	if (!finalize) return { ...draft, number: '', issueDate: '', dueDate: '' } as Issued;
	return apiJson<Issued>(request, 'post', `/api/v1/invoices/${draft.id}/finalize`, finalize);
}

const one = (description: string, unitPriceMinor: number): Line[] => [{ description, quantity: '1', unitPriceMinor }];

async function pay(request: APIRequestContext, invoiceId: string, amountMinor: number) {
	await apiJson(request, 'post', `/api/v1/invoices/${invoiceId}/payments`, { amountMinor, method: 'bank_transfer', receivedOn: isoDay() });
}

/** A share as the invoice page lists it: payer, amount, and still open. */
const share = (payer: string, amount: string) => new RegExp(`^${payer}: ${amount.replace('.', '\\.')}\\s*Open$`);

/** The page's title bar: the document's number and its status badges. */
const pageHeader = (page: Page) => page.locator('header.page-header');

/** A calendar day as the app shows it in English (labels.ts formatDay). */
const shown = (day: string) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

test('the invoices list: status, overdue and balance of invoices in every state, and the overdue filter', async ({ page }) => {
	const client = await studio(page, 'inv-list');
	// Issued 60 days ago with no due date of its own: the billing settings' payment terms (30 days by default)
	// put it 30 days past due. Issued first: a later number may not carry an earlier date.
	const overdue = await invoice(page.request, client.id, one('Tracking, January', 8000), { issueDate: isoDay(-60) });
	expect(overdue.dueDate).toBe(isoDay(-30));
	const sent = await invoice(page.request, client.id, one('Mixing', 20000), {});
	const partly = await invoice(page.request, client.id, one('Mastering', 30000), {});
	await pay(page.request, partly.id, 12000);
	const paid = await invoice(page.request, client.id, one('Vocal overdubs', 40000), {});
	await pay(page.request, paid.id, 40000);
	await invoice(page.request, client.id, one('Editing', 5000));

	await page.goto('/invoices');
	await expect(page.getByRole('main')).toContainText('5 invoices');
	const rows = page.getByRole('table', { name: 'Invoices' }).locator('tbody tr');
	await expect(rows).toHaveCount(5);
	// Columns: number, client, status, issue date, due date, total, balance.
	const expected = [
		{ name: overdue.number, status: /^Sent\s*Overdue$/, due: shown(overdue.dueDate), total: '€80.00', balance: '€80.00' },
		{ name: sent.number, status: 'Sent', due: shown(sent.dueDate), total: '€200.00', balance: '€200.00' },
		{ name: partly.number, status: 'Partly paid', due: shown(partly.dueDate), total: '€300.00', balance: '€180.00' },
		{ name: paid.number, status: 'Paid', due: shown(paid.dueDate), total: '€400.00', balance: '€0.00' },
		// A draft has no number, no dates, and the whole total to pay.
		{ name: 'Invoice (draft)', status: 'Draft', due: '', total: '€50.00', balance: '€50.00' }
	];
	for (const row of expected) {
		const cells = rows.filter({ hasText: row.name }).getByRole('cell');
		await expect(cells.nth(1)).toHaveText('The Midnight Owls');
		await expect(cells.nth(2)).toHaveText(row.status);
		if (typeof row.status === 'string') await expect(cells.nth(2)).not.toContainText('Overdue');
		await expect(cells.nth(4)).toHaveText(row.due);
		await expect(cells.nth(5)).toHaveText(row.total);
		await expect(cells.nth(6)).toHaveText(row.balance);
	}
	await expect(rows.filter({ hasText: overdue.number }).getByRole('cell').nth(3)).toHaveText(shown(isoDay(-60)));
	await expectNoAxeViolations(page);
	await screenshot(page, 'invoices-list-states');

	// Overdue only: the one issued invoice past its due date with something left to pay.
	await page.getByRole('checkbox', { name: 'Overdue only' }).click();
	await expect(page).toHaveURL(/\/invoices\?overdue=true$/);
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText(overdue.number);
	await expect(page.getByRole('main')).toContainText('1 invoice');
	await expectNoAxeViolations(page);
	await screenshot(page, 'invoices-list-overdue');

	// Partly paid and overdue together match nothing: the filters' empty state.
	await page.getByLabel('Status').selectOption({ label: 'Partly paid' });
	await expect(page.getByRole('heading', { name: 'No invoice matches these filters' })).toBeVisible();
	await page.getByRole('button', { name: 'Clear filters' }).click();
	await expect(rows).toHaveCount(5);
});

test('split an issued invoice into 3 equal shares, then into custom amounts that must add up to the balance', async ({ page }) => {
	test.setTimeout(90_000);
	const client = await studio(page, 'inv-shares');
	await connectStripeViaApi(page.request);
	const issued = await invoice(page.request, client.id, one('Album mix', 10000), {});

	await page.goto(`/invoices/${issued.id}`);
	await page.getByRole('toolbar', { name: 'Invoice actions' }).getByRole('button', { name: 'Split into shares' }).click();
	const dialog = page.getByRole('dialog', { name: 'Split into shares' });
	await expect(dialog).toContainText('Balance: €100.00');
	await expect(dialog.getByLabel('How')).toHaveValue('equal');
	await dialog.getByLabel('Number of shares').fill('3');
	await expectNoAxeViolations(page);
	await dialog.getByRole('button', { name: 'Split' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Invoice split into shares');

	// €100 in 3: the cent left over goes to the first share, so they add up exactly.
	const shares = page.getByRole('region', { name: 'Shares' }).getByRole('listitem');
	await expect(shares).toHaveText([share('Payer 1', '€33.34'), share('Payer 2', '€33.33'), share('Payer 3', '€33.33')]);
	// Online payment is on (the studio's Stripe account is active): a checkout link per open share.
	const online = page.getByRole('region', { name: 'Pay online' });
	for (const payer of ['Payer 1', 'Payer 2', 'Payer 3']) {
		await expect(online.locator('.link-row', { hasText: payer }).getByRole('button', { name: 'Get checkout link' })).toBeVisible();
	}
	await expect(online.getByText('The balance')).toHaveCount(0);
	await online.locator('.link-row', { hasText: 'Payer 2' }).getByRole('button', { name: 'Get checkout link' }).click();
	const link = online.locator('.link-row', { hasText: 'Payer 2' }).getByRole('link', { name: 'Open checkout' });
	await expect(link).toHaveAttribute('href', new RegExp(`^${process.env.E2E_STRIPE_FAKE_URL}/`));
	await expectNoAxeViolations(page);
	await screenshot(page, 'invoice-shares-equal');
	// The link is for that share's amount only.
	const checkout = await page.context().newPage();
	await checkout.goto((await link.getAttribute('href'))!);
	await expect(checkout.getByRole('heading', { name: /Pay €33\.33/ })).toBeVisible();
	await checkout.close();

	// Nothing is paid yet, so the split can change: custom amounts, named payers.
	await page.getByRole('toolbar', { name: 'Invoice actions' }).getByRole('button', { name: 'Split into shares' }).click();
	await dialog.getByLabel('How').selectOption('custom');
	const payer = (n: number) => dialog.getByRole('group', { name: `Payer ${n}` });
	await payer(1).getByLabel('Name').fill('Mia');
	await payer(1).getByLabel(/^Email/).fill('mia@owls.test');
	await payer(1).getByLabel('Amount (EUR)').fill('60');
	await payer(2).getByLabel('Name').fill('Leo');
	await payer(2).getByLabel('Amount (EUR)').fill('30');
	await expect(dialog).toContainText('Left to share out: €10.00');
	await dialog.getByRole('button', { name: 'Split' }).click();
	// €90 of €100: refused by the form before any request, and the dialog stays open.
	await expect(dialog.getByTestId('form-error')).toContainText('The shares must add up to the balance exactly.');
	await expectNoAxeViolations(page);
	await screenshot(page, 'invoice-shares-custom-error');

	await dialog.getByRole('button', { name: 'Add a payer' }).click();
	await payer(3).getByLabel('Name').fill('Sam');
	await payer(3).getByLabel('Amount (EUR)').fill('10');
	await expect(dialog).toContainText('Left to share out: €0.00');
	const put = page.waitForResponse((res) => res.url().endsWith(`/api/v1/invoices/${issued.id}/shares`) && res.request().method() === 'PUT');
	await dialog.getByRole('button', { name: 'Split' }).click();
	// The API's answer: each share with its payer, email and amount, and payable online (the account is active).
	const saved = (await (await put).json()) as { items: Array<{ payerName: string; payerEmail: string | null; amountMinor: number; checkoutAvailable: boolean }> };
	expect(saved.items.map((s) => [s.payerName, s.payerEmail, s.amountMinor, s.checkoutAvailable])).toEqual([
		['Mia', 'mia@owls.test', 6000, true],
		['Leo', null, 3000, true],
		['Sam', null, 1000, true]
	]);
	await expect(dialog).toBeHidden();
	await expect(shares).toHaveText([share('Mia', '€60.00'), share('Leo', '€30.00'), share('Sam', '€10.00')]);
	for (const name of ['Mia', 'Leo', 'Sam']) {
		await expect(online.locator('.link-row', { hasText: name }).getByRole('button', { name: 'Get checkout link' })).toBeVisible();
	}
	await expect(online.locator('.link-row', { hasText: 'Payer' })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await screenshot(page, 'invoice-shares-custom');
});

const TWO_LINES: Line[] = [
	{ description: 'Mixing', quantity: '2', unitPriceMinor: 10000 },
	{ description: 'Mastering', quantity: '1', unitPriceMinor: 5000 }
];

/** From the invoice's toolbar: "Credit note", confirmed; lands on the draft credit note's page. */
async function draftCreditNote(page: Page, invoiceNumber: string) {
	await page.getByRole('toolbar', { name: 'Invoice actions' }).getByRole('button', { name: 'Credit note' }).click();
	const confirm = page.getByRole('alertdialog', { name: 'Credit note' });
	await expect(confirm).toContainText(`Create a draft credit note for the whole of ${invoiceNumber}?`);
	await confirm.getByRole('button', { name: 'Credit note' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Credit note (draft)');
	await expect(page.getByTestId('credit-note-for').getByRole('link', { name: `For invoice ${invoiceNumber}` })).toBeVisible();
}

test('credit notes: a full one settles the invoice, a partial one (lines lowered in the draft) lowers its balance, and the rest is credited after the full copy is refused', async ({ page }) => {
	test.setTimeout(90_000);
	const client = await studio(page, 'inv-credit');
	const full = await invoice(page.request, client.id, TWO_LINES, {});

	// The whole invoice: the draft copies every line; finalizing gives it the credit notes' own number.
	await page.goto(`/invoices/${full.id}`);
	await draftCreditNote(page, full.number);
	await expect(page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Description')).toHaveValue('Mixing');
	await expect(page.getByRole('listitem', { name: 'Line 2' }).getByLabel('Description')).toHaveValue('Mastering');
	await expect(page.getByTestId('totals')).toContainText('€250.00');
	await expectNoAxeViolations(page);
	await screenshot(page, 'credit-note-draft');
	await page.getByRole('button', { name: 'Finalize' }).click();
	const heading = page.getByRole('heading', { level: 1 });
	await expect(heading).toHaveText(/^CN-\d{4}-\d{4}/);
	const fullNote = (await heading.textContent())!.match(/CN-\d{4}-\d{4}/)![0];
	await expect(page.getByRole('heading', { name: `Credit note ${fullNote}` })).toBeVisible();
	await expect(page.getByText(`For invoice ${full.number}`)).toBeVisible();
	// A credit note is not paid, split, credited or voided.
	const toolbar = page.getByRole('toolbar', { name: 'Invoice actions' });
	for (const action of ['Record payment', 'Split into shares', 'Credit note', 'Void']) await expect(toolbar.getByRole('button', { name: action })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await screenshot(page, 'credit-note-issued');

	// The invoice names it; nothing is left to pay, so it counts as settled (invoice-balance.ts).
	await page.goto(`/invoices/${full.id}`);
	const credits = page.getByRole('region', { name: 'Credit notes' });
	await expect(credits.getByRole('link', { name: fullNote })).toBeVisible();
	await expect(credits.getByRole('listitem')).toHaveText(`${fullNote} · Sent · €250.00`);
	await expect(page.getByRole('main')).toContainText(/Credited\s*−€250\.00/);
	await expect(page.getByTestId('balance')).toHaveText(/^Balance\s*€0\.00$/);
	await expect(pageHeader(page)).toContainText('Paid');
	for (const action of ['Record payment', 'Void']) await expect(toolbar.getByRole('button', { name: action })).toHaveCount(0);
	await credits.getByRole('link', { name: fullNote }).click();
	await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
	await expect(heading).toContainText(fullNote);

	// Part of an invoice already partly paid: the draft's first line lowered to one unit and its second removed.
	const partial = await invoice(page.request, client.id, TWO_LINES, {});
	await pay(page.request, partial.id, 5000);
	await page.goto(`/invoices/${partial.id}`);
	await draftCreditNote(page, partial.number);
	await page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Quantity').fill('1');
	await page.getByRole('listitem', { name: 'Line 2' }).getByRole('button', { name: 'Remove line 2' }).click();
	await expect(page.getByRole('listitem', { name: 'Line 2' })).toHaveCount(0);
	await expect(page.getByTestId('totals').locator('.total').first()).toContainText('€100.00');
	await page.getByRole('button', { name: 'Finalize' }).click();
	await expect(heading).toHaveText(/^CN-\d{4}-\d{4}/);
	const partialNote = (await heading.textContent())!.match(/CN-\d{4}-\d{4}/)![0];
	expect(partialNote).not.toBe(fullNote);
	await expect(page.getByTestId('totals')).toContainText('€100.00');

	// €250 − €100 credited − €50 paid = €100 still to pay: still partly paid, and payable.
	await page.goto(`/invoices/${partial.id}`);
	await expect(credits.getByRole('listitem')).toHaveText(`${partialNote} · Sent · €100.00`);
	await expect(page.getByRole('main')).toContainText(/Credited\s*−€100\.00/);
	await expect(page.getByTestId('balance')).toHaveText(/^Balance\s*€100\.00$/);
	await expect(pageHeader(page)).toContainText('Partly paid');
	await expect(toolbar.getByRole('button', { name: 'Record payment' })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, 'credit-note-partial-invoice');

	// Crediting the rest: the full copy (€250) is drafted again, and finalizing it over the €150 left is refused
	// in the form; lowered to €150 it is issued, and nothing is left to pay.
	await draftCreditNote(page, partial.number);
	await page.getByRole('button', { name: 'Finalize' }).click();
	await expect(page.getByTestId('form-error')).toHaveText('The credit note is larger than what is left on the invoice.');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Credit note (draft)');
	await page.getByRole('listitem', { name: 'Line 2' }).getByRole('button', { name: 'Remove line 2' }).click();
	await page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Quantity').fill('1');
	await page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Unit price').fill('150');
	await expect(page.getByTestId('totals').locator('.total').first()).toContainText('€150.00');
	await page.getByRole('button', { name: 'Finalize' }).click();
	await expect(heading).toHaveText(/^CN-\d{4}-\d{4}/);
	await page.goto(`/invoices/${partial.id}`);
	await expect(page.getByTestId('balance')).toHaveText(/^Balance\s*€0\.00$/);
	await expect(pageHeader(page)).toContainText('Paid');

	// The list shows the credit notes as their own kind, each with its number.
	await page.goto('/invoices');
	const rows = page.getByRole('table', { name: 'Invoices' }).locator('tbody tr');
	for (const note of [fullNote, partialNote]) await expect(rows.filter({ hasText: note })).toContainText('Credit note');
});

test('"Online payment is off": the billing settings and the invoice page say so when the API reports it', async ({ page }) => {
	const client = await studio(page, 'inv-online-off');
	const issued = await invoice(page.request, client.id, one('Mixing', 15000), {});
	// The e2e API always runs with a Stripe key (the local Stripe server), and the key is read once at start-up.
	// So the one response that turns the message on — GET /api/v1/stripe/connection, read by StripeCard and
	// OnlinePayment — is answered here exactly as StripeConnectionService.get() answers without
	// STRIPE_SECRET_KEY (its Stripe client is null) for a studio that never connected an account.
	let routed = 0;
	await page.route(
		(url) => url.pathname === '/api/v1/stripe/connection',
		async (route) => {
			if (route.request().method() !== 'GET') return route.fallback();
			routed++;
			await route.fulfill({
				status: 200,
				contentType: 'application/json; charset=utf-8',
				json: { enabled: false, status: 'none', accountId: null, chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false }
			});
		}
	);

	await page.goto('/settings/billing');
	const stripe = page.getByRole('region', { name: 'Online payments (Stripe)' });
	await expect(stripe.getByTestId('online-payment-off')).toHaveText('Online payment is off on this server.');
	await expect(stripe.getByRole('button', { name: 'Connect Stripe' })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await screenshot(page, 'settings-billing-online-off');

	await page.goto(`/invoices/${issued.id}`);
	const online = page.getByRole('region', { name: 'Pay online' });
	await expect(online.getByTestId('online-payment-off')).toHaveText('Online payment is off on this server.');
	await expect(online.getByRole('button', { name: 'Get checkout link' })).toHaveCount(0);
	// Paying by hand is unaffected.
	await expect(page.getByRole('toolbar', { name: 'Invoice actions' }).getByRole('button', { name: 'Record payment' })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, 'invoice-online-off');
	expect(routed).toBe(2);
});
