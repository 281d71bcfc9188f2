import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newOwner, registerViaApi, screenshot } from '../helpers';

/**
 * Issue 13, webhooks: Settings → Webhooks. An admin adds an endpoint pointing at a receiver this test
 * starts, copies the secret shown once, sends a test event and sees the delivery succeed in the log; the
 * receiver got a ping signed with that secret.
 */

test('add a webhook endpoint, send a test event, see it delivered in the log', async ({ page }) => {
	const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString('utf8')));
		req.on('end', () => {
			received.push({ headers: req.headers, body });
			res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rsm`;
	try {
		await registerViaApi(page.request, newOwner('hooks'));
		await page.goto('/settings/webhooks');
		await expect(page.getByRole('heading', { name: 'No webhook endpoints yet' })).toBeVisible();
		await page.getByRole('button', { name: 'Add endpoint' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
		await dialog.getByLabel('URL').fill(url);
		await dialog.getByLabel('Description').fill('Accounting sync');
		await dialog.getByRole('button', { name: 'Add endpoint' }).click();

		const secretDialog = page.getByRole('dialog', { name: 'Signing secret' });
		const secret = await secretDialog.getByTestId('webhook-secret').inputValue();
		expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
		await expectNoAxeViolations(page);
		await secretDialog.getByRole('button', { name: 'Done' }).click();
		await expect(secretDialog).toBeHidden();

		const table = page.getByRole('table', { name: 'Webhooks' });
		await expect(table).toContainText(url);
		await expect(table).toContainText(`whsec_…${secret.slice(-4)}`);
		await expect(page.getByText(secret)).toHaveCount(0);

		await page.getByRole('button', { name: `Actions for ${url}` }).click();
		await page.getByRole('menuitem', { name: 'Send test event' }).click();
		await expect(page.getByText('Test event sent')).toBeVisible();
		const log = page.getByRole('table', { name: 'Deliveries' });
		// The log shows the attempt once it is made: refresh until it has.
		await expect(async () => {
			await page.getByRole('button', { name: 'Refresh' }).click();
			await expect(log.locator('tbody tr').first()).toContainText('Succeeded', { timeout: 1000 });
		}).toPass({ timeout: 20_000 });
		const row = log.locator('tbody tr').first();
		await expect(row).toContainText('ping');
		await expect(row).toContainText('200');
		await expect(row).toContainText(/\d+ ms/);
		await screenshot(page, 'settings-webhooks');
		await expectNoAxeViolations(page);

		// What arrived is a ping, signed over "<timestamp>.<body>" with the secret shown once.
		expect(received).toHaveLength(1);
		const [got] = received;
		expect(JSON.parse(got.body)).toMatchObject({ type: 'ping' });
		const t = got.headers['webhook-timestamp'];
		expect(got.headers['webhook-signature']).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${got.body}`).digest('hex')}`);

		// Redeliver sends the same delivery again.
		await row.getByRole('button', { name: 'Redeliver' }).click();
		await expect(page.getByText('Delivery queued again')).toBeVisible();
		await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
		expect(received[1].headers['webhook-id']).toBe(received[0].headers['webhook-id']);
	} finally {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
});
