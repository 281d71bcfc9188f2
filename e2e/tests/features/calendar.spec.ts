import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, createClientViaApi, isoDay, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * The week calendar (issue 9): bookings made by dragging across slots, moved by dragging, refused
 * with the API's conflict message when dropped onto another booking, holds that vanish when the
 * server's job releases them; screenshots of the week view in both themes and an axe check.
 */

const ZONE = 'Europe/Paris';

/** A wall-clock time in Paris on `date` as an instant (offset from the zone's rules, via Intl). */
function parisInstant(date: string, time: string): string {
	const guess = new Date(`${date}T${time}:00Z`);
	const parts = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' }).formatToParts(guess);
	const offset = parts.find((p) => p.type === 'timeZoneName')?.value.replace('GMT', '') || '+00:00';
	return new Date(`${date}T${time}:00${offset}`).toISOString();
}

async function studioWithRooms(page: Page, label: string) {
	await registerViaApi(page.request, newOwner(label));
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: ZONE });
	const studioA = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/rooms', { name: 'Studio A', colour: '#4f46e5' });
	const studioB = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/rooms', { name: 'Studio B', colour: '#0d9488' });
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls' });
	return { studioA, studioB, client };
}

/** The calendar's grid position of `time` (HH:MM, studio zone) in the column headed `room`, `offsetY` px below it. */
async function slotPoint(page: Page, room: string, time: string, offsetY = 4) {
	const [hour, minute] = time.split(':').map(Number);
	const hourTop = async (h: number) => (await page.locator(`.ec-body .ec-sidebar time[datetime$="T${String(h).padStart(2, '0')}:00:00"]`).first().boundingBox())!;
	// A label is centred on its hour's line.
	const line = (box: { y: number; height: number }) => box.y + box.height / 2;
	const top = line(await hourTop(hour));
	const perMinute = (line(await hourTop(hour + 1)) - top) / 60;
	const headBox = (await page.locator('.ec-header .ec-col-head', { hasText: room }).first().boundingBox())!;
	return { x: headBox.x + headBox.width / 2, y: top + minute * perMinute + offsetY };
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
	await page.mouse.move(from.x, from.y);
	await page.mouse.down();
	await page.mouse.move(from.x, from.y + 4, { steps: 2 });
	await page.mouse.move(to.x, to.y, { steps: 12 });
	await page.mouse.up();
}

function eventNamed(page: Page, title: string): Locator {
	return page.locator('.ec-event', { hasText: title });
}

test('create a booking by dragging, move it, and see a drop onto another booking refused with the conflict', async ({ page }) => {
	test.setTimeout(90_000);
	const { studioA, client } = await studioWithRooms(page, 'calendar');
	const day = isoDay(8);
	// Already there: another client's session in Studio A, 15:00–17:00.
	await apiJson(page.request, 'post', '/api/v1/bookings', {
		clientId: (await createClientViaApi(page.request, { name: 'Echo Chamber' })).id,
		roomId: studioA.id,
		title: 'Drum tracking',
		startsAt: parisInstant(day, '15:00'),
		endsAt: parisInstant(day, '17:00')
	});

	await page.goto(`/calendar?date=${day}&view=day`);
	await expect(page.getByRole('heading', { level: 1, name: 'Calendar' })).toBeVisible();
	await expect(page.getByText(`Times in ${ZONE}`)).toBeVisible();
	await expect(eventNamed(page, 'Drum tracking')).toBeVisible();

	// Drag from 10:00 to 12:00 in Studio A: the dialog opens with the room and the times filled in.
	await drag(page, await slotPoint(page, 'Studio A', '10:00'), await slotPoint(page, 'Studio A', '11:30', 20));
	const dialog = page.getByRole('dialog', { name: 'New booking' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel('Room')).toHaveValue(studioA.id);
	await expect(dialog.getByLabel('Starts')).toHaveValue(`${day}T10:00`);
	await expect(dialog.getByLabel('Ends')).toHaveValue(`${day}T12:00`);
	await dialog.getByRole('combobox', { name: 'Client' }).fill('Midnight');
	await page.getByRole('option', { name: 'The Midnight Owls' }).click();
	await dialog.getByLabel('Title').fill('Vocal overdubs');
	await dialog.getByRole('button', { name: 'Create booking' }).click();
	await expect(dialog).toBeHidden();
	await expect(eventNamed(page, 'Vocal overdubs')).toBeVisible();

	const listed = async () => {
		const res = await page.request.get(`/api/v1/bookings?from=${parisInstant(day, '00:00')}&to=${parisInstant(isoDay(9), '00:00')}`);
		const { items } = (await res.json()) as { items: { title: string; clientId: string; roomId: string; startsAt: string; endsAt: string }[] };
		return items.find((b) => b.title === 'Vocal overdubs');
	};
	expect(await listed()).toMatchObject({ clientId: client.id, roomId: studioA.id, startsAt: parisInstant(day, '10:00'), endsAt: parisInstant(day, '12:00') });

	// Move it two hours later by dragging its top edge area: 12:00–14:00, saved on the server.
	const event = eventNamed(page, 'Vocal overdubs');
	const box = (await event.boundingBox())!;
	const start = { x: box.x + box.width / 2, y: box.y + 8 };
	const noon = await slotPoint(page, 'Studio A', '12:00');
	await drag(page, start, { x: start.x, y: noon.y + 8 });
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Moved “Vocal overdubs”.');
	await expect.poll(async () => (await listed())?.startsAt).toBe(parisInstant(day, '12:00'));

	// Drop it onto the drum session (15:00–17:00): refused, the message names the room and the time, the booking stays put.
	const moved = (await eventNamed(page, 'Vocal overdubs').boundingBox())!;
	const three = await slotPoint(page, 'Studio A', '15:00');
	await drag(page, { x: moved.x + moved.width / 2, y: moved.y + 8 }, { x: moved.x + moved.width / 2, y: three.y + 8 });
	const alert = page.getByRole('alert').filter({ hasText: 'This time is taken.' });
	await expect(alert).toContainText(/Studio A is booked from 3:00\sPM to 5:00\sPM/);
	expect((await listed())?.startsAt).toBe(parisInstant(day, '12:00'));
	// Back where it was: its top on the 12:00 line (the alert above the grid has moved the whole grid down).
	const offNoon = async () => Math.abs((await eventNamed(page, 'Vocal overdubs').boundingBox())!.y - (await slotPoint(page, 'Studio A', '12:00', 0)).y);
	await expect.poll(offNoon).toBeLessThan(3);

	// The drawer: who, where, when, the access code, and the actions.
	await eventNamed(page, 'Vocal overdubs').click();
	const drawer = page.getByRole('dialog', { name: 'Vocal overdubs' });
	await expect(drawer).toContainText('The Midnight Owls');
	await expect(drawer).toContainText('Studio A');
	await expect(drawer.getByRole('button', { name: 'Check in' })).toBeVisible();
	await screenshot(page, 'calendar-drawer');
	await page.keyboard.press('Escape');

	// The week view, light and dark, for people to look at; and no axe violation on it.
	await page.goto(`/calendar?date=${day}&view=week`);
	await expect(eventNamed(page, 'Vocal overdubs')).toBeVisible();
	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.evaluate(() => document.fonts.ready);
		await screenshot(page, `calendar-week-${scheme}`);
		await expectNoAxeViolations(page, { message: scheme });
	}
});

test('a hold shows its countdown and disappears when the server releases it', async ({ page }) => {
	test.setTimeout(90_000);
	const { studioB, client } = await studioWithRooms(page, 'calendarhold');
	const day = isoDay(8);
	const hold = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/bookings', {
		clientId: client.id,
		roomId: studioB.id,
		title: 'Pencilled mix session',
		startsAt: parisInstant(day, '11:00'),
		endsAt: parisInstant(day, '13:00'),
		status: 'hold',
		holdExpiresAt: new Date(Date.now() + 8_000).toISOString()
	});

	await page.goto(`/calendar?date=${day}&view=day`);
	const event = eventNamed(page, 'Pencilled mix session');
	await expect(event).toBeVisible();
	await expect(event).toContainText(/Hold · 0:0\d/);
	await expect(event).toHaveClass(/rsm-status-hold/);
	await screenshot(page, 'calendar-hold');

	// No request touches it: the server's job releases it and the calendar notices.
	await expect(event).toBeHidden({ timeout: 30_000 });
	const released = await (await page.request.get(`/api/v1/bookings/${hold.id}`)).json();
	expect(released).toMatchObject({ status: 'cancelled', cancellationReason: 'hold_expired' });
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'Calendar' })).toBeVisible();
	await expect(eventNamed(page, 'Pencilled mix session')).toBeHidden();
	// Cancelled bookings show on request.
	await page.getByRole('switch', { name: 'Show cancelled' }).click();
	await expect(eventNamed(page, 'Pencilled mix session')).toContainText('Cancelled');
});

test('the "New booking" button makes a booking without a mouse drag; a conflict keeps what was typed', async ({ page }) => {
	const { studioA, client } = await studioWithRooms(page, 'calendarkeys');
	const day = isoDay(9);
	await apiJson(page.request, 'post', '/api/v1/bookings', {
		clientId: client.id,
		roomId: studioA.id,
		title: 'Strings',
		startsAt: parisInstant(day, '09:00'),
		endsAt: parisInstant(day, '13:00')
	});
	await page.goto(`/calendar?date=${day}&view=day`);
	await page.getByRole('button', { name: 'New booking' }).click();
	const dialog = page.getByRole('dialog', { name: 'New booking' });
	await dialog.getByRole('combobox', { name: 'Client' }).fill('Owls');
	await page.getByRole('option', { name: 'The Midnight Owls' }).click();
	await dialog.getByLabel('Title').fill('Brass overdubs');
	await dialog.getByLabel('Room').selectOption({ label: 'Studio A' });
	await dialog.getByLabel('Starts').fill(`${day}T12:00`);
	await dialog.getByLabel('Ends').fill(`${day}T14:00`);
	await dialog.getByRole('button', { name: 'Create booking' }).click();
	await expect(dialog.getByRole('alert')).toContainText(/Studio A is booked from 9:00\sAM to 1:00\sPM/);
	await expect(dialog.getByLabel('Title')).toHaveValue('Brass overdubs');
	await screenshot(page, 'calendar-conflict-dialog');

	await dialog.getByLabel('Starts').fill(`${day}T13:00`);
	await dialog.getByLabel('Ends').fill(`${day}T15:00`);
	await dialog.getByRole('button', { name: 'Create booking' }).click();
	await expect(dialog).toBeHidden();
	await expect(eventNamed(page, 'Brass overdubs')).toBeVisible();
});

test('a viewer reads the calendar but cannot create, drag or change bookings', async ({ page, browser, baseURL }) => {
	const { studioA, client } = await studioWithRooms(page, 'calendarowner');
	const day = isoDay(10);
	const booking = await apiJson<{ id: string; startsAt: string }>(page.request, 'post', '/api/v1/bookings', {
		clientId: client.id,
		roomId: studioA.id,
		title: 'Piano session',
		startsAt: parisInstant(day, '10:00'),
		endsAt: parisInstant(day, '12:00')
	});
	const viewer = newOwner('calendarviewer');
	expect((await page.request.post('/api/v1/invites', { data: { email: viewer.email, role: 'viewer' } })).status()).toBe(201);
	const token = new URL(await mailLinkFor(viewer.email, 'invite', '/accept-invite'), baseURL).searchParams.get('token');
	const theirs = await browser.newContext({ baseURL });
	const them = await theirs.newPage();
	expect((await them.request.post('/api/v1/invites/accept', { data: { token, name: viewer.name, password: viewer.password } })).status()).toBe(200);

	await them.goto(`/calendar?date=${day}&view=day`);
	const event = eventNamed(them, 'Piano session');
	await expect(event).toBeVisible();
	await expect(them.getByRole('button', { name: 'New booking' })).toHaveCount(0);
	// Dragging across empty slots opens nothing; dragging the session moves nothing.
	await drag(them, await slotPoint(them, 'Studio B', '14:00'), await slotPoint(them, 'Studio B', '15:30'));
	await expect(them.getByRole('dialog')).toHaveCount(0);
	const box = (await event.boundingBox())!;
	await drag(them, { x: box.x + box.width / 2, y: box.y + 8 }, { x: box.x + box.width / 2, y: (await slotPoint(them, 'Studio A', '15:00')).y });
	expect((await (await them.request.get(`/api/v1/bookings/${booking.id}`)).json()).startsAt).toBe(booking.startsAt);
	// The drawer shows the session, without actions.
	await event.click();
	const drawer = them.getByRole('dialog', { name: 'Piano session' });
	await expect(drawer).toContainText('The Midnight Owls');
	await expect(drawer.getByRole('button', { name: /Check in|Cancel booking|Edit/ })).toHaveCount(0);
	await theirs.close();
});
