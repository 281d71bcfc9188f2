import { expect, type Page } from '@playwright/test';
import type { AxeResults, RunOptions } from 'axe-core';
import { readFileSync } from 'node:fs';

/**
 * UI (DESIGN.md "Web app"): WCAG 2.1 A/AA violations on a page as it is now, one line per violation and
 * element — enough to find and fix it from the test output. Every spec checks pages through this.
 *
 * axe-core itself, run in the page, rather than @axe-core/playwright's AxeBuilder: the builder
 * re-injects axe's 500 KB source on every check and finishes each run in a new blank page (for
 * cross-origin frames, which this app does not have). Measured on the same pages, same run: ~4 s per
 * check through the builder, ~2 s in its legacy mode, ~0.5–0.8 s here, with the same violations; the
 * accessibility crawl makes ~120 checks. axe is injected once per document, and only the violations
 * are collected in full (`resultTypes`). Frames are not entered: the app's one iframe is the PDF
 * preview, whose own title axe still checks in the page.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

declare global {
	interface Window {
		axe?: { run(context: unknown, options: RunOptions): Promise<AxeResults> };
	}
}

export async function axeViolations(page: Page, { include }: { include?: string } = {}): Promise<string[]> {
	if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
	// Colours are measured as they end up, not mid-transition: right after a colour-scheme switch a button's
	// background was seen half-way (contrast 1.08, CI of 3b188a6). getAnimations() flushes styles first, so it
	// includes transitions the switch just started; endless ones (spinners) are not waited for, nor a paused one
	// for more than 2 s.
	await page.evaluate(() =>
		Promise.race([
			Promise.all(
				document
					.getAnimations()
					.filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime)))
					.map((animation) => animation.finished.catch(() => undefined))
			),
			new Promise((resolve) => setTimeout(resolve, 2_000))
		])
	);
	const options: RunOptions = { runOnly: { type: 'tag', values: WCAG_21_AA }, resultTypes: ['violations'], iframes: false };
	const results = await page.evaluate(([selector, opts]) => window.axe!.run(selector ? { include: [selector] } : document, opts), [include ?? null, options] as const);
	return results.violations.flatMap((v) =>
		v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(' ')} — ${node.failureSummary?.replace(/\s+/g, ' ') ?? v.help}`)
	);
}

/** Fails the test with one line per violation; `include` narrows the check to one part of the page. */
export async function expectNoAxeViolations(page: Page, { include, message }: { include?: string; message?: string } = {}): Promise<void> {
	expect(await axeViolations(page, { include }), message).toEqual([]);
}
