import { expect, test } from '@playwright/test';
import { apiJson, createClientViaApi, isoDay, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 11's whole money flow in the browser, against the local Stripe server the e2e config starts
 * (tools/stripe-fake, STRIPE_API_BASE): a client's session → invoice from bookings → finalize → send
 * → a partial payment by hand → the rest paid on the hosted checkout page → the signed webhook marks
 * the invoice paid.
 */

test('client → session → invoice from bookings → finalize → send → partial payment → Stripe checkout → paid', async ({ page }) => {
	test.setTimeout(120_000);
	await registerViaApi(page.request, newOwner('invoice-flow'));
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: 'UTC', defaultCurrency: 'EUR' });
	await apiJson(page.request, 'post', '/api/v1/tax-rates', { name: 'VAT', ratePercent: '20', isDefault: true });
	const room = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/rooms', { name: 'Studio A', colour: '#4f46e5', hourlyRateMinor: 5000, currency: 'EUR' });
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls', email: 'band@owls.test' });
	const day = isoDay(8);
	await apiJson(page.request, 'post', '/api/v1/bookings', { clientId: client.id, roomId: room.id, title: 'Vocal overdubs', startsAt: `${day}T10:00:00.000Z`, endsAt: `${day}T13:00:00.000Z` });

	// The owner connects the studio's Stripe account on the local server's onboarding page.
	await page.goto('/settings/billing');
	const stripe = page.getByRole('region', { name: 'Online payments (Stripe)' });
	await stripe.getByRole('button', { name: 'Connect Stripe' }).click();
	await page.getByRole('button', { name: 'Complete onboarding' }).click();
	// Back in the app (Stripe's return URL): the card has read the account's new state.
	await expect(page).toHaveURL(/\/settings\/billing\?stripe=return$/);
	await expect(stripe).toContainText('Active');

	// From the client's page: invoice the session.
	await page.goto(`/clients/${client.id}`);
	await page.getByRole('tab', { name: 'Invoices' }).click();
	await page.getByRole('button', { name: 'Invoice from sessions' }).click();
	const picker = page.getByRole('dialog', { name: 'Invoice sessions' });
	await picker.getByRole('checkbox', { name: /Vocal overdubs/ }).check();
	await picker.getByRole('button', { name: 'Create draft (1)' }).click();
	await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Description')).toHaveValue(/Studio A/);
	// 3 h × €50 = €150 net, VAT 20 % → €180.
	await expect(page.getByTestId('totals')).toContainText('€180.00');
	await screenshot(page, 'invoice-flow-draft');

	await page.getByRole('button', { name: 'Finalize' }).click();
	await expect(page.getByRole('heading', { level: 1 })).not.toContainText('draft');
	await expect(page.getByTestId('balance')).toContainText('€180.00');

	// Send it: the dialog starts with the bill-to address.
	await page.getByRole('toolbar', { name: 'Invoice actions' }).getByRole('button', { name: 'Send' }).click();
	const sendDialog = page.getByRole('dialog', { name: /^Send / });
	await expect(sendDialog.getByLabel('To')).toHaveValue('band@owls.test');
	await sendDialog.getByRole('button', { name: 'Send' }).click();
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Sent to band@owls.test');

	// A partial payment by bank transfer: the amount starts at the balance.
	await page.getByRole('button', { name: 'Record payment' }).click();
	const payment = page.getByRole('dialog', { name: 'Record a payment' });
	await expect(payment.getByLabel(/Amount/)).toHaveValue('180.00');
	await payment.getByLabel(/Amount/).fill('100');
	await payment.getByLabel('Reference').fill('Transfer 0042');
	await payment.getByRole('button', { name: 'Record payment' }).click();
	await expect(payment).toBeHidden();
	await expect(page.getByTestId('balance')).toContainText('€80.00');
	await expect(page.getByText('Partly paid')).toBeVisible();
	await screenshot(page, 'invoice-flow-partly-paid');

	// The rest online: the checkout link opens the local Stripe page, Pay, back to the app.
	const online = page.getByRole('region', { name: 'Pay online' });
	await online.getByRole('button', { name: 'Get checkout link' }).click();
	const checkoutUrl = await online.getByRole('link', { name: 'Open checkout' }).getAttribute('href');
	expect(checkoutUrl).toBeTruthy();
	const invoiceUrl = page.url();
	await page.goto(checkoutUrl!);
	await expect(page.getByRole('heading', { name: /Pay €80\.00/ })).toBeVisible();
	await page.getByRole('button', { name: /^Pay / }).click();
	await expect(page.getByRole('heading', { name: 'Thank you, payment received' })).toBeVisible();

	await expect
		.poll(async () => (await (await page.request.get(`/api/v1/invoices/${invoiceUrl.split('/').pop()}`)).json()).status, { timeout: 20_000 })
		.toBe('paid');
	await page.goto(invoiceUrl);
	await expect(page.getByTestId('balance')).toContainText('€0.00');
	await expect(page.getByRole('main').getByText('Paid', { exact: true }).first()).toBeVisible();
	await expect(page.getByRole('region', { name: 'Payments' })).toContainText('Online (Stripe)');
	await screenshot(page, 'invoice-flow-paid');
});
