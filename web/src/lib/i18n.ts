/**
 * Locale choice for paraglide (strategy `custom-rsm`, see vite.config.ts): the language the user
 * picked (remembered in localStorage), else the best match for the browser's languages, else
 * English. Messages themselves live in web/messages/{locale}.json.
 */
import { baseLocale, defineCustomClientStrategy, getLocale, locales, setLocale, type Locale } from './paraglide/runtime.js';

export { getLocale, locales, type Locale };
export const LOCALE_STORAGE_KEY = 'rsm.locale';

/** Each language in its own name, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

/**
 * The first of `preferred` (BCP 47 tags in order of preference, like navigator.languages) that
 * `available` has, matching `fr-CA` to `fr` when there is no exact match; else `fallback`.
 */
export function negotiateLocale<L extends string>(preferred: readonly string[], available: readonly L[], fallback: L): L {
	const byTag = new Map(available.map((l) => [l.toLowerCase(), l]));
	for (const tag of preferred) {
		const wanted = tag.trim().toLowerCase();
		if (!wanted) continue;
		const exact = byTag.get(wanted);
		if (exact) return exact;
		const language = byTag.get(wanted.split(/[-_]/)[0]);
		if (language) return language;
	}
	return fallback;
}

function stored(): string | null {
	try {
		return localStorage.getItem(LOCALE_STORAGE_KEY);
	} catch {
		return null; // storage disabled: fall back to the browser's languages
	}
}

/** The locale this browser should use now. */
export function preferredLocale(): Locale {
	const choice = stored();
	const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
	return negotiateLocale(choice ? [choice, ...browser] : browser, locales, baseLocale);
}

defineCustomClientStrategy('custom-rsm', {
	getLocale: () => preferredLocale(),
	setLocale: (locale) => {
		try {
			localStorage.setItem(LOCALE_STORAGE_KEY, locale);
		} catch {
			// not remembered; the switch still applies to this page
		}
	}
});

/** Remember `locale` and reload the app in it (every string, date and number follows). */
export function chooseLocale(locale: Locale): void {
	void setLocale(locale);
}
