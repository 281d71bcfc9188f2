import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './i18n.ts';

const load = (locale: string) =>
	JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as Record<string, string>;
const LOCALES = ['en', 'fr'];
const messages = Object.fromEntries(LOCALES.map((l) => [l, load(l)]));
const keys = (locale: string) => Object.keys(messages[locale]).filter((k) => !k.startsWith('$'));
const params = (text: string) => [...text.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
	it('have every key in every language', () => {
		const all = new Set(LOCALES.flatMap(keys));
		for (const locale of LOCALES) {
			const missing = [...all].filter((k) => !(k in messages[locale]));
			expect(missing, `missing in ${locale}.json`).toEqual([]);
		}
	});

	it('are never empty and take the same parameters in every language', () => {
		for (const key of keys('en')) {
			for (const locale of LOCALES) {
				expect(messages[locale][key]?.trim(), `${locale}.${key}`).toBeTruthy();
				expect(params(messages[locale][key]), `${locale}.${key} parameters`).toEqual(params(messages.en[key]));
			}
		}
	});
});

describe('negotiateLocale', () => {
	const available = ['en', 'fr'] as const;

	it('takes the first preferred language the app has', () => {
		expect(negotiateLocale(['fr', 'en'], available, 'en')).toBe('fr');
		expect(negotiateLocale(['de', 'en', 'fr'], available, 'fr')).toBe('en');
	});

	it('matches a regional variant to its language, case-insensitively', () => {
		expect(negotiateLocale(['fr-CA'], available, 'en')).toBe('fr');
		expect(negotiateLocale(['FR_be'], available, 'en')).toBe('fr');
		expect(negotiateLocale(['en-GB', 'fr'], available, 'fr')).toBe('en');
	});

	it('falls back when nothing matches', () => {
		expect(negotiateLocale(['de-DE', 'es'], available, 'en')).toBe('en');
		expect(negotiateLocale([], available, 'en')).toBe('en');
		expect(negotiateLocale(['', '  '], available, 'fr')).toBe('fr');
	});

	it('puts a remembered choice first (as preferredLocale does)', () => {
		expect(negotiateLocale(['fr', 'en-US'], available, 'en')).toBe('fr');
		expect(negotiateLocale(['xx', 'en-US'], available, 'fr')).toBe('en');
	});
});
