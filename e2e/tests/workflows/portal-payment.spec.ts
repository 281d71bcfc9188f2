import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, createClientViaApi, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 12, portal: the Phase 17 flow in two browsers. Staff invite a client's contact from the client
 * page → the client opens the emailed link on a phone, chooses a password, sees the invoice and pays it
 * on the local Stripe page → the signed webhook marks it paid → the staff page shows it paid.
 */

test('staff invite a client → the client sets a password from the email, sees the invoice and pays on Stripe → staff see it paid', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const owner = newOwner('portal-flow');
	await registerViaApi(page.request, owner);
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: 'UTC', defaultCurrency: 'EUR' });
	const slug = ((await (await page.request.get('/api/v1/auth/me')).json()) as { organization: { slug: string } }).organization.slug;

	// The studio's Stripe account, on the local server's onboarding page.
	await page.goto('/settings/billing');
	const stripe = page.getByRole('region', { name: 'Online payments (Stripe)' });
	await stripe.getByRole('button', { name: 'Connect Stripe' }).click();
	await page.getByRole('button', { name: 'Complete onboarding' }).click();
	await expect(stripe).toContainText('Active');

	// A client with an issued invoice.
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls', email: 'band@owls.test' });
	const invoice = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/invoices', { clientId: client.id, lines: [{ description: 'Mixing, 3 songs', quantity: '3', unitPriceMinor: 5000 }] });
	await apiJson(page.request, 'post', `/api/v1/invoices/${invoice.id}/finalize`, {});

	// Staff: the client page's Portal tab, invite the contact.
	const contact = owner.email.replace('portal-flow', 'portal-contact');
	await page.goto(`/clients/${client.id}`);
	await page.getByRole('tab', { name: 'Portal' }).click();
	const access = page.getByTestId('portal-access');
	await access.getByLabel('Email').fill(contact);
	await access.getByRole('button', { name: 'Invite to the portal' }).click();
	await expect(page.getByText(`Invitation sent to ${contact}`)).toBeVisible();
	await expect(access).toContainText('Invited');
	await screenshot(page, 'portal-staff-access');

	// The client, on a phone: the emailed link, a password, the dashboard.
	const link = await mailLinkFor(contact, 'portal-invite', `/portal/${slug}/accept-invite`);
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const them = await phone.newPage();
	await them.goto(link);
	await expect(them.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
	await expect(them).toHaveURL(/\/accept-invite$/); // the token left the address bar
	await expectNoAxeViolations(them);
	await them.getByLabel('New password').fill('owls at midnight 2031');
	await them.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));
	await expect(them.getByRole('banner')).toContainText(owner.studioName);
	await expect(them.getByTestId('portal-balance')).toContainText('€150.00');
	await screenshot(them, 'portal-dashboard-phone');
	await expectNoAxeViolations(them);

	// The invoice, then Pay on the local Stripe page, back to the portal.
	await them.getByRole('link', { name: /^INV-/ }).click();
	await expect(them.getByTestId('portal-invoice-balance')).toContainText('€150.00');
	await expectNoAxeViolations(them);
	await them.getByRole('button', { name: /^Pay/ }).click();
	await expect(them.getByRole('heading', { name: /Pay €150\.00/ })).toBeVisible();
	await them.getByRole('button', { name: /^Pay / }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}/invoices/${invoice.id}\\?paid=1$`));
	await expect
		.poll(async () => {
			await them.reload();
			return them.getByTestId('portal-invoice-balance').textContent();
		}, { timeout: 20_000 })
		.toContain('€0.00');
	await expect(them.getByRole('main').getByText('Paid', { exact: true }).first()).toBeVisible();
	await screenshot(them, 'portal-invoice-paid-phone');

	// Staff see it paid.
	await page.goto(`/invoices/${invoice.id}`);
	await expect(page.getByTestId('balance')).toContainText('€0.00');
	await expect(page.getByRole('region', { name: 'Payments' })).toContainText('Online (Stripe)');

	// Signing out: a failed logout says so and stays signed in; a working one goes to the sign-in page.
	await them.goto(`/portal/${slug}`);
	await them.route('**/api/v1/portal/auth/logout', (route) =>
		route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'https://rsm.dev/problems/service-unavailable', title: 'Service Unavailable', status: 503, detail: 'Try again shortly.' }) })
	);
	await them.getByRole('button', { name: 'Sign out' }).click();
	await expect(them.getByText(/Could not sign out/)).toBeVisible();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));
	await them.unroute('**/api/v1/portal/auth/logout');
	await them.getByRole('button', { name: 'Sign out' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}/login$`));
	expect((await them.request.get(`/api/v1/portal/${slug}/auth/session`)).status()).toBe(401);

	// Back in with an emailed link: opening it signs in nobody (mail scanners open links) until the button is pressed.
	await them.getByLabel('Email').fill(contact);
	await them.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(them.getByTestId('magic-link-sent')).toBeVisible();
	const magic = await mailLinkFor(contact, 'portal-magic-link', `/portal/${slug}/magic-link`);
	await them.goto(magic);
	await expect(them.getByRole('button', { name: 'Sign in' })).toBeVisible();
	await expect(them).toHaveURL(/\/magic-link$/); // the token left the address bar
	expect((await them.request.get(`/api/v1/portal/${slug}/auth/session`)).status()).toBe(401);
	await expectNoAxeViolations(them);
	await them.getByRole('button', { name: 'Sign in' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));
	await expect(them.getByTestId('portal-balance')).toBeVisible();
	await phone.close();
});
