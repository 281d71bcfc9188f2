import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { settled, watch } from '../support/site';

/**
 * Infrastructure (DESIGN.md "Web app"): what operators and integrators rely on, on the suite's
 * server (development mode): health probes, the API documentation and the Prometheus metrics.
 * What only production does is in production.spec.ts.
 */

test('health: liveness and readiness answer ok as JSON', async ({ request }) => {
	for (const path of ['/health/live', '/health/ready']) {
		const res = await request.get(path);
		expect([path, res.status(), res.headers()['content-type']]).toEqual([path, 200, expect.stringMatching(/^application\/json/)]);
		expect(await res.json()).toEqual({ status: 'ok' });
	}
});

test('docs: /api/docs/openapi.json is the committed openapi.json, and Swagger UI shows it without a console error', async ({ page, request }) => {
	// Every tag opened in turn in Swagger UI: this grows with the API (past the default minute on a loaded 2-core machine).
	test.setTimeout(180_000);
	const served = await request.get('/api/docs/openapi.json');
	expect(served.status()).toBe(200);
	const committed = JSON.parse(readFileSync(join(dirname(test.info().config.configFile!), '..', 'openapi.json'), 'utf8'));
	const spec = await served.json();
	expect(spec.openapi).toMatch(/^3\./);
	expect(Object.keys(spec.paths).sort()).toEqual(Object.keys(committed.paths).sort());

	const watcher = watch(page);
	await page.goto('/api/docs');
	await settled(page);
	await expect(page.getByRole('heading', { name: /Recording Studio Manager API/ })).toBeVisible();
	// Every tag is a section (collapsed), and opening it lists every path of its operations.
	const tags = [...new Set(Object.values(committed.paths).flatMap((ops) => Object.values(ops as Record<string, { tags?: string[] }>).flatMap((op) => op.tags ?? [])))];
	for (const tag of tags) {
		const section = page.locator(`h3#operations-tag-${tag}`);
		await section.click();
		const paths = Object.entries(committed.paths)
			.filter(([, ops]) => Object.values(ops as Record<string, { tags?: string[] }>).some((op) => op.tags?.includes(tag)))
			.map(([path]) => path);
		// One read of the open section's operation paths per tag (not one text search of the whole page per path).
		const shown = page.locator(`.opblock-tag-section:has(h3#operations-tag-${tag}) [data-path]`);
		await expect.poll(async () => [...new Set(await shown.evaluateAll((els) => els.map((el) => el.getAttribute('data-path'))))].sort(), tag).toEqual(
			[...new Set(paths)].sort()
		);
		await section.click(); // closed again, so the page stays light
	}
	expect(watcher.problems).toEqual([]);
});

test('metrics: Prometheus text with the process and the tenant pool metrics (open in development)', async ({ request }) => {
	// Some traffic first, so the request-scoped metrics exist.
	await request.get('/health/ready');
	const res = await request.get('/metrics');
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
	const text = await res.text();
	for (const name of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'rsm_tenant_pools_open', 'rsm_dependency_up', 'rsm_http_request_duration_seconds', 'rsm_build_info']) {
		expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
	}
});
