import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 9, resources: a studio sets up what it books — a room (created, edited, refused when the
 * rules contradict each other), equipment kept in it, the studio's time zone, and an engineer's time
 * off — in Chromium, with axe on each page and screenshots of the main states.
 */

test('set up a room, equipment in it, the studio time zone and an engineer’s time off', async ({ page }) => {
	test.setTimeout(120_000);
	const owner = newOwner('resources');
	await registerViaApi(page.request, owner);

	// Rooms: empty, then one added with rates and a colour.
	await page.goto('/rooms');
	await expect(page.getByRole('heading', { name: 'No rooms yet' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Add room' }).first().click();
	const add = page.getByRole('dialog', { name: 'Add room' });
	await add.getByLabel('Name').fill('Studio A');
	await add.getByLabel('Hourly rate').fill('45.50');
	await add.getByLabel('Day rate').fill('300');
	await add.getByLabel('Calendar colour').fill('#0EA5E9');
	await add.getByLabel('Capacity').fill('6');
	await screenshot(page, 'resources-room-add');
	await add.getByRole('button', { name: 'Add room' }).click();
	await expect(add).toBeHidden();
	const rooms = page.getByRole('table', { name: 'Rooms' });
	const row = rooms.locator('tbody tr', { hasText: 'Studio A' });
	await expect(row).toContainText('€45.50');
	await expect(row).toContainText('€300.00');
	await expect(row).toContainText('Active');
	await expect(row.locator('.swatch')).toHaveCSS('background-color', 'rgb(14, 165, 233)');
	await expectNoAxeViolations(page);
	await screenshot(page, 'resources-rooms');

	// Edit: bad input is refused and shown at the field, and nothing is saved. The browser catches a
	// maximum under the minimum and a colour name before sending; the API catches a taken name (409).
	expect((await page.request.post('/api/v1/rooms', { data: { name: 'Booth B' } })).status()).toBe(201);
	const roomWrites: string[] = [];
	page.on('response', (res) => {
		if (res.request().method() === 'PATCH' && new URL(res.url()).pathname.startsWith('/api/v1/rooms/')) roomWrites.push(String(res.status()));
	});
	await row.getByRole('button', { name: 'Edit Studio A' }).click();
	const edit = page.getByRole('dialog', { name: 'Edit room' });
	await edit.getByLabel('Minimum length').fill('120');
	await edit.getByLabel('Maximum length').fill('60');
	await edit.getByRole('button', { name: 'Save changes' }).click();
	const max = edit.getByLabel('Maximum length');
	await expect(max).toHaveAttribute('aria-invalid', 'true');
	await expect(max).toHaveAccessibleDescription('Must be at least the minimum length.');
	await expect(max).toBeFocused();
	await screenshot(page, 'resources-room-validation');
	await edit.getByLabel('Maximum length').fill('480');
	await edit.getByLabel('Calendar colour').fill('blue');
	await edit.getByRole('button', { name: 'Save changes' }).click();
	await expect(edit.getByLabel('Calendar colour')).toHaveAttribute('aria-invalid', 'true');
	expect(roomWrites).toEqual([]);
	await edit.getByLabel('Calendar colour').fill('#0ea5e9');
	await edit.getByLabel('Name').fill('booth b');
	await edit.getByRole('button', { name: 'Save changes' }).click();
	await expect(edit.getByText('Another room already has this name.')).toBeVisible();
	expect(roomWrites).toEqual(['409']);
	await screenshot(page, 'resources-room-conflict');
	await expect(rooms).not.toContainText('booth b');
	// Fixed: saved.
	await edit.getByLabel('Name').fill('Studio A (live)');
	await edit.getByRole('button', { name: 'Save changes' }).click();
	await expect(edit).toBeHidden();
	expect(roomWrites).toEqual(['409', '200']);
	await expect(rooms.locator('tbody tr', { hasText: 'Studio A (live)' })).toBeVisible();

	// Equipment kept in the room, with its status badge, and the room filter.
	await page.getByRole('link', { name: 'Equipment' }).first().click();
	await expect(page.getByRole('heading', { name: 'No equipment yet' })).toBeVisible();
	await page.getByRole('button', { name: 'Add equipment' }).first().click();
	const gear = page.getByRole('dialog', { name: 'Add equipment' });
	await gear.getByLabel('Name').fill('Neumann U 87');
	await gear.getByLabel('Category').fill('Microphone');
	await gear.getByLabel('Serial number').fill('U87-0042');
	await gear.getByLabel('Room').selectOption({ label: 'Studio A (live)' });
	await gear.getByLabel('Status').selectOption({ label: 'In maintenance' });
	await gear.getByLabel('Rate').fill('25');
	await gear.getByLabel('Charged').selectOption({ label: 'per hour' });
	await screenshot(page, 'resources-equipment-add');
	await gear.getByRole('button', { name: 'Add equipment' }).click();
	await expect(gear).toBeHidden();
	const equipment = page.getByRole('table', { name: 'Equipment' });
	const mic = equipment.locator('tbody tr', { hasText: 'Neumann U 87' });
	await expect(mic).toContainText('Studio A (live)');
	await expect(mic).toContainText('In maintenance');
	await expect(mic).toContainText('€25.00');
	await expectNoAxeViolations(page);
	await screenshot(page, 'resources-equipment');
	await page.getByLabel('Room').selectOption({ label: 'Portable' });
	await expect(page.getByRole('heading', { name: 'No equipment matches these filters' })).toBeVisible();
	await page.getByLabel('Room').selectOption({ label: 'Studio A (live)' });
	await expect(mic).toBeVisible();

	// The studio's time zone, currency and opening hours.
	await page.goto('/settings/studio');
	const zone = page.getByRole('combobox', { name: 'Time zone' });
	await zone.fill('paris');
	await page.getByRole('option', { name: 'Europe/Paris' }).click();
	await page.getByLabel('Default currency').selectOption('GBP');
	await page.getByRole('checkbox', { name: 'Monday' }).click();
	await page.getByLabel('Monday: from').fill('09:00');
	await page.getByLabel('Monday: until').fill('00:00');
	await page.getByLabel('Setup before a session (minutes)').fill('15');
	await expectNoAxeViolations(page);
	await screenshot(page, 'resources-studio-settings');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByText('Studio settings saved.')).toBeVisible();
	const saved = await (await page.request.get('/api/v1/studio')).json();
	expect(saved).toMatchObject({ timeZone: 'Europe/Paris', defaultCurrency: 'GBP', openingHours: [{ weekday: 1, opens: '09:00', closes: '24:00' }], defaultSetupMinutes: 15 });

	// Time off for the owner (who runs sessions too), entered in the studio's time zone (Paris, summer: UTC+2).
	await page.goto('/engineers');
	const engineers = page.getByRole('table', { name: 'Engineers' });
	await expect(engineers).toContainText(owner.email);
	await expectNoAxeViolations(page);
	await screenshot(page, 'resources-engineers');
	await engineers.getByRole('button', { name: `Time off of ${owner.name}` }).click();
	const drawer = page.getByRole('dialog', { name: `Time off: ${owner.name}` });
	await expect(drawer.getByText('No time off planned.')).toBeVisible();
	await drawer.getByLabel('From').fill('2030-08-03T09:00');
	await drawer.getByLabel('Until').fill('2030-08-17T18:00');
	await drawer.getByLabel('Reason').fill('Holiday');
	await drawer.getByRole('button', { name: 'Add time off' }).click();
	await expect(drawer.getByRole('listitem').filter({ hasText: 'Holiday' })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, 'resources-time-off');
	const me = await (await page.request.get('/api/v1/auth/me')).json();
	const timeOff = await (await page.request.get(`/api/v1/engineers/${me.user.id}/time-off`)).json();
	expect(timeOff.items).toEqual([expect.objectContaining({ startsAt: '2030-08-03T07:00:00.000Z', endsAt: '2030-08-17T16:00:00.000Z', reason: 'Holiday' })]);
});

test('a viewer sees rooms, equipment and studio settings read-only', async ({ page, browser, baseURL }) => {
	const owner = newOwner('resources-owner');
	await registerViaApi(page.request, owner);
	expect((await page.request.post('/api/v1/rooms', { data: { name: 'Booth 1', hourlyRateMinor: 2000 } })).status()).toBe(201);
	const viewer = newOwner('resources-viewer');
	expect((await page.request.post('/api/v1/invites', { data: { email: viewer.email, role: 'viewer' } })).status()).toBe(201);
	const link = await mailLinkFor(viewer.email, 'invite', '/accept-invite');
	const token = new URL(link, baseURL).searchParams.get('token');
	const theirs = await browser.newContext({ baseURL });
	const them = await theirs.newPage();
	const joined = await them.request.post('/api/v1/invites/accept', { data: { token, name: viewer.name, password: viewer.password } });
	expect(joined.status(), await joined.text()).toBe(200);

	await them.goto('/rooms');
	await expect(them.getByRole('table', { name: 'Rooms' })).toContainText('Booth 1');
	await expect(them.getByRole('button', { name: 'Add room' })).toHaveCount(0);
	await expect(them.getByRole('button', { name: 'Edit Booth 1' })).toHaveCount(0);
	await them.goto('/equipment');
	await expect(them.getByRole('heading', { name: 'No equipment yet' })).toBeVisible();
	await expect(them.getByRole('button', { name: 'Add equipment' })).toHaveCount(0);
	await them.goto('/settings/studio');
	await expect(them.getByText('Only admins and owners can change these settings.')).toBeVisible();
	await expect(them.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
	await expect(them.getByRole('combobox')).toHaveCount(0);
	await expectNoAxeViolations(them);
	await screenshot(them, 'resources-studio-settings-viewer');
	await theirs.close();
});
