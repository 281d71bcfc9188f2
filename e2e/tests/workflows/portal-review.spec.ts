import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { apiJson, createClientViaApi, expectNoHorizontalOverflow, mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 12, portal: the review flow from the client's side, on a phone (390×844). Staff upload a mix
 * version (through the API, as review.spec does) and invite the client's contact → the client signs in
 * from the emailed link, sees the mix awaiting review on the dashboard, opens it, comments at 0:03 from
 * the timeline and requests changes → staff see the client's comment and decision on their review page.
 */

/** A mono 16-bit PCM WAV of a sine tone (8 kHz), made here rather than checked in. */
function sineWav(seconds: number, frequency: number, sampleRate = 8000): Buffer {
	const samples = seconds * sampleRate;
	const wav = Buffer.alloc(44 + samples * 2);
	wav.write('RIFF', 0, 'ascii');
	wav.writeUInt32LE(36 + samples * 2, 4);
	wav.write('WAVE', 8, 'ascii');
	wav.write('fmt ', 12, 'ascii');
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20);
	wav.writeUInt16LE(1, 22);
	wav.writeUInt32LE(sampleRate, 24);
	wav.writeUInt32LE(sampleRate * 2, 28);
	wav.writeUInt16LE(2, 32);
	wav.writeUInt16LE(16, 34);
	wav.write('data', 36, 'ascii');
	wav.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) {
		const envelope = 0.2 + 0.6 * Math.abs(Math.sin((Math.PI * i) / samples));
		wav.writeInt16LE(Math.round(envelope * 32767 * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), 44 + i * 2);
	}
	return wav;
}

test('staff upload a mix → the client, on a phone, comments at 0:03 and requests changes → staff see both', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const owner = newOwner('portal-review');
	await registerViaApi(page.request, owner);
	const slug = ((await (await page.request.get('/api/v1/auth/me')).json()) as { organization: { slug: string } }).organization.slug;

	// Staff: a client's project with a deliverable and its v1 (a 6 s generated WAV).
	const client = await createClientViaApi(page.request, { name: 'The Midnight Owls' });
	const project = await apiJson<{ id: string }>(page.request, 'post', '/api/v1/projects', { clientId: client.id, title: 'Night Drive', type: 'single', includedRevisionRounds: 2 });
	const deliverable = await apiJson<{ id: string }>(page.request, 'post', `/api/v1/projects/${project.id}/deliverables`, { title: 'Night Drive — mix' });
	const upload = await page.request.post(`/api/v1/projects/${project.id}/files`, { multipart: { file: { name: 'night-drive-v1.wav', mimeType: 'audio/wav', buffer: sineWav(6, 220) } } });
	expect(upload.status(), await upload.text()).toBe(201);
	await apiJson(page.request, 'post', `/api/v1/deliverables/${deliverable.id}/versions`, { fileId: ((await upload.json()) as { id: string }).id, notes: 'First full mix.' });

	// The client's contact is invited and signs in from the emailed link, on a phone.
	const contact = owner.email.replace('portal-review', 'portal-review-contact');
	await apiJson(page.request, 'post', `/api/v1/clients/${client.id}/portal-invites`, { email: contact, name: 'Robin Owl' });
	const link = await mailLinkFor(contact, 'portal-invite', `/portal/${slug}/accept-invite`);
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const them = await phone.newPage();
	await them.goto(link);
	await them.getByLabel('New password').fill('owls at midnight 2031');
	await them.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}$`));

	// The dashboard: the mix awaits their review.
	const awaiting = them.getByTestId('portal-awaiting-review');
	await expect(awaiting).toContainText('Night Drive — mix');
	await expect(awaiting).toContainText('v1');
	await screenshot(them, 'portal-review-dashboard-phone');
	await expectNoAxeViolations(them);
	await awaiting.getByRole('link', { name: 'Night Drive — mix' }).click();
	await expect(them).toHaveURL(new RegExp(`/portal/${slug}/projects/${project.id}\\?deliverable=${deliverable.id}$`));
	await expect(them.getByRole('heading', { level: 1, name: 'Night Drive' })).toBeVisible();
	await expect(them.getByTestId('portal-rounds')).toHaveText('Revision rounds: 0 of 2 included');
	await expect(them.getByText('First full mix.')).toBeVisible();

	// The player streams the version through the portal: its duration, then the server's waveform.
	const player = them.getByRole('region', { name: 'Review player' });
	const timeline = player.getByRole('slider', { name: 'Playback position' });
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:00 of 0:06');
	await expect(player.getByText('Preparing the waveform…')).toBeHidden({ timeout: 30_000 });
	await expect(player.locator('canvas').first()).toBeVisible();

	// A comment at 0:03: move the playhead there (Shift+→ steps a second), then "Comment at 0:03".
	await timeline.focus();
	await them.keyboard.press('Home');
	for (let i = 0; i < 3; i++) await them.keyboard.press('Shift+ArrowRight');
	await expect(timeline).toHaveAttribute('aria-valuetext', '0:03 of 0:06');
	await player.getByRole('button', { name: 'Comment at 0:03' }).click();
	await them.getByLabel('New comment at 0:03').fill('The kick drowns the bass here.');
	await screenshot(them, 'portal-review-commenting-phone');
	await expectNoAxeViolations(them);
	await them.getByRole('button', { name: 'Add comment' }).click();
	const comment = them.getByTestId('portal-comment');
	await expect(comment).toContainText('0:03');
	await expect(comment).toContainText('Robin Owl');
	await expect(comment).toContainText('The kick drowns the bass here.');
	await expect(player.getByRole('button', { name: /^Comment 1 at 0:03 by Robin Owl: The kick drowns the bass here\.$/ })).toBeVisible();

	// Request changes: round 1 of the 2 included.
	const decision = them.getByRole('region', { name: 'Decision' });
	await decision.getByLabel(/A note for the studio/).fill('Tame the low end, please.');
	await decision.getByRole('button', { name: 'Request changes' }).click();
	await expect(them.getByRole('region', { name: 'Notices' })).toContainText('Changes requested on version 1.');
	await expect(them.getByTestId('portal-rounds')).toHaveText('Revision rounds: 1 of 2 included');
	await expect(them.getByText('Changes requested').first()).toBeVisible();
	await expectNoHorizontalOverflow(them);
	await screenshot(them, 'portal-review-changes-requested-phone');
	await expectNoAxeViolations(them);
	await phone.close();

	// Staff: the client's comment and decision on the staff review page.
	await page.goto(`/projects/${project.id}/deliverables/${deliverable.id}`);
	const comments = page.getByRole('region', { name: 'Comments' });
	await expect(comments.getByRole('article', { name: 'Comment 1 at 0:03' })).toContainText('The kick drowns the bass here.');
	await expect(comments).toContainText('Robin Owl');
	const staffDecision = page.getByRole('region', { name: 'Decision' });
	await expect(staffDecision.getByTestId('version-decision')).toContainText('Changes requested by Robin Owl (revision round 1).');
	await expect(staffDecision.getByTestId('version-decision-note')).toHaveText('Tame the low end, please.');
	await screenshot(page, 'portal-review-staff-sees-client');
});
