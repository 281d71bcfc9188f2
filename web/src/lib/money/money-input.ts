/**
 * Money typed by a person → integer minor units, and back, for one currency exponent (JPY 0, EUR 2,
 * BHD 3). Exact: digits are handled as text and bigint, never as floats, so "0.1" + "0.2" problems
 * cannot happen. It only converts what was typed; totals and tax come from the API's preview
 * (POST /invoices/preview), never from the browser.
 */

/** The API's largest single figure (api/src/money/money.ts MAX_MINOR: 10^13 minor units). */
export const MAX_MINOR = 10_000_000_000_000;

export type MoneyInputError = 'empty' | 'invalid' | 'negative' | 'too-many-decimals' | 'too-large';
export type ParsedMoney = { ok: true; minor: number } | { ok: false; error: MoneyInputError };

/** Spaces (also the no-break ones Intl uses), apostrophes and underscores group digits: "1 234", "1'234". */
const GROUPING = /[\s\u00a0\u202f'’_]/g;

/**
 * Reads "1234.5", "1 234,50", "1,234.50", "1.234,50" or "1,500" as an amount of the currency whose
 * minor unit is 10^-exponent. The decimal separator is "." or ",": when both appear the last one
 * is it; one that appears several times groups digits; a single one is the decimal separator, except
 * for currencies without decimals where three digits after it group thousands ("1,500" is 1500 yen,
 * but 1.50 euros and 1.5 dinars). Decimals beyond the exponent are refused rather than rounded.
 */
export function parseMoneyInput(text: string, exponent: number): ParsedMoney {
	let t = text.replace(GROUPING, '');
	if (t === '') return { ok: false, error: 'empty' };
	if (t.startsWith('-') || t.startsWith('−')) return /\d/.test(t) ? { ok: false, error: 'negative' } : { ok: false, error: 'invalid' };
	if (t.startsWith('+')) t = t.slice(1);
	if (!/^[\d.,]+$/.test(t) || !/\d/.test(t)) return { ok: false, error: 'invalid' };

	const dots = t.split('.').length - 1;
	const commas = t.split(',').length - 1;
	let decimal: '.' | ',' | null = null;
	if (dots && commas) decimal = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
	else if (dots === 1 || commas === 1) {
		const sep = dots ? '.' : ',';
		const after = t.slice(t.indexOf(sep) + 1);
		const before = t.slice(0, t.indexOf(sep));
		// Only a currency without decimals reads "1,500" as thousands: elsewhere a mistyped third decimal
		// would silently become a thousand times the amount.
		const thousands = after.length === 3 && exponent === 0 && /^[1-9]\d{0,2}$/.test(before);
		decimal = thousands ? null : sep;
	}
	const group = decimal === '.' ? ',' : decimal === ',' ? '.' : null;
	let whole = t;
	let fraction = '';
	if (decimal) {
		const at = t.lastIndexOf(decimal);
		whole = t.slice(0, at);
		fraction = t.slice(at + 1);
		if (fraction.includes(decimal) || fraction.includes(group ?? '') || whole.includes(decimal)) return { ok: false, error: 'invalid' };
	}
	// Whatever is left of a separator groups thousands: every group after the first has three digits.
	const groups = whole.split(/[.,]/);
	if (groups.length > 1 && (groups[0] === '' || groups.slice(1).some((g) => g.length !== 3))) return { ok: false, error: 'invalid' };
	whole = groups.join('') || '0';
	if (!/^\d*$/.test(fraction)) return { ok: false, error: 'invalid' };

	// Trailing zeros never matter ("1500.00" yen is 1500 yen).
	const significant = fraction.replace(/0+$/, '');
	if (significant.length > exponent) return { ok: false, error: 'too-many-decimals' };
	const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(significant.padEnd(exponent, '0') || '0');
	if (minor > BigInt(MAX_MINOR)) return { ok: false, error: 'too-large' };
	return { ok: true, minor: Number(minor) };
}

/** The decimal separator of `locale` ("." in English, "," in French). */
export function decimalSeparator(locale: string): string {
	return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * Minor units → the text to put back in an input: every decimal of the currency, no grouping, the
 * locale's decimal separator (1234 EUR cents → "12.34" / "12,34"; 1500 yen → "1500"; 1500 fils → "1.500").
 */
export function formatMoneyInput(minor: number, exponent: number, locale = 'en'): string {
	if (!Number.isSafeInteger(minor)) throw new RangeError(`Money amounts are integers in minor units, got ${minor}`);
	const sign = minor < 0 ? '-' : '';
	const digits = Math.abs(minor).toString().padStart(exponent + 1, '0');
	if (exponent === 0) return sign + digits;
	return `${sign}${digits.slice(0, -exponent)}${decimalSeparator(locale)}${digits.slice(-exponent)}`;
}
