import exponents from 'virtual:currency-exponents';
/**
 * Dates, numbers and money through Intl, in the user's locale and the studio's time zone and
 * currency. Amounts are integers in minor units (DESIGN.md "Money"), so the number of decimals
 * comes from the currency (JPY 0, EUR 2, KWD 3), never from the caller.
 */

/** The studio's settings used for formatting, until studios can set them (browser defaults). */
export interface StudioFormat {
	timeZone: string;
	currency: string;
}

export function browserTimeZone(): string {
	return new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/**
 * How many minor units a currency's major unit has, as a power of ten: ISO 4217, exactly as the API
 * counts them (never Intl's CLDR digits, which say 0 for HUF, COP, IDR, IQD… where ISO says 2 or 3).
 */
export function currencyDigits(currency: string): number {
	// A code ISO's list lacks (the browser knows more) can carry no money in the API; Intl's count shows it.
	return exponents[currency.toUpperCase()] ?? new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An integer amount of minor units as an exact decimal string ("-1234" EUR → "-12.34"). */
export function minorToDecimal(minor: number, digits: number): string {
	if (!Number.isSafeInteger(minor)) throw new RangeError(`Money amounts are integers in minor units, got ${minor}`);
	const sign = minor < 0 ? '-' : '';
	const text = Math.abs(minor).toString().padStart(digits + 1, '0');
	return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
	const digits = currencyDigits(currency);
	const decimal = minorToDecimal(minor, digits);
	// A decimal string keeps every digit exact (no float division by 100 or 1000); every minor digit is shown.
	return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(decimal as unknown as number);
}

export type DateStyle = 'date' | 'datetime' | 'time' | 'long-date';

const STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
	date: { dateStyle: 'medium' },
	'long-date': { dateStyle: 'long' },
	datetime: { dateStyle: 'medium', timeStyle: 'short' },
	time: { timeStyle: 'short' }
};

export function formatDateTime(value: string | Date, locale: string, timeZone: string, style: DateStyle = 'datetime'): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	return new Intl.DateTimeFormat(locale, { ...STYLES[style], timeZone }).format(date);
}

export function formatNumber(value: number, locale: string): string {
	return new Intl.NumberFormat(locale).format(value);
}
