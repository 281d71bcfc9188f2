import { expect, test } from '@playwright/test';
import { newOwner, registerViaApi, screenshot } from '../helpers';

// Issue 11: the studio's own subscription. The read-only state itself (402 on every write, reads kept)
// is proven against the real guard in api/test/subscription-standing.e2e-spec.ts.
test('a new studio is on a 14-day trial, shown to its owner in Settings → Subscription', async ({ page }) => {
	await registerViaApi(page.request, newOwner('trial'));
	await page.goto('/settings/profile');
	await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Subscription' }).click();
	await expect(page).toHaveURL(/\/settings\/subscription$/);
	const card = page.getByRole('region', { name: 'Subscription' });
	await expect(card.getByText('Trial', { exact: true })).toBeVisible();
	await expect(card.getByText('Trial ends')).toBeVisible();
	// Fourteen days from now, as the page writes a date in the studio's time zone (UTC for a new studio).
	const trialEnd = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.now() + 14 * 86_400_000));
	await expect(card.getByText(trialEnd)).toBeVisible();
	await expect(card.getByText('A lapsed subscription keeps working for 7 days before the studio becomes read-only.')).toBeVisible();
	await expect(card.getByText('Online subscription payments are not set up on this platform: nothing is charged here.')).toBeVisible();
	// No notice while the trial runs.
	await expect(page.getByRole('region', { name: 'Subscription notice' })).toHaveCount(0);
	await screenshot(page, 'settings-subscription');
});
