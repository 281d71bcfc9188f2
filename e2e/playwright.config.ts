import { defineConfig } from '@playwright/test';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * End-to-end tests against the real built product: `node ../api/dist/main.js`
 * (the API build, which also serves ../web/build). Build both first, e.g.
 * `npx nx run e2e:e2e` (builds @rsm/api and @rsm/web before running this).
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

const serverEnv: Record<string, string> = {
	PORT: String(PORT),
	HOST: '127.0.0.1',
	LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
	// The suites sign up several studios and log in many times, all from 127.0.0.1: generous
	// sign-up and login limits (the limits themselves are tested in api/test/rate-limits).
	RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000',
	RATE_LIMIT_VERIFICATION_RESEND_PER_USER_PER_HOUR: '1000',
	RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: '100',
	RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '100',
	RATE_LIMIT_LOGIN_FAILURES_PER_IP: '1000',
	RATE_LIMIT_API_PER_IP_PER_MINUTE: '10000',
	// Scheduling (issue 9, calendar): background jobs looked for every second, so a short hold is released promptly.
	JOBS_POLL_INTERVAL_SECONDS: '1',
	// Issue 13, webhooks: the spec's receiver listens on 127.0.0.1 (refused in production).
	WEBHOOKS_ALLOW_PRIVATE_URLS: 'true'
};

// Money (issue 11, money-web): the local Stripe server (tools/stripe-fake) stands in for Stripe. The
// API's SDK is pointed at it, and it signs its webhooks with the secrets the API checks them with.
const STRIPE_FAKE_PORT = Number(process.env.E2E_STRIPE_PORT ?? PORT + 9011);
const STRIPE_FAKE_URL = `http://127.0.0.1:${STRIPE_FAKE_PORT}`;
// The specs drive the fake's test controls (e.g. finishing Connect onboarding); workers inherit this.
process.env.E2E_STRIPE_FAKE_URL = STRIPE_FAKE_URL;
const stripeSecrets = { STRIPE_SECRET_KEY: 'sk_test_e2e', STRIPE_WEBHOOK_SECRET: 'whsec_e2e_platform', STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_e2e_connect' };
// Issue 11, subscription: the platform's subscription price (any id: the fake makes it a 29.00 EUR monthly plan),
// so the owner's Settings → Subscription offers checkout through the fake's hosted page.
Object.assign(serverEnv, stripeSecrets, { STRIPE_API_BASE: STRIPE_FAKE_URL, STRIPE_PRICE_ID: 'price_e2e_studio_monthly' });
const stripeFakeEnv: Record<string, string> = {
	...stripeSecrets,
	STRIPE_FAKE_PORT: String(STRIPE_FAKE_PORT),
	STRIPE_FAKE_WEBHOOK_URL: `${baseURL}/api/v1/webhooks/stripe`,
	STRIPE_FAKE_CONNECT_WEBHOOK_URL: `${baseURL}/api/v1/webhooks/stripe/connect`
};

// A throw-away directory per run: the embedded PostgreSQL's data (unless DATABASE_URL is given) and
// the mail outbox the server writes verification links to (tests read them, see helpers.ts). The
// config is also loaded by each worker process: they inherit the env vars, so only the main process
// creates (and later removes) the directory.
if (!process.env.RSM_E2E_DATA_DIR) {
	const dir = mkdtempSync(join(tmpdir(), 'rsm-e2e-'));
	// mkdtemp makes it 0700; when running as root the embedded PostgreSQL
	// runs as a separate `postgres` user that must be able to enter it.
	chmodSync(dir, 0o755);
	process.env.RSM_E2E_DATA_DIR = dir;
	process.on('exit', () => {
		try {
			rmSync(dir, { recursive: true, force: true });
		} catch {
			// best effort
		}
	});
}
process.env.RSM_E2E_MAIL_DIR ??= join(process.env.RSM_E2E_DATA_DIR, 'mail');
serverEnv.MAIL_OUTBOX_DIR = process.env.RSM_E2E_MAIL_DIR;

if (process.env.DATABASE_URL) {
	serverEnv.DATABASE_URL = process.env.DATABASE_URL;
} else {
	serverEnv.RSM_DATA_DIR = process.env.RSM_E2E_DATA_DIR;
	// Keep clear of a developer's `npm start` (embedded PostgreSQL on 54329).
	serverEnv.EMBEDDED_PG_PORT = process.env.E2E_PG_PORT ?? String(PORT + 51_230);
}

export default defineConfig({
	testDir: './tests',
	outputDir: './test-results',
	fullyParallel: false,
	// Two spec files at a time against the one server: the suite's specs each sign up their own studio,
	// so they share nothing but the rate limits (generous here). On 2 cores this takes the suite from
	// ~10 to ~7 minutes; E2E_WORKERS=1 runs them one by one (e.g. to rule out interference).
	workers: Number(process.env.E2E_WORKERS ?? 2),
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: 'list',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL,
		viewport: { width: 1280, height: 800 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-quic',
				'--no-first-run'
			]
		}
	},
	// The accessibility spec is the longest (axe on every page, in both colour schemes, on two screens):
	// its own project, listed first, so one worker starts on it while the other takes the rest. In the
	// one project it came last (ui/ sorts last), and one worker ran it alone for the suite's last ~5
	// minutes. Its two tests stay in one worker: two axe crawls at once on 2 cores each ran past 5 min.
	projects: [
		{ name: 'ui', testMatch: 'ui/**/*.spec.ts', use: { browserName: 'chromium' } },
		{ name: 'chromium', testIgnore: 'ui/**', use: { browserName: 'chromium' } }
	],
	webServer: [
		{
			command: 'node ../tools/stripe-fake/src/cli.mjs',
			cwd: __dirname,
			url: `${STRIPE_FAKE_URL}/_fake/events`,
			env: stripeFakeEnv,
			timeout: 30_000,
			reuseExistingServer: false,
			stdout: 'ignore',
			stderr: 'pipe'
		},
		{
			command: 'node ../api/dist/main.js',
			cwd: __dirname,
			url: `${baseURL}/health/ready`,
			env: serverEnv,
			timeout: 120_000,
			reuseExistingServer: false,
			stdout: 'pipe',
			stderr: 'pipe',
			// Let the API stop its embedded PostgreSQL cleanly.
			gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 }
		}
	]
});
