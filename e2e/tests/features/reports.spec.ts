import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { readFileSync } from 'node:fs';
import { createClientViaApi, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 11, reports on the dashboard. The invoices API is built on another branch at the same time, so
 * this seeds what main's API can write — a room and two sessions — and checks room utilisation (chart,
 * table alternative, CSV download), the money reports' empty states, the range control's validation,
 * and axe on both views. The money figures themselves are proved in api/test/reports*.e2e-spec.ts.
 */

/** YYYY-MM-DD of today + `days` (UTC). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('the dashboard reports: utilisation as a chart, a table and a CSV; empty money reports; range checked', async ({ page }) => {
	test.setTimeout(120_000);
	await registerViaApi(page.request, newOwner('reports'));
	// UTC: a week is 168 open hours whatever the date (no DST change), and no opening-hours rule (open all day).
	expect((await page.request.patch('/api/v1/studio', { data: { timeZone: 'UTC' } })).status()).toBe(200);
	const room = await page.request.post('/api/v1/rooms', { data: { name: 'Studio A', hourlyRateMinor: 5000, currency: 'EUR' } });
	expect(room.status()).toBe(201);
	const roomId = (await room.json()).id as string;
	const client = await createClientViaApi(page.request, { name: 'Night Owls' });
	for (const offset of [3, 4]) {
		const res = await page.request.post('/api/v1/bookings', {
			data: { clientId: client.id, roomId, title: `Session ${offset}`, startsAt: `${day(offset)}T10:00:00Z`, endsAt: `${day(offset)}T14:00:00Z` }
		});
		expect(res.status(), await res.text()).toBe(201);
	}

	await page.goto('/');
	const reports = page.getByRole('region', { name: 'Reports' });
	await expect(reports).toBeVisible();
	const range = reports.getByRole('form', { name: 'Report period' });

	// A start after the end is refused at the field, before any request.
	await range.getByLabel('From').fill(day(7));
	await range.getByLabel('To').fill(day(1));
	await range.getByRole('button', { name: 'Show' }).click();
	await expect(range.getByLabel('From')).toHaveAccessibleDescription('The start date must be on or before the end date.');

	// The week of the two sessions: 8 booked hours of 168 open.
	await range.getByLabel('From').fill(day(1));
	await range.getByLabel('To').fill(day(7));
	await range.getByRole('button', { name: 'Show' }).click();
	const utilisation = reports.getByRole('region', { name: 'Room utilisation' });
	await expect(utilisation.getByRole('img', { name: 'Room utilisation' })).toBeVisible();
	for (const title of ['Revenue by month', 'Revenue by room', 'Revenue by engineer']) {
		await expect(reports.getByRole('region', { name: title }).getByRole('heading', { name: 'No invoices or payments in this period.' })).toBeVisible();
	}
	await expect(reports.getByRole('region', { name: 'Outstanding and overdue' }).getByRole('heading', { name: 'Nothing is outstanding.' })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, 'reports-dashboard-chart');

	// The table alternative (always there for screen readers; on screen when toggled).
	await utilisation.getByRole('button', { name: 'Show table' }).click();
	const row = utilisation.getByRole('table', { name: 'Room utilisation' }).locator('tbody tr', { hasText: 'Studio A' });
	await expect(row).toContainText('8');
	await expect(row).toContainText('168');
	await expect(row).toContainText('4.8 %');
	await expect(utilisation.getByRole('button', { name: 'Show chart' })).toHaveAttribute('aria-pressed', 'true');
	await expectNoAxeViolations(page);
	await screenshot(page, 'reports-dashboard-table');

	// The CSV download: the same figures.
	const [download] = await Promise.all([page.waitForEvent('download'), utilisation.getByRole('link', { name: 'Download CSV' }).click()]);
	expect(download.suggestedFilename()).toBe(`utilisation-${day(1)}-${day(7)}.csv`);
	const csv = readFileSync((await download.path())!, 'utf8');
	expect(csv).toContain(`${roomId},Studio A,8.00,168.00,0.0476`);
});

test('an engineer sees no reports on the dashboard (money is for admins)', async ({ page, browser, baseURL }) => {
	await registerViaApi(page.request, newOwner('reports-owner'));
	const engineer = newOwner('reports-engineer');
	expect((await page.request.post('/api/v1/invites', { data: { email: engineer.email, role: 'engineer' } })).status()).toBe(201);
	const token = new URL(await mailLinkFor(engineer.email, 'invite', '/accept-invite'), baseURL).searchParams.get('token');
	const them = await (await browser.newContext({ baseURL })).newPage();
	const joined = await them.request.post('/api/v1/invites/accept', { data: { token, name: engineer.name, password: engineer.password } });
	expect(joined.status(), await joined.text()).toBe(200);
	await them.goto('/');
	await expect(them.getByRole('heading', { name: 'Get set up' })).toBeVisible();
	await expect(them.getByRole('region', { name: 'Reports' })).toHaveCount(0);
	expect((await them.request.get('/api/v1/reports/utilisation')).status()).toBe(403);
});
