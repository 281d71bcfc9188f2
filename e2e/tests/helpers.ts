import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let counter = 0;

/** A brand-new studio owner; unique per call and per run. */
export function newOwner(label = 'owner') {
	const id = `${Date.now().toString(36)}${process.pid.toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	return {
		studioName: `Blue Room ${id}`,
		name: `Ada ${label}`,
		email: `e2e-${label}-${id}@studio.test`,
		password: `correct horse ${id}`
	};
}
export type Owner = ReturnType<typeof newOwner>;

/**
 * Registers through the API. With `page.request` the session cookie lands in
 * the page's browser context, so the page is signed in afterwards.
 */
export async function registerViaApi(request: APIRequestContext, owner: Owner) {
	const res = await request.post('/api/v1/auth/register', { data: owner });
	expect(res.status(), await res.text()).toBe(201);
}

export async function createClientViaApi(
	request: APIRequestContext,
	client: { name: string; email?: string; phone?: string; company?: string; notes?: string }
) {
	const res = await request.post('/api/v1/clients', { data: client });
	expect(res.status(), await res.text()).toBe(201);
	return (await res.json()) as { id: string; name: string };
}

/** Full-page screenshot into test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string) {
	// Let transitions and focus rings settle.
	await page.waitForTimeout(150);
	await page.screenshot({ path: join(test.info().project.outputDir, 'screenshots', `${name}.png`), fullPage: true });
}

/**
 * The newest email verification link the server sent to `email`, as a path to open. The e2e server
 * writes outgoing mail to MAIL_OUTBOX_DIR as .eml files when no SMTP_URL is set (see playwright.config.ts).
 */
export async function verificationLinkFor(email: string, otherThan?: string): Promise<string> {
	const dir = process.env.RSM_E2E_MAIL_DIR;
	if (!dir) throw new Error('RSM_E2E_MAIL_DIR is not set (see playwright.config.ts)');
	let link: string | undefined;
	await expect
		.poll(() => {
			const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-verify-email.eml')).sort() : [];
			const links = files
				// .eml files (issue 7): undo quoted-printable's soft line breaks and its `=3D` for `=`.
				.map((f) => readFileSync(join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
				.filter((text) => text.includes(`\nTo: ${email}\n`))
				.map((text) => text.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)?.[0]);
			const latest = links.at(-1);
			link = latest && new URL(latest).pathname + new URL(latest).search;
			return link !== undefined && link !== otherThan;
		})
		.toBe(true);
	return link!;
}
