/** Byte units Intl knows (ECMA-402 sanctioned units), smallest first; 1 kB = 1000 B, as file managers show. */
const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file size for people, in the user's locale: 0 → "0 byte", 1_234_567 → "1.2 MB" ("1,2 Mo" in French). */
export function formatFileSize(bytes: number, locale: string): string {
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1000 && unit < UNITS.length - 1) {
		value /= 1000;
		unit++;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: UNITS[unit],
		unitDisplay: unit === 0 ? 'long' : 'short',
		maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1
	}).format(value);
}
