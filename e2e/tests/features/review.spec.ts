import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { createClientViaApi, expectNoHorizontalOverflow, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Mix review (issue 10, web): a deliverable is created, a short generated WAV is uploaded with the
 * progress bar showing, played, commented at 0:03 by clicking the timeline there, sent back for
 * changes, followed by v2, which is approved. Axe checks and screenshots like the other specs.
 */

async function send<T>(request: APIRequestContext, path: string, data: unknown): Promise<T> {
	const res = await request.post(path, { data });
	expect(res.status(), `${path}: ${await res.text()}`).toBe(201);
	return (await res.json()) as T;
}

/** A mono 16-bit PCM WAV of a sine tone (8 kHz, so 6 s is 96 kB), made here rather than checked in. */
function sineWav(seconds: number, frequency: number, sampleRate = 8000): Buffer {
	const samples = seconds * sampleRate;
	const wav = Buffer.alloc(44 + samples * 2);
	wav.write('RIFF', 0, 'ascii');
	wav.writeUInt32LE(36 + samples * 2, 4);
	wav.write('WAVE', 8, 'ascii');
	wav.write('fmt ', 12, 'ascii');
	wav.writeUInt32LE(16, 16); // fmt chunk size
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(sampleRate, 24);
	wav.writeUInt32LE(sampleRate * 2, 28); // bytes per second
	wav.writeUInt16LE(2, 32); // block align
	wav.writeUInt16LE(16, 34); // bits per sample
	wav.write('data', 36, 'ascii');
	wav.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) {
		// A swell, so the waveform has a shape to look at.
		const envelope = 0.2 + 0.6 * Math.abs(Math.sin((Math.PI * i) / samples));
		wav.writeInt16LE(Math.round(envelope * 32767 * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), 44 + i * 2);
	}
	return wav;
}

/**
 * Upload through the page's dialog. The upload is throttled (Chromium's network emulation) so the
 * progress bar is on screen long enough to be seen, as it would be for a real mix.
 */
async function uploadVersion(page: Page, buttonName: string, file: { name: string; buffer: Buffer }) {
	await page.getByRole('button', { name: buttonName }).click();
	const dialog = page.getByRole('dialog', { name: /Upload version/ });
	await expect(dialog).toBeVisible();
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 40 * 1024 });
	await dialog.locator('input[type="file"]').setInputFiles({ name: file.name, mimeType: 'audio/wav', buffer: file.buffer });
	await expect(dialog.getByRole('progressbar')).toBeVisible();
	await expect(dialog).toBeHidden({ timeout: 30_000 });
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	await cdp.detach();
}

test('a mix is uploaded, played, commented at 0:03 on the timeline, sent back, and v2 approved', async ({ page }) => {
	test.setTimeout(120_000);
	const owner = newOwner('review');
	await registerViaApi(page.request, owner);
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls' });
	const project = await send<{ id: string }>(page.request, '/api/v1/projects', { clientId: client.id, title: 'Night Drive', type: 'single' });

	// A deliverable, created in the UI.
	await page.goto(`/projects/${project.id}/deliverables`);
	await expect(page.getByRole('heading', { name: 'No deliverables yet' })).toBeVisible();
	await page.getByRole('button', { name: 'New deliverable' }).click();
	const create = page.getByRole('dialog', { name: 'New deliverable' });
	await create.getByLabel('Title').fill('Night Drive — mix');
	await screenshot(page, 'deliverable-create');
	await expectNoAxeViolations(page);
	await create.getByRole('button', { name: 'Create deliverable' }).click();
	await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/deliverables/[0-9a-f-]+$`));
	await expect(page.getByRole('heading', { level: 2, name: 'Night Drive — mix' })).toBeVisible();

	// v1: upload with the progress bar.
	await uploadVersion(page, 'Upload the first version', { name: 'night-drive-v1.wav', buffer: sineWav(6, 220) });
	await expect(page.getByRole('heading', { name: 'Version 1' })).toBeVisible();
	const player = page.getByRole('region', { name: 'Review player' });
	const timeline = player.getByRole('slider', { name: 'Playback position' });
	// The duration is known (from the media, then the server's peaks): 0:06.
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:00 of 0:06');

	// Play: the current time advances.
	await player.getByRole('button', { name: 'Play' }).click();
	await expect(player.getByTestId('review-current-time')).not.toHaveText('0:00', { timeout: 15_000 });
	await player.getByRole('button', { name: 'Pause' }).click();
	await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();

	// The waveform comes from the server's peaks (a canvas drawn by wavesurfer), not a plain bar.
	await expect(player.getByText('Preparing the waveform…')).toBeHidden({ timeout: 30_000 });
	await expect(player.locator('canvas').first()).toBeVisible();

	// A comment at 0:03: "Click to comment", then the timeline at its middle (3 s of 6).
	await player.getByRole('button', { name: 'Click to comment' }).click();
	const box = (await timeline.boundingBox())!;
	await timeline.click({ position: { x: box.width / 2, y: box.height / 2 } });
	const composer = page.getByTestId('comment-composer');
	await composer.getByLabel('New comment at 0:03').fill('The kick drowns the bass here.');
	await screenshot(page, 'review-commenting');
	await expectNoAxeViolations(page);
	await composer.getByRole('button', { name: 'Add comment' }).click();
	const marker = player.getByRole('button', { name: /^Comment 1 at 0:03 by Ada review: The kick drowns the bass here\.$/ });
	await expect(marker).toBeVisible();
	const comments = page.getByRole('region', { name: 'Comments' });
	await expect(comments.getByRole('article', { name: 'Comment 1 at 0:03' })).toContainText('The kick drowns the bass here.');

	// The marker seeks there and highlights the thread.
	await marker.click();
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:03 of 0:06');
	await expect(marker).toHaveAttribute('aria-pressed', 'true');

	// Request changes: round 1 of the 2 included.
	const decision = page.getByRole('region', { name: 'Decision' });
	await decision.getByLabel(/Note to the engineer/).fill('Tame the low end, please.');
	await decision.getByRole('button', { name: 'Request changes' }).click();
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Changes requested on version 1.');
	await expect(decision.getByTestId('revision-counter')).toContainText('Revision rounds: 1 of 2 included used');
	await expect(decision.getByTestId('version-decision')).toContainText('Changes requested by Ada review (revision round 1).');
	await expect(decision.getByTestId('version-decision-note')).toHaveText('Tame the low end, please.');
	await expect(page.getByRole('navigation', { name: 'Versions' }).getByRole('button', { name: /v1/ })).toContainText('Changes requested');

	// v2, then approve it.
	await uploadVersion(page, 'Upload version 2', { name: 'night-drive-v2.wav', buffer: sineWav(6, 330) });
	await expect(page.getByRole('heading', { name: 'Version 2' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Comments' })).toContainText('No comments on this version');
	await screenshot(page, 'review-v2');
	await expectNoAxeViolations(page);
	await decision.getByRole('button', { name: 'Approve' }).click();
	await expect(decision).toContainText('Approved: this deliverable is closed.');
	await expect(page.getByRole('button', { name: /Upload version/ })).toBeHidden();

	// The list shows it approved, with the round used.
	await page.getByRole('link', { name: 'All deliverables' }).click();
	const row = page.getByRole('row', { name: /Night Drive — mix/ });
	await expect(row).toContainText('v2');
	await expect(row).toContainText('Approved');
	await expect(row).toContainText('1 of 2 used');
	await screenshot(page, 'deliverables-list');
	await expectNoAxeViolations(page);
});

test('with no included rounds the next request is flagged billable first; the timeline works from the keyboard; replies and resolve', async ({ page }) => {
	test.setTimeout(90_000);
	await registerViaApi(page.request, newOwner('rounds'));
	const client = await createClientViaApi(page.request, { name: 'Echo Chamber' });
	const project = await send<{ id: string }>(page.request, '/api/v1/projects', { clientId: client.id, title: 'Reverb EP', type: 'ep', includedRevisionRounds: 0 });
	const deliverable = await send<{ id: string }>(page.request, `/api/v1/projects/${project.id}/deliverables`, { title: 'Opener — master' });
	const upload = await page.request.post(`/api/v1/projects/${project.id}/files`, {
		multipart: { file: { name: 'opener.wav', mimeType: 'audio/wav', buffer: sineWav(6, 440) } }
	});
	expect(upload.status(), await upload.text()).toBe(201);
	await send(page.request, `/api/v1/deliverables/${deliverable.id}/versions`, { fileId: ((await upload.json()) as { id: string }).id, notes: 'Louder, as asked.' });

	await page.goto(`/projects/${project.id}/deliverables/${deliverable.id}`);
	await expect(page.getByText('Louder, as asked.')).toBeVisible();
	const player = page.getByRole('region', { name: 'Review player' });
	const timeline = player.getByRole('slider', { name: 'Playback position' });
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:00 of 0:06');

	// Keyboard: End and Home move, an arrow steps, C comments at the playhead.
	await timeline.focus();
	await page.keyboard.press('End');
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:06 of 0:06');
	await page.keyboard.press('Home');
	await page.keyboard.press('ArrowRight');
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:05 of 0:06');
	await page.keyboard.press('ArrowLeft');
	await page.keyboard.press('Shift+ArrowRight');
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:01 of 0:06');
	await page.keyboard.press('c');
	const composer = page.getByTestId('comment-composer');
	await expect(composer.getByLabel('New comment at 0:01')).toBeFocused();
	await page.keyboard.type('Cymbals are harsh.');
	await page.keyboard.press('Control+Enter');
	const marker = player.getByRole('button', { name: /^Comment 1 at 0:01 by / });
	await expect(marker).toBeVisible();

	// A reply and resolve, on the thread.
	const thread = page.getByRole('region', { name: 'Comments' }).getByRole('article', { name: 'Comment 1 at 0:01' });
	await thread.getByRole('button', { name: 'Reply' }).click();
	await thread.getByLabel('Your reply').fill('Agreed, de-ess them.');
	await thread.getByRole('button', { name: 'Reply' }).click();
	await expect(thread).toContainText('Agreed, de-ess them.');
	// The author edits their reply, then deletes it (after confirming).
	const reply = thread.getByText('Agreed, de-ess them.');
	await thread.getByRole('button', { name: 'Edit' }).nth(1).click();
	await thread.getByLabel('Edit your comment').fill('Agreed: de-ess them, gently.');
	await thread.getByRole('button', { name: 'Save changes' }).click();
	await expect(thread).toContainText('Agreed: de-ess them, gently.');
	await expect(reply).toBeHidden();
	await thread.getByRole('button', { name: 'Delete' }).nth(1).click();
	await page.getByRole('alertdialog', { name: 'Delete this comment?' }).getByRole('button', { name: 'Delete comment' }).click();
	await expect(thread).not.toContainText('Agreed: de-ess them, gently.');
	await thread.getByRole('button', { name: 'Resolve' }).click();
	await expect(thread).toContainText('Resolved');
	await expect(page.getByRole('region', { name: 'Comments' })).toContainText('1 comment · 0 open');

	// The warning comes before the request; the request is the extra round.
	const decision = page.getByRole('region', { name: 'Decision' });
	await expect(decision).toContainText('No revision rounds are included in this project: requesting changes starts an extra round (billable).');
	await screenshot(page, 'review-extra-round-warning');
	await expectNoAxeViolations(page);
	// Dark theme (the waveform's colours follow it) and a phone's width: still readable, nothing sideways.
	await page.emulateMedia({ colorScheme: 'dark' });
	await screenshot(page, 'review-dark');
	await expectNoAxeViolations(page);
	await page.emulateMedia({ colorScheme: 'light' });
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(timeline).toBeVisible();
	await expectNoHorizontalOverflow(page);
	await screenshot(page, 'review-phone');
	await page.setViewportSize({ width: 1280, height: 800 });
	await decision.getByRole('button', { name: 'Request changes (extra round)' }).click();
	await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Changes requested on version 1: an extra, billable round.');
	await expect(decision.getByTestId('revision-counter')).toContainText('+1 extra round (billable)');
	await expect(decision.getByTestId('version-decision')).toContainText('Changes requested by Ada rounds (revision round 1, extra and billable).');

	await page.getByRole('link', { name: 'All deliverables' }).click();
	await expect(page.getByRole('row', { name: /Opener — master/ })).toContainText('+1 extra round (billable)');
});
