import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { readFileSync } from 'node:fs';
import { createClientViaApi, expectNoHorizontalOverflow, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 10, files: a project's files page in Chromium — upload a small file with the progress bar
 * showing, see it listed, download it (the same bytes), delete it; cancel an upload; the studio's
 * storage usage on Settings → Studio. Axe on each state, screenshots for review.
 */

/** A project of a new client, through the projects API (issue 10, `projects`). */
export async function createProjectViaApi(request: APIRequestContext, title: string): Promise<string> {
	const client = await createClientViaApi(request, { name: `${title} client` });
	const res = await request.post('/api/v1/projects', { data: { clientId: client.id, title, type: 'album' } });
	expect(res.status(), await res.text()).toBe(201);
	return ((await res.json()) as { id: string }).id;
}

const UPLOAD_ROUTE = /\/api\/v1\/projects\/[^/]+\/files(\?.*)?$/;

/**
 * Holds uploads to the project's files route until `release()`: the progress bar stays on screen
 * while the test looks at it (no timing involved), then the request goes on to the server.
 */
async function holdUploads(page: Page) {
	let release!: () => void;
	const released = new Promise<void>((r) => (release = r));
	await page.route(UPLOAD_ROUTE, async (route) => {
		if (route.request().method() !== 'POST') return route.continue();
		await released;
		await route.continue().catch(() => undefined); // a cancelled upload has no request left to continue
	});
	return { release };
}

test('upload a file with a progress bar, download the same bytes, delete it, and see the storage used', async ({ page }) => {
	test.setTimeout(120_000);
	const owner = newOwner('files');
	await registerViaApi(page.request, owner);
	const projectId = await createProjectViaApi(page.request, 'Night Drive');

	await page.goto(`/projects/${projectId}/files`);
	await expect(page.getByRole('heading', { name: 'No files yet' })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, 'files-empty');

	const bytes = Buffer.from(`RIFF take one — ${owner.email}\n`.repeat(4000));
	const gate = await holdUploads(page);
	await page.getByTestId('file-upload-input').setInputFiles({ name: 'take one (final).txt', mimeType: 'text/plain', buffer: bytes });
	const progress = page.getByRole('progressbar', { name: 'Upload progress of take one (final).txt' });
	await expect(progress).toBeVisible();
	await expect(page.getByText('Uploading take one (final).txt')).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, 'files-uploading');
	gate.release();
	await expect(progress).toBeHidden();
	await page.unroute(UPLOAD_ROUTE);

	const table = page.getByRole('table', { name: 'Files' });
	const row = table.locator('tbody tr', { hasText: 'take one (final).txt' });
	await expect(row).toBeVisible();
	await expect(row).toContainText('text/plain'); // sniffed: the RIFF at its start is no WAV
	await expect(row).toContainText(`${Math.round(bytes.length / 100) / 10} kB`);
	await expectNoAxeViolations(page);
	await screenshot(page, 'files-listed');

	// On a phone the table becomes cards and nothing scrolls sideways.
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(row).toBeVisible();
	await expectNoHorizontalOverflow(page);
	await screenshot(page, 'files-listed-phone');
	await page.setViewportSize({ width: 1280, height: 800 });

	// Download: the browser saves it under its original name, byte for byte.
	const downloading = page.waitForEvent('download');
	await row.getByRole('link', { name: 'take one (final).txt', exact: true }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe('take one (final).txt');
	expect(readFileSync((await download.path())!).equals(bytes)).toBe(true);

	// Storage usage counts it.
	await page.goto('/settings/studio');
	const usage = page.getByTestId('storage-usage');
	await expect(usage).toContainText(`${Math.round(bytes.length / 100) / 10} kB in 1 file`);
	await screenshot(page, 'files-storage-usage');

	// Cancel: the held upload is aborted; nothing is listed.
	await page.goto(`/projects/${projectId}/files`);
	const held = await holdUploads(page);
	await page.getByTestId('file-upload-input').setInputFiles({ name: 'never.txt', mimeType: 'text/plain', buffer: Buffer.from('never stored') });
	await page.getByRole('button', { name: 'Cancel upload' }).click();
	await expect(page.getByText('The upload of never.txt was cancelled.')).toBeVisible();
	await expect(table.locator('tbody tr', { hasText: 'never.txt' })).toHaveCount(0);
	await screenshot(page, 'files-cancelled');
	held.release();
	await page.unroute(UPLOAD_ROUTE);

	// Delete, confirmed: gone from the list and from the server.
	await row.getByRole('button', { name: 'Delete take one (final).txt' }).click();
	const confirm = page.getByRole('alertdialog', { name: 'Delete this file?' });
	await expect(confirm).toContainText('take one (final).txt is deleted for everyone in the studio.');
	await confirm.getByRole('button', { name: 'Delete' }).click();
	await expect(page.getByRole('heading', { name: 'No files yet' })).toBeVisible();
	const list = await page.request.get(`/api/v1/projects/${projectId}/files`);
	expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
});
