import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { newOwner, registerViaApi, screenshot } from '../helpers';

// Issue 11: the studio's own subscription. The read-only state itself (402 on every write, reads kept)
// and the webhook rules are proven against the real API in api/test/subscription-*.e2e-spec.ts; here the
// owner's page, and subscribing through the local Stripe server's hosted checkout (tools/stripe-fake).
test('a new studio is on a 14-day trial, shown to its owner in Settings → Subscription with a way to subscribe', async ({ page }) => {
	await registerViaApi(page.request, newOwner('trial'));
	await page.goto('/settings/profile');
	await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Subscription' }).click();
	await expect(page).toHaveURL(/\/settings\/subscription$/);
	const card = page.getByRole('region', { name: 'Subscription' });
	await expect(card.getByText('Trial', { exact: true })).toBeVisible();
	await expect(card.getByText('Trial ends')).toBeVisible();
	// Fourteen days from now, as the page writes a date in the studio's time zone (UTC for a new studio).
	const trialEnd = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.now() + 14 * 86_400_000));
	await expect(card.getByText(trialEnd).first()).toBeVisible();
	await expect(card.getByText('A lapsed subscription keeps working for 7 days before the studio becomes read-only.')).toBeVisible();
	// Billing is on (STRIPE_PRICE_ID): the trial ends into read-only unless the owner subscribes.
	await expect(card.getByText('Read-only from')).toBeVisible();
	await expect(card.getByRole('button', { name: 'Subscribe' })).toBeVisible();
	await expect(card.getByText('Online billing is off')).toHaveCount(0);
	// No notice while the trial runs.
	await expect(page.getByRole('region', { name: 'Subscription notice' })).toHaveCount(0);
	await screenshot(page, 'settings-subscription');
	await expectNoAxeViolations(page);
});

test('the owner subscribes on the hosted checkout page and sees the subscription active, then opens the billing portal', async ({ page }) => {
	await registerViaApi(page.request, newOwner('subscribes'));
	await page.goto('/settings/subscription');
	const card = page.getByRole('region', { name: 'Subscription' });
	await card.getByRole('button', { name: 'Subscribe' }).click();

	// The local Stripe server's hosted checkout (a 29.00 EUR monthly plan).
	await expect(page.getByRole('heading', { name: 'Pay €29.00' })).toBeVisible();
	await page.getByRole('button', { name: 'Pay €29.00' }).click();

	// Back in the app: the signed webhook reached the API before the redirect.
	await expect(page).toHaveURL(/\/settings\/subscription\?checkout=success$/);
	await expect(card.getByText('Thank you: the subscription is active.')).toBeVisible();
	await expect(card.getByText('Active', { exact: true })).toBeVisible();
	await expect(card.getByText('Current period ends')).toBeVisible();
	await expect(card.getByText('Read-only from')).toHaveCount(0);
	await expect(card.getByRole('button', { name: 'Subscribe' })).toHaveCount(0);
	await screenshot(page, 'settings-subscription-active');
	await expectNoAxeViolations(page);

	// Manage billing: the portal lists the subscription and links back.
	await card.getByRole('button', { name: 'Manage billing' }).click();
	await expect(page.getByRole('heading', { name: 'Manage billing' })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Subscriptions' })).toContainText('active');
	await page.getByRole('button', { name: 'Cancel subscription' }).click();
	await expect(page.getByRole('list', { name: 'Subscriptions' })).toContainText('canceled');
	await page.getByRole('link', { name: 'Return to the app' }).click();
	await expect(page).toHaveURL(/\/settings\/subscription$/);
	await expect(card.getByText('Canceled', { exact: true })).toBeVisible();
	await expect(card.getByRole('button', { name: 'Subscribe' })).toBeVisible();
});

test('a failed renewal: the owner sees past due, when writes would stop, the banner link, and pays in the billing portal', async ({ page }) => {
	await registerViaApi(page.request, newOwner('renewal'));
	const fakeUrl = process.env.E2E_STRIPE_FAKE_URL!;
	// Subscribed behind the page (the UI flow is the test above), then the renewal fails on the local Stripe server.
	const checkout = await page.request.post('/api/v1/billing/checkout');
	expect(checkout.status()).toBe(201);
	const sessionId = new URL((await checkout.json()).url).pathname.split('/').at(-1);
	const paid = await (await page.request.post(`${fakeUrl}/_fake/checkout/sessions/${sessionId}/pay`, { data: {} })).json();
	const failed = await page.request.post(`${fakeUrl}/_fake/subscriptions/${paid.subscription.id}/past_due`, { data: {} });
	expect(failed.status()).toBe(200);

	await page.goto('/');
	const banner = page.getByRole('region', { name: 'Subscription notice' });
	await expect(banner).toContainText('A subscription payment failed.');
	await banner.getByRole('link', { name: 'Manage the subscription' }).click();
	await expect(page).toHaveURL(/\/settings\/subscription$/);
	const card = page.getByRole('region', { name: 'Subscription' });
	await expect(card.getByText('Past due', { exact: true })).toBeVisible();
	await expect(card.getByText('Past due since')).toBeVisible();
	await expect(card.getByText('Read-only from')).toBeVisible();
	await screenshot(page, 'settings-subscription-past-due');

	await card.getByRole('button', { name: 'Manage billing' }).click();
	await page.getByRole('button', { name: 'Pay the overdue invoice' }).click();
	await page.getByRole('link', { name: 'Return to the app' }).click();
	await expect(card.getByText('Active', { exact: true })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Subscription notice' })).toHaveCount(0);
});
