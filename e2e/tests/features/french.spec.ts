import { expect, test, type Page } from '@playwright/test';
import { clientRows, createClientViaApi, newOwner, registerViaApi, screenshot } from '../helpers';

/** Every visible text node and placeholder on the page, trimmed, without duplicates. */
async function visibleStrings(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const out = new Set<string>();
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const text = node.textContent?.replace(/\s+/g, ' ').trim();
			const parent = node.parentElement;
			if (!text || !parent || !parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
			if (parent.closest('[aria-hidden="true"]')) continue; // decoration, e.g. an avatar's initials
			const box = parent.getBoundingClientRect();
			if (box.width <= 1 || box.height <= 1) continue; // visually hidden text is for screen readers
			out.add(text);
		}
		for (const input of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) out.add(input.placeholder);
		return [...out];
	});
}

test('switching to French changes every visible string on the clients page', async ({ page }) => {
	const owner = newOwner('french');
	await registerViaApi(page.request, owner);
	const data = [
		{ name: 'Abbey Strings', email: 'hello@abbey.test', phone: '+44 20 7946 0000', company: 'Abbey Music' },
		{ name: 'Brass Monkeys', company: 'Monkey Business' }
	];
	for (const client of data) await createClientViaApi(page.request, client);

	await page.goto('/clients');
	await expect(clientRows(page)).toHaveCount(2);
	const english = await visibleStrings(page);

	// The user menu switches the language; the choice is remembered.
	await page.getByRole('button', { name: `${owner.name} (account menu)` }).click();
	await page.getByRole('menuitemradio', { name: 'Français' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Ajouter un client' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(clientRows(page)).toHaveCount(2);
	const french = await visibleStrings(page);
	await screenshot(page, 'clients-table-fr');

	// What is the user's own data (names, contacts, the studio) is not ours to translate; dates and
	// counts are compared as the locale writes them.
	const userData = new Set([owner.studioName, owner.name, ...data.flatMap((c) => Object.values(c))]);
	// Words that are the same in French, checked one by one.
	const sameInFrench = new Set(['Recording Studio Manager', 'Clients', 'Studio', 'Actions', '2 clients']);
	const untranslated = english.filter((text) => !userData.has(text) && !sameInFrench.has(text) && french.includes(text));
	expect(untranslated, 'English strings still shown after switching to French').toEqual([]);
	// And the French page really is different, not just empty.
	expect(french).toEqual(expect.arrayContaining(['Tableau de bord', 'Ajouter un client', 'Nom', 'Société', 'Téléphone', 'Ajouté le']));

	// Remembered across visits.
	await page.reload();
	await expect(page.getByRole('button', { name: 'Ajouter un client' })).toBeVisible();
});
