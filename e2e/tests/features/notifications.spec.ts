import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createClientViaApi, mailLinkFor, newOwner, registerViaApi } from '../helpers';

/**
 * Issue 13, realtime: two members of one studio in two browser contexts. The owner makes a booking; the
 * admin, with the notification centre open, sees it arrive and the bell's badge change without a reload
 * (EventSource on /api/v1/notifications/stream), marks all read; an axe check of the page.
 */

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test('a booking made by one member reaches another live: the list and the badge, without a reload', async ({ page, browser, baseURL }) => {
	await registerViaApi(page.request, newOwner('notifyowner'));
	const room = (await (await page.request.post('/api/v1/rooms', { data: { name: 'Studio A' } })).json()) as { id: string };
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls' });
	const admin = newOwner('notifyadmin');
	expect((await page.request.post('/api/v1/invites', { data: { email: admin.email, role: 'admin' } })).status()).toBe(201);
	const token = new URL(await mailLinkFor(admin.email, 'invite', '/accept-invite'), baseURL).searchParams.get('token');
	const theirs = await browser.newContext({ baseURL });
	const them = await theirs.newPage();
	expect((await them.request.post('/api/v1/invites/accept', { data: { token, name: admin.name, password: admin.password } })).status()).toBe(200);

	await them.goto('/notifications');
	await expect(them.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
	await expect(them.getByTestId('notification-badge')).toHaveCount(0);
	const startsAt = new Date(Date.now() + 10 * 86_400_000);
	startsAt.setUTCHours(10, 0, 0, 0);
	const created = await page.request.post('/api/v1/bookings', {
		data: { clientId: client.id, roomId: room.id, title: 'Vocal overdubs', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString() }
	});
	expect(created.status(), await created.text()).toBe(201);

	await expect(them.getByTestId('notification-list')).toContainText('New booking: Vocal overdubs');
	await expect(them.getByTestId('notification-badge')).toHaveText('1');
	expect((await new AxeBuilder({ page: them }).withTags(WCAG_21_AA).analyze()).violations).toEqual([]);

	await them.getByRole('button', { name: 'Mark all read' }).click();
	await expect(them.getByTestId('notification-badge')).toHaveCount(0);
	await theirs.close();
});
