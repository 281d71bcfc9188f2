import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { createClientViaApi, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 13, realtime: two members of one studio in two browser contexts. The owner makes a booking; the
 * admin, with the notification centre open, sees it arrive and the bell's badge change without a reload
 * (EventSource on /api/v1/notifications/stream?board=true) and a toast, marks all read; an axe check of the page.
 * Issue 13, board: the room board shows a session checked in through the API, live, its elapsed time
 * ticking; the TV layout (screenshots).
 */

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
	// Issue 13, board: it concerns this admin, so it is also said as a toast.
	await expect(them.locator('.toaster .toast').filter({ hasText: 'New booking: Vocal overdubs' })).toBeVisible();
	await expectNoAxeViolations(them);

	await them.getByRole('button', { name: 'Mark all read' }).click();
	await expect(them.getByTestId('notification-badge')).toHaveCount(0);
	await theirs.close();
});

test('the room board shows a running session: checked in through the API, live, elapsed ticking; TV mode', async ({ page }) => {
	await registerViaApi(page.request, newOwner('boardowner'));
	const room = (await (await page.request.post('/api/v1/rooms', { data: { name: 'Live Room' } })).json()) as { id: string };
	await page.request.post('/api/v1/rooms', { data: { name: 'Quiet Room' } });
	const client = await createClientViaApi(page.request, { name: 'The Night Owls' });
	const startsAt = new Date(Date.now() + 2 * 3_600_000);
	startsAt.setUTCMinutes(0, 0, 0);
	const created = await page.request.post('/api/v1/bookings', {
		data: { clientId: client.id, roomId: room.id, title: 'Live tracking', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString() }
	});
	expect(created.status(), await created.text()).toBe(201);
	const booking = (await created.json()) as { id: string };

	await page.goto('/rooms/board');
	await expect(page.getByRole('heading', { name: 'Room board', level: 1 })).toBeVisible();
	const card = page.getByTestId('board-room').filter({ hasText: 'Live Room' });
	await expect(card).toHaveAttribute('data-state', 'free');
	await expect(card).toContainText('The Night Owls'); // the next booking

	// Checked in elsewhere (the API): the open board follows without a reload.
	expect((await page.request.post(`/api/v1/bookings/${booking.id}/check-in`, { data: {} })).status()).toBe(200);
	await expect(card).toHaveAttribute('data-state', 'occupied');
	const elapsed = card.getByTestId('board-elapsed');
	const first = (await elapsed.textContent()) ?? '';
	await expect(elapsed).not.toHaveText(first); // ticking on the client, every second
	await expect(card.getByRole('progressbar')).toBeVisible();
	await expectNoAxeViolations(page);

	await page.goto('/rooms/board?tv=1');
	await expect(page.getByTestId('room-board')).toHaveClass(/tv/);
	await expect(page.getByTestId('board-room').filter({ hasText: 'Live Room' })).toHaveAttribute('data-state', 'occupied');
	await screenshot(page, 'room-board-tv');
	await page.setViewportSize({ width: 1920, height: 1080 });
	await screenshot(page, 'room-board-tv-1080p');
});

test("the client portal's bell counts a booking of theirs live, from the portal stream", async ({ page, browser, baseURL }) => {
	const owner = newOwner('portalbell');
	await registerViaApi(page.request, owner);
	const slug = ((await (await page.request.get('/api/v1/auth/me')).json()) as { organization: { slug: string } }).organization.slug;
	const room = (await (await page.request.post('/api/v1/rooms', { data: { name: 'Studio B' } })).json()) as { id: string };
	const client = await createClientViaApi(page.request, { name: 'The Larks', email: 'band@larks.test' });
	const contact = owner.email.replace('portalbell', 'portalbell-contact');
	expect((await page.request.post(`/api/v1/clients/${client.id}/portal-invites`, { data: { email: contact } })).status()).toBeLessThan(300);

	const phone = await browser.newContext({ baseURL });
	const them = await phone.newPage();
	await them.goto(await mailLinkFor(contact, 'portal-invite', `/portal/${slug}/accept-invite`));
	await them.getByLabel('New password').fill('larks at dawn 2031');
	await them.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));
	await expect(them.getByTestId('portal-notification-bell')).toBeVisible();
	await expect(them.getByTestId('portal-notification-badge')).toHaveCount(0);

	const startsAt = new Date(Date.now() + 12 * 86_400_000);
	startsAt.setUTCHours(10, 0, 0, 0);
	const created = await page.request.post('/api/v1/bookings', {
		data: { clientId: client.id, roomId: room.id, title: 'Larks demo', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString() }
	});
	expect(created.status(), await created.text()).toBe(201);
	await expect(them.getByTestId('portal-notification-badge')).toHaveText('1');
	await them.getByTestId('portal-notification-bell').click();
	await expect(them.getByText('New session booked: Larks demo')).toBeVisible();
	await expectNoAxeViolations(them);
	await phone.close();
});
