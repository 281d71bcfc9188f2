import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { newOwner, registerViaApi } from '../helpers';

/**
 * Issue 13, mailnotify: the studio's session reminders in Settings → Studio: the defaults shown in hours,
 * a bad list refused in the form, a new list saved (the API stores minutes, largest first) and shown again
 * after a reload; an axe check of the section.
 */

test('session reminders: the defaults, a refused list, a saved one', async ({ page }) => {
	await registerViaApi(page.request, newOwner('reminders'));
	await page.goto('/settings/studio');
	const section = page.getByRole('region', { name: 'Session reminders' });
	const field = section.getByLabel('Hours before the session');
	await expect(field).toHaveValue('24, 2');
	await expectNoAxeViolations(page, { include: '[aria-labelledby="reminders-heading"]' });

	await field.fill('1, 2, 3, 4, 5');
	await section.getByRole('button', { name: 'Save reminders' }).click();
	await expect(section.getByText('Enter up to 4 different numbers of hours')).toBeVisible();
	expect((await (await page.request.get('/api/v1/studio')).json()).reminderOffsetsMinutes).toEqual([1440, 120]);

	await field.fill('1, 48, 0.5');
	await section.getByRole('button', { name: 'Save reminders' }).click();
	await expect(page.getByText('Reminders saved.')).toBeVisible();
	expect((await (await page.request.get('/api/v1/studio')).json()).reminderOffsetsMinutes).toEqual([2880, 60, 30]);
	await page.reload();
	await expect(page.getByRole('region', { name: 'Session reminders' }).getByLabel('Hours before the session')).toHaveValue('48, 1, 0.5');
});
