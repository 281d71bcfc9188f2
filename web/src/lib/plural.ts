import { getLocale } from './i18n.ts';

/**
 * Picks the message for `count` by the locale's plural rules (Intl.PluralRules): French says
 * "0 client", English "0 clients". Messages take `{count}` already formatted for the locale.
 */
export function plural(
	count: number,
	forms: { one: (p: { count: string }) => string; other: (p: { count: string }) => string },
	locale: string = getLocale()
): string {
	const formatted = new Intl.NumberFormat(locale).format(count);
	return new Intl.PluralRules(locale).select(count) === 'one' ? forms.one({ count: formatted }) : forms.other({ count: formatted });
}
