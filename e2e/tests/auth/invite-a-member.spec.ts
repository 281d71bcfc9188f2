import { expect, test, type Page } from '@playwright/test';
import { mailLinkFor, newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 7: an owner invites an engineer by email; the engineer accepts in their own browser, logs in
 * and sees only what an engineer may use; demoted to viewer, they lose the client actions too.
 */

async function logIn(page: Page, email: string, password: string) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
}

const settingsNav = (page: Page) => page.getByRole('navigation', { name: 'Settings sections' });

test('invite a member by email, accept in another browser, log in as that engineer and see the reduced navigation', async ({ page, browser }) => {
	const owner = newOwner('inviter');
	await registerViaApi(page.request, owner);
	const engineer = { name: 'Grace Engineer', email: owner.email.replace('inviter', 'engineer'), password: 'engineer passphrase 42' };

	// The owner finds Settings in the sidebar and invites from the members page.
	await page.goto('/');
	await page.getByRole('navigation', { name: 'Main' }).first().getByRole('link', { name: 'Settings' }).click();
	await expect(page).toHaveURL(/\/settings\/profile$/);
	await expect(settingsNav(page).getByRole('link')).toHaveText(['Profile & security', 'Notifications', 'Members', 'Studio', 'Billing', 'Tax rates', 'API keys', 'Webhooks', 'Audit log', 'Subscription']);
	await settingsNav(page).getByRole('link', { name: 'Members' }).click();
	await expect(page.getByRole('table', { name: 'Members' }).getByText(owner.email)).toBeVisible();
	await expect(page.getByRole('heading', { name: 'No pending invitations' })).toBeVisible();

	await page.getByRole('button', { name: 'Invite member' }).click();
	const dialog = page.getByRole('dialog', { name: 'Invite a member' });
	await dialog.getByLabel('Email').fill('not-an-email');
	await dialog.getByRole('button', { name: 'Send invitation' }).click();
	await expect(dialog.getByText('Enter an email address like name@example.com.')).toBeVisible();
	await dialog.getByLabel('Email').fill(engineer.email);
	await dialog.getByLabel('Role').selectOption('engineer');
	await screenshot(page, 'settings-members-invite-dialog');
	await dialog.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page.getByText(`Invitation sent to ${engineer.email}.`)).toBeVisible();
	const pending = page.getByTestId('invite');
	await expect(pending).toHaveCount(1);
	await expect(pending).toContainText(engineer.email);
	await expect(pending).toContainText('Engineer');
	await screenshot(page, 'settings-members-owner');

	// The engineer opens the emailed link in their own browser: a new account, so name and password.
	const link = await mailLinkFor(engineer.email, 'invite', '/accept-invite');
	const theirs = await browser.newContext();
	const them = await theirs.newPage();
	await them.goto(link);
	await expect(them.getByRole('heading', { name: 'Join the studio' })).toBeVisible();
	await expect(them.getByText('Choose your name and a password')).toBeVisible();
	await expect(them).toHaveURL(/\/accept-invite$/); // the token left the address bar
	await screenshot(them, 'accept-invite-new-account');
	await them.getByLabel('Your name').fill(engineer.name);
	await them.getByLabel('Choose a password').fill(engineer.password);
	await them.getByRole('button', { name: 'Join studio' }).click();
	await expect(them.getByRole('banner').getByText(owner.studioName)).toBeVisible();
	// The invitation link proved the engineer's address: the probation banner speaks of the owner's.
	const probation = them.getByRole('region', { name: 'Email verification' });
	await expect(probation).toContainText('The studio owner has not verified their email address yet.');
	await expect(probation).not.toContainText(engineer.email);
	await expect(probation.getByRole('button', { name: 'Send a new link' })).toHaveCount(0);

	// The link worked once.
	await them.goto(link);
	await expect(them.getByRole('heading', { name: 'This invitation is no longer valid' })).toBeVisible();
	await screenshot(them, 'accept-invite-spent');

	// Signed out and in again with the new account: an engineer's navigation.
	await them.context().clearCookies();
	await logIn(them, engineer.email, engineer.password);
	await expect(them.getByRole('banner').getByText(owner.studioName)).toBeVisible();
	await them.goto('/settings/members');
	await expect(settingsNav(them).getByRole('link')).toHaveText(['Profile & security', 'Notifications', 'Members', 'Studio']);
	await expect(them.getByRole('table', { name: 'Members' }).getByText(owner.email)).toBeVisible();
	await expect(them.getByRole('button', { name: 'Invite member' })).toHaveCount(0);
	await expect(them.getByRole('button', { name: /^Actions for / })).toHaveCount(0);
	await expect(them.getByRole('heading', { name: 'Pending invitations' })).toHaveCount(0);
	await screenshot(them, 'settings-members-engineer');
	// Engineers still manage clients.
	await them.goto('/clients');
	await expect(them.getByRole('button', { name: 'Add client' })).toBeVisible();

	// The owner sees the new member, no pending invitation, and makes them a viewer.
	await page.reload();
	const table = page.getByRole('table', { name: 'Members' });
	await expect(table.getByText(engineer.email)).toBeVisible();
	await expect(page.getByRole('heading', { name: 'No pending invitations' })).toBeVisible();
	await page.getByRole('button', { name: `Actions for ${engineer.name}` }).click();
	await page.getByRole('menuitemradio', { name: 'Viewer' }).click();
	await expect(page.getByText(`${engineer.name} is now Viewer.`)).toBeVisible();

	// A viewer reads: no client actions either.
	await them.reload();
	await expect(them.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
	await expect(them.getByRole('button', { name: 'Add client' })).toHaveCount(0);
	await theirs.close();
});

test('an invitation link for an existing account asks for its password, and a revoked one no longer works', async ({ page, browser, request }) => {
	const owner = newOwner('inviter2');
	await registerViaApi(page.request, owner);
	// Someone who already runs a studio of their own.
	const other = newOwner('member2');
	await registerViaApi(request, other);

	const invite = await page.request.post('/api/v1/invites', { data: { email: other.email, role: 'admin' } });
	expect(invite.status(), await invite.text()).toBe(201);
	const link = await mailLinkFor(other.email, 'invite', '/accept-invite');

	const theirs = await browser.newContext();
	const them = await theirs.newPage();
	await them.goto(link);
	await expect(them.getByText('your email already has an account')).toBeVisible();
	await expect(them.getByLabel('Your name')).toHaveCount(0);
	await screenshot(them, 'accept-invite-existing-account');
	await them.getByLabel('Password').fill('not their password at all');
	await them.getByRole('button', { name: 'Join studio' }).click();
	await expect(them.getByText('Wrong email or password.')).toBeVisible();
	await them.getByLabel('Password').fill(other.password);
	await them.getByRole('button', { name: 'Join studio' }).click();
	await expect(them.getByRole('banner').getByText(owner.studioName)).toBeVisible();

	// Two studios now: the account menu switches between them.
	await them.getByRole('button', { name: `${other.name} (account menu)` }).click();
	await them.getByRole('menuitemradio', { name: other.studioName }).click();
	await expect(them.getByTestId('studio-name')).toHaveText(other.studioName);
	await expect(them.getByText(`You’re now in ${other.studioName}.`)).toBeVisible();

	// A revoked invitation's link says so.
	const third = { email: owner.email.replace('inviter2', 'revoked') };
	expect((await page.request.post('/api/v1/invites', { data: { email: third.email, role: 'viewer' } })).status()).toBe(201);
	const revokedLink = await mailLinkFor(third.email, 'invite', '/accept-invite');
	await page.goto('/settings/members');
	await page.getByRole('button', { name: `Revoke the invitation for ${third.email}` }).click();
	await expect(page.getByText(`The invitation for ${third.email} was revoked.`)).toBeVisible();
	await them.goto(revokedLink);
	await expect(them.getByRole('heading', { name: 'This invitation is no longer valid' })).toBeVisible();

	// A link cut short by a mail client.
	await them.goto('/accept-invite?token=abc');
	await expect(them.getByRole('heading', { name: 'This link is not complete' })).toBeVisible();
	await theirs.close();
});
