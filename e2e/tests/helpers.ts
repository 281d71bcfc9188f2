import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
	return (await res.json()) as { id: string; name: string; createdAt: string };
}

/**
 * A JSON call through the API that must succeed (2xx), e.g. set-up with `page.request` (the page's
 * session); answers the parsed body. The failure names the path and shows the API's problem.
 */
export async function apiJson<T = unknown>(
	request: APIRequestContext,
	method: 'post' | 'patch' | 'put',
	path: string,
	data: unknown = {},
	headers?: Record<string, string>
): Promise<T> {
	const res = await request[method](path, { data, headers });
	const text = await res.text();
	expect(res.status(), `${method.toUpperCase()} ${path}: ${text}`).toBeLessThan(300);
	return (text ? JSON.parse(text) : null) as T;
}

/** The day `days` from today (negative: before), as YYYY-MM-DD in UTC (set the studio's time zone to UTC to match). */
export function isoDay(days = 0): string {
	return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Money (issue 11): connects the studio's Stripe account on the local Stripe server (tools/stripe-fake) without
 * its pages — the API's connect, the fake's "complete onboarding" control (which also sends the signed
 * account.updated webhook), the API's refresh. The onboarding page itself is driven in workflows/invoice.spec.ts.
 */
export async function connectStripeViaApi(request: APIRequestContext): Promise<void> {
	const fake = process.env.E2E_STRIPE_FAKE_URL;
	if (!fake) throw new Error('E2E_STRIPE_FAKE_URL is not set (see playwright.config.ts)');
	await apiJson(request, 'post', '/api/v1/stripe/connection');
	const { accountId } = (await (await request.get('/api/v1/stripe/connection')).json()) as { accountId: string };
	const done = await request.post(`${fake}/_fake/accounts/${accountId}/complete`, { data: {} });
	expect(done.status(), await done.text()).toBe(200);
	const connection = await apiJson<{ status: string; chargesEnabled: boolean }>(request, 'post', '/api/v1/stripe/connection/refresh');
	expect(connection).toMatchObject({ status: 'active', chargesEnabled: true });
}

/** Where screenshots go for review: e2e/screenshots/ (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', 'screenshots');

/**
 * Whether the suites save screenshots. They are for people to look at and assert nothing (over 200 full-page
 * pictures per run, a few tenths of a second each), so: taken on a developer's machine, skipped in CI (`CI`
 * set; nobody keeps them there). `E2E_SCREENSHOTS=1` or `=0` decides either way.
 */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ? process.env.E2E_SCREENSHOTS !== '0' : !process.env.CI;

/** Full-page screenshot into e2e/screenshots/NAME.png, for people to look at (see SCREENSHOTS). */
export async function screenshot(page: Page, name: string) {
	// Let transitions and focus rings settle, picture or not: specs check the page right after this.
	await page.waitForTimeout(200);
	if (!SCREENSHOTS) return;
	const path = join(SCREENSHOT_DIR, `${name}.png`);
	mkdirSync(dirname(path), { recursive: true });
	await page.screenshot({ path, fullPage: true });
}

/** The page scrolls sideways when its content is wider than the viewport. */
export async function expectNoHorizontalOverflow(page: Page) {
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
	expect(scrollWidth, 'page content wider than the viewport').toBeLessThanOrEqual(innerWidth);
}

/** The clients table's body rows. */
export function clientRows(page: Page) {
	return page.getByRole('table', { name: /Clients/ }).locator('tbody tr');
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

// ── Accounts and access (issue 7): links from the invitation and password-reset emails. ──

/**
 * The newest link to `path` (e.g. `/accept-invite`) in the outbox's `kind` emails (the file name's
 * suffix: `invite`, `password-reset`) to `email`, as a path to open; waits for the email to arrive.
 */
export async function mailLinkFor(email: string, kind: string, path: string, otherThan?: string): Promise<string> {
	const dir = process.env.RSM_E2E_MAIL_DIR;
	if (!dir) throw new Error('RSM_E2E_MAIL_DIR is not set (see playwright.config.ts)');
	const pattern = new RegExp(`https?://\\S+${path.replace(/[/-]/g, '\\$&')}\\?token=[\\w-]+`);
	let link: string | undefined;
	await expect
		.poll(() => {
			const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(`-${kind}.eml`)).sort() : [];
			const latest = files
				.map((f) => readFileSync(join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
				.filter((text) => new RegExp(`\\nTo: (.*<)?${email.replace(/[.+]/g, '\\$&')}>?\\r?\\n`, 'i').test(text))
				.map((text) => text.match(pattern)?.[0])
				.filter(Boolean)
				.at(-1);
			link = latest && new URL(latest).pathname + new URL(latest).search;
			return link !== undefined && link !== otherThan;
		})
		.toBe(true);
	return link!;
}
