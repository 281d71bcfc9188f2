import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, createClientViaApi, isoDay, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Booking extras (issue 9, web): the recall sheet tab of the calendar's booking drawer (save, edit,
 * history, a save that lost the race keeps the typed text), and a room's ICS calendar feed shown
 * once, served as text/calendar, then revoked. Axe checks and screenshots like the other specs.
 */

async function studioWithBooking(page: Page, label: string) {
	const owner = newOwner(label);
	await registerViaApi(page.request, owner);
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: 'UTC' });
	const room = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/rooms', { name: 'Studio A', colour: '#4f46e5' });
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls' });
	const day = isoDay(8);
	const booking = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/bookings', {
		clientId: client.id,
		roomId: room.id,
		title: 'Vocal overdubs',
		startsAt: `${day}T10:00:00.000Z`,
		endsAt: `${day}T13:00:00.000Z`
	});
	return { owner, room, booking, day };
}

test('a recall sheet is saved, edited into v2, and a save that lost the race keeps what was typed', async ({ page }) => {
	test.setTimeout(90_000);
	const { booking, day } = await studioWithBooking(page, 'recall');

	await page.goto(`/calendar?date=${day}&view=day`);
	await page.locator('.ec-event', { hasText: 'Vocal overdubs' }).click();
	const drawer = page.getByRole('dialog', { name: 'Vocal overdubs' });
	await drawer.getByRole('tab', { name: 'Recall sheet' }).click();
	await expect(drawer).toContainText('No recall sheet yet');

	// First save: two tracks, a setting, notes.
	await drawer.getByRole('button', { name: 'Start the sheet' }).click();
	await drawer.getByLabel('Track 1', { exact: true }).fill('Intro');
	await drawer.getByRole('button', { name: 'Add a track' }).click();
	await drawer.getByLabel('Track 2', { exact: true }).fill('Night Drive');
	await drawer.getByRole('button', { name: 'Add a setting' }).click();
	await drawer.getByLabel('Setting 1', { exact: true }).fill('Vocal mic');
	await drawer.getByLabel('Value 1', { exact: true }).fill('U87, cardioid, pad off');
	await drawer.getByRole('textbox', { name: /^Notes/ }).fill('Capo on 2 for Night Drive.');
	await screenshot(page, 'recall-sheet-editing');
	await expectNoAxeViolations(page);
	await drawer.getByRole('button', { name: 'Save the sheet' }).click();
	await expect(drawer.getByTestId('recall-version')).toContainText('v1 · saved');
	await expect(drawer.getByRole('listitem').filter({ hasText: 'Night Drive' })).toBeVisible();
	await expect(drawer).toContainText('U87, cardioid, pad off');

	// Edit again: v2, and the history lists both; v1 stays readable.
	await drawer.getByRole('button', { name: 'Edit' }).click();
	await drawer.getByLabel('Track 2', { exact: true }).fill('Night Drive (take 2)');
	await drawer.getByRole('button', { name: 'Save the sheet' }).click();
	await expect(drawer.getByTestId('recall-version')).toContainText('v2 · saved');
	await expect(drawer).toContainText('Night Drive (take 2)');
	await drawer.getByRole('button', { name: /^v1 · saved/ }).click();
	await expect(drawer.getByTestId('recall-version')).toContainText('v1 · saved');
	await expect(drawer).toContainText('Earlier version, read-only');
	await expect(drawer.getByRole('listitem').filter({ hasText: /^Night Drive$/ })).toBeVisible();
	await screenshot(page, 'recall-sheet-history');
	await expectNoAxeViolations(page);
	await drawer.getByRole('button', { name: /^v2 · saved/ }).click();
	await expect(drawer.getByTestId('recall-version')).toContainText('v2 · saved');

	// Someone else saves v3 while this editor works from v2: the page's save is refused, the draft stays.
	await drawer.getByRole('button', { name: 'Edit' }).click();
	await drawer.getByRole('textbox', { name: /^Notes/ }).fill('My notes, typed while someone else saved.');
	await apiJson(page.request, 'put', `/api/v1/bookings/${booking.id}/recall-sheet`, {
		baseVersion: 2,
		tracks: ['Intro', 'Night Drive (take 2)', 'Outro'],
		settings: [{ label: 'Vocal mic', value: 'U87' }],
		notes: 'Saved elsewhere.'
	});
	await drawer.getByRole('button', { name: 'Save the sheet' }).click();
	await expect(drawer.getByRole('alert').filter({ hasText: 'Someone else saved this recall sheet' })).toBeVisible();
	await expect(drawer.getByRole('textbox', { name: /^Notes/ })).toHaveValue('My notes, typed while someone else saved.');
	await screenshot(page, 'recall-sheet-stale');

	// Load the newest version: shown for reference, the draft untouched; saving again makes v4.
	await drawer.getByRole('button', { name: 'Load the newest version' }).click();
	await expect(drawer).toContainText('Newest saved version (v3');
	await expect(drawer).toContainText('Outro');
	await expect(drawer.getByRole('textbox', { name: /^Notes/ })).toHaveValue('My notes, typed while someone else saved.');
	await drawer.getByRole('button', { name: 'Save the sheet' }).click();
	await expect(drawer.getByTestId('recall-version')).toContainText('v4 · saved');
	const saved = (await (await page.request.get(`/api/v1/bookings/${booking.id}/recall-sheet`)).json()) as { version: number; notes: string };
	expect(saved).toMatchObject({ version: 4, notes: 'My notes, typed while someone else saved.' });
});

test("a room's calendar feed is shown once, serves text/calendar, and stops when revoked", async ({ page }) => {
	await studioWithBooking(page, 'feed');
	await page.goto('/rooms');
	await page.getByRole('button', { name: 'Calendar feed for Studio A' }).click();
	const dialog = page.getByRole('dialog', { name: 'Calendar feed · Studio A' });
	await expect(dialog).toContainText('replaces any earlier link');
	await dialog.getByRole('button', { name: 'Create a link' }).click();
	const field = dialog.getByTestId('calendar-feed-url');
	await expect(field).toHaveValue(/\/api\/v1\/calendar-feeds\/.+\.ics$/);
	await expect(dialog).toContainText('Google Calendar, Apple Calendar or Outlook');
	await screenshot(page, 'calendar-feed-created');
	await expectNoAxeViolations(page);
	const url = await field.inputValue();

	const feed = await page.request.get(url);
	expect(feed.status()).toBe(200);
	expect(feed.headers()['content-type']).toContain('text/calendar');
	const ics = await feed.text();
	expect(ics).toContain('BEGIN:VCALENDAR');
	expect(ics).toContain('Vocal overdubs');
	await dialog.getByRole('button', { name: 'I’ve copied it' }).click();
	await expect(dialog).toBeHidden();

	// Revoke, after a confirmation: the link answers 404.
	await page.getByRole('button', { name: 'Calendar feed for Studio A' }).click();
	await dialog.getByRole('button', { name: 'Revoke the link' }).click();
	await expect(dialog).toContainText('Calendars subscribed to it stop updating');
	await dialog.getByRole('button', { name: 'Revoke the link' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('The calendar feed link for Studio A is revoked.');
	expect((await page.request.get(url)).status()).toBe(404);
});

test("an engineer's own calendar feed from the engineers page: revoking before any link says so, a link serves text/calendar until revoked", async ({ page }) => {
	const { owner } = await studioWithBooking(page, 'engfeed');
	await page.goto('/engineers');
	const open = () => page.getByRole('button', { name: `Calendar feed for ${owner.name}` }).click();
	const dialog = page.getByRole('dialog', { name: `Calendar feed · ${owner.name}` });

	// Nothing to revoke yet: the dialog says so instead of pretending.
	await open();
	await dialog.getByRole('button', { name: 'Revoke the link' }).click();
	await dialog.getByRole('button', { name: 'Revoke the link' }).click();
	await expect(dialog.getByRole('alert')).toContainText('There is no calendar feed link to revoke.');
	await dialog.getByRole('button', { name: 'Cancel' }).click();

	await dialog.getByRole('button', { name: 'Create a link' }).click();
	const url = await dialog.getByTestId('calendar-feed-url').inputValue();
	const feed = await page.request.get(url);
	expect(feed.headers()['content-type']).toContain('text/calendar');
	expect(await feed.text()).toContain('BEGIN:VCALENDAR');
	await dialog.getByRole('button', { name: 'I’ve copied it' }).click();

	await open();
	await dialog.getByRole('button', { name: 'Revoke the link' }).click();
	await dialog.getByRole('button', { name: 'Revoke the link' }).click();
	await expect(dialog).toBeHidden();
	expect((await page.request.get(url)).status()).toBe(404);
});
