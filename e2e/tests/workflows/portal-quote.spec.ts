import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, createClientViaApi, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 12, portalquotes: staff send a quote → the client, on a phone (390×844), opens it in the portal
 * and accepts it (confirmed) → staff see the quote accepted and the invoice it made. Screenshots and axe
 * on the client's pages.
 */

test('staff send a quote → the client accepts it in the portal on a phone → staff see it accepted with its invoice', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const owner = newOwner('portal-quote');
	await registerViaApi(page.request, owner);
	await page.request.patch('/api/v1/studio', { data: { timeZone: 'UTC', defaultCurrency: 'EUR' } });
	const slug = ((await (await page.request.get('/api/v1/auth/me')).json()) as { organization: { slug: string } }).organization.slug;

	// Staff: a client, a quote sent to them, and an invitation to the portal.
	const contact = owner.email.replace('portal-quote', 'portal-quote-contact');
	const client = await createClientViaApi(page.request, { name: 'The Night Herons', email: contact });
	const draft = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/quotes', { clientId: client.id, validUntil: '2099-12-31', lines: [{ description: 'Album mixing, 10 songs', quantity: '10', unitPriceMinor: 20_000 }] });
	const sent = await apiJson<{ number: string }>(page.request, 'post', `/api/v1/quotes/${draft.id}/send`, {});
	await apiJson(page.request, 'post', `/api/v1/clients/${client.id}/portal-invites`, { email: contact });

	// The client, on a phone: the emailed link, a password, the dashboard, the quote.
	const link = await mailLinkFor(contact, 'portal-invite', `/portal/${slug}/accept-invite`);
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const them = await phone.newPage();
	await them.goto(link);
	await them.getByLabel('New password').fill('herons fly at night 2031');
	await them.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));
	await them.getByRole('link', { name: 'Quotes' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}/quotes$`));
	await expect(them.getByRole('listitem')).toContainText('Awaiting your answer');
	await expectNoAxeViolations(them);
	await screenshot(them, 'portal-quotes-phone');

	await them.getByRole('link', { name: sent.number }).click();
	await expect(them.getByRole('heading', { level: 1 })).toContainText(`Quote ${sent.number}`);
	await expect(them.getByRole('main')).toContainText('Album mixing, 10 songs');
	await expectNoAxeViolations(them);
	await screenshot(them, 'portal-quote-phone');

	// Accept, confirmed in a dialog.
	await them.getByRole('button', { name: 'Accept quote' }).click();
	const confirm = them.getByRole('alertdialog', { name: 'Accept quote' });
	await expect(confirm).toContainText('The studio will prepare the invoice.');
	await expectNoAxeViolations(them);
	await confirm.getByRole('button', { name: 'Accept quote' }).click();
	await expect(them.getByTestId('portal-quote-answer')).toHaveText('You accepted this quote. Thank you!');
	await expect(them.getByRole('button', { name: 'Accept quote' })).toHaveCount(0);
	await screenshot(them, 'portal-quote-accepted-phone');
	await phone.close();

	// Staff: the quote is accepted, with the invoice it made; the client page shows the portal activity.
	await page.goto(`/quotes/${draft.id}`);
	await expect(page.getByRole('main')).toContainText('Accepted');
	await expect(page.getByRole('region', { name: 'Invoices from this quote' })).toBeVisible();
	const stored = (await (await page.request.get(`/api/v1/quotes/${draft.id}`)).json()) as { status: string; invoices: Array<{ kind: string; totalMinor: number }> };
	expect(stored).toMatchObject({ status: 'accepted', invoices: [{ kind: 'invoice', totalMinor: 200_000 }] });
	await page.goto(`/clients/${client.id}`);
	await page.getByRole('tab', { name: 'Portal' }).click();
	const activity = page.getByTestId('client-portal-activity');
	await expect(activity).toContainText(`Accepted quote ${sent.number}`);
	await expect(activity).toContainText('Signed in');
	await screenshot(page, 'portal-activity-staff');
});
