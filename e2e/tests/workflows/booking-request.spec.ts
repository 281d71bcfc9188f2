import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, createClientViaApi, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 12, bookreq: booking requests in two browsers. The client, on a phone (390×844), asks for a
 * session in the portal → staff approve it in the booking-request queue → the client sees it in Sessions.
 */

/** `days` from now at 10:00, as a datetime-local value (the browser's zone, as the form reads it). */
function localStart(days: number): string {
	const d = new Date(Date.now() + days * 86_400_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:00`;
}

test('a client asks for a session on their phone → staff approve it in the queue → the client sees it in Sessions', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const owner = newOwner('booking-request');
	await registerViaApi(page.request, owner);
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: 'UTC', defaultCurrency: 'EUR' });
	const slug = ((await (await page.request.get('/api/v1/auth/me')).json()) as { organization: { slug: string } }).organization.slug;
	await apiJson(page.request, 'post', '/api/v1/rooms', { name: 'Studio A', hourlyRateMinor: 5000, currency: 'EUR' });
	const client = await createClientViaApi(page.request, { name: 'The Night Larks' });
	const contact = owner.email.replace('booking-request', 'larks-contact');
	await apiJson(page.request, 'post', `/api/v1/clients/${client.id}/portal-invites`, { email: contact });

	// The client, on a phone: sets a password from the emailed link, then asks for a session.
	const link = await mailLinkFor(contact, 'portal-invite', `/portal/${slug}/accept-invite`);
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const them = await phone.newPage();
	await them.goto(link);
	await them.getByLabel('New password').fill('larks at dawn 2031!');
	await them.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));
	await expect(them.getByTestId('portal-next-session')).toContainText('No upcoming sessions');
	await them.getByRole('link', { name: 'Request a session' }).click();
	await expect(them.getByRole('heading', { name: 'Requests', level: 1 })).toBeVisible();
	const form = them.getByTestId('booking-request-form');
	await form.getByLabel('Room').selectOption({ label: 'Studio A' });
	await form.getByLabel('Length').selectOption({ label: '4 h' });
	await form.getByLabel('Preferred start 1').fill(localStart(10));
	await form.getByRole('button', { name: 'Add another time' }).click();
	await form.getByLabel('Preferred start 2').fill(localStart(11));
	await form.getByLabel('Notes for the studio').fill('Vocals and two guitars');
	await form.getByRole('button', { name: 'Send request' }).click();
	await expect(them.getByTestId('portal-request').first()).toContainText('Waiting');
	await screenshot(them, 'portal-request-sent-phone');
	await expectNoAxeViolations(them);

	// Staff: the queue, approve the second time as confirmed.
	await page.goto('/booking-requests');
	const item = page.getByTestId('booking-request').filter({ hasText: 'The Night Larks' });
	await expect(item).toContainText('Vocals and two guitars');
	await screenshot(page, 'booking-request-queue');
	await expectNoAxeViolations(page);
	await item.getByRole('button', { name: 'Approve' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('Time').selectOption({ index: 1 });
	await dialog.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByText('Approved: the session is booked')).toBeVisible();
	await page.getByRole('tab', { name: 'All' }).click();
	await expect(page.getByTestId('booking-request').filter({ hasText: 'The Night Larks' })).toContainText('Approved');

	// The client sees the session, with when its door code will show.
	await them.goto(`/portal/${slug}/sessions`);
	const session = them.getByTestId('portal-session').first();
	await expect(session).toContainText('The Night Larks');
	await expect(session).toContainText('Studio A');
	await expect(session.getByTestId('access-code-later')).toBeVisible();
	await screenshot(them, 'portal-sessions-phone');
	await expectNoAxeViolations(them);
	await them.goto(`/portal/${slug}/requests`);
	await expect(them.getByTestId('portal-request').first()).toContainText('Approved');
	await them.goto(`/portal/${slug}`);
	await expect(them.getByTestId('portal-next-session')).toContainText(/Starts in 1\d d/);
	await screenshot(them, 'portal-dashboard-next-session-phone');
	await phone.close();
});
