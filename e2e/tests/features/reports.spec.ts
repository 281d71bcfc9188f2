import { expect, test, type Download, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { readFileSync } from 'node:fs';
import { apiJson, createClientViaApi, isoDay as day, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 11, reports on the dashboard: room utilisation (chart, table alternative, CSV download), the money
 * reports' empty states, the range control's validation, and axe on both views; then the money reports with
 * data — an invoice from a session with a room and an engineer, a payment, an overdue invoice — as charts,
 * tables and CSV. The money rules themselves (credit notes, deposits, splits) are proved in
 * api/test/reports*.e2e-spec.ts.
 */

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

/** Clicks a report card's "Download CSV" and reads the file. */
async function downloadCsv(page: Page, card: ReturnType<Page['getByRole']>): Promise<{ name: string; text: string }> {
	const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download CSV' }).click()]);
	return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}

test('the money reports with data: revenue by month, room and engineer as charts, tables and CSV; what is outstanding and overdue', async ({ page }) => {
	test.setTimeout(120_000);
	const owner = newOwner('reports-money');
	await registerViaApi(page.request, owner);
	await apiJson(page.request, 'patch', '/api/v1/studio', { timeZone: 'UTC', defaultCurrency: 'EUR' });
	const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { user: { id: string } };
	const room = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/rooms', { name: 'Studio A', hourlyRateMinor: 5000, currency: 'EUR' });
	const client = await createClientViaApi(page.request, { name: 'Night Owls' });

	// Issued 75 days ago (first: a later number may not carry an earlier date), by hand: no session, so its
	// room and engineer are "Other"; the default 30-day terms make it 45 days overdue. €80, no tax.
	const late = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/invoices', {
		clientId: client.id,
		lines: [{ description: 'Tape transfer', quantity: '1', unitPriceMinor: 8000, taxRateId: null }]
	});
	await apiJson(page.request, 'post', `/api/v1/invoices/${late.id}/finalize`, { issueDate: day(-75) });
	// A 3-hour session in Studio A with the owner as its engineer, invoiced today (3 × €50, no tax rate), €100 paid today.
	const booking = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/bookings', {
		clientId: client.id,
		roomId: room.id,
		engineerIds: [me.user.id],
		title: 'Vocal overdubs',
		startsAt: `${day(3)}T10:00:00Z`,
		endsAt: `${day(3)}T13:00:00Z`
	});
	const draft = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/invoices/from-bookings', { bookingIds: [booking.id] });
	const issued = await apiJson<{ totalMinor: number }>(page.request, 'post', `/api/v1/invoices/${draft.id}/finalize`, {});
	expect(issued.totalMinor).toBe(15000);
	await apiJson(page.request, 'post', `/api/v1/invoices/${draft.id}/payments`, { amountMinor: 10000, method: 'bank_transfer', receivedOn: day() });

	// The default period: the last 12 months up to today.
	await page.goto('/');
	const reports = page.getByRole('region', { name: 'Reports' });
	const month = (iso: string) => new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 7)}-01T00:00:00Z`));
	const expected = {
		'Revenue by month': { [month(day())]: ['€150.00', '€100.00'], [month(day(-75))]: ['€80.00', '€0.00'] },
		'Revenue by room': { 'Studio A': ['€150.00', '€100.00'], Other: ['€80.00', '€0.00'] },
		'Revenue by engineer': { [owner.name]: ['€150.00', '€100.00'], Other: ['€80.00', '€0.00'] }
	};
	for (const [title, rows] of Object.entries(expected)) {
		const card = reports.getByRole('region', { name: title });
		await expect(card.getByRole('img', { name: title })).toBeVisible();
		await expect(card.getByRole('heading', { name: 'No invoices or payments in this period.' })).toHaveCount(0);
		// The table alternative is in the page for screen readers while the chart shows: invoiced (net), paid.
		for (const [label, [invoiced, paid]] of Object.entries(rows)) {
			const cells = card.getByRole('table', { name: title }).locator('tbody tr', { hasText: label }).getByRole('cell');
			await expect(cells).toHaveText([label, invoiced, paid]);
		}
	}
	const owed = reports.getByRole('region', { name: 'Outstanding and overdue' });
	await expect(owed).toContainText('€130.00 outstanding, of which €80.00 overdue.');
	await expect(owed.getByRole('img', { name: 'Outstanding by days past due' })).toBeVisible();
	// Night Owls: €130 outstanding, €80 overdue; by days past due: €50 not yet due, €80 at 31–60 days (45).
	await expect(owed.getByRole('table', { name: 'Outstanding and overdue' }).locator('tbody tr', { hasText: 'Night Owls' }).getByRole('cell')).toHaveText([
		'Night Owls',
		'€130.00',
		'€80.00',
		'€50.00',
		'€0.00',
		'€80.00',
		'€0.00',
		'€0.00'
	]);
	await expectNoAxeViolations(page);
	await screenshot(page, 'reports-dashboard-money-charts');

	const byRoom = reports.getByRole('region', { name: 'Revenue by room' });
	await byRoom.getByRole('button', { name: 'Show table' }).click();
	await expect(byRoom.getByRole('table', { name: 'Revenue by room' })).toBeVisible();
	await expect(byRoom.getByRole('img', { name: 'Revenue by room' })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await screenshot(page, 'reports-dashboard-money-table');

	// The CSV downloads: the same figures, per room and per engineer (ids, names, decimal amounts), with totals.
	const rooms = await downloadCsv(page, byRoom);
	expect(rooms.name).toMatch(/^revenue-by-room-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
	expect(rooms.text).toContain('currency,room,label,invoiced_net,paid\r\n');
	expect(rooms.text).toContain(`EUR,${room.id},Studio A,150.00,100.00\r\n`);
	expect(rooms.text).toContain('EUR,other,Other,80.00,0.00\r\n');
	expect(rooms.text).toContain('EUR,total,Total,230.00,100.00');
	const engineers = await downloadCsv(page, reports.getByRole('region', { name: 'Revenue by engineer' }));
	expect(engineers.text).toContain(`EUR,${me.user.id},${owner.name},150.00,100.00\r\n`);
	const owing = await downloadCsv(page, owed);
	expect(owing.text).toContain(`EUR,${client.id},Night Owls,2,130.00,80.00,50.00,0.00,80.00,0.00,0.00`);
});
